// The part of a monitoring run every instance does: claim an open chunk, read its households
// as they were on the run's date, evaluate them under every programme where they live, work out
// the lists, and store it all with the chunk marked done: the results are the run's decisions. Memory holds
// one chunk at a time, whatever the registry's size. A chunk whose claimer stops (killed,
// restarted) is retaken once its heartbeat is older than the lease.
import { availableParallelism, hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { RegistryRepository } from '../../store/registry.js';
import type { ChunkRow, RunRepository, RunRow, RunVersion } from '../../store/registry-runs.js';
import type { DecisionService } from '../decisions.js';
import { evaluateChunk } from './chunk.js';
import { EvaluationThreads } from './thread.js';
import type { MonitorEvaluator } from './evaluator.js';

export interface WorkerOptions {
  /** This instance's name in monitor_chunks.claimed_by. */
  instance?: string;
  /** A claim not renewed for this long is retaken by any instance. */
  leaseMs?: number;
  /** How often an idle instance looks for open chunks (0: only when told, as embedded tests do). */
  pollMs?: number;
  log?: (e: Record<string, unknown>) => void;
  /**
   * Evaluate in a thread of its own (default: when the machine has a second core): the main
   * thread reads and stores one chunk while the thread evaluates the next. false: on the main
   * thread (MONITOR_THREADS=0), e.g. to compare instances one core each.
   */
  thread?: boolean;
  /** How many evaluation threads (MONITOR_THREADS; 0 = none); overrides `thread`. */
  threads?: number;
}

/** A whole-number setting within [min, max]; anything else stops the server at start-up with the setting named (as MONITOR_CRON does), instead of a NaN falling back unnoticed. */
export function wholeNumberSetting(name: string, text: string, min: number, max: number, hint = ''): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max) throw new Error(`${name} "${text.slice(0, 20)}": expected a whole number ${min}–${max}${hint}`);
  return n;
}

/** MONITOR_THREADS: a whole number 0–16. */
export function monitorThreads(text: string): number {
  return wholeNumberSetting('MONITOR_THREADS', text, 0, 16, ' (0: evaluate on the main thread)');
}

/** Evaluation threads by default: one when the machine has a second core (the main thread reads and stores meanwhile). */
export function defaultThreads(opts: Pick<WorkerOptions, 'thread' | 'threads'>): number {
  if (opts.threads !== undefined) return opts.threads;
  if (opts.thread !== undefined) return opts.thread ? 1 : 0;
  return availableParallelism() > 1 ? 1 : 0;
}

export const DEFAULT_LEASE_MS = 30_000;

export class MonitorWorker {
  readonly instance: string;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly log: (e: Record<string, unknown>) => void;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private prepared = new Map<string, Promise<void>>();
  private readonly thread: EvaluationThreads | undefined;

  constructor(private readonly runs: RunRepository, private readonly registry: RegistryRepository, private readonly evaluator: MonitorEvaluator,
    private readonly decisions: DecisionService, opts: WorkerOptions = {}) {
    this.instance = opts.instance ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    this.pollMs = opts.pollMs ?? 0;
    this.log = opts.log ?? (() => undefined);
    const threads = defaultThreads(opts);
    this.thread = threads > 0 ? new EvaluationThreads(threads) : undefined;
  }

