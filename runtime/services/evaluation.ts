// Evaluation of published versions (the contract other systems call): picks the version in
// force on as_of (or the pinned one), compiles it once, validates and evaluates households.
import { capped, detailOf, type ErrorDetail } from './domain-error.js';
import type { PolicyRecord, VersionRecord } from '../store/types.js';
import { DomainError } from './domain-error.js';
import type { CompiledPolicy, Language } from './language.js';
import type { PolicyService } from './policies.js';
import { Utf8Sink, householdPath, todayInChina, freshTraceJsonInto } from '../../dsl/index.js';
import { requireDate } from './dates.js';
import { eachHousehold, type HouseholdList } from './batch-body.js';
import { writtenBy } from '../json-bytes.js';
import { allocBytes } from '../sink-bytes.js';
import { BytePool, type LentBytes } from './byte-pool.js';

export const MAX_BATCH = 10_000;
/** Batch households whose error is given in full; past them an error is its code only (and counted). */
export const MAX_DETAILED_ERRORS = 100;

type Json = unknown;

/** A referenced policy's result as the language takes it (`linked` of CompiledPolicy.evaluate). */
export interface LinkedResult { version: number; outputs: Record<string, Json>; trace?: unknown[] }
/** A referenced result computed in this call, with the version record that gave it. */
export interface Linked { result: LinkedResult; version: VersionRecord }

/** The policies a compiled version reads the results of ([] when none, or before the language has links). */
export const usesOf = (c: CompiledPolicy): readonly string[] => (c as { uses?: readonly string[] }).uses ?? [];

/** What an answer rests on that no source gives (an assumed parameter or effective date). */
type Assumption = Extract<ReturnType<CompiledPolicy['evaluate']>, { ok: true }>['assumptions'][number];

export interface EvaluateInput { household: unknown; as_of?: string; version?: number; trace?: boolean }
export interface BatchInput { households: unknown[]; as_of?: string; version?: number }

/** A household's error in a batch: the error shape of every other answer, bilingual. */
export interface HouseholdError { code: string; message: string; message_zh: string; message_en: string; details: ErrorDetail[]; omitted?: true }

const householdError = (code: string, zh: string, en: string, details: ErrorDetail[] = []): HouseholdError =>
  ({ code, message: `${zh} / ${en}`, message_zh: zh, message_en: en, details: capped(details, 'household') });


/** A batch error past the first MAX_DETAILED_ERRORS: its code and a fixed text only. */
const omittedError = (code: string): HouseholdError =>
  ({ code, message: '详情从略 / details omitted', message_zh: '详情从略', message_en: 'details omitted', details: [], omitted: true });

/** What an unexpected fault during evaluation is logged with (the answer never carries it). */
export type FaultLog = (entry: Record<string, unknown>) => void;


/** The dry-run JSON batches' answer buffers kept for reuse (byte-pool.ts): a fresh 2.3 MB sink
 *  per batch of 10,000 was mapped, faulted in page by page as the ≈ 1.9 MB answer was written,
 *  and unmapped again (with the body's fresh copy, up to ≈ 1,100 page faults a batch once the
 *  heap had been given back). Two (a batch answered while the last is still being sent), each up to 32 MB. */
const BATCH_ANSWERS = new BytePool(2, 32 * 1024 * 1024);
/** The options of an evaluation without referenced results: two constants, not an object per call. */
const TRACE_ON: { trace: boolean } = Object.freeze({ trace: true });
const TRACE_OFF: { trace: boolean } = Object.freeze({ trace: false });
const NO_LINKS: Record<string, LinkedResult> = Object.freeze({}) as Record<string, LinkedResult>;
const hasKeys = (o: object): boolean => { for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k)) return true; return false; };

interface Resolved { policy: PolicyRecord; version: VersionRecord; compiled?: CompiledPolicy }

/** Entries kept per store snapshot before the lookup cache is emptied (distinct (policy, as_of, version) triples). */
const RESOLVE_CACHE_MAX = 4096;

