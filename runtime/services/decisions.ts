// Decision records (issue 15): every evaluation that could be acted on is stored before its
// answer goes out — id (UUIDv7), time, caller, request id, as_of, the household as received
// (canonical JSON), policy, version and hashes, outputs — and can be read back, listed, and
// replayed (under the same version: must be identical; under the version in force now: a
// re-assessment, output by output). The trace is not stored: versions are immutable, so it is
// recomputed. Household contents never go to the log.
import { createHash } from 'node:crypto';
import { allowed, type Principal } from '../auth.js';
import type { DecisionFilter, DecisionRepository, DecisionRow } from '../store/decisions.js';
import type { VersionRecord } from '../store/types.js';
import { uuidv7 } from '../sql/uuid7.js';
import { canonicalJson } from './canonical-json.js';
import { DomainError } from './domain-error.js';
import type { BatchInput, EvaluateInput, EvaluationService, FaultLog } from './evaluation.js';
import type { HouseholdList } from './batch-body.js';
import type { LentBytes } from './byte-pool.js';

export const MAX_DECISIONS_PER_PAGE = 1000;
export const DEFAULT_DECISIONS_PER_PAGE = 100;

export interface CallContext { caller: Principal; requestId: string | null }

/** The stored record as the API shows it. */
export interface DecisionView {
  id: string; at: string; caller: { name: string; role: string }; request_id: string | null;
  policy: string; version: number; version_hash: string; source_hash: string; effective_from: string; as_of: string;
  household_id: string | null; household: unknown; outputs: Record<string, unknown>; batch_index: number | null;
}

export interface ListQuery { policy?: string; household_id?: string; caller?: string; from?: string; to?: string; limit?: string; cursor?: string }

const householdId = (h: unknown): string | null =>
  h && typeof h === 'object' && !Array.isArray(h) && typeof (h as { id?: unknown }).id === 'string' ? (h as { id: string }).id : null;

/** A `from`/`to` bound: a date is that day in China time (UTC+8); `to` as a date includes the whole day. */
function bound(text: string, name: 'from' | 'to'): number {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const ms = Date.parse(dateOnly ? `${text}T00:00:00+08:00` : text);
  if (Number.isNaN(ms) || (dateOnly && new Date(Date.parse(`${text}T00:00:00Z`)).toISOString().slice(0, 10) !== text)) {
    throw new DomainError('invalid', 'request.invalid', `${name} 不是有效的日期或时间`, `${name} is not a valid date or date-time`, [{ path: name, message: text.slice(0, 40) }]);
  }
  return dateOnly && name === 'to' ? ms + 86_400_000 : ms;
}

export const decisionNotFound = (id: string) =>
  new DomainError('not_found', 'decision.not_found', `没有决定记录 ${id}`, `No decision ${id}`, [{ path: 'decisionId', message: id }]);

/** Where decisions recorded outside the decisions table are found (by id) and listed (by filter). */
export interface DecisionSource {
  find(id: string): Promise<DecisionRow | null>;
  list(f: DecisionFilter): Promise<DecisionRow[]>;
}

export class DecisionService {
  private sourceHashes = new WeakMap<VersionRecord, string>();
  private sources: DecisionSource[] = [];

  constructor(readonly evaluation: EvaluationService, readonly repo: DecisionRepository, readonly log: FaultLog = () => undefined,
    readonly now: () => Date = () => new Date()) {}

  /** Whether this call is recorded: always, unless it asks not to be and its role may (403 otherwise). */
  recording(caller: Principal, record: unknown): boolean {
    if (record !== false) return true;
    if (allowed(caller.role, 'evaluate.unrecorded')) return false;
    // the answer of every other role refusal (auth.forbidden, naming action and role)
    throw new DomainError('forbidden', 'auth.forbidden', `角色 ${caller.role} 的计算必须记录（record: false 仅限测试与管理员）`,
      `Evaluations by role ${caller.role} are always recorded (record: false is for testers and admins)`, [{ path: 'record', message: 'false' }],
      { action: 'evaluate.unrecorded', role: caller.role });
  }

  /** Decisions stored elsewhere (a monitoring run's results): asked when the decisions table has
   *  no such id, and listed beside its rows. */
  addSource(source: DecisionSource): void {
    this.sources.push(source);
  }

  sourceHash(v: VersionRecord): string {
    let h = this.sourceHashes.get(v);
    if (!h) { h = createHash('sha256').update(v.source, 'utf8').digest('hex'); this.sourceHashes.set(v, h); }
    return h;
  }

  private row(ctx: CallContext, at: Date, policy: string, version: VersionRecord, asOf: string, household: unknown, outputs: unknown, batchIndex: number | null): DecisionRow {
    return this.rows(ctx, at, policy, version, asOf)(household, outputs, batchIndex);
  }

