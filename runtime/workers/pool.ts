// The language worker pool: checking, compiling and scenario runs requested over HTTP run here,
// off the event loop, so evaluations and /api/health keep answering whatever a source costs.
//
// The time budget is CPU time of the worker's thread (Linux: /proc), so a machine busy with
// other work does not turn an ordinary policy into a refusal; a job also ends at the budget
// plus WALL_SLACK_MS in wall time, whatever CPU it got, so every answer (a result or a refusal)
// comes within 2 s of a worker taking the job (on systems without /proc the budget is wall time).
//
// Started once per process and kept warm: `size` workers take jobs and one more waits as a spare,
// so a worker terminated for its budget is replaced at once (a new one takes a second or more to
// load the language under load, which would otherwise count against the next job). Each job
// has a budget: wall time (the worker is terminated and replaced when it is exceeded) and heap
// (V8 resourceLimits: the worker dies of it, the process does not). Jobs wait in a bounded queue
// for a free worker; the budget starts when a worker takes the job.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { Job, JobResult } from './protocol.js';
import { workerScript } from './script.js';

export interface Budget {
  /** CPU time of the worker per job, ms (wall time where it cannot be read); this + WALL_SLACK_MS in wall time at most. */
  timeMs: number;
  /** V8 old-generation heap per worker, MB. */
  memoryMb: number;
}

export type LimitName = 'time' | 'memory' | 'depth';

/** A job went past its budget: the policy is too complex to handle on request. */
export class BudgetExceeded extends Error {
  constructor(readonly limit: LimitName, readonly value: number | null) {
    super(`language job exceeded its ${limit} budget${value === null ? '' : ` (${value})`}`);
    this.name = 'BudgetExceeded';
  }
}

/** Every worker is busy and the queue is full. */
export class PoolBusy extends Error {
  constructor(readonly queued: number) { super(`language pool busy (${queued} jobs queued)`); this.name = 'PoolBusy'; }
}

export type JobInput = Omit<Job, 'id'>;
export type JobSuccess = Extract<JobResult, { ok: true }>;

interface Pending { job: Job; resolve(r: JobSuccess): void; reject(e: Error): void }
interface Slot { worker: Worker; ready: boolean; tid?: number; current?: Pending; timer?: NodeJS.Timeout; startedAt?: number; cpuAtStart?: number }

/**
 * A job may take this much wall time beyond its CPU budget when the machine starves it of CPU:
 * 1.5 s + 0.3 s, so the answer (with the transfer and the queue of a free pool) is within 2 s.
 * An ordinary policy needs tens of ms of CPU, so even a loaded machine does not refuse it.
 */
export const WALL_SLACK_MS = 300;

/** CPU time (user + system) of one thread of this process, ms; undefined when it cannot be read. */
function threadCpuMs(tid: number | undefined): number | undefined {
  if (!tid) return undefined;
  try {
    const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;   // clock ticks of 10 ms (USER_HZ 100)
  } catch { return undefined; }
}

const envNumber = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

export function defaultBudget(): Budget {
  return { timeMs: envNumber('LANGUAGE_JOB_MS', 1500), memoryMb: envNumber('LANGUAGE_JOB_MEMORY_MB', 256) };
}

/** One worker per spare core, at least one, at most two: the event loop keeps a core. */
export const defaultSize = () => Math.floor(envNumber('LANGUAGE_WORKERS', Math.min(2, Math.max(1, availableParallelism() - 1))));

export class LanguagePool {
  private slots: Slot[] = [];
  private queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(readonly budget: Budget = defaultBudget(), readonly size = defaultSize(), readonly maxQueue = envNumber('LANGUAGE_QUEUE', 64)) {}

  /** Starts the workers now (a server calls this at start so the first check is not slowed). */
  warm(): void {
    if (this.closed) return;
    while (this.slots.length < this.size + 1) this.slots.push(this.spawn());
  }

  run(input: JobInput): Promise<JobSuccess> {
    if (this.closed) return Promise.reject(new Error('language pool closed'));
    this.warm();
    if (this.queue.length >= this.maxQueue) return Promise.reject(new PoolBusy(this.queue.length));
    return new Promise<JobSuccess>((resolve, reject) => {
      this.queue.push({ job: { ...input, id: this.nextId++ }, resolve, reject });
      this.dispatch();
    });
  }

