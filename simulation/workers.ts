// Runs a simulation: in worker threads (one per core, the work split into ranges or batches,
// handed out as workers free up) when the compiled worker script exists, else in this thread
// (yielding to the event loop between slices). Progress events, cancellation by AbortSignal,
// and flat memory: files are streamed with at most a few batches in flight per worker, and each
// worker keeps only its fixed-size aggregate.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { repoRoot } from '../base/repo-root.js';
import { PopulationGenerator, resolvePreset } from './generator.js';
import { formatOf, parseJsonLine, readCsv, readLineBatches, type PopulationItem } from './loader.js';
import {
  buildResult, compilePair, type PairSummary, fromWire, mergeState, policySummary, Simulator, SimulationError,
  type SimState, type SimulationConfig, type SimulationResult,
} from './simulate.js';
import { SimulationPool, type Lease } from './pool.js';
import type { FromWorker, ToWorker } from './worker.js';

export type PopulationSpec =
  | { generate: { preset: string; households: number; seed: string | number } }
  | { file: string; format?: 'jsonl' | 'csv' }
  | { households: unknown[] };

export interface SimulationRequest extends SimulationConfig { population: PopulationSpec }

export interface Progress { done: number; total: number | null; fraction: number | null; elapsed_ms: number }

export interface RunOptions {
  /** Worker threads; 0 or 1 = this thread. Default: one per core. */
  threads?: number;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** The compiled worker script; null = never use workers. Default: defaultWorkerScript(). */
  workerScript?: string | null;
  /** Populations smaller than this run in this thread (default 2,000). */
  minForWorkers?: number;
  /** Households per range / batch handed to a worker (default 4,000 generated, 1,000 read). */
  chunk?: number;
  /**
   * Compile the two policies only in the worker threads, never in this one, whatever the
   * population's size (the server: a draft is untrusted work, and compiling it would stall the
   * event loop). Ignored when there is no worker script.
   */
  workersOnly?: boolean;
  /**
   * Warm worker threads to use (the server's, started once): no worker is started or stopped
   * for this run, and `threads` defaults to the pool's size. Without one, a run that uses workers
   * starts its own and stops them at the end (the CLI, the benchmark).
   */
  pool?: SimulationPool;
}

/** Generated populations are capped (a job, a benchmark): 10 million households. */
export const MAX_GENERATED = 10_000_000;
const CHUNK = 4_000;
/** The first range each worker gets (the first progress comes after it). */
const FIRST_RANGE = 500;
const BATCH = 1_000;
const INFLIGHT = 2;

/** dist/simulation/worker.js next to this module (compiled), or the built one when running from TS sources. */
export function defaultWorkerScript(): string | null {
  const here = fileURLToPath(import.meta.url);
  const sibling = join(dirname(here), 'worker.js');
  if (here.endsWith('.js') && existsSync(sibling)) return sibling;
  const built = join(repoRoot(), 'dist', 'simulation', 'worker.js');
  return existsSync(built) ? built : null;
}

export const defaultThreads = () => Math.max(1, availableParallelism());

export function describePopulation(p: PopulationSpec): string {
  if ('generate' in p) return `generate:${p.generate.preset} households=${p.generate.households} seed=${p.generate.seed}`;
  if ('file' in p) return `file:${p.file}`;
  return `inline:${p.households.length}`;
}

function abortError(signal?: AbortSignal): Error {
  const reason = signal?.reason as unknown;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const e = new Error('模拟已取消 / the simulation was cancelled');
  e.name = 'AbortError';
  return e;
}

