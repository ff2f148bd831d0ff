// policy simulate --baseline <file|dir|id> --candidate <file|dir|id>
//                 [--population file.jsonl|csv | --generate PRESET --households N --seed S] [--as-of DATE] [--json]
// Impact analysis: evaluates a population under two policy versions and reports who enters,
// leaves, gains or loses, and what it costs (see docs/simulation.md).
import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { analyze } from '../../dsl/index.js';
import {
  FLAT_HEADER, generatePopulation, LoaderError, presetNames, runSimulation, SimulationError, toFlatCsvRows,
  type GroupJson, type PolicyRef, type PopulationSpec, type SimulationResult,
} from '../../simulation/index.js';
import { CliError, parse, UsageError } from '../args.js';
import { isDate, todayInChina } from '../../dsl/index.js';
import { display, localVersions, modulesFor, policiesDir, readText } from '../files.js';
import { linkedSourcesOn } from '../links.js';
import { out, progress, style, table, type Style } from '../output.js';

export const help = `用法 / Usage: policy simulate --baseline <policy> --candidate <policy> [population] [options]

影响分析：用两个政策版本计算同一批家庭，比较人数与费用。
Impact analysis: evaluates a population under a baseline and a candidate policy version and
reports eligible households and persons, monthly and yearly cost, the 2% purchased-services
budget, breakdowns by area, county and member category, who enters, leaves, gains or loses,
the distribution of amounts, and a sample of changed households.

  --baseline P       a .policy file, a folder holding policy.policy, or a policy id / folder of
                     versions (policies/<id>/v<N>/): the version in force on --as-of
  --candidate P      the same; a policy id / folder of versions means its latest version
  --population F     households from a file: .jsonl (one household JSON per line) or .csv
                     (see docs/simulation.md for the flat layout)
  --generate PRESET  a synthetic population instead: ${presetNames().join(', ')}
  --households N     how many to generate (default 10000)
  --seed S           generator seed (default 1); the same seed gives the same households
  --as-of DATE       evaluation date YYYY-MM-DD (default: today in China)
  --threads N        worker threads (default: one per core; 1 = no workers)
  --samples N        changed households listed per kind (default 10)
  --export F         with --generate: also write the generated households to F (.jsonl or .csv)
  --json             the full result as JSON (the shape the HTTP API and the studio use)
  -h, --help         this help

Exit code: 0 done · 1 a policy does not compile, a file cannot be read, or cancelled · 2 wrong usage

Examples:
  policy simulate --baseline dawukou-dibao --candidate policies/dawukou-dibao/v2 --generate dawukou --households 100000 --as-of 2021-06-01
  policy simulate --baseline zhongwei-dibao --candidate draft.policy --population households.csv --json`;

interface Resolved { ref: PolicyRef; file: string }

function policyRef(file: string, version: number | null): Resolved {
  const source = readText(file, { zh: '政策文件', en: 'policy file' });
  const info = analyze(source).info;
  const label = `${info?.id ?? basename(file)}${version !== null ? ` v${version}` : ''}`;
  return { file, ref: { source, file: display(file), label, ...(info?.id ? { policy: info.id } : {}), version, effective_from: info?.effective ?? null } };
}

const versionOf = (file: string): number | null => {
  const m = /^v([1-9]\d*)$/.exec(basename(dirname(file)));
  return m ? Number(m[1]) : null;
};

