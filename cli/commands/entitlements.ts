// policy entitlements --household <file|-> [--as-of DATE] [--explain] [--json] [--server URL]
// 一门受理 from the command line: the same answer as POST /api/entitlements. Locally it runs the
// runtime's own entitlements service over the published versions under policies/ (a throwaway
// store seeded from the folder, nothing recorded); with --server it asks a running server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError, parse, UsageError } from '../args.js';
import { isDate, todayInChina } from '../../dsl/index.js';
import { Client, errorLines } from '../client.js';
import { policiesDir } from '../files.js';
import { HELP } from '../help.js';
import { err, out, style, table } from '../output.js';
import { readHousehold } from './eval.js';
import { LowdbStore } from '../../runtime/store/lowdb-store.js';
import { seedStore } from '../../runtime/store/seed.js';
import { DomainError } from '../../runtime/services/domain-error.js';
import { entitlements, type EntitlementsAnswer } from '../../runtime/services/entitlements.js';
import { EvaluationService } from '../../runtime/services/evaluation.js';
import { Language, loadModules } from '../../runtime/services/language.js';
import { PolicyService } from '../../runtime/services/policies.js';
import { linkedSourcesOf } from '../../runtime/services/linked-sources.js';

/** The answer over the published versions under `root` (seeded into a temporary store). */
async function local(household: unknown, asOf: string, trace: boolean, root: string): Promise<EntitlementsAnswer> {
  const dir = mkdtempSync(join(tmpdir(), 'policy-entitlements-'));
  const modules = loadModules(root);
  const lang = new Language(modules);
  const store = await LowdbStore.open(dir);
  // 引用: a policy is checked and compiled against the published policies it reads, as in the server
  lang.setLinkedSources(linkedSourcesOf(store, () => asOf));
  try {
    // seeded with the same Language that evaluates: each source is analysed once
    await seedStore(store, root, (source, file) => {
      const info = lang.analyze(source, file).info;
      return { id: info?.id ?? null, effective: info?.effective ?? null, note: info?.note ?? null };
    });
    const evaluation = new EvaluationService(lang, new PolicyService(store, lang, false), () => asOf);
    return await entitlements(household, asOf, { evaluation, trace, bounded: false });
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function print(a: EntitlementsAnswer): void {
  const st = style();
  const j = a.jurisdiction;
  if (j) out(st.bold(`受理地 / Handled by: ${j.full_name} (${j.code}) — ${j.basis.zh} / ${j.basis.en} [${j.basis.source}]`));
  else out(st.bold(a.programmes.length ? '本系统只受理居住地的临时救助 / Only the temporary assistance where they live is handled here' : '本系统不受理 / Not handled here'));
  out(`日期 / as of: ${a.as_of}`);
  if (a.reason) { out(`${a.reason.message_zh}`); out(`${a.reason.message_en}`); }
  if (!a.programmes.length) return;
  const rows = a.programmes.map((p) => [
    p.policy, p.title, `v${p.version}`, p.error ? `错误 / error: ${p.error.code}` : p.granted ? '是 yes' : '否 no',
    typeof p.outputs['monthly_amount'] === 'string' ? `${p.outputs['monthly_amount']} 元/月` : typeof p.outputs['amount'] === 'string' ? `${p.outputs['amount']} 元` : '',
    Object.entries(p.uses).map(([id, u]) => `${id} v${u.version}`).join(', '),
  ]);
  out(table(['政策 policy', '项目 programme', '版本', '是否享受 granted', '金额 amount', '引用 uses'], rows, st));
  out(`合计 / Total: ${a.totals.monthly_cash} 元/月, ${a.totals.yearly_cash} 元/年${a.totals.one_off_cash !== '0.00' ? `, 一次性 one-off ${a.totals.one_off_cash} 元` : ''}`);
  if (a.totals.services.length) out(`服务 / Services: ${a.totals.services.map((s) => s.title).join('、')}`);
}

export async function run(args: string[]): Promise<number> {
  const { values } = parse('entitlements', args, {
    household: { type: 'string' }, 'as-of': { type: 'string' }, explain: { type: 'boolean' }, json: { type: 'boolean' },
    server: { type: 'string' }, key: { type: 'string' },
  });
  if (values.help) { out(HELP.entitlements!); return 0; }
  if (!values.household) throw new UsageError('缺少 --household（家庭 JSON 文件，或 - 表示标准输入）/ --household <file|-> is required', 'entitlements');
  if (values['as-of'] !== undefined && !isDate(values['as-of'])) throw new UsageError(`--as-of ${values['as-of']}: 应为日期 YYYY-MM-DD / must be a date YYYY-MM-DD`, 'entitlements');
  const hh = readHousehold(values.household);
  const asOf = values['as-of'] ?? hh.asOf ?? todayInChina();
  if (!isDate(asOf)) throw new CliError(`${hh.name}: as_of ${asOf} 应为日期 YYYY-MM-DD / as_of must be a date YYYY-MM-DD`);
  const trace = Boolean(values.explain);
  const server = values.server ?? process.env.POLICY_SERVER;

  let answer: EntitlementsAnswer;
  if (server) {
    const client = new Client(server, values.key ?? process.env.POLICY_API_KEY);
    const res = await client.request<EntitlementsAnswer>('POST', '/api/entitlements', { household: hh.household, as_of: asOf, trace });
    if (res.status !== 200) {
      err(`policy entitlements: ${client.base}: 服务器拒绝 / the server refused:`);
      for (const l of errorLines(res)) err(`  ${l}`);
      return 1;
    }
    answer = res.body;
  } else {
    try {
      answer = await local(hh.household, asOf, trace, policiesDir());
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      err(`policy entitlements: ${hh.name}: ${e.zh} / ${e.en}`);
      for (const d of e.details) err(`  - ${d.path}: ${d.message}`);
      return 1;
    }
  }
  if (values.json) out(JSON.stringify(answer, null, 2));
  else print(answer);
  return 0;
}