export class EvaluationService {
  private compiled = new Map<string, CompiledPolicy>();
  /** Published versions are immutable, so a version record (frozen, never replaced) maps to its compiled form. */
  private compiledByRecord = new WeakMap<VersionRecord, CompiledPolicy>();
  /** (policy, as_of, pinned version) → the version in force, valid for one store snapshot: any commit
   *  (publish, retire, …) replaces the snapshot object and so empties this cache. */
  private resolved = new Map<string, Resolved>();
  private resolvedFor: unknown = undefined;

  /** First compilations in progress (one per version, however many requests wait for it). */
  private compiling = new Map<string, Promise<CompiledPolicy>>();

  constructor(readonly lang: Language, readonly policies: PolicyService, readonly today: () => string = () => todayInChina(),
    readonly log: FaultLog = () => undefined) {}

  /**
   * Runs `then` once the version that (id, as_of, version) resolves to is compiled: at once
   * when it is (the common case, no promise), else after compiling it — proven within the
   * budget in a worker first (compiled code cannot cross threads, so this thread compiles it
   * once the worker showed it finishes), so a published version that is too costly is a 422,
   * not a stalled server.
   */
  whenCompiled<T>(id: string, where: { as_of?: string; version?: number }, then: () => T): T | Promise<T> {
    const asOf = where.as_of ?? this.today();
    const r = this.lookupVersion(id, asOf, where.version);
    if (r.compiled || this.compiledByRecord.has(r.version)) return then();
    const key = `${r.version.hash}|${this.lang.modulesHash}`;
    let p = this.compiling.get(key);
    if (!p) {
      p = this.lang.proveCompiles(r.version.source, versionFile(id, r.version))
        .then(() => this.compiledVersion(id, r.version))
        .finally(() => this.compiling.delete(key));
      this.compiling.set(key, p);
    }
    return p.then(then);
  }

  /** resolve() + compiledVersion(), answered from a cache while the store does not change. */
  lookup(id: string, asOf: string, pinned?: number): { version: VersionRecord; compiled: CompiledPolicy } {
    const r = this.lookupVersion(id, asOf, pinned);
    r.compiled ??= this.compiledVersion(id, r.version);
    return { version: r.version, compiled: r.compiled };
  }

  /** The version in force (cached while the store does not change), compiled or not yet. */
  private lookupVersion(id: string, asOf: string, pinned?: number): Resolved {
    const snapshot = this.policies.store.data;
    if (snapshot !== this.resolvedFor || this.resolved.size >= RESOLVE_CACHE_MAX) { this.resolved.clear(); this.resolvedFor = snapshot; }
    const key = pinned === undefined ? `${id}\u0000${asOf}` : `${id}\u0000${asOf}\u0000${pinned}`;
    let r = this.resolved.get(key);
    if (!r) {
      r = this.resolve(id, asOf, pinned);   // throws (not found, retired, …): nothing is cached
      this.resolved.set(key, r);
    }
    return r;
  }

  /** The version to use: the pinned one, or the latest whose effective_from ≤ as_of. */
  resolve(id: string, asOf: string, pinned?: number): { policy: PolicyRecord; version: VersionRecord } {
    const policy = this.policies.policy(id);
    if (policy.retired) {
      throw new DomainError('gone', 'policy.retired', `政策 ${id} 已停用`, `Policy ${id} is retired`, [{ path: 'policyId', message: id }]);
    }
    if (pinned !== undefined) {
      const v = policy.versions[pinned - 1];
      if (!v) throw new DomainError('not_found', 'version.not_found', `政策 ${id} 没有已发布的版本 ${pinned}`, `Policy ${id} has no published version ${pinned}`, [{ path: 'version', message: String(pinned) }]);
      return { policy, version: v };
    }
    let found: VersionRecord | undefined;
    for (const v of policy.versions) if (v.effective_from <= asOf) found = v;
    if (!found) {
      const first = policy.versions[0];
      throw new DomainError('not_found', 'version.not_in_force',
        `政策 ${id} 在 ${asOf} 没有生效的版本${first ? `（最早的版本自 ${first.effective_from} 起生效）` : '（尚未发布）'}`,
        `Policy ${id} has no version in force on ${asOf}${first ? ` (the first takes effect on ${first.effective_from})` : ' (nothing published yet)'}`,
        [{ path: 'as_of', message: asOf }]);
    }
    return { policy, version: found };
  }