/** A policy file, a folder with policy.policy, or a folder of versions / policy id. */
function resolvePolicy(option: string, spec: string, asOf: string, pick: 'in-force' | 'latest'): Resolved {
  const abs = resolve(spec);
  let versions: { version: number; file: string }[] = [];
  if (existsSync(abs)) {
    if (!statSync(abs).isDirectory()) return policyRef(abs, versionOf(abs));
    if (existsSync(join(abs, 'policy.policy'))) return policyRef(join(abs, 'policy.policy'), versionOf(join(abs, 'policy.policy')));
    versions = localVersions(basename(abs), dirname(abs));
    if (!versions.length) throw new CliError(`--${option} ${spec}: 目录中没有 policy.policy 或 v<N>/ 版本 / no policy.policy or v<N>/ versions in this folder`);
  } else {
    if (spec.endsWith('.policy') || spec.includes('/')) throw new CliError(`--${option} ${spec}: 找不到文件 / no such file — check the path`);
    versions = localVersions(spec, policiesDir());
    if (!versions.length) throw new CliError(`--${option} ${spec}: 既不是文件，也不是 ${display(policiesDir())}/ 下的政策 / neither a file nor a policy under ${display(policiesDir())}/`);
  }
  if (pick === 'latest') { const v = versions[versions.length - 1]!; return policyRef(v.file, v.version); }
  let chosen: { version: number; file: string } | undefined;
  for (const v of versions) {
    const eff = analyze(readText(v.file)).info?.effective;
    if (eff && eff <= asOf) chosen = v;
  }
  if (!chosen) throw new CliError(`--${option} ${spec}: ${asOf} 没有生效的版本 / no version is in force on ${asOf} — give a later --as-of or a file`);
  return policyRef(chosen.file, chosen.version);
}

const int = (option: string, v: string | undefined, fallback: number, min: number, max: number): number => {
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(`--${option} must be a whole number from ${min} to ${max} (got "${v}")`, 'simulate');
  return Number(v);
};

/** 1234567.5 → "1,234,567.50" (yuan text in, grouped text out). */
export function grouped(text: string): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(text);
  if (!m) return text;
  return `${m[1]}${m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}`;
}
const n = (x: number) => grouped(String(x));
const signed = (x: number) => (x > 0 ? `+${n(x)}` : n(x));
const signedY = (t: string) => (t.startsWith('-') || t === '0.00' ? grouped(t) : `+${grouped(t)}`);

function groupRows(groups: Record<string, GroupJson>, names: Record<string, string> = {}): string[][] {
  return Object.entries(groups).map(([k, g]) => [
    names[k] ?? k, n(g.baseline.households), n(g.baseline.persons), grouped(g.baseline.monthly_cost),
    n(g.candidate.households), n(g.candidate.persons), grouped(g.candidate.monthly_cost), signedY(g.change_monthly),
  ]);
}
const GROUP_HEADER = ['', '基线户 B hh', '基线人 B persons', '基线月支出 B monthly', '候选户 C hh', '候选人 C persons', '候选月支出 C monthly', '月变化 change'];

