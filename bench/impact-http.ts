// Issue 17, impact analysis: 1,000,000 generated households through the real server's job API
// (`node dist/runtime/server.js`, local open mode: every caller is admin), the way the studio's
// Impact tab drives it. POST /api/policies/dawukou-dibao/simulations (baseline v1, candidate v2,
// the dawukou preset and seed of bench/simulate.ts, as of 2024-06-01), then GET the job every
// 100 ms. Measured from the POST: time to the first progress above 0 (target < 1 s) and time to
// `done` (target < 8 s). Checked: the job's result (every count, money sum, histogram and sample)
// equals runSimulation's in this process for the same population (exactness).
//   node dist/bench/impact-http.js [--households N] [--runs N] [--settle-ms MS]
// --runs: jobs one after the other on the same server (the first after --settle-ms of quiet).
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runSimulation, type SimulationResult } from '../simulation/index.js';
import { startServer } from './lib/studio-server.js';
import { repoRoot } from '../base/repo-root.js';
import { median, setupLine } from './lib/system.js';

const POLICY = 'dawukou-dibao';
const AS_OF = '2024-06-01';
const SEED = 2024;
export const IMPACT_TARGET_S = 8;
export const FIRST_PROGRESS_TARGET_S = 1;

export interface ImpactJobRun { totalS: number; firstProgressS: number | null; postMs: number; polls: number; status: string; load: number }
export interface ImpactHttpResult {
  households: number; runs: ImpactJobRun[];
  /** The first job (after the settle time) and the median over all jobs. */
  firstS: number; medianS: number; firstProgressS: number | null;
  exact: boolean; mismatch?: string; load: number; targetMet: boolean;
  /** runSimulation in this process on the same population right after (the yardstick, same machine state). */
  inProcessS: number;
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

interface JobView { id: string; status: string; progress: { done: number }; result: SimulationResult | null; error: unknown }

async function oneJob(url: string, households: number): Promise<{ run: ImpactJobRun; result: SimulationResult | null }> {
  const body = JSON.stringify({ baseline: 1, candidate: 2, as_of: AS_OF, population: { generate: { preset: 'dawukou', households, seed: SEED } } });
  const t0 = performance.now();
  const res = await fetch(`${url}/api/policies/${POLICY}/simulations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const postMs = performance.now() - t0;
  if (res.status !== 202) throw new Error(`POST simulations: ${res.status} ${await res.text()}`);
  const job = await res.json() as JobView;
  let first: number | null = null, polls = 0;
  for (;;) {
    await sleep(100);
    const r = await fetch(`${url}/api/simulations/${job.id}`);
    const j = await r.json() as JobView;
    polls++;
    const at = (performance.now() - t0) / 1000;
    if (first === null && j.progress.done > 0) first = at;
    if (j.status !== 'queued' && j.status !== 'running') {
      return { run: { totalS: at, firstProgressS: first, postMs, polls, status: j.status, load: loadavg()[0]! }, result: j.result };
    }
  }
}

/** The same population in this process: the reference the job's result must equal. */
async function inProcess(households: number): Promise<SimulationResult> {
  const root = repoRoot();
  const read = (...p: string[]) => readFileSync(join(root, 'policies', ...p), 'utf8');
  return runSimulation({
    baseline: { source: read(POLICY, 'v1', 'policy.policy') }, candidate: { source: read(POLICY, 'v2', 'policy.policy') },
    modules: { 'common/household': read('common', 'household.policy') }, asOf: AS_OF,
    population: { generate: { preset: 'dawukou', households, seed: SEED } },
  });
}

/** The first part of the result where the two differ (everything but run times and labels). */
function difference(a: SimulationResult, b: SimulationResult): string | undefined {
  const keys = ['as_of', 'totals', 'by_area', 'by_county', 'by_category', 'changes', 'distribution', 'samples'] as const;
  for (const k of keys) if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return k;
  const p = (r: SimulationResult) => JSON.stringify([r.population.households, r.population.persons, r.population.invalid, r.population.errors]);
  return p(a) === p(b) ? undefined : 'population';
}

export async function runImpactHttp(opt: { households?: number; runs?: number; settleMs?: number } = {}): Promise<ImpactHttpResult> {
  const households = opt.households ?? 1_000_000, runs = Math.max(1, opt.runs ?? 1), settleMs = opt.settleMs ?? 5_000;
  console.log(`\n## Impact analysis over HTTP: ${households.toLocaleString('en')} generated households (dawukou, seed ${SEED}), ${POLICY} v1 → v2, as of ${AS_OF}`);
  console.log(setupLine());
  const server = await startServer({ LOG: 'silent' }, { root: repoRoot() });
  const rows: ImpactJobRun[] = [];
  let result: SimulationResult | null = null;
  try {
    // the server was just started: its start-up work (the language and simulation workers loading,
    // the stored policies analysed) may finish first, as it has when someone opens the studio
    await sleep(settleMs);
    for (let i = 0; i < runs; i++) {
      const r = await oneJob(server.url, households);
      rows.push(r.run);
      result ??= r.result;
      console.log(`job ${i + 1}: ${r.run.status} in ${r.run.totalS.toFixed(2)} s; first progress at ${r.run.firstProgressS?.toFixed(2) ?? '—'} s; POST answered in ${r.run.postMs.toFixed(0)} ms; load ${r.run.load.toFixed(2)}`);
    }
  } finally {
    await server.stop();
  }
  const t0 = performance.now();
  const reference = await inProcess(households);
  const inProcessS = (performance.now() - t0) / 1000;
  console.log(`in process (runSimulation, workers started for the run): ${inProcessS.toFixed(2)} s; load ${loadavg()[0]!.toFixed(2)}`);
  const mismatch = result ? difference(result, reference) : 'no result';
  const firstS = rows[0]!.totalS, medianS = median(rows.map((r) => r.totalS)), firstProgressS = rows[0]!.firstProgressS;
  const ok = rows.every((r) => r.status === 'done');
  const targetMet = ok && !mismatch && firstS < IMPACT_TARGET_S && firstProgressS !== null && firstProgressS < FIRST_PROGRESS_TARGET_S;
  console.log(`exactness: ${mismatch ? `MISMATCH in ${mismatch}` : 'the job\'s result equals runSimulation in process'}`);
  return { households, runs: rows, firstS, medianS, firstProgressS, exact: !mismatch, ...(mismatch ? { mismatch } : {}), load: loadavg()[0]!, targetMet, inProcessS };
}

/** The summary row's notes. */
export function impactNote(r: ImpactHttpResult): string {
  return `first progress at ${r.firstProgressS?.toFixed(2) ?? '—'} s (target < ${FIRST_PROGRESS_TARGET_S} s); ${r.runs.length > 1 ? `median of ${r.runs.length} jobs ${r.medianS.toFixed(2)} s; ` : ''}`
    + `in process ${r.inProcessS.toFixed(2)} s; load ${r.load.toFixed(1)}; `
    + `${r.exact ? 'equal to in-process' : `NOT equal to in-process (${r.mismatch})`}; target < ${IMPACT_TARGET_S} s: ${r.targetMet ? 'met' : 'MISSED'}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { households: { type: 'string' }, runs: { type: 'string' }, 'settle-ms': { type: 'string' } } });
  runImpactHttp({
    ...(values.households ? { households: Number(values.households) } : {}), ...(values.runs ? { runs: Number(values.runs) } : {}),
    ...(values['settle-ms'] ? { settleMs: Number(values['settle-ms']) } : {}),
  }).then((r) => {
    console.log(`\n1M over HTTP: ${r.firstS.toFixed(2)} s — ${impactNote(r)}`);
    process.exit(r.targetMet ? 0 : 1);
  }, (e) => { console.error(e); process.exit(1); });
}
