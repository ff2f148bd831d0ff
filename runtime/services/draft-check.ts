// Compiles a simulation's policy pair in a worker thread with a time and memory budget, so an
// expensive draft (issue 21, B2: definitions that double per line) never compiles first on the
// event loop. One warm worker per memory budget takes the checks one at a time; the time budget
// starts when the pair is handed over (loading the worker's modules is not counted). Past the
// budget the worker is terminated and a fresh one started for the next check.
import { Worker } from 'node:worker_threads';
import { builtScript } from '../workers/script.js';
import type { ErrorDetail } from './domain-error.js';
import { compilePair, SimulationError } from '../../simulation/index.js';
import type { CheckReply, CheckRequest } from './draft-check-worker.js';

export interface CheckBudget { ms: number; mb: number }
/** Time and old-generation heap a draft may use to compile before a job is queued. */
export const DRAFT_CHECK_BUDGET: CheckBudget = { ms: 2_000, mb: 256 };
/** How long a fresh worker may take to load (not part of the budget: a loaded machine is slow to start threads). */
const STARTUP_MS = 60_000;

export type CheckResult =
  | { ok: true }
  | { ok: false; reason: 'budget'; limit: string }
  | { ok: false; reason: 'error'; details: ErrorDetail[] };

type Pair = CheckRequest['pair'];

const failed = (e: unknown): CheckResult => ({
  ok: false, reason: 'error',
  details: e instanceof SimulationError && e.details.length ? e.details : [{ path: 'candidate', message: (e as Error)?.message ?? String(e) }],
});

/** dist/runtime/services/draft-check-worker.js (compiled), also when running from the TS sources. */
export function checkWorkerScript(): string | null {
  return builtScript(new URL('./draft-check-worker.js', import.meta.url));
}

class CheckWorker {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private turn: Promise<unknown> = Promise.resolve();
  private seq = 0;
  constructor(readonly script: string, readonly mb: number) {}

  /** Checks run one at a time on this worker. */
  check(pair: Pair, ms: number): Promise<CheckResult> {
    const run = () => this.run(pair, ms);
    const p = this.turn.then(run, run);
    this.turn = p.catch(() => undefined);
    return p;
  }

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const worker = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: this.mb } });
    worker.unref();                       // an idle checker never keeps the process alive
    this.worker = worker;
    this.ready = new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error('编译工作线程启动超时 / the compile worker did not start')), STARTUP_MS);
      worker.once('message', () => { clearTimeout(timer); ok(); });
      worker.once('error', (e) => { clearTimeout(timer); fail(e); });
      worker.once('exit', (code) => { clearTimeout(timer); fail(new Error(`the compile worker exited (code ${code})`)); });
    });
    this.ready.catch(() => this.discard(worker));
    return this.ready;
  }

  private discard(worker: Worker): void {
    if (this.worker === worker) { this.worker = undefined; this.ready = undefined; }
    void worker.terminate();
  }

  private async run(pair: Pair, ms: number): Promise<CheckResult> {
    try { await this.start(); } catch (e) { return failed(e); }
    const worker = this.worker!;
    const id = ++this.seq;
    return new Promise<CheckResult>((resolve) => {
      const done = (r: CheckResult, kill = false) => {
        clearTimeout(timer);
        worker.off('message', onMessage); worker.off('error', onError); worker.off('exit', onExit);
        if (kill) this.discard(worker);
        resolve(r);
      };
      const onMessage = (m: CheckReply) => {
        if (!('id' in m) || m.id !== id) return;
        done(m.ok ? { ok: true } : { ok: false, reason: 'error', details: m.details.length ? m.details : [{ path: 'candidate', message: m.message }] });
      };
      const onError = (e: NodeJS.ErrnoException) => done(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? { ok: false, reason: 'budget', limit: `${this.mb} MB` } : failed(e), true);
      const onExit = (code: number) => done(failed(new Error(`the compile worker exited (code ${code})`)), true);
      const timer = setTimeout(() => done({ ok: false, reason: 'budget', limit: `${ms} ms` }, true), ms);
      worker.on('message', onMessage); worker.on('error', onError); worker.on('exit', onExit);
      worker.postMessage({ id, pair } satisfies CheckRequest);
    });
  }
}

const workers = new Map<string, CheckWorker>();

/** Without the built worker script (tests from sources before a build) the pair compiles here, as before. */
function checkHere(pair: Pair): CheckResult {
  try { compilePair(pair); return { ok: true }; } catch (e) { return failed(e); }
}

export function checkPairInWorker(pair: Pair, budget: CheckBudget = DRAFT_CHECK_BUDGET, script = checkWorkerScript()): Promise<CheckResult> {
  if (!script) return Promise.resolve(checkHere(pair));
  const key = `${script}|${budget.mb}`;
  let w = workers.get(key);
  if (!w) { w = new CheckWorker(script, budget.mb); workers.set(key, w); }
  return w.check(pair, budget.ms);
}

