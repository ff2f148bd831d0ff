// policy publish <policy dir> --server URL --key KEY [--effective DATE] [--note TEXT]
// Uploads policy.policy + scenarios.yaml as the server's draft (creating the policy if it is new)
// and publishes it. The server refuses (422) with reasons when the draft has errors or failing
// scenarios; with reviewers configured it files a publish request instead (202).
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError, parse, UsageError } from '../args.js';
import { isDate } from '../../dsl/index.js';
import { Client, errorLines, type ApiResponse } from '../client.js';
import { display, readText } from '../files.js';
import { HELP } from '../help.js';
import { err, out, style } from '../output.js';


function policyFiles(spec: string): { policy: string; scenarios: string } {
  const abs = resolve(spec);
  if (!existsSync(abs)) throw new CliError(`${spec}: 找不到目录 / no such folder — give the folder holding policy.policy and scenarios.yaml`);
  const dir = statSync(abs).isDirectory() ? abs : dirname(abs);
  const policy = statSync(abs).isDirectory() ? join(dir, 'policy.policy') : abs;
  if (!existsSync(policy)) throw new CliError(`${display(dir)}: 目录中没有 policy.policy / no policy.policy in this folder`);
  const scenarios = join(dir, 'scenarios.yaml');
  if (!existsSync(scenarios)) throw new CliError(`${display(dir)}: 没有 scenarios.yaml / no scenarios.yaml beside ${basename(policy)} — a version cannot be published without its scenarios (docs/scenarios.md)`);
  return { policy, scenarios };
}

/** The id in the header line (政策 <id>「…」 / policy <id> "…"), read without loading the language. */
export function headerId(source: string): string | undefined {
  for (const raw of source.split(/\r?\n/)) {
    const line = raw.replace(/(#|\/\/).*$/, '').trim();
    if (!line) continue;
    return /^(?:政策|policy)\s+([a-z0-9][a-z0-9-]*)(?=[\s「"]|$)/.exec(line)?.[1];
  }
  return undefined;
}

function fail(what: string, res: ApiResponse): number {
  err(`policy publish: ${what}`);
  for (const l of errorLines(res)) err(`  ${l}`);
  return 1;
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parse('publish', args, {
    server: { type: 'string' }, key: { type: 'string' }, effective: { type: 'string' }, note: { type: 'string' },
  });
  if (values.help) { out(HELP.publish); return 0; }
  if (positionals.length !== 1) throw new UsageError('请给出一个政策目录 / give one policy folder, e.g. policy publish policies/dawukou-dibao/v2 --server URL --key KEY', 'publish');
  const server = values.server ?? process.env.POLICY_SERVER;
  const key = values.key ?? process.env.POLICY_API_KEY;
  if (!server) throw new UsageError('缺少 --server（或环境变量 POLICY_SERVER）/ --server URL is required (or POLICY_SERVER)', 'publish');
  if (values.effective !== undefined && !isDate(values.effective)) throw new UsageError(`--effective ${values.effective}: 应为日期 YYYY-MM-DD / must be a date YYYY-MM-DD`, 'publish');
  if (values.note !== undefined && !values.note.trim()) throw new UsageError('--note 不能为空 / --note must not be empty', 'publish');

  const files = policyFiles(positionals[0]!);
  const source = readText(files.policy);
  const scenarios = readText(files.scenarios);
  const id = headerId(source) ?? (await import('../../dsl/index.js')).analyze(source).info?.id;
  if (!id) throw new CliError(`${display(files.policy)}: 读不出政策头中的编号 / cannot read the policy id from the header (政策 <id>「标题」) — run: policy check ${display(files.policy)}`);

  const st = style();
  const client = new Client(server, key);
  const base = `/api/policies/${encodeURIComponent(id)}`;

  // 1. the draft: update it (If-Match the ETag we read) or create the policy
  const draft = await client.request('GET', `${base}/draft`);
  if (draft.status === 200) {
    const etag = draft.headers.get('etag');
    if (!etag) return fail(`${client.base}: 草稿没有 ETag / the draft answer has no ETag — is --server the policy studio?`, draft);
    const put = await client.request('PUT', `${base}/draft`, { source, scenarios }, { 'If-Match': etag });
    if (put.status === 409) return fail(`${id}: 草稿在服务器上刚被他人修改 / someone changed the draft on the server meanwhile — run the command again`, put);
    if (put.status !== 200) return fail(`${id}: 无法保存草稿 / could not save the draft`, put);
    out(`${st.gray('draft')} ${id}: 已上传草稿 / uploaded the draft`);
  } else if (draft.status === 404) {
    const created = await client.request('POST', '/api/policies', { id, source, scenarios });
    if (created.status !== 201) return fail(`${id}: 无法新建政策 / could not create the policy`, created);
    out(`${st.gray('create')} ${id}: 新建政策并上传草稿 / created the policy with this draft`);
  } else {
    return fail(`${id}: 无法读取服务器上的草稿 / could not read the draft on the server`, draft);
  }

  // 2. publish
  const body: Record<string, string> = {};
  if (values.effective) body.effective_from = values.effective;
  if (values.note) body.note = values.note;
  const pub = await client.request<{ status?: string; version?: { version: number; effective_from: string; hash?: string }; request?: { id: string }; warnings?: { path: string; message: string }[] }>('POST', `${base}/publish`, body);
  for (const w of (pub.status === 201 || pub.status === 202) ? pub.body.warnings ?? [] : []) out(`${st.yellow('warning')} ${w.path}: ${w.message}`);
  if (pub.status === 201 && pub.body.version) {
    const v = pub.body.version;
    out(st.green(`已发布 published ${id} v${v.version}, 生效 effective ${v.effective_from}${v.hash ? ` (hash ${v.hash.slice(0, 12)})` : ''}`));
    return 0;
  }
  if (pub.status === 202 && pub.body.request) {
    const rid = pub.body.request.id;
    out(st.yellow(`已提交发布申请 publish request filed: ${rid}`));
    out(`需由另一位审核人批准 / a reviewer (a different key) must approve it: POST ${client.base}${base}/publish-requests/${rid}/approve`);
    return 0;
  }
  if (pub.status === 422) return fail(`${display(dirname(files.policy))}: 服务器拒绝发布 / the server refused to publish — fix these and run again (the draft is saved):`, pub);
  return fail(`${id}: 发布失败 / publishing failed`, pub);
}