function checkPopulation(p: PopulationSpec): void {
  if ('generate' in p) {
    resolvePreset(p.generate.preset);
    const n = p.generate.households;
    if (!Number.isInteger(n) || n < 1 || n > MAX_GENERATED) throw new SimulationError({ zh: `户数应为 1 到 ${MAX_GENERATED} 的整数`, en: `households must be a whole number from 1 to ${MAX_GENERATED}` }, [{ path: 'population.generate.households', message: String(n) }]);
  } else if ('file' in p) {
    formatOf(p.file, p.format);
    if (!existsSync(p.file)) throw new SimulationError({ zh: `没有这个文件：${p.file}`, en: `no such file: ${p.file}` }, [{ path: 'population.file', message: p.file }]);
  }
}

/** Evaluates the population under baseline and candidate and aggregates the difference. */
export async function runSimulation(req: SimulationRequest, opts: RunOptions = {}): Promise<SimulationResult> {
  const t0 = performance.now();
  const signal = opts.signal;
  if (signal?.aborted) throw abortError(signal);
  checkPopulation(req.population);
  const script = opts.pool ? opts.pool.script : opts.workerScript === undefined ? defaultWorkerScript() : opts.workerScript;
  const workersOnly = opts.workersOnly === true && script !== null;
  // fails early (and in this thread) on a bad policy, unless only the workers may compile
  const pair = workersOnly ? undefined : compilePair(req);
  const config: SimulationConfig = {
    baseline: req.baseline, candidate: req.candidate, modules: req.modules, asOf: req.asOf,
    ...(req.linked ? { linked: req.linked } : {}),
    ...(req.sampleSize !== undefined ? { sampleSize: req.sampleSize } : {}),
    ...(req.amountEdges ? { amountEdges: req.amountEdges } : {}),
    ...(req.deltaEdges ? { deltaEdges: req.deltaEdges } : {}),
  };
  const pop = req.population;
  const total = 'generate' in pop ? pop.generate.households : 'households' in pop ? pop.households.length : null;
  let threads = opts.threads ?? opts.pool?.size ?? defaultThreads();
  if (opts.pool) threads = Math.min(threads, opts.pool.size);
  if (!script || (!workersOnly && total !== null && total < (opts.minForWorkers ?? 2_000))) threads = 1;
  if (workersOnly) threads = Math.max(1, threads);
  if (total !== null) threads = Math.max(1, Math.min(threads, Math.ceil(total / (opts.chunk ?? ('generate' in pop ? CHUNK : BATCH)))));

  let lastEmit = 0;
  const progress = (done: number, force = false) => {
    if (!opts.onProgress) return;
    const now = performance.now();
    if (!force && now - lastEmit < 100) return;
    lastEmit = now;
    opts.onProgress({ done, total, fraction: total ? Math.min(1, done / total) : null, elapsed_ms: Math.round(now - t0) });
  };

  const { state, summaries } = threads <= 1 && pair
    ? { state: await runInThread(pair, config, pop, signal, progress),
        summaries: { baseline: policySummary(req.baseline, pair.baseline), candidate: policySummary(req.candidate, pair.candidate) } }
    : await inPool(opts.pool ?? new SimulationPool(script!, threads), !opts.pool, (pool) => runInWorkers(pool, threads, config, pop, signal, progress, opts.chunk));
  progress(state.households + state.invalid, true);
  return buildResult(state, {
    asOf: req.asOf, source: describePopulation(pop), elapsedMs: performance.now() - t0, threads,
    baseline: summaries.baseline, candidate: summaries.candidate,
    ...(req.amountEdges ? { amountEdges: req.amountEdges } : {}), ...(req.deltaEdges ? { deltaEdges: req.deltaEdges } : {}),
  });
}

/** Runs on the given pool; a pool of the run's own is closed at the end. */
async function inPool<T>(pool: SimulationPool, own: boolean, run: (pool: SimulationPool) => Promise<T>): Promise<T> {
  try { return await run(pool); } finally { if (own) void pool.close(); }
}

const tick = () => new Promise<void>((ok) => setImmediate(ok));