  /**
   * Makes the rows of one call under one version: the fields they share (time, caller, version,
   * hashes) are worked out once and are the same strings in every row, so a batch of 10,000 does
   * not write its time 10,000 times, and the insert compares them as one pointer each.
   */
  private rows(ctx: CallContext, at: Date, policy: string, version: VersionRecord, asOf: string) {
    const ms = at.getTime(), iso = at.toISOString(), sourceHash = this.sourceHash(version);
    const { name, role, fingerprint } = ctx.caller;
    return (household: unknown, outputs: unknown, batchIndex: number | null): DecisionRow => ({
      id: uuidv7(ms), at: iso, caller_name: name, caller_role: role, caller_key: fingerprint,
      request_id: ctx.requestId, policy, version: version.version, version_hash: version.hash, source_hash: sourceHash,
      effective_from: version.effective_from, as_of: asOf, household_id: householdId(household), household: canonicalJson(household),
      outputs: canonicalJson(outputs), batch_index: batchIndex,
    });
  }

  /** Evaluates one household and, unless told not to, stores the decision first. */
  async evaluate(id: string, input: EvaluateInput & { record?: boolean }, ctx: CallContext) {
    const record = this.recording(ctx.caller, input.record);
    const { answer, version } = this.evaluation.evaluateVersion(id, input);
    if (!record) return { body: { recorded: false, ...answer }, headers: {} as Record<string, string> };
    const row = this.row(ctx, this.now(), id, version, answer.as_of, input.household, answer.outputs, null);
    await this.repo.insert([row]);
    return { body: { decision_id: row.id, recorded: true, ...answer }, headers: { 'Decision-Id': row.id } as Record<string, string> };
  }

  /**
   * Stores one decision per programme decided together (一门受理: each programme's decision is
   * its own record, under its own version), all in one statement; the ids in the order given.
   */
  async recordEach(ctx: CallContext, asOf: string, decided: { household: unknown; policy: string; version: VersionRecord; outputs: unknown; batchIndex?: number | null }[]): Promise<string[]> {
    const at = this.now();
    // one maker per programme and version (a JSON Lines chunk: all rows under one)
    let last: { policy: string; version: VersionRecord; make: ReturnType<DecisionService['rows']> } | undefined;
    const rows = decided.map((d) => {
      if (!last || last.policy !== d.policy || last.version !== d.version) last = { policy: d.policy, version: d.version, make: this.rows(ctx, at, d.policy, d.version, asOf) };
      return last.make(d.household, d.outputs, d.batchIndex ?? null);
    });
    if (rows.length) await this.repo.insert(rows);
    return rows.map((r) => r.id);
  }

  /** A dry-run batch's answer as JSON (UTF-8 bytes), read from the body's bytes (EvaluationService.batchText);
   *  undefined when it is not a dry run the caller may make, or the bytes are not taken: then
   *  batch() answers the parsed body (its 403 included). */
  dryBatchText(id: string, where: { as_of?: string; version?: number; record?: unknown }, bytes: Uint8Array, list: HouseholdList, caller: Principal): LentBytes | undefined {
    if (where.record !== false || !allowed(caller.role, 'evaluate.unrecorded')) return undefined;
    return this.evaluation.batchText(id, where, bytes, list, '{"recorded":false,');
  }

  /** Evaluates a batch; every household with outputs is a decision, all stored in one statement. */
  async batch(id: string, input: BatchInput & { record?: boolean }, ctx: CallContext) {
    const record = this.recording(ctx.caller, input.record);
    const { answer, version } = this.evaluation.batchVersion(id, input);
    if (!record) return { recorded: false, ...answer };
    const results = await this.recordResults(ctx, id, version, answer.as_of, input.households, answer.results);
    return { recorded: true, ...answer, results };
  }

  /**
   * Records the results of one batch call under one version (the JSON batch, and each chunk of
   * the JSON Lines batch): each result with outputs is a decision, batch_index its place in the
   * call, all stored in one statement; answers the results in order, each decided one with its
   * decision_id (said first: the JSON batch's answer has it before id).
   */
  async recordResults<R extends { outputs: unknown } | { error: unknown }>(ctx: CallContext, policy: string, version: VersionRecord, asOf: string,
    households: readonly unknown[], results: readonly R[]): Promise<(R | ({ decision_id: string } & R))[]> {
    const decided: { household: unknown; policy: string; version: VersionRecord; outputs: unknown; batchIndex: number }[] = [];
    for (let i = 0; i < results.length; i++) {
      const r = results[i]!;
      if ('outputs' in r) decided.push({ household: households[i], policy, version, outputs: r.outputs, batchIndex: i });
    }
    const ids = await this.recordEach(ctx, asOf, decided);
    let k = 0;
    return results.map((r) => ('outputs' in r ? { decision_id: ids[k++]!, ...r } : r));
  }