  /** The compiled form of a published version (compiled once: a version never changes). */
  compiledVersion(id: string, v: VersionRecord): CompiledPolicy {
    const known = this.compiledByRecord.get(v);
    if (known) return known;
    const key = `${v.hash}|${this.lang.modulesHash}`;
    let c = this.compiled.get(key);
    if (!c) {
      const r = this.lang.compile(v.source, versionFile(id, v));
      if (!r.compiled) {
        const refused = r.diagnostics.find((d) => d.code === 'policy.too_complex');
      if (refused) throw new DomainError('unprocessable', refused.code, refused.message.zh, refused.message.en, [{ path: `${id}/v${v.version}`, message: 'too complex' }]);
      throw new DomainError('unavailable', 'version.not_compilable', `已发布的版本 v${v.version} 无法编译（共享模块可能已更改）`,
          `Published version v${v.version} does not compile (a shared module may have changed)`,
          r.diagnostics.filter((d) => d.severity === 'error').slice(0, 20).map((d) => ({ path: `${id}/v${v.version}:${d.range.start.line}:${d.range.start.column}`, message: `${d.message.zh} / ${d.message.en}` })));
      }
      c = r.compiled;
      this.compiled.set(key, c);
    }
    this.compiledByRecord.set(v, c);
    return c;
  }