  /** Jobs running or waiting (for tests and the bench). */
  get load(): { running: number; queued: number } {
    return { running: this.slots.filter((s) => s.current).length, queued: this.queue.length };
  }

  /** Cheap state for /api/health: workers started and ready (spare included), jobs running and queued. */
  state(): { workers: number; ready: number; running: number; queued: number } {
    return { workers: this.slots.length, ready: this.slots.filter((s) => s.ready).length, ...this.load };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('language pool closed'));
    await Promise.all(this.slots.splice(0).map((s) => {
      if (s.timer) clearTimeout(s.timer);
      s.current?.reject(new Error('language pool closed'));
      return s.worker.terminate();
    }));
  }

  private spawn(): Slot {
    const worker = new Worker(fileURLToPath(workerScript()), {
      resourceLimits: { maxOldGenerationSizeMb: this.budget.memoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, this.budget.memoryMb / 8)) },
      stdout: false, stderr: false,
    });
    const slot: Slot = { worker, ready: false };
    worker.unref();
    worker.on('message', (m: JobResult | { ready: true; tid?: number }) => {
      if ('ready' in m) { slot.ready = true; slot.tid = m.tid; this.dispatch(); return; }
      const p = slot.current;
      if (!p || p.job.id !== m.id) return;
      this.finish(slot);
      if (m.ok) p.resolve(m);
      else if (m.limit === 'depth') p.reject(new BudgetExceeded('depth', null));
      else p.reject(new Error(m.message));
      this.dispatch();
    });
    // 'error' (an uncaught throw, or ERR_WORKER_OUT_OF_MEMORY) is followed by 'exit'.
    let failure: Error | undefined;
    worker.on('error', (e: Error & { code?: string }) => {
      failure = e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new BudgetExceeded('memory', this.budget.memoryMb) : e;
    });
    worker.on('exit', () => this.lost(slot, failure ?? new Error('language worker exited')));
    return slot;
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.current = undefined;
    slot.worker.unref();
  }

  /** A worker ended (terminated for time, out of memory, crashed): fail its job, start another. */
  private lost(slot: Slot, why: Error): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;   // closed, or already replaced
    const p = slot.current;
    this.finish(slot);
    this.slots.splice(i, 1);
    p?.reject(why);
    if (!slot.ready) {
      // it died loading (a broken build): fail what waits, start again on the next job, not in a loop
      for (const q of this.queue.splice(0)) q.reject(why);
      return;
    }
    if (!this.closed) { this.slots.push(this.spawn()); this.dispatch(); }
  }

  /** Ends the job when it has used its CPU budget or the budget + WALL_SLACK_MS in wall time; else looks again soon. */
  private watch(slot: Slot, p: Pending): void {
    if (slot.current !== p) return;
    const wall = performance.now() - slot.startedAt!;
    const now = threadCpuMs(slot.tid);
    const cpu = now === undefined || slot.cpuAtStart === undefined ? wall : now - slot.cpuAtStart;
    const wallCap = this.budget.timeMs + WALL_SLACK_MS;
    if (cpu >= this.budget.timeMs || wall >= wallCap) {
      this.lost(slot, new BudgetExceeded('time', this.budget.timeMs));
      void slot.worker.terminate();
      return;
    }
    slot.timer = setTimeout(() => this.watch(slot, p), Math.max(20, Math.min(100, this.budget.timeMs - cpu, wallCap - wall)));
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!this.queue.length) return;
      if (!slot.ready || slot.current) continue;
      if (this.slots.filter((x) => x.current).length >= this.size) return;   // the rest are spares
      const p = this.queue.shift()!;
      slot.current = p;
      slot.worker.ref();   // a job in flight keeps the process alive
      slot.startedAt = performance.now();
      slot.cpuAtStart = threadCpuMs(slot.tid);
      // CPU time never runs ahead of wall time: the first look is at the budget
      slot.timer = setTimeout(() => this.watch(slot, p), this.budget.timeMs);
      slot.worker.postMessage(p.job);
    }
  }
}

let shared: LanguagePool | undefined;
/** The process-wide pool (workers are costly: one set serves every app in the process). */
export function sharedPool(): LanguagePool {
  return (shared ??= new LanguagePool());
}
