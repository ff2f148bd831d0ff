// policy eval --policy <file|id> --household <file|-> [--as-of DATE] [--version N] [--explain] [--lang zh|en] [--json]
// Evaluates one household with a local policy file (or a policy id under policies/), or against
// a running server with --server URL [--key KEY].
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { analyze, compileSource, linkedResults, type Assumption, type Json, type TraceEntry } from '../../dsl/index.js';
import { folderResolver, linkOptions } from '../links.js';
import { nameIndex, unknownFieldMessage } from '../../dsl/index.js';
import { CliError, parse, UsageError } from '../args.js';
import { isDate, todayInChina } from '../../dsl/index.js';
import { Client, errorLines } from '../client.js';
import { formatDiagnostic } from '../diagnostics.js';
import { display, localVersions, modulesFor, policiesDir, readText } from '../files.js';
import { parseDocument } from '../json.js';
import { HELP } from '../help.js';
import { bi, err, out, style, table, type Lang, type Style } from '../output.js';
import { derivationLines } from '../derivation.js';


interface Answer {
  policy: string; title?: string; version: number | null; effective_from: string | null; as_of: string;
  outputs: Record<string, Json>; assumptions?: Assumption[]; trace?: TraceEntry[]; labels: Record<string, string | null>; file?: string;
}

