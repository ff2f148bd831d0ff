// Compiles a simulation's policy pair in a worker thread with a time and memory budget, so an
// expensive draft (issue 21, B2: definitions that double per line) never compiles first on the
// event loop. It uses the simulation worker itself, which compiles the pair when it starts and
// answers 'ready' or 'fatal'; past the budget the worker is terminated.
import { Worker } from 'node:worker_threads';
import type { ErrorDetail } from '../errors.js';
import { compilePair, defaultWorkerScript, SimulationError, type SimulationConfig } from '../../simulation/index.js';

export interface CheckBudget { ms: number; mb: number }
/** Time and old-generation heap a draft may use to compile before a job is queued. */
export const DRAFT_CHECK_BUDGET: CheckBudget = { ms: 2_000, mb: 256 };

export type CheckResult =
  | { ok: true }
  | { ok: false; reason: 'budget'; limit: string }
  | { ok: false; reason: 'error'; details: ErrorDetail[] };

type Pair = Pick<SimulationConfig, 'baseline' | 'candidate' | 'modules'>;

const failed = (e: unknown): CheckResult => ({
  ok: false, reason: 'error',
  details: e instanceof SimulationError && e.details.length ? e.details : [{ path: 'candidate', message: (e as Error)?.message ?? String(e) }],
});

/** Without the built worker script (tests from sources before a build) the pair compiles here, as before. */
function checkHere(pair: Pair): CheckResult {
  try { compilePair(pair); return { ok: true }; } catch (e) { return failed(e); }
}

export function checkPairInWorker(pair: Pair, budget: CheckBudget = DRAFT_CHECK_BUDGET, script = defaultWorkerScript()): Promise<CheckResult> {
  if (!script) return Promise.resolve(checkHere(pair));
  return new Promise((resolve) => {
    const config: SimulationConfig = { ...pair, asOf: '2000-01-01' };
    const worker = new Worker(script, { workerData: { config }, resourceLimits: { maxOldGenerationSizeMb: budget.mb } });
    let settled = false;
    const done = (r: CheckResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(r);
    };
    const timer = setTimeout(() => done({ ok: false, reason: 'budget', limit: `${budget.ms} ms` }), budget.ms);
    worker.on('message', (m: { t: string; message?: string; details?: ErrorDetail[] }) => {
      if (m.t === 'ready') done({ ok: true });
      else if (m.t === 'fatal') done({ ok: false, reason: 'error', details: m.details?.length ? m.details : [{ path: 'candidate', message: m.message ?? 'fatal' }] });
    });
    worker.on('error', (e: NodeJS.ErrnoException) => {
      done(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? { ok: false, reason: 'budget', limit: `${budget.mb} MB` } : failed(e));
    });
    worker.on('exit', (code) => done(failed(new Error(`编译工作线程退出 / the compile worker exited (code ${code})`))));
  });
}