async function runInThread(pair: ReturnType<typeof compilePair>, config: SimulationConfig, pop: PopulationSpec,
  signal: AbortSignal | undefined, progress: (done: number) => void): Promise<SimState> {
  const sim = new Simulator(pair, config);
  let i = 0;
  const slice = async () => {
    if ((i & 1023) !== 0) return;
    progress(i);
    await tick();
    if (signal?.aborted) throw abortError(signal);
  };
  if ('generate' in pop) {
    const g = new PopulationGenerator({ ...pop.generate, asOf: config.asOf });
    for (; i < pop.generate.households;) { sim.add(g.household(i), i); i++; if ((i & 1023) === 0) await slice(); }
  } else if ('households' in pop) {
    for (const h of pop.households) { sim.add(h, i); i++; if ((i & 1023) === 0) await slice(); }
  } else {
    if (formatOf(pop.file, pop.format) === 'csv') {
      for await (const item of readCsv(pop.file)) { sim.addItem(item, i); i++; if ((i & 1023) === 0) await slice(); }
    } else {
      for await (const b of readLineBatches(pop.file, 1024)) {
        for (let k = 0; k < b.texts.length; k++) { sim.addItem(parseJsonLine(b.texts[k]!, b.lines[k]), i); i++; }
        progress(i);
        await tick();
        if (signal?.aborted) throw abortError(signal);
      }
    }
  }
  return sim.state;
}

/** Runs numbered across pools: a warm worker's answers name the run they belong to. */
let runs = 0;

interface Slot { worker: Worker; inflight: number; compiled: boolean; state?: SimState }

/** How long a cancelled run's workers may take to finish what they hold before they are replaced. */
const CANCEL_GRACE_MS = 2_000;

/** Resolves true once every worker has answered all it was sent, false past `ms`. */
async function drained(slots: Slot[], ms: number): Promise<boolean> {
  const end = performance.now() + ms;
  while (slots.some((s) => s.inflight > 0 || !s.compiled)) {
    if (performance.now() > end) return false;
    await new Promise((ok) => setTimeout(ok, 10));
  }
  return true;
}