export function report(r: SimulationResult, st: Style, samples: number): string[] {
  const L: string[] = [];
  const B = r.totals.baseline, C = r.totals.candidate;
  L.push(st.bold(`影响分析 / Impact analysis · 评估日 as of ${r.as_of}`));
  const pol = (p: SimulationResult['baseline']) => `${p.label ?? p.policy ?? '?'}${p.title ? `「${p.title}」` : ''}${p.effective_from ? ` · 生效 effective ${p.effective_from}` : ''}`;
  L.push(`基线 baseline:   ${pol(r.baseline)}`);
  L.push(`候选 candidate:  ${pol(r.candidate)}`);
  L.push(`人口 population: ${r.population.source} · ${n(r.population.households)} 户 households · ${n(r.population.persons)} 人 persons`
    + (r.population.invalid ? st.yellow(` · ${n(r.population.invalid)} 户无效 invalid (skipped)`) : ''));
  L.push('');
  const d = (a: number, b: number) => signed(b - a);
  L.push(table(['指标 measure', '基线 baseline', '候选 candidate', '变化 change'], [
    ['符合条件户数 eligible households', n(B.eligible_households), n(C.eligible_households), d(B.eligible_households, C.eligible_households)],
    ['符合条件人数 eligible persons', n(B.eligible_persons), n(C.eligible_persons), d(B.eligible_persons, C.eligible_persons)],
    ['领取户数 recipient households', n(B.recipient_households), n(C.recipient_households), d(B.recipient_households, C.recipient_households)],
    ['领取人数 recipient persons', n(B.recipient_persons), n(C.recipient_persons), d(B.recipient_persons, C.recipient_persons)],
    ['单人户 single-person units', n(B.single_person_units), n(C.single_person_units), d(B.single_person_units, C.single_person_units)],
    ['渐退户 gradual-exit households', n(B.gradual_exit_households), n(C.gradual_exit_households), d(B.gradual_exit_households, C.gradual_exit_households)],
    ['月支出 monthly cost (元)', grouped(B.monthly_cost), grouped(C.monthly_cost), signedY(r.totals.change.monthly_cost)],
    ['年支出 yearly cost (元)', grouped(B.yearly_cost), grouped(C.yearly_cost), signedY(r.totals.change.yearly_cost)],
    ['购买服务 2% services budget (元)', grouped(B.services_budget_2pct), grouped(C.services_budget_2pct), signedY(r.totals.change.services_budget_2pct)],
  ], st));
  L.push('');
  L.push(st.bold('按城乡 by area'));
  L.push(table(GROUP_HEADER, groupRows(r.by_area, { urban: '城市 urban', rural: '农村 rural' }), st));
  if (Object.keys(r.by_county).length > 1) {
    L.push('');
    L.push(st.bold('按县区 by county'));
    L.push(table(GROUP_HEADER, groupRows(r.by_county), st));
  }
  L.push('');
  L.push(st.bold('按成员类别 by member category') + st.gray('（有此类成员的领取户及其全户金额 / recipient households with such a member, whole amounts）'));
  L.push(table(GROUP_HEADER, groupRows(r.by_category as Record<string, GroupJson>, { elderly: '老年 elderly ≥60', child: '未成年 child <18', disabled: '残疾 disabled', ill: '重病 ill' }), st));
  L.push('');
  L.push(st.bold('变化 changes'));
  const ch = r.changes;
  const row = (name: string, c: SimulationResult['changes']['entered']) => [name, n(c.households), n(c.persons), signedY(c.monthly_change), signedY(c.average_change), grouped(c.largest_change)];
  L.push(table(['', '户 households', '人 persons', '月变化 monthly change', '户均 average', '最大 largest'], [
    row('新纳入 enter', ch.entered), row('退出 leave', ch.left), row('增加 gain', ch.gained), row('减少 lose', ch.lost),
    ['不变 unchanged', n(ch.unchanged), '', '', '', ''], ['均不领取 neither', n(ch.neither), '', '', '', ''],
  ], st));
  L.push('');
  L.push(st.bold('月金额分布 monthly amount distribution (元, 领取户 recipients)'));
  const maxCount = Math.max(1, ...r.distribution.buckets.flatMap((b) => [b.baseline, b.candidate]));
  const bar = (x: number) => '█'.repeat(Math.round((x / maxCount) * 20));
  L.push(table(['区间 range', '基线 baseline', '', '候选 candidate', ''], r.distribution.buckets.map((b) => [
    `${grouped(b.from)} – ${b.to ? grouped(b.to) : '…'}`, n(b.baseline), st.gray(bar(b.baseline)), n(b.candidate), st.cyan(bar(b.candidate)),
  ]), st));
  const kinds = [['entered', '新纳入 enter'], ['left', '退出 leave'], ['gained', '增加 gain'], ['lost', '减少 lose']] as const;
  if (samples > 0 && kinds.some(([k]) => r.samples[k].length)) {
    L.push('');
    L.push(st.bold('样本 sample of changed households'));
    for (const [k, name] of kinds) {
      const list = r.samples[k].slice(0, samples);
      if (list.length) L.push(`  ${name}: ${list.map((s) => `${s.id ?? `#${s.index + 1}`} (${grouped(s.baseline)} → ${grouped(s.candidate)})`).join(', ')}`);
    }
  }
  if (r.population.errors.length) {
    L.push('');
    L.push(st.yellow(`无效家庭 invalid households (${n(r.population.invalid)}; first ${r.population.errors.length}):`));
    for (const e of r.population.errors.slice(0, 10)) L.push(`  ${e.line !== undefined ? `line ${e.line}` : `#${e.index + 1}`}${e.id ? ` ${e.id}` : ''}: ${e.path}: ${e.message}`);
  }
  L.push('');
  L.push(st.gray(`${n(r.population.households + r.population.invalid)} 户用时 ${(r.run.elapsed_ms / 1000).toFixed(1)} s · ${n(r.run.households_per_second)} 户/秒 households/s · ${r.run.threads} 线程 threads`));
  return L;
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parse('simulate', args, {
    baseline: { type: 'string' }, candidate: { type: 'string' },
    population: { type: 'string' }, generate: { type: 'string' }, households: { type: 'string' }, seed: { type: 'string' },
    'as-of': { type: 'string' }, threads: { type: 'string' }, samples: { type: 'string' }, export: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) { out(help); return 0; }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`, 'simulate');
  if (!values.baseline || !values.candidate) throw new UsageError('--baseline and --candidate are required', 'simulate');
  if (values.population && values.generate) throw new UsageError('give either --population or --generate, not both', 'simulate');
  if (!values.population && !values.generate) throw new UsageError('give a population: --population FILE or --generate PRESET', 'simulate');
  if (values.generate && !presetNames().includes(values.generate)) throw new UsageError(`--generate must be one of ${presetNames().join(', ')} (got "${values.generate}")`, 'simulate');
  if (!values.generate && (values.households !== undefined || values.seed !== undefined || values.export !== undefined)) throw new UsageError('--households, --seed and --export go with --generate', 'simulate');
  const asOf = values['as-of'] ?? todayInChina();
  if (!isDate(asOf)) throw new UsageError(`--as-of must be a real date YYYY-MM-DD (got "${asOf}")`, 'simulate');
  const households = int('households', values.households, 10_000, 1, 10_000_000);
  const threads = int('threads', values.threads, 0, 1, 64) || undefined;
  const samples = int('samples', values.samples, 10, 0, 1000);
  const seed = values.seed ?? '1';

  const baseline = resolvePolicy('baseline', values.baseline, asOf, 'in-force');
  const candidate = resolvePolicy('candidate', values.candidate, asOf, 'latest');
  const modules = modulesFor(baseline.file);

  let population: PopulationSpec;
  if (values.population) {
    const f = resolve(values.population);
    if (!existsSync(f)) throw new CliError(`--population ${values.population}: 找不到文件 / no such file — check the path`, 2);
    population = { file: f };
  } else {
    population = { generate: { preset: values.generate!, households, seed: /^\d+$/.test(seed) && Number(seed) <= 0xffffffff ? Number(seed) : seed } };
    if (values.export) exportPopulation(values.export, values.generate!, households, seed, asOf);
  }

  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  const bar = progress();
  let result: SimulationResult;
  try {
    result = await runSimulation({ baseline: baseline.ref, candidate: candidate.ref, modules, linked: linkedSourcesOn(baseline.file, policiesDir(), asOf), asOf, population, sampleSize: Math.max(samples, 1) }, {
      ...(threads ? { threads } : {}), signal: ac.signal,
      onProgress: (p) => bar.update(`模拟中 simulating… ${n(p.done)}${p.total ? ` / ${n(p.total)} (${Math.round((p.fraction ?? 0) * 100)}%)` : ''}`),
    });
  } catch (e) {
    bar.clear();
    if ((e as Error)?.name === 'AbortError') throw new CliError('已取消 / cancelled');
    if (e instanceof SimulationError) {
      throw new CliError([e.message, ...e.details.map((x) => `  ${x.path}: ${x.message}`)].join('\n'));
    }
    if (e instanceof LoaderError) throw new CliError(`${display(resolve(values.population ?? ''))}: ${e.message}`);
    throw e;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  bar.clear();
  if (values.json) out(JSON.stringify(result, null, 2));
  else for (const line of report(result, style(), samples)) out(line);
  return 0;
}

function exportPopulation(file: string, preset: string, households: number, seed: string, asOf: string): void {
  const csv = /\.csv$/i.test(file);
  if (!csv && !/\.(jsonl|ndjson)$/i.test(file)) throw new UsageError('--export must name a .jsonl or .csv file', 'simulate');
  const fd = openSync(resolve(file), 'w');
  try {
    let buf: string[] = csv ? [FLAT_HEADER] : [];
    for (const h of generatePopulation({ preset, seed: /^\d+$/.test(seed) && Number(seed) <= 0xffffffff ? Number(seed) : seed, households, asOf })) {
      if (csv) buf.push(...toFlatCsvRows(h)); else buf.push(JSON.stringify(h));
      if (buf.length >= 2000) { writeSync(fd, buf.join('\n') + '\n'); buf = []; }
    }
    if (buf.length) writeSync(fd, buf.join('\n') + '\n');
  } finally {
    closeSync(fd);
  }
}