  /**
   * The results of the policies `c` uses, each evaluated first under its version in force on
   * `asOf` (recursively). `known` holds the results this call already has (an entitlements call
   * evaluates in dependency order, so each policy is evaluated once); `chain` guards against a
   * cycle that only appears between versions published at different dates.
   */
  linkedResults(c: CompiledPolicy, household: unknown, asOf: string, trace: boolean, known: Map<string, Linked> = new Map(), chain: string[] = []):
    { ok: true; linked: Record<string, LinkedResult> } | { ok: false; error: HouseholdError } {
    const linked: Record<string, LinkedResult> = {};
    for (const id of usesOf(c)) {
      let got = known.get(id);
      if (!got) {
        if (chain.includes(id)) {
          const cycle = [...chain.slice(chain.indexOf(id)), id].join(' → ');
          return { ok: false, error: householdError('policy.link_cycle', `政策相互引用成环：${cycle}`, `Policies use each other in a cycle: ${cycle}`, [{ path: id, message: cycle }]) };
        }
        let r: { version: VersionRecord; compiled: CompiledPolicy };
        try { r = this.lookup(id, asOf); } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          return { ok: false, error: householdError('policy.link_unavailable', `引用的政策 ${id} 在 ${asOf} 不可用：${e.zh}`, `Referenced policy ${id} is not available on ${asOf}: ${e.en}`, e.details) };
        }
        const inner = this.linkedResults(r.compiled, household, asOf, trace, known, [...chain, id]);
        if (!inner.ok) return inner;
        const out = this.run(r.compiled, household, asOf, trace, { id, version: r.version.version }, inner.linked);
        if (!out.ok) return out;
        got = { version: r.version, result: { version: r.version.version, outputs: out.outputs, ...(trace ? { trace: out.trace } : {}) } };
        known.set(id, got);
      }
      linked[id] = got.result;
    }
    return { ok: true, linked };
  }

  /** run() with the referenced results evaluated first (none: exactly run()). */
  runWithLinks(c: CompiledPolicy, household: unknown, asOf: string, trace: boolean, where: { id: string; version: number }, known?: Map<string, Linked>):
    ({ ok: true; outputs: Record<string, Json>; assumptions: Assumption[]; trace?: unknown[] } | { ok: false; error: HouseholdError }) & { linked: Record<string, LinkedResult> } {
    // object literals, not spreads of run()'s answer: this is every programme of every household
    let linked: Record<string, LinkedResult> = NO_LINKS;
    if (usesOf(c).length !== 0) {
      const l = this.linkedResults(c, household, asOf, trace, known, [where.id]);
      if (!l.ok) return { ok: false, error: l.error, linked: {} };
      linked = l.linked;
    }
    const r = this.run(c, household, asOf, trace, where, linked === NO_LINKS ? undefined : linked);
    if (!r.ok) return { ok: false, error: r.error, linked: linked === NO_LINKS ? {} : linked };
    return { ok: true, outputs: r.outputs, assumptions: r.assumptions, trace: r.trace, linked: linked === NO_LINKS ? {} : linked };
  }

  run(c: CompiledPolicy, household: unknown, asOf: string, trace: boolean, where: { id: string; version: number }, linked?: Record<string, LinkedResult>):
    { ok: true; outputs: Record<string, Json>; assumptions: Assumption[]; trace?: unknown[] } | { ok: false; error: HouseholdError } {
    if (household === null || typeof household !== 'object' || Array.isArray(household)) {
      return { ok: false, error: householdError('household.invalid', '家庭数据应为对象', 'household must be an object', [{ path: 'household', message: '应为对象 / must be an object' }]) };
    }
    let r: ReturnType<CompiledPolicy['evaluate']>;
    try {
      // `linked` only when there are referenced results (a variable: the option is the language's newer API)
      const opts: { trace: boolean; linked?: Record<string, LinkedResult> } = linked && hasKeys(linked) ? { trace, linked } : trace ? TRACE_ON : TRACE_OFF;
      r = c.evaluate(household, asOf, opts);
    } catch (e) {
      // A fault of the compiled policy, not of the household: logged with its stack, never
      // shown (its text is JavaScript's, e.g. "Ratio is not defined").
      this.log({ level: 'error', msg: 'evaluation fault', policy: c.info?.id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), stack: e instanceof Error ? e.stack : undefined });
      return { ok: false, error: householdError('evaluation.failed', '计算出错（服务器内部错误，已记录）', 'Evaluation failed (an internal error, logged)') };
    }
    if (!r.ok && r.fault) {
      // The published policy cannot compute this household (e.g. a division by zero): the
      // policy's fault, named by version and source line, never the caller's household.
      const { line, message } = r.fault;
      return { ok: false, error: householdError('evaluation.fault',
        `政策 ${where.id} 第 ${where.version} 版第 ${line} 行无法计算该家庭：${message.zh}`,
        `Policy ${where.id} v${where.version} cannot compute this household at line ${line}: ${message.en}`,
        [{ path: `${where.id}/v${where.version}/policy.policy:${line}`, message: `${message.zh} / ${message.en}` }]) };
    }
    if (!r.ok) {
      return { ok: false, error: householdError('household.invalid', '家庭数据不符合要求', 'The household is invalid', r.errors.map((e) => detailOf({ path: householdPath(e.path), message: e.message }))) };
    }
    return { ok: true, outputs: r.outputs, assumptions: r.assumptions, trace: trace ? r.trace ?? [] : undefined };
  }

  /** The household a version reads, as JSON Schema: the common fields plus the policy's own
   *  (temporary-assistance adds incident_type and expense_amount), so integrators can validate first. */
  householdSchema(id: string, asOfText?: string, versionText?: string) {
    const asOf = asOfText ?? this.today();
    requireDate(asOf);
    let pinned: number | undefined;
    if (versionText !== undefined) {
      pinned = Number(versionText);
      if (!Number.isSafeInteger(pinned) || pinned < 1) throw new DomainError('invalid', 'request.invalid', '版本号应为正整数', 'version must be a positive whole number', [{ path: 'version', message: versionText.slice(0, 40) }]);
    }
    return this.whenCompiled(id, { as_of: asOf, version: pinned }, () => {
      const { version, compiled: c } = this.lookup(id, asOf, pinned);
      return { policy: id, version: version.version, effective_from: version.effective_from, as_of: asOf, schema: c.jsonSchema() };
    });
  }

  /** One household; with `trace: false` the answer has no `trace` (and none is built). */
  evaluate(id: string, input: EvaluateInput) {
    return this.evaluateVersion(id, input).answer;
  }

  /** evaluate(), and the published version record that answered (what a decision record names). */
  evaluateVersion(id: string, input: EvaluateInput) {
    const asOf = input.as_of ?? this.today();
    const { version, compiled: c } = this.lookup(id, asOf, input.version);
    const withTrace = input.trace !== false;
    const r = this.runWithLinks(c, input.household, asOf, withTrace, { id, version: version.version });
    if (!r.ok) {
      if (r.error.code === 'evaluation.failed') throw new Error(`evaluation of ${id} v${version.version} failed (logged above)`);   // → 500 with the request id
      throw new DomainError(r.error.code === 'household.invalid' ? 'invalid' : 'unprocessable', r.error.code, r.error.message_zh, r.error.message_en, r.error.details);
    }
    const uses = usesView(r.linked);
    const answer = { policy: id, version: version.version, effective_from: version.effective_from, as_of: asOf, outputs: r.outputs, assumptions: r.assumptions, ...(uses ? { uses } : {}) };
    // the trace's text is written with each derivation node once (dsl's traceJsonInto, as UTF-8), not once per output;
    // freshTraceJsonInto: this trace is evaluate()'s as it gave it (nothing here changes it before it is written)
    return { answer: withTrace ? { ...answer, trace: r.trace && writtenBy(r.trace, freshTraceJsonInto) } : answer, version };
  }

  /**
   * One household's result in a batch (the JSON batch and each chunk of the JSON Lines one):
   * `count.errors` counts the errors so far, the first MAX_DETAILED_ERRORS given in full.
   * A version that uses no other policy's results goes straight to run() (runWithLinks would
   * make two more objects per household to say there are none).
   */
  batchResult(c: CompiledPolicy, h: unknown, asOf: string, where: { id: string; version: number }, count: { errors: number }):
    { id: string | null; outputs: Record<string, Json> } | { id: string | null; error: HouseholdError } {
    const hid = h && typeof h === 'object' && !Array.isArray(h) && typeof (h as { id?: unknown }).id === 'string' ? (h as { id: string }).id : null;
    const r = usesOf(c).length === 0 ? this.run(c, h, asOf, false, where) : this.runWithLinks(c, h, asOf, false, where);
    if (r.ok) return { id: hid, outputs: r.outputs };
    return { id: hid, error: ++count.errors <= MAX_DETAILED_ERRORS ? r.error : omittedError(r.error.code) };
  }

  /**
   * batchResult() of a household given as JSON text (bytes start..end, read in place), for a dry
   * run, written into `sink` as `"id":…,"outputs":…` (the UTF-8 of the text JSON.stringify gives
   * those two fields of batchResult's answer), without JSON.parse when the version's reader takes
   * the text (CompiledPolicy.evaluateJsonInto: a version that uses no other policy's results);
   * -1 for the text it does not take (the sink then as it was), and undefined when there is no
   * reader (then the caller parses the text and calls batchResult, which gives every error).
   */
  textEvaluator(c: CompiledPolicy, asOf: string): ((bytes: Uint8Array, start: number, end: number, sink: Utf8Sink) => number) | undefined {
    const read = c.evaluateJsonInto;
    if (read === undefined || usesOf(c).length !== 0) return undefined;
    return (bytes, start, end, sink) => read(bytes, asOf, start, end, sink);
  }

  /**
   * The dry-run JSON batch's answer as UTF-8 bytes (`head`: its opening, DecisionService's `recorded`), read
   * from the body's bytes (`list`: where its households lie, services/batch-body.ts): the bytes of the text
   * JSON.stringify gives for batch()'s answer, when the version is compiled and its reader takes
   * every household (each then has outputs: no error to number); undefined otherwise, and then
   * the caller parses the body and calls batch(), which gives every answer and error. The bytes
   * are lent (a kept buffer's): released once sent, they are written again by a later batch.
   */
  batchText(id: string, where: { as_of?: string; version?: number }, bytes: Uint8Array, list: HouseholdList, head = '{'): LentBytes | undefined {
    const asOf = where.as_of ?? this.today();
    let r: Resolved;
    try { r = this.lookupVersion(id, asOf, where.version); } catch { return undefined; }
    const c = r.compiled ?? this.compiledByRecord.get(r.version);
    const read = c === undefined || usesOf(c).length !== 0 ? undefined : c.evaluateJsonInto;
    if (c === undefined || read === undefined) return undefined;
    const v = r.version;
    const fields = JSON.stringify({ policy: id, version: v.version, effective_from: v.effective_from, as_of: asOf, assumptions: c.assumptions() });
    // room for half the households' bytes first (≈ 40 % for the benchmark's: no growing, no
    // copy), in a kept buffer whose pages are mapped already (byte-pool.ts)
    const size = Math.max(64 * 1024, (list.close - list.open) >> 1);
    const out = new Utf8Sink(size, allocBytes, BATCH_ANSWERS.atLeast(size));
    out.text(`${head}${fields.slice(1, -1)},"results":[`);
    // each household read in place in the body, where the one before it ended (no pass first to find them)
    let first = true;
    const n = eachHousehold(bytes, list, MAX_BATCH, (start) => {
      if (!first) out.byte(44);
      first = false;
      out.byte(123);
      const end = read(bytes, asOf, start, -1, out);
      out.byte(125);
      return end;
    });
    if (n < 0) { BATCH_ANSWERS.give(out.b as Buffer); return undefined; }
    out.text('],"error_count":0,"errors_omitted":0}');
    const buf = out.b as Buffer;
    let lent = true;
    return { bytes: out.bytes() as Buffer, release: () => { if (lent) { lent = false; BATCH_ANSWERS.give(buf); } } };
  }

  checkBatchSize(n: number): void {
    if (n > MAX_BATCH) {
      throw new DomainError('too_large', 'batch.too_large', `一次最多 ${MAX_BATCH} 户（收到 ${n} 户）`,
        `At most ${MAX_BATCH} households per batch (got ${n})`, [{ path: 'households', message: `maxItems ${MAX_BATCH}` }]);
    }
  }

  /** One result per household, in order. Errors past the first MAX_DETAILED_ERRORS are their
   *  code only (`omitted: true`); `error_count` counts them all. */
  batch(id: string, input: BatchInput) {
    return this.batchVersion(id, input).answer;
  }

  /** batch(), and the published version record that answered. */
  batchVersion(id: string, input: BatchInput) {
    this.checkBatchSize(input.households.length);
    const asOf = input.as_of ?? this.today();
    const { version, compiled: c } = this.lookup(id, asOf, input.version);
    const count = { errors: 0 };
    const where = { id, version: version.version };
    const results = input.households.map((h) => this.batchResult(c, h, asOf, where, count));
    const errors = count.errors;
    const answer = {
      policy: id, version: version.version, effective_from: version.effective_from, as_of: asOf,
      // static per version: said once for the whole batch, not repeated in every result
      assumptions: c.assumptions(), results,
      error_count: errors, errors_omitted: Math.max(0, errors - MAX_DETAILED_ERRORS),
    };
    return { answer, version };
  }
}

/** What an answer says of the referenced results it used: version and outputs by policy (undefined: none). */
export function usesView(linked: Record<string, LinkedResult>): Record<string, { version: number; outputs: Record<string, Json> }> | undefined {
  const ids = Object.keys(linked);
  if (!ids.length) return undefined;
  return Object.fromEntries(ids.map((id) => [id, { version: linked[id]!.version, outputs: linked[id]!.outputs }]));
}

const versionFile = (id: string, v: VersionRecord) => `${id}/v${v.version}/policy.policy`;
