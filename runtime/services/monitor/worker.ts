// The part of a monitoring run every instance does: claim an open chunk, read its households
// as they were on the run's date, evaluate them under every programme where they live, work out
// the lists, and store it all with the chunk marked done: the results are the run's decisions. Memory holds
// one chunk at a time, whatever the registry's size. A chunk whose claimer stops (killed,
// restarted) is retaken once its heartbeat is older than the lease.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { RegistryRepository } from '../../store/registry.js';
import type { ChunkRow, ListRow, ResultRow, RunRepository, RunRow, RunVersion } from '../../store/registry-runs.js';
import type { VersionRecord } from '../../store/types.js';
import { uuidv7 } from '../../sql/uuid7.js';
import { canonicalJson } from '../canonical-json.js';
import type { DecisionService } from '../decisions.js';
import { listsFor, outcomeOf, type Outcome } from './lists.js';
import type { MonitorEvaluator } from './evaluator.js';

export interface WorkerOptions {
  /** This instance's name in monitor_chunks.claimed_by. */
  instance?: string;
  /** A claim not renewed for this long is retaken by any instance. */
  leaseMs?: number;
  /** How often an idle instance looks for open chunks (0: only when told, as embedded tests do). */
  pollMs?: number;
  log?: (e: Record<string, unknown>) => void;
}

export const DEFAULT_LEASE_MS = 30_000;
/** Households evaluated between two yields to the event loop (HTTP stays answered during a run). */
const YIELD_EVERY = 200;

export class MonitorWorker {
  readonly instance: string;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly log: (e: Record<string, unknown>) => void;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private prepared = new Set<string>();

  constructor(private readonly runs: RunRepository, private readonly registry: RegistryRepository, private readonly evaluator: MonitorEvaluator,
    private readonly decisions: DecisionService, opts: WorkerOptions = {}) {
    this.instance = opts.instance ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    this.pollMs = opts.pollMs ?? 0;
    this.log = opts.log ?? (() => undefined);
  }

  /** Works until no chunk is open (a call while working makes it look once more at the end). */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) { this.again = true; return this.running; }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          for (let c = await this.runs.claim(this.instance, this.leaseMs); c && !this.stopped; c = await this.runs.claim(this.instance, this.leaseMs)) {
            await this.process(c);
          }
        } while (this.again && !this.stopped);
      } catch (e) {
        this.log({ level: 'error', msg: 'monitor worker stopped on an error', error: e instanceof Error ? e.message : String(e) });
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Looks for open chunks every pollMs (other instances' runs, runs to resume after a restart). */
  startPolling(): void {
    if (this.pollMs > 0 && !this.timer) { this.timer = setInterval(() => { void this.kick(); }, this.pollMs); this.timer.unref(); }
    void this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async process(chunk: ChunkRow & { run: RunRow }): Promise<void> {
    const { run } = chunk;
    const beat = setInterval(() => { void this.runs.heartbeat(chunk.run_id, chunk.seq, this.instance).catch(() => undefined); }, Math.max(100, this.leaseMs / 3));
    beat.unref();
    try {
      const t0 = Date.now();
      if (!this.prepared.has(run.id)) { await this.evaluator.prepare(run.as_of); this.prepared.add(run.id); }
      const t1 = Date.now();
      const { results, lists, versions, households, errors } = await this.evaluate(chunk, run);
      const t2 = Date.now();
      // progress counts the chunk's registry households (those not yet registered on the date included)
      void households;
      const stored = await this.runs.complete(chunk, this.instance, chunk.size, errors, results, lists, versions);
      if (!stored) this.log({ level: 'warn', msg: 'monitor chunk not stored (taken over or cancelled)', run: run.id, chunk: chunk.seq });
      else this.log({ level: 'debug', msg: 'monitor chunk stored', run: run.id, chunk: chunk.seq, households, prepare_ms: t1 - t0, evaluate_ms: t2 - t1, store_ms: Date.now() - t2 });
    } finally {
      clearInterval(beat);
    }
  }

  /**
   * The chunk's results, list rows and the versions decided under. Each result with outputs is
   * a decision (its id is the result's decision_id): the run records no copy of the household per
   * programme, GET /api/decisions/{id} reads it back from the result and the registry version.
   */
  private async evaluate(chunk: ChunkRow, run: RunRow) {
    const entries = await this.registry.asOf(chunk.lo, chunk.hi, run.as_of, run.registry_seq);
    const previous = new Map<string, Outcome>();
    if (run.previous_run) for (const r of await this.runs.results(run.previous_run, chunk.lo, chunk.hi)) previous.set(`${r.household_id}\u0000${r.policy}`, r);
    const results: ResultRow[] = [];
    const lists: ListRow[] = [];
    const versions = new Map<VersionRecord, RunVersion>();
    let errors = 0;
    const base = { run_id: run.id, decision_id: null, eligible: null, amount_fen: null, gradual_exit_until: null, outputs: null };
    const now = Date.now();
    for (let i = 0; i < entries.length; i++) {
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise<void>((ok) => setImmediate(ok));
      const e = entries[i]!;
      const household = JSON.parse(e.household) as Record<string, unknown>;
      const ev = this.evaluator.evaluate(household, run.as_of);
      if (!ev.programmes.length) {
        results.push({ ...base, household_id: e.id, policy: '', version: null, county: e.county, household_seq: e.seq, error: 'routing.none: no programme in force where the household lives' });
        continue;
      }
      for (const p of ev.programmes) {
        if (p.error !== undefined) {
          errors++;
          results.push({ ...base, household_id: e.id, policy: p.policy, version: p.version.version, county: e.county, household_seq: e.seq, error: p.error });
          continue;
        }
        if (!versions.has(p.version)) {
          versions.set(p.version, { policy: p.policy, version: p.version.version, version_hash: p.version.hash, source_hash: this.decisions.sourceHash(p.version), effective_from: p.version.effective_from });
        }
        const decisionId = uuidv7(now);
        const o = outcomeOf(p.outputs!);
        results.push({ run_id: run.id, household_id: e.id, policy: p.policy, version: p.version.version, county: e.county, decision_id: decisionId,
          eligible: o.eligible, amount_fen: o.amount_fen, gradual_exit_until: o.gradual_exit_until, outputs: canonicalJson(p.outputs), error: null, household_seq: e.seq });
        for (const l of listsFor(run.as_of, p.program, household, p.outputs!, previous.get(`${e.id}\u0000${p.policy}`) ?? null)) {
          lists.push({ run_id: run.id, list: l.list, household_id: e.id, policy: p.policy, county: e.county, decision_id: decisionId, detail: JSON.stringify(l.detail) });
        }
      }
    }
    return { results, lists, versions: [...versions.values()], households: entries.length, errors };
  }
}
