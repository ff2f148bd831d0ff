// 模拟工作线程池 / The simulation's worker threads, started once and kept warm.
// Loading a worker (the language, the generator) takes seconds on a loaded two-core machine —
// longer than simulating a million households — so the server starts its workers at start-up
// and hands them from job to job instead of starting fresh ones per job: a job sends them its
// two policies ('init', each worker compiles the pair once and keeps it for the next job on the
// same sources), then the ranges. Jobs take the pool one at a time. A worker a job leaves
// unhealthy (cancelled, failed, crashed) is terminated and a fresh one started at once, so one
// job's leftovers never reach the next. The CLI and the benchmark use a pool of their own,
// for one run (runSimulation without a pool).
import { Worker } from 'node:worker_threads';
import type { FromWorker } from './worker.js';

interface Member { worker: Worker; loaded: Promise<void> }

/** Workers leased to one run; give them back with release(). */
export interface Lease { workers: Worker[] }

export class SimulationPool {
  private members: Member[] = [];
  private turn: Promise<void> = Promise.resolve();
  private closed = false;
  private frees = new Map<Lease, () => void>();

  /** @param script the compiled worker (dist/simulation/worker.js); @param size worker threads. */
  constructor(readonly script: string, readonly size: number) {}

  /** Starts the missing workers now (the server at start-up), without waiting for them. */
  warm(): void {
    if (this.closed) return;
    while (this.members.length < this.size) this.members.push(this.spawn());
  }

  private spawn(): Member {
    // a larger young generation: decoding households allocates many short-lived objects (~10% faster)
    const worker = new Worker(this.script, { resourceLimits: { maxYoungGenerationSizeMb: 48 } });
    worker.unref();                       // an idle pool never keeps the process alive
    const member: Member = { worker, loaded: Promise.resolve() };
    member.loaded = new Promise<void>((ok, fail) => {
      const onMessage = (m: FromWorker) => { if (m.t === 'loaded') { off(); ok(); } };
      const onError = (e: Error) => { off(); fail(e); };
      const onExit = (code: number) => { off(); fail(new Error(`simulation worker exited while loading (code ${code})`)); };
      const off = () => { worker.off('message', onMessage); worker.off('error', onError); worker.off('exit', onExit); };
      worker.on('message', onMessage); worker.once('error', onError); worker.once('exit', onExit);
    });
    member.loaded.catch(() => undefined);
    // a worker that dies while idle leaves the pool; the next lease starts a fresh one
    worker.once('exit', () => { this.members = this.members.filter((x) => x !== member); });
    return member;
  }

  /** Waits for the pool (runs take it one at a time), then for `n` loaded workers (n ≤ size). */
  async acquire(n: number): Promise<Lease> {
    if (this.closed) throw new Error('the simulation pool is closed');
    let free!: () => void;
    const mine = new Promise<void>((ok) => { free = ok; });
    const before = this.turn;
    this.turn = before.then(() => mine);
    await before;
    this.warm();
    const members = this.members.slice(0, Math.max(1, Math.min(n, this.size)));
    for (const m of members) m.worker.ref();   // waiting for them, then a running job, keeps the process alive
    const loaded = await Promise.allSettled(members.map((m) => m.loaded));
    const failed = loaded.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      // a worker that could not load is dropped (the next lease starts a fresh one)
      members.forEach((m, i) => { if (loaded[i]!.status === 'rejected') this.drop(m.worker); });
      free();
      throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    }
    const lease: Lease = { workers: members.map((m) => m.worker) };
    this.frees.set(lease, free);
    return lease;
  }

  /** Gives the workers back (the run has removed its own listeners): healthy ones stay warm;
   *  the others are terminated and replaced now. */
  release(lease: Lease, healthy: boolean): void {
    for (const w of lease.workers) {
      if (healthy) w.unref();
      else this.drop(w);
    }
    if (!healthy) this.warm();
    this.frees.get(lease)?.();
    this.frees.delete(lease);
  }

  private drop(worker: Worker): void {
    this.members = this.members.filter((m) => m.worker !== worker);
    void worker.terminate();
  }

  /** Terminates every worker (server shutdown, or the end of a one-run pool). */
  async close(): Promise<void> {
    this.closed = true;
    const all = this.members;
    this.members = [];
    await Promise.all(all.map((m) => m.worker.terminate()));
  }
}