  /** Records decisions already evaluated elsewhere (a monitoring run), all in one grouped insert; answers their ids in order. */
  async recordEvaluated(ctx: CallContext, items: { policy: string; version: VersionRecord; as_of: string; household: unknown; outputs: unknown }[]): Promise<string[]> {
    const at = this.now();
    const rows = items.map((it) => this.row(ctx, at, it.policy, it.version, it.as_of, it.household, it.outputs, null));
    await this.repo.insert(rows);
    return rows.map((r) => r.id);
  }

  /** Admin and reviewer see every decision; any other role only those its key made. */
  private visible(caller: Principal, row: DecisionRow | null): row is DecisionRow {
    return row !== null && (caller.role === 'admin' || caller.role === 'reviewer' || row.caller_key === caller.fingerprint);
  }

  private async find(id: string, caller: Principal): Promise<DecisionRow> {
    let row = await this.repo.get(id);
    for (const source of this.sources) row ??= await source.find(id);
    // another key's decision is answered exactly like one that does not exist: ids cannot be probed
    if (!this.visible(caller, row)) throw decisionNotFound(id);
    return row;
  }

  async get(id: string, caller: Principal): Promise<DecisionView> {
    return view(await this.find(id, caller));
  }

  async list(q: ListQuery, caller: Principal): Promise<{ decisions: DecisionView[]; next_cursor: string | null }> {
    const limit = q.limit === undefined ? DEFAULT_DECISIONS_PER_PAGE : Number(q.limit);
    const f: DecisionFilter = { policy: q.policy, household_id: q.household_id, caller_name: q.caller, cursor: q.cursor, limit: limit + 1 };
    if (q.from !== undefined) f.from = new Date(bound(q.from, 'from')).toISOString();
    if (q.to !== undefined) f.to = new Date(bound(q.to, 'to')).toISOString();
    if (caller.role !== 'admin' && caller.role !== 'reviewer') f.caller_key = caller.fingerprint;
    // every store's newest `limit + 1` under the same filter, merged by id (UUIDv7: time order)
    const lists = await Promise.all([this.repo.list(f), ...this.sources.map((s) => s.list(f))]);
    const rows = lists.length === 1 ? lists[0]! : lists.flat().sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    const page = rows.slice(0, limit);
    return { decisions: page.map(view), next_cursor: rows.length > limit ? page[page.length - 1]!.id : null };
  }

  /** Recomputes a decision: under its own version (identical or a defect), or under the version in force today. */
  async replay(id: string, caller: Principal, under?: 'current') {
    const row = await this.find(id, caller);
    const household = JSON.parse(row.household) as unknown;
    const recorded = JSON.parse(row.outputs) as Record<string, unknown>;
    if (under === 'current') {
      const today = this.evaluation.today();
      const { version } = this.evaluation.resolve(row.policy, today);
      const now = await this.evaluation.whenCompiled(row.policy, { as_of: today, version: version.version },
        () => this.evaluation.evaluateVersion(row.policy, { household, as_of: today, version: version.version, trace: false }));
      const after = now.answer.outputs as Record<string, unknown>;
      const names = [...new Set([...Object.keys(recorded), ...Object.keys(after)])];
      return {
        decision_id: row.id, policy: row.policy, under: 'current',
        before: { version: row.version, effective_from: row.effective_from, as_of: row.as_of },
        after: { version: now.version.version, effective_from: now.version.effective_from, as_of: today },
        outputs: names.map((name) => ({ name, before: recorded[name] ?? null, after: after[name] ?? null, changed: canonicalJson(recorded[name] ?? null) !== canonicalJson(after[name] ?? null) })),
      };
    }
    const again = await this.evaluation.whenCompiled(row.policy, { as_of: row.as_of, version: row.version },
      () => this.evaluation.evaluateVersion(row.policy, { household, as_of: row.as_of, version: row.version, trace: false }));
    const sameVersion = again.version.hash === row.version_hash;
    const identical = sameVersion && canonicalJson(again.answer.outputs) === row.outputs;
    if (!identical) {
      // a defect: a published version must always give the same answer (ids only, never household contents)
      this.log({ level: 'error', msg: 'DECISION REPLAY DIFFERS', decision_id: row.id, policy: row.policy, version: row.version,
        recorded_hash: row.version_hash, current_hash: again.version.hash });
    }
    return {
      decision_id: row.id, policy: row.policy, version: row.version, as_of: row.as_of,
      identical, outputs: again.answer.outputs, recorded_outputs: recorded,
    };
  }
}

function view(r: DecisionRow): DecisionView {
  return {
    id: r.id, at: r.at, caller: { name: r.caller_name, role: r.caller_role }, request_id: r.request_id,
    policy: r.policy, version: r.version, version_hash: r.version_hash, source_hash: r.source_hash, effective_from: r.effective_from, as_of: r.as_of,
    household_id: r.household_id, household: JSON.parse(r.household), outputs: JSON.parse(r.outputs) as Record<string, unknown>, batch_index: r.batch_index,
  };
}
