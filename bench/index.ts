// `npm run bench`: every benchmark of issues 2 and 8, each engine in its own process pinned to
// one core, then one table of ratios. Arguments pick parts: engines four language http entitlements studio impact (and hardening, only when named), and
// --quick for short runs. BENCH_CPU picks the core (default: the last one); the HTTP server runs
// pinned there too while autocannon runs on the other cores.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINE_KEYS, type EngineKey } from './engines/index.js';
import { runHttp, type HttpResult } from './http.js';
import { runHardening } from './hardening.js';
import { runStudioLoad, type StudioLoadRow } from './studio-load.js';
import { runEntitlementsBench, type EntitlementsBenchResult } from './entitlements.js';
import { impactNote, runImpactHttp, type ImpactHttpResult } from './impact-http.js';
import { freshDatabase, runRecording, type Mode, type RecordingResult } from './decisions.js';
import type { EngineResult } from './lib/measure.js';
import type { LatencyResult } from './language.js';
import { repoRoot } from '../base/repo-root.js';
import { fmtRate, setupLine, table } from './lib/system.js';
import { loadPolicy } from './lib/policy.js';
import { HOUSEHOLDS } from './throughput.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const parts = args.filter((a) => !a.startsWith('--'));
const want = (p: string) => parts.length === 0 || parts.includes(p);
const cpu = process.env.BENCH_CPU ?? String(cpus().length - 1);
const taskset = existsSync('/usr/bin/taskset') ? '/usr/bin/taskset' : undefined;

function child<T>(job: string): T | undefined {
  const cmd = taskset ?? process.execPath;
  const argv = [...(taskset ? ['-c', cpu, process.execPath] : []), join(here, 'run-one.js'), job, ...(quick ? ['--quick'] : [])];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const out = r.stdout ?? '';
  for (const line of out.split('\n')) if (line && !line.startsWith('RESULT ')) console.log(line);
  if (r.status !== 0) { console.log(`  ${job} failed: ${(r.stderr ?? '').trim().split('\n').slice(0, 5).join(' | ')}`); return undefined; }
  const res = out.split('\n').find((l) => l.startsWith('RESULT '));
  return res ? (JSON.parse(res.slice(7)) as T) : undefined;
}

type Row = EngineResult & { policy: string };