async function runInWorkers(pool: SimulationPool, threads: number, config: SimulationConfig, pop: PopulationSpec,
  signal: AbortSignal | undefined, progress: (done: number) => void, chunk?: number): Promise<{ state: SimState; summaries: PairSummary }> {
  const CH = chunk ?? CHUNK, BA = chunk ?? BATCH;
  const generate = 'generate' in pop ? { ...pop.generate, asOf: config.asOf } : undefined;
  const slots: Slot[] = [];
  let failed: Error | undefined;
  let fail!: (e: Error) => void;
  const failure = new Promise<never>((_, reject) => { fail = (e) => { if (!failed) { failed = e; reject(e); } }; });
  failure.catch(() => undefined);
  let wake: (() => void) | undefined;
  const notify = () => { const w = wake; wake = undefined; w?.(); };
  let done = 0;
  let summaries: PairSummary | undefined;
  const onAbort = () => fail(abortError(signal));
  signal?.addEventListener('abort', onAbort, { once: true });
  // this run's listeners, removed before the workers go back to the pool
  type Listener = (...a: any[]) => void;   // message, error and exit listeners alike
  const listening: [Worker, string, Listener][] = [];
  const on = (w: Worker, event: string, fn: Listener) => { w.on(event, fn); listening.push([w, event, fn]); };
  let lease: Lease | undefined;
  let healthy = false;
  const run = ++runs;

  try {
    const leased = pool.acquire(threads);
    // cancelled while waiting for the pool: the lease, when it comes, goes straight back
    leased.then((l) => { if (failed && !lease) pool.release(l, true); }, () => undefined);
    lease = await Promise.race([leased, failure]);
    const ready = lease.workers.map((worker) => new Promise<void>((ok) => {
      const slot: Slot = { worker, inflight: 0, compiled: false };
      slots.push(slot);
      on(worker, 'message', (m: FromWorker) => {
        if (!('run' in m) || m.run !== run) return;   // a cancelled earlier run's late answer
        switch (m.t) {
          case 'ready': slot.compiled = true; summaries ??= m.summaries; ok(); break;
          case 'done': slot.inflight--; if (!failed) { done += m.n; progress(done); } notify(); break;
          case 'state': slot.state = fromWire(m.state as SimState); notify(); break;
          case 'fatal': slot.compiled = true; fail(new SimulationError(m.text, m.details)); break;
        }
      });
      on(worker, 'error', (e: unknown) => fail(e instanceof Error ? e : new Error(String(e))));
      on(worker, 'exit', (code: number) => fail(new Error(`simulation worker exited (code ${code})`)));
      worker.postMessage({ t: 'init', run, config, ...(generate ? { generate } : {}) } satisfies ToWorker);
    }));
    await Promise.race([Promise.all(ready), failure]);
    const free = async (): Promise<Slot> => {
      for (;;) {
        if (failed) throw failed;
        let best: Slot | undefined;
        for (const s of slots) if (s.inflight < INFLIGHT && (!best || s.inflight < best.inflight)) best = s;
        if (best) return best;
        await Promise.race([new Promise<void>((ok) => { wake = ok; }), failure]);
      }
    };
    const send = async (m: ToWorker) => { const s = await free(); s.inflight++; s.worker.postMessage(m); };

    if ('generate' in pop) {
      const n = pop.generate.households;
      // each worker's first range is small: the job's progress moves within its first tenth of a second
      for (let start = 0, k = 0; start < n; k++) {
        const end = Math.min(n, start + (k < slots.length ? Math.min(CH, FIRST_RANGE) : CH));
        await send({ t: 'range', start, end });
        start = end;
      }
    } else if ('households' in pop) {
      const list = pop.households;
      for (let base = 0; base < list.length; base += BA) {
        await send({ t: 'items', base, items: list.slice(base, base + BA).map((household) => ({ household })) });
      }
    } else if (formatOf(pop.file, pop.format) === 'csv') {
      let base = 0, batch: PopulationItem[] = [];
      for await (const item of readCsv(pop.file)) {
        batch.push(item);
        if (batch.length >= BA) { const b = batch; batch = []; await send({ t: 'items', base, items: b }); base += b.length; }
        if (failed) throw failed;
      }
      if (batch.length) await send({ t: 'items', base, items: batch });
    } else {
      let base = 0;
      for await (const b of readLineBatches(pop.file, BA)) {
        await send({ t: 'lines', base, texts: b.texts, lines: b.lines });
        base += b.texts.length;
        if (failed) throw failed;
      }
    }

    // drain, then collect each worker's aggregate
    while (slots.some((s) => s.inflight > 0)) {
      if (failed) throw failed;
      await Promise.race([new Promise<void>((ok) => { wake = ok; }), failure]);
    }
    for (const s of slots) s.worker.postMessage({ t: 'finish' } satisfies ToWorker);
    while (slots.some((s) => !s.state)) {
      if (failed) throw failed;
      await Promise.race([new Promise<void>((ok) => { wake = ok; }), failure]);
    }
    const sampleSize = config.sampleSize ?? 20;
    const [first, ...rest] = slots.map((s) => s.state!);
    healthy = true;
    return { state: rest.reduce((a, b) => mergeState(a, b, sampleSize), first!), summaries: summaries! };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    const detach = () => { for (const [w, event, fn] of listening) w.off(event, fn); };
    const l = lease;
    if (!l) detach();
    else if (healthy || failed?.name !== 'AbortError') { detach(); pool.release(l, healthy); }
    else {
      // Cancelled: the workers finish the at most INFLIGHT ranges or batches they hold (tens of
      // ms) and stay warm for the next job; one still busy after the grace time is replaced.
      // A failed run's workers (an error, a crash) are replaced at once.
      void drained(slots, CANCEL_GRACE_MS).then((ok) => { detach(); pool.release(l, ok); });
    }
  }
}