  /** Works until no chunk is open (a call while working makes it look once more at the end). */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) { this.again = true; return this.running; }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          // with threads, one chunk more than threads is in hand: each thread evaluates one while another is read or stored here
          const lanes = await Promise.allSettled(Array.from({ length: (this.thread?.size ?? 0) + 1 }, async () => {
            for (let c = await this.runs.claim(this.instance, this.leaseMs); c && !this.stopped; c = await this.runs.claim(this.instance, this.leaseMs)) {
              await this.process(c);
            }
          }));
          // both lanes have ended before the error is told: no lane outlives `running`
          const failed = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
          if (failed) throw failed.reason;
        } while (this.again && !this.stopped);
      } catch (e) {
        this.log({ level: 'error', msg: 'monitor worker stopped on an error', error: e instanceof Error ? e.message : String(e) });
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Each evaluation thread's event-loop time so far (ms), for the bench: which side of a run is the busier. */
  threadUtilization(): { active: number; idle: number }[] { return this.thread?.utilization() ?? []; }

  /** Looks for open chunks every pollMs (other instances' runs, runs to resume after a restart). */
  startPolling(): void {
    if (this.pollMs > 0 && !this.timer) { this.timer = setInterval(() => { void this.kick(); }, this.pollMs); this.timer.unref(); }
    void this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.thread?.close();
  }

  private async process(chunk: ChunkRow & { run: RunRow }): Promise<void> {
    const { run } = chunk;
    const beat = setInterval(() => { void this.runs.heartbeat(chunk.run_id, chunk.seq, this.instance).catch(() => undefined); }, Math.max(100, this.leaseMs / 3));
    beat.unref();
    try {
      const t1 = Date.now();
      const { results, versions, households, errors, read_ms, prepare_ms } = await this.evaluate(chunk, run);
      const t2 = Date.now();
      // progress counts the chunk's registry households (those not yet registered on the date included)
      void households;
      const stored = await this.runs.complete(chunk, this.instance, chunk.size, errors, results, versions);
      if (!stored) this.log({ level: 'warn', msg: 'monitor chunk not stored (taken over or cancelled)', run: run.id, chunk: chunk.seq });
      else this.log({ level: 'debug', msg: 'monitor chunk stored', run: run.id, chunk: chunk.seq, households, prepare_ms, read_ms, evaluate_ms: t2 - t1 - read_ms - prepare_ms, store_ms: Date.now() - t2 });
    } finally {
      clearInterval(beat);
    }
  }

  private prepare(run: RunRow): Promise<void> {
    let p = this.prepared.get(run.id);
    if (!p) {
      // With evaluation threads this thread evaluates nothing, so it compiles nothing: each thread
      // loads the language when it is sent the policies and compiles the programmes its first
      // households need (eval-thread.ts), all threads at once, while this thread reads chunks. Proving
      // them first within the budget (entitlements' prepare) started the language worker pool
      // and compiled each source twice more, ≈ 2 s of an idle main thread and ≈ 5 s of CPU on a
      // cold start; its guard (a costly source is a 422, not a stalled event loop) is for the
      // thread that serves HTTP, which here never compiles. Without threads, as before.
      const evaluation = this.decisions.evaluation;
      p = this.thread
        ? this.thread.policies(run.as_of, evaluation.today(), evaluation.lang.modules, evaluation.policies.store.data.policies)
        : this.evaluator.prepare(run.as_of);
      p.catch(() => this.prepared.delete(run.id));
      this.prepared.set(run.id, p);
    }
    return p;
  }

  /** The chunk's results and list rows (chunk.ts: in the evaluation thread when there is one), and the versions decided under. */
  private async evaluate(chunk: ChunkRow, run: RunRow) {
    // the chunk is read while the run's preparation (compiling, a thread starting) goes on
    const prepared = this.prepare(run);
    prepared.catch(() => undefined);
    const t = Date.now();
    const entries = await this.registry.asOfPacked(chunk.lo, chunk.hi, run.as_of, run.registry_seq);
    const previous = run.previous_run ? await this.runs.results(run.previous_run, chunk.lo, chunk.hi) : [];
    const read_ms = Date.now() - t;
    await prepared;
    const prepare_ms = Date.now() - t - read_ms;
    const out = this.thread ? await this.thread.evaluate(run, entries, previous) : await evaluateChunk(this.evaluator, run, entries, previous);
    const versions = out.versions.map(({ policy, version }): RunVersion => {
      const v = this.decisions.evaluation.policies.policy(policy).versions[version - 1]!;
      return { policy, version, version_hash: v.hash, source_hash: this.decisions.sourceHash(v), effective_from: v.effective_from };
    });
    return { ...out, versions, households: out.results.rows, read_ms, prepare_ms };
  }
}