async function main() {
  // `hardening` (issue 21: hostile sources vs. a responsive server) runs on its own, when named
  if (parts.includes('hardening')) {
    const rows = await runHardening();
    if (!rows.every((r) => r.ok)) process.exitCode = 1;
    if (parts.length === 1) return;
  }
  const pol = loadPolicy();
  console.log(`# Policy studio benchmarks${quick ? ' (quick)' : ''}\n${setupLine({ 'bench cpu': taskset ? cpu : 'unpinned (no taskset)' })}\npolicy under test: ${pol.note}`);
  const engines: Partial<Record<EngineKey, Row>> = {};
  const four: Partial<Record<EngineKey, Row>> = {};
  let language: LatencyResult[] | undefined;
  let http: HttpResult | undefined;
  if (want('engines')) {
    console.log(`\n## Engines: ${HOUSEHOLDS} generated households, medians of repeated runs`);
    for (const k of ENGINE_KEYS) { const r = child<Row>(`engine:${k}`); if (r) engines[k] = r; }
  }
  if (want('four')) {
    console.log('\n## One 4-member household, repeated (issue 2)');
    for (const k of ['ours', 'ours-closures', 'exact', 'float', 'decimal'] as EngineKey[]) { const r = child<Row>(`four:${k}`); if (r) four[k] = r; }
  }
  if (want('language')) language = child<LatencyResult[]>('language');
  if (want('http')) http = await runHttp({ serverCpu: taskset ? cpu : undefined, durationS: quick ? 5 : 10, batchRuns: quick ? 2 : 5 });
  let entitlements: EntitlementsBenchResult | undefined;
  if (want('entitlements')) entitlements = await runEntitlementsBench(quick ? 2000 : 10_000, quick ? 2 : 5);
  let studio: StudioLoadRow[] | undefined;
  if (want('studio')) studio = await runStudioLoad(quick ? 3 : 5);
  let impact: ImpactHttpResult | undefined;
  if (want('impact')) impact = await runImpactHttp({ runs: quick ? 1 : 3 });
  // issue 17: recording decisions costs at most 20 % of throughput; embedded always, the
  // PostgreSQL server too when DATABASE_URL is set (on a throwaway database)
  const recording: RecordingResult[] = [];
  if (want('recording')) {
    console.log('\n## Recording decisions: single evaluate recorded vs not (32 connections, "trace": false), batches of 10,000');
    const url = process.env.DATABASE_URL;
    for (const mode of (url ? ['embedded', 'server'] : ['embedded']) as Mode[]) {
      const db = mode === 'server' ? await freshDatabase(url!) : undefined;
      try {
        const r = await runRecording(mode, db?.url, quick ? 2 : 5, quick ? 1 : 3, 32);
        if (typeof r === 'string') console.log(`  ${mode}: ${r}`); else recording.push(r);
      } finally { await db?.drop(); }
    }
  }

  // ── the one table ──────────────────────────────────────────────────────────────────────
  const rows: (string | number)[][] = [];
  const ratio = (x: number, base: number | undefined) => (base ? `${(x / base).toFixed(2)}×` : '—');
  const oursCpu = engines.ours?.evalsPerCpuSec, oursWall = engines.ours?.evalsPerSec;
  // issue 17: evaluate(json) beside the exact yardstick, and its target (≥ 1M households per CPU-second)
  // issue 17: compute() ≥ 0.5× the hand-written exact code on the same households
  const exactCpu = engines.exact?.evalsPerCpuSec;
  const computeNote = (r: Row) => `${r.note}; ${ratio(r.evalsPerCpuSec, exactCpu)} of the exact yardstick (CPU); target ≥ 0.5×: ${exactCpu === undefined ? 'not judged (no yardstick in this run)' : r.evalsPerCpuSec >= 0.5 * exactCpu ? 'met' : 'MISSED'}`;
  const evaluateNote = (r: Row) => `${r.note}; ${ratio(r.evalsPerCpuSec, engines.exact?.evalsPerCpuSec)} of the exact yardstick (CPU); target ≥ 1M/s: ${r.evalsPerCpuSec >= 1e6 ? 'met' : 'MISSED'}`;
  for (const k of ENGINE_KEYS) {
    const r = engines[k];
    if (!r) continue;
    rows.push([r.name, fmtRate(r.evalsPerCpuSec), fmtRate(r.evalsPerSec), `${ratio(r.evalsPerCpuSec, oursCpu)} (${ratio(r.evalsPerSec, oursWall)})`,
      `${r.disagree} / ${r.checked}` + (r.disagree ? ` (amount ${r.disagreeAmount}, eligible ${r.disagreeEligible})` : ''), k === 'ours-evaluate' ? evaluateNote(r) : k === 'ours' ? computeNote(r) : r.note]);
  }
  const fourCpu = four.ours?.evalsPerCpuSec, fourWall = four.ours?.evalsPerSec;
  for (const k of ['ours', 'ours-closures', 'exact', 'float', 'decimal'] as EngineKey[]) {
    const r = four[k];
    if (!r) continue;
    rows.push([`4-member household: ${r.name}`, fmtRate(r.evalsPerCpuSec), fmtRate(r.evalsPerSec), `${ratio(r.evalsPerCpuSec, fourCpu)} (${ratio(r.evalsPerSec, fourWall)})`, `${r.disagree} / ${r.checked}`,
      k === 'ours' ? `target ≥ 3M/s exact: ${Math.max(r.evalsPerCpuSec, r.evalsPerSec) >= 3e6 ? 'met' : 'MISSED'}` : '']);
  }
  for (const l of language ?? []) rows.push([l.name, `${l.medianCpuMs.toFixed(1)} ms CPU`, `${l.medianMs.toFixed(1)} ms`, '', '', `median of ${l.runs}; target < ${l.targetMs} ms: ${l.ok ? 'met' : 'MISSED'}${l.okCpu !== l.ok ? ` (on CPU time: ${l.okCpu ? 'met' : 'MISSED'})` : ''}`]);
  if (http?.skipped) rows.push(['HTTP', '—', '', '', '', http.skipped]);
  // issue 17: p99 < 10 ms with the trace, < 5 ms without
  const fixedRow = (f: NonNullable<HttpResult['fixed']>, label: string, target: number) => rows.push([`HTTP evaluate at ${f.rate} req/s, ${label}`, '', `${f.reqPerSec.toFixed(0)} req/s`, '', `${f.errors + f.non2xx} errors`,
    `p50 ${f.p50} ms, p99 ${f.p99} ms; target p99 < ${target} ms: ${f.p99 < target ? 'met' : 'MISSED'}`]);
  if (http?.fixed) fixedRow(http.fixed, `with the trace${http.fixed.generator === 'steady' ? ', steady' : ''}`, 10);
  if (http?.fixedNoTrace) fixedRow(http.fixedNoTrace, `"trace": false${http.fixedNoTrace.generator === 'steady' ? ', steady' : ''}`, 5);
  // for reference only: autocannon's overallRate sends each connection's quota in a burst at the
  // start of every second (bench/http.ts says why the target rows use the steady generator)
  const burstyRow = (f: NonNullable<HttpResult['fixed']>, label: string) => rows.push([`HTTP evaluate at ${f.rate} req/s, ${label}, autocannon's bursty rate (reference)`, '', `${f.reqPerSec.toFixed(0)} req/s`, '', `${f.errors + f.non2xx} errors`,
    `p50 ${f.p50} ms, p99 ${f.p99} ms; not a target row`]);
  if (http?.fixedBursty) burstyRow(http.fixedBursty, 'with the trace');
  if (http?.fixedNoTraceBursty) burstyRow(http.fixedNoTraceBursty, '"trace": false');
  if (http?.max) rows.push(['HTTP evaluate, unthrottled', '', `${http.max.reqPerSec.toFixed(0)} req/s`, '', `${http.max.errors + http.max.non2xx} errors`, `p50 ${http.max.p50} ms, p99 ${http.max.p99} ms, ${http.max.connections} connections`]);
  // the batch forms recorded (the default) and as dry runs (`record: false`): recorded they
  // measure mostly the decision store; the per-CPU-second figure is the server's own
  const perCpu = (n: number, cpuMs: number | undefined) => (cpuMs ? `, ${fmtRate(n / (cpuMs / 1000))} per server CPU-second` : '');
  const target400 = (x: number) => `target ≥ 400k/s: ${x >= 400_000 ? 'met' : 'MISSED'}`;
  for (const b of [http?.batch, http?.batchDry]) if (b) rows.push([`HTTP batch of ${b.households}${b.recorded ? ', recorded' : ', dry run'}`, '', `${b.medianMs.toFixed(0)} ms`, '', b.ok ? '0 errors' : 'FAILED',
    `${b.householdsPerSec.toFixed(0)} households/s${perCpu(b.households, b.cpuMsPerRequest)}; ${target400(b.householdsPerSec)}`]);
  for (const b of [http?.ndjson, http?.ndjsonDry]) if (b) rows.push([`HTTP batch as JSON Lines, ${b.households} households, streamed${b.recorded ? ', recorded' : ', dry run'}`, '', `${b.ms.toFixed(0)} ms`, '', b.ok ? '0 errors' : 'FAILED',
    `${b.householdsPerSec.toFixed(0)} households/s${perCpu(b.households, b.cpuMs)}; ${target400(b.householdsPerSec)}`]);
  if (entitlements) rows.push([`一门受理 / entitlements: ${entitlements.programmes} Dawukou programmes, linked`, fmtRate(entitlements.householdsPerCpuSec), fmtRate(entitlements.householdsPerSec), '', `${entitlements.errors + entitlements.disagree} / ${entitlements.households}`,
    `households/s; target ≥ 300k per CPU-second: ${entitlements.targetMet ? 'met' : 'MISSED'}`]);
  if (entitlements) rows.push([`一门受理 / entitlements to the HTTP batch's answer bytes (dry run, ${Math.round(entitlements.bytesPerAnswer)} bytes each)`, fmtRate(entitlements.bytesPerCpuSec), '', '',
    `${entitlements.bytesDisagree} / ${entitlements.households}${entitlements.bytesDiffer ? `, ${entitlements.bytesDiffer} batches ≠ JSON.stringify` : ''}`, `households/s; target ≥ 300k per CPU-second: ${entitlements.bytesPerCpuSec >= 300_000 ? 'met' : 'MISSED'}`]);
  for (const r of studio ?? []) rows.push([r.name, '', `${r.medianMs.toFixed(0)} ms`, '', '', `median of ${r.runsMs.length}, ${r.kb.toFixed(0)} KB over the wire${r.targetMs === undefined ? '' : `; target < ${r.targetMs} ms: ${r.ok ? 'met' : 'MISSED'}`}`]);
  if (impact) rows.push([`影响分析 / impact analysis: ${impact.households.toLocaleString('en')} households through the HTTP job API`, '', `${impact.firstS.toFixed(2)} s`, '', impact.exact ? '0' : 'MISMATCH', impactNote(impact)]);
  for (const r of recording) rows.push([`decisions recorded vs not, ${r.mode === 'embedded' ? 'embedded (PGlite)' : 'PostgreSQL server'}`, '', `${r.recordedReqPerSec.toFixed(0)} vs ${r.unrecordedReqPerSec.toFixed(0)} req/s`, '', '',
    `${(r.ratio * 100).toFixed(0)} % of the throughput (server CPU ${(r.cpuRatio * 100).toFixed(0)} %); target ≥ 80 %: ${r.ratio >= 0.8 ? 'met' : 'MISSED'}; recorded batch of 10,000 ${r.batchRecordedMs.toFixed(0)} ms (target < 1 s: ${r.batchRecordedMs < 1000 ? 'met' : 'MISSED'})`]);
  console.log('\n## Summary\n' + table(['benchmark', 'evals per CPU-second', 'evals/s wall (or time)', 'ratio to ours: CPU (wall)', 'disagreeing households', 'notes'], rows));
  const outDir = join(repoRoot(), 'dist', 'bench');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'results.json'), JSON.stringify({ at: new Date().toISOString(), setup: setupLine(), policy: pol.note, engines, four, language, http, entitlements, studio, impact, recording }, null, 2));
  console.log(`\n(raw results: ${join('dist', 'bench', 'results.json')})`);
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