function readStdin(): string {
  try { return readFileSync(0, 'utf8'); } catch (e) {
    throw new CliError(`-: 无法读取标准输入 / cannot read stdin (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** The keys of an evaluate request body (EvaluateRequest). */
const REQUEST_KEYS = nameIndex(['household', 'as_of', 'version', 'trace']);

/** The household (and the as_of it carries, if the file is a request body). */
export function readHousehold(spec: string): { household: unknown; asOf?: string; name: string } {
  const name = spec === '-' ? '<stdin>' : display(resolve(spec));
  const text = spec === '-' ? readStdin() : readText(resolve(spec), { zh: '家庭数据文件', en: 'household file' });
  if (!text.trim()) throw new CliError(`${name}: 文件是空的 / the file is empty — it should hold one household as JSON`);
  const doc = parseDocument(text, spec === '-' ? '<stdin>' : name);
  if (doc && typeof doc === 'object' && !Array.isArray(doc) && 'household' in doc && !('members' in doc)) {
    const req = doc as { household: unknown; as_of?: unknown };
    // a request body: its keys are the API's (asof for as_of must not quietly mean today)
    const unknown = Object.keys(req).filter((k) => !REQUEST_KEYS.names.includes(k));
    if (unknown.length) throw new CliError(`${name}: ${unknown.slice(0, 5).map((k) => { const m = unknownFieldMessage(k, REQUEST_KEYS); return bi(m.zh, m.en, 'both'); }).join('; ')}`);
    return { household: req.household, asOf: typeof req.as_of === 'string' ? req.as_of : undefined, name };
  }
  if (Array.isArray(doc)) throw new CliError(`${name}: 应为一户家庭（对象），而不是列表 / expected one household (an object), got a list — evaluate one at a time`);
  return { household: doc, name };
}

function resolveLocalPolicy(spec: string, asOf: string, version: number | undefined): { file: string; version: number | null } {
  const abs = resolve(spec);
  if (existsSync(abs)) {
    if (version !== undefined) throw new UsageError(`--version 只用于政策编号或 --server / --version goes with a policy id or --server, not a file (${spec}) — give the file of that version instead`, 'eval');
    if (statSync(abs).isDirectory()) {
      const f = join(abs, 'policy.policy');
      if (!existsSync(f)) throw new CliError(`${spec}: 目录中没有 policy.policy / no policy.policy in this folder — give the .policy file`);
      return { file: f, version: versionOfPath(f) };
    }
    return { file: abs, version: versionOfPath(abs) };
  }
  if (spec.endsWith('.policy') || spec.includes('/')) throw new CliError(`${spec}: 找不到文件 / no such file — check the path`);
  const root = policiesDir();
  const versions = localVersions(spec, root);
  if (versions.length === 0) throw new CliError(`--policy ${spec}: 既不是文件，${display(root)}/ 下也没有这个政策 / neither a file nor a policy under ${display(root)}/ — give a .policy file, or --server to ask a server`);
  if (version !== undefined) {
    const v = versions.find((x) => x.version === version);
    if (!v) throw new CliError(`--policy ${spec} --version ${version}: 没有这个版本 / no such version (have ${versions.map((x) => `v${x.version}`).join(', ')})`);
    return v;
  }
  let chosen: { version: number; file: string } | undefined;
  for (const v of versions) {
    const eff = analyze(readText(v.file)).info?.effective;
    if (eff && eff <= asOf) chosen = v;
  }
  if (!chosen) throw new CliError(`--policy ${spec}: ${asOf} 没有生效的版本 / no version is in force on ${asOf} — try a later --as-of or --version N`);
  return chosen;
}

function versionOfPath(file: string): number | null {
  const m = /^v([1-9]\d*)$/.exec(basename(dirname(file)));
  return m ? Number(m[1]) : null;
}

export function showValue(v: Json | undefined): string {
  if (v === undefined) return '—';
  if (v === null) return '— (null)';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.length ? v.map((x) => showValue(x)).join(', ') : '[]';
  return Object.entries(v).map(([k, x]) => `${k}: ${showValue(x)}`).join('; ') || '{}';
}

const KIND: Record<string, string> = { rule: '规则 rule', exception: '例外 exception', otherwise: '否则 otherwise', expression: '表达式 expression' };

export function explainTree(trace: TraceEntry[], st: Style, file?: string, lang: Lang = 'both'): string[] {
  const lines: string[] = [];
  for (const t of trace) {
    lines.push(`${st.bold(t.output)}${t.label ? `「${t.label}」` : ''} = ${st.cyan(JSON.stringify(t.value))}`);
    const d = t.decided_by;
    const where = file ? st.gray(` (${file}:${d.range.start.line})`) : st.gray(` (line ${d.range.start.line})`);
    const cite = d.sources.length ? ` · 依据 ${d.sources.map((s) => `「${s}」`).join('')}` : ` · ${st.yellow('无依据 no citation')}`;
    const sections: { title: string; items: string[] }[] = [];
    const defs = t.definitions as (TraceEntry['definitions'][number] & { label?: string | null; kind?: string })[];
    sections.push({ title: '用到的值 values used', items: defs.map((x) => `${x.name}${x.label && x.label !== x.name ? `「${x.label}」` : ''}${x.member ? ` [${x.member}]` : ''} = ${JSON.stringify(x.value)}${x.kind ? st.gray(` ${x.kind}`) : ''}`) });
    sections.push({ title: '输入 inputs', items: t.inputs.map((x) => `${x.path} = ${JSON.stringify(x.value)}`) });
    const shown = sections.filter((s) => s.items.length);
    lines.push(`${shown.length || t.derivation ? '├─' : '└─'} 决定于 decided by: ${KIND[d.kind] ?? d.kind}${d.name && d.kind !== 'expression' ? ` ${st.bold(d.name)}` : ''}${cite}${where}`);
    // the derivation first: the formula with the household's numbers, the names it used beneath
    if (t.derivation) {
      const glyph = shown.length ? '├─' : '└─', indent = shown.length ? '│  ' : '   ';
      lines.push(`${glyph} 推导 derivation`);
      lines.push(...derivationLines(t.derivation, lang, st, indent));
    }
    shown.forEach((s, i) => {
      const last = i === shown.length - 1;
      lines.push(`${last ? '└─' : '├─'} ${s.title}`);
      s.items.forEach((item, j) => lines.push(`${last ? '   ' : '│  '}${j === s.items.length - 1 ? '└─' : '├─'} ${item}`));
    });
    lines.push('');
  }
  return lines;
}

/** What the answer rests on that no source gives: one line per assumed date or parameter. */
export function assumptionLines(list: Assumption[] | undefined, st: Style): string[] {
  if (!list?.length) return [];
  return [
    st.yellow('假定 assumptions（来源未给出，待确认 / not given by the sources, to confirm）'),
    ...list.map((a) => `  - ${'version' in a ? `生效日 effective date ${a.version}` : `参数 parameter ${a.parameter}`}: ${a.text}`),
  ];
}

function printAnswer(a: Answer, explain: boolean, lang: Lang): void {
  const st = style();
  const head = [`政策 ${st.bold(a.policy)}${a.title ? `「${a.title}」` : ''}`];
  if (a.version !== null) head.push(`v${a.version}`);
  if (a.effective_from) head.push(`生效 effective ${a.effective_from}`);
  head.push(`评估日 as of ${a.as_of}`);
  out(head.join(' · '));
  out();
  out(table(['输出 output', '名称 label', '值 value'], Object.entries(a.outputs).map(([k, v]) => [k, a.labels[k] ?? '', showValue(v)]), st));
  const assumed = assumptionLines(a.assumptions, st);
  if (assumed.length) { out(); for (const l of assumed) out(l); }
  if (explain && a.trace) {
    out();
    out(st.bold('解释 explanation'));
    out();
    for (const l of explainTree(a.trace, st, a.file, lang)) out(l);
  }
}

export async function run(args: string[]): Promise<number> {
  const { values } = parse('eval', args, {
    policy: { type: 'string', short: 'p' }, household: { type: 'string' }, 'as-of': { type: 'string' },
    version: { type: 'string' }, explain: { type: 'boolean' }, json: { type: 'boolean' },
    server: { type: 'string' }, key: { type: 'string' }, lang: { type: 'string' },
  });
  if (values.help) { out(HELP.eval); return 0; }
  if (values.lang !== undefined && values.lang !== 'zh' && values.lang !== 'en') throw new UsageError(`--lang ${values.lang}: 应为 zh 或 en / must be zh or en`, 'eval');
  const lang: Lang = values.lang ?? 'both';
  if (!values.policy) throw new UsageError('缺少 --policy（政策文件或编号）/ --policy <file|id> is required', 'eval');
  if (!values.household) throw new UsageError('缺少 --household（家庭 JSON 文件，或 - 表示标准输入）/ --household <file|-> is required', 'eval');
  if (values['as-of'] !== undefined && !isDate(values['as-of'])) throw new UsageError(`--as-of ${values['as-of']}: 应为日期 YYYY-MM-DD / must be a date YYYY-MM-DD`, 'eval');
  let version: number | undefined;
  if (values.version !== undefined) {
    if (!/^[1-9]\d{0,8}$/.test(values.version)) throw new UsageError(`--version ${values.version}: 应为正整数 / must be a positive integer`, 'eval');
    version = Number(values.version);
  }
  const server = values.server ?? process.env.POLICY_SERVER;
  const key = values.key ?? process.env.POLICY_API_KEY;

  const hh = readHousehold(values.household);
  if (hh.asOf !== undefined && !isDate(hh.asOf)) throw new CliError(`${hh.name}: as_of ${hh.asOf} 应为日期 YYYY-MM-DD / as_of must be a date YYYY-MM-DD`);
  const explicitAsOf = values['as-of'] ?? hh.asOf;

  let answer: Answer;
  if (server) {
    let id = values.policy;
    if (id.endsWith('.policy') || existsSync(resolve(id))) {
      const f = statSync(resolve(id)).isDirectory() ? join(resolve(id), 'policy.policy') : resolve(id);
      const info = analyze(readText(f)).info;
      if (!info?.id) throw new CliError(`${display(f)}: 读不出政策编号 / cannot read the policy id from its header — give the id with --policy`);
      id = info.id;
    }
    const client = new Client(server, key);
    const res = await client.request<Record<string, unknown>>('POST', `/api/policies/${encodeURIComponent(id)}/evaluate`,
      { household: hh.household, ...(explicitAsOf ? { as_of: explicitAsOf } : {}), ...(version !== undefined ? { version } : {}) });
    if (res.status !== 200) {
      const lines = errorLines(res);
      const bad = res.status === 400 && ((res.body as { error?: { details?: unknown[] } })?.error?.details?.length ?? 0) > 0;
      err(`policy eval: ${bad ? `${hh.name}: 家庭数据无效 / invalid household — fix these fields:` : `${client.base}: 服务器拒绝 / the server refused:`}`);
      for (const l of lines) err(`  ${l}`);
      return 1;
    }
    const b = res.body as unknown as Omit<Answer, 'labels'>;
    answer = { ...b, labels: Object.fromEntries((b.trace ?? []).map((t) => [t.output, t.label])) };
  } else {
    const asOf = explicitAsOf ?? todayInChina();
    const { file, version: v } = resolveLocalPolicy(values.policy, asOf, version);
    const shown = display(file);
    const source = readText(file);
    const root = policiesDir();
    const c = compileSource(source, { file: shown, modules: modulesFor(file), ...linkOptions(file, source, root) });
    if (!c.compiled) {
      const st = style(false);
      for (const d of c.diagnostics.filter((x) => x.severity === 'error')) err(formatDiagnostic(d, shown, source, 'both', st));
      err(`policy eval: ${shown}: 政策有错误，无法计算 / the policy has errors and cannot be evaluated — run: policy check ${shown}`);
      return 1;
    }
    // 引用: the referenced policies in force on the same date are evaluated first, from the same folder
    const links = c.compiled.uses.length ? linkedResults(c.compiled, hh.household, asOf, undefined, folderResolver(file, root)) : { linked: {} };
    if ('error' in links) throw new CliError(`policy eval: ${bi(links.error.zh, links.error.en, 'both')}`);
    const r = c.compiled.evaluate(hh.household, asOf, { trace: true, linked: links.linked });
    if (!r.ok) {
      err(`policy eval: ${hh.name}: 家庭数据无效 / invalid household — fix these fields:`);
      for (const e of r.errors) err(`  - ${e.path}: ${bi(e.message.zh, e.message.en, 'both')}`);
      return 1;
    }
    const info = c.compiled.info;
    answer = {
      policy: info.id, title: info.title, version: v, effective_from: info.effective, as_of: asOf, outputs: r.outputs,
      assumptions: r.assumptions, trace: r.trace, labels: Object.fromEntries(info.outputs.map((o) => [o.name, o.label])), file: shown,
    };
  }

  if (values.json) {
    const { labels: _l, title: _t, file: _f, trace, ...rest } = answer;
    out(JSON.stringify({ ...rest, ...(values.explain ? { trace } : {}) }, null, 2));
  } else {
    printAnswer(answer, Boolean(values.explain), lang);
  }
  return 0;
}
