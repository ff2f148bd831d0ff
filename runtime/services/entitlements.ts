// 一门受理: one household, every programme it may receive. The household is routed to the county
// that handles it (jurisdictions.ts), every programme in force there (and at its prefecture and
// province) is evaluated in dependency order — a programme that uses another reads the result
// decided in the same call — and the cash is totalled. Each programme's decision is recorded on
// its own (decisions.ts). No HTTP here: the routes and the monitor call entitlements().
import * as dsl from '../../dsl/index.js';
import { keyPath, nameIndex, unknownFieldMessage } from '../../dsl/index.js';
import type { VersionRecord } from '../store/types.js';
import type { CallContext, DecisionService } from './decisions.js';
import { requireDate } from './dates.js';
import { DomainError, joined } from './domain-error.js';
import { usesView, type EvaluationService, type HouseholdError, type Linked } from './evaluation.js';
import { fullName, lineage, policyDivision, route, type Basis, type Division, type Reason, type Route } from './jurisdictions.js';
import type { CompiledPolicy, PolicyInfo } from './language.js';

/** Households per batch call (each is evaluated against every programme of its county). */
export const MAX_ENTITLEMENTS_BATCH = 1000;

/** Household keys routing reads: known even to a policy whose schema module predates them. */
const ROUTING_KEYS = ['residence_code', 'hukou_code'];

type Json = unknown;

export interface EntitlementsOptions {
  evaluation: EvaluationService;
  /** Given with `call`: each programme's decision is recorded (unless `record` is false). */
  decisions?: DecisionService;
  call?: CallContext;
  record?: boolean;
  trace?: boolean;
  /** false: compile on this thread, without the worker pool's budget (the CLI over local files). */
  bounded?: boolean;
}

/** A programme in force in the routed jurisdiction on the date. */
interface Programme { id: string; version: VersionRecord; info: PolicyInfo; division: Division; uses: readonly string[] }

export interface ProgrammeResult {
  policy: string; title: string; program: string; jurisdiction: { code: string; name: string };
  version: number; effective_from: string; granted: boolean;
  outputs: Record<string, Json>;
  uses: Record<string, { version: number; outputs: Record<string, Json> }>;
  assumptions: unknown[];
  decision_id?: string;
  trace?: unknown[];
  error?: HouseholdError;
}

export interface Totals {
  /** Σ monthly_amount of the granted programmes (yuan, 2 places). */
  monthly_cash: string;
  /** monthly_cash × 12: the year's cash at this month's amounts. */
  yearly_cash: string;
  /** Granted programmes that pay once (临时救助's amount), not in the monthly figures. */
  one_off_cash: string;
  /** Granted programmes without a monthly cash amount: services, insurance, status. */
  services: { policy: string; program: string; title: string }[];
}

export interface EntitlementsAnswer {
  household_id: string | null;
  as_of: string;
  routed: boolean;
  jurisdiction: JurisdictionView | null;
  programmes: ProgrammeResult[];
  totals: Totals;
  recorded: boolean;
  decision_ids: Record<string, string>;
  assumptions: unknown[];
  /** Why no programme applies (when `programmes` is empty), or why only the place of residence's
   *  temporary assistance does (a hukou in another province: `routed` false). */
  reason?: { code: string; message: string; message_zh: string; message_en: string };
}

interface JurisdictionView {
  code: string; name: string; name_en: string; full_name: string;
  basis: Basis;
  residence: { code: string; name: string };
  hukou: { code: string; name: string } | null;
}

const place = (d: Division) => ({ code: d.code, name: d.name });
const reasonView = (r: Reason) => ({ code: r.code, message: `${r.zh} / ${r.en}`, message_zh: r.zh, message_en: r.en });

// programmesIn per (store snapshot, county, date): every household of a batch or a monitoring
// chunk asks the same question, and answering it analyses (hashes) every published source. The
// store replaces its data object on every write, so a snapshot's answers never go stale.
const PROGRAMMES_MEMO_MAX = 1000;
const programmesMemo = new WeakMap<object, Map<string, Programme[]>>();

/** The programmes in force on asOf whose jurisdiction is `at` or one of its parents (published, not retired). */
export function programmesIn(evaluation: EvaluationService, at: Division | null, asOf: string): Programme[] {
  const snapshot = evaluation.policies.store.data;
  let memo = programmesMemo.get(snapshot);
  if (!memo || memo.size >= PROGRAMMES_MEMO_MAX) programmesMemo.set(snapshot, memo = new Map());
  const key = `${at?.code ?? '*'}|${asOf}`;
  let list = memo.get(key);
  if (!list) memo.set(key, list = findProgrammes(evaluation, at, asOf));
  return list;
}

function findProgrammes(evaluation: EvaluationService, at: Division | null, asOf: string): Programme[] {
  const inside = at ? new Set(lineage(at).map((d) => d.code)) : null;
  const out: Programme[] = [];
  const all = Object.values(evaluation.policies.store.data.policies).sort((a, b) => a.id.localeCompare(b.id));
  for (const p of all) {
    if (p.retired) continue;
    let version: VersionRecord | undefined;
    for (const v of p.versions) if (v.effective_from <= asOf) version = v;
    if (!version) continue;
    const info = evaluation.lang.analyze(version.source).info;
    const division = info ? policyDivision(info as PolicyInfo & { jurisdiction_code?: string }) : undefined;
    if (!info || !division || (inside && !inside.has(division.code))) continue;
    out.push({ id: p.id, version, info, division, uses: (info as { uses?: readonly string[] }).uses ?? [] });
  }
  return inDependencyOrder(out);
}

/** 临时救助 is applied for without regard to hukou or residence (004; the 急难 kind where it happened,
 *  001 第二章第三节): a household handled at its place of hukou, or not handled here at all, still
 *  gets the temporary assistance of the place it lives. Recognised by the policy's 项目. */
const TEMPORARY_ASSISTANCE = '临时救助';

/** The programmes one routed (or not-routed-here) household gets: those of the county that handles
 *  it, and the temporary assistance of the place it lives when that is another place. */
function programmesFor(evaluation: EvaluationService, r: Route, asOf: string, inForce: typeof programmesIn): Programme[] {
  const handled = r.ok ? inForce(evaluation, r.division, asOf) : [];
  if (!r.residence || (r.ok && r.division.code === r.residence.code)) return handled;
  const here = inForce(evaluation, r.residence, asOf).filter((p) => p.info.program === TEMPORARY_ASSISTANCE && !handled.some((q) => q.id === p.id));
  return here.length ? inDependencyOrder([...handled, ...here]) : handled;
}

/** Referenced programmes before those that use them (the language's linkOrder, once it has one). */
function inDependencyOrder(list: Programme[]): Programme[] {
  const linkOrder = (dsl as unknown as { linkOrder?: (uses: Record<string, readonly string[]>) => { order: string[] } | { cycle: string[] } }).linkOrder;
  if (!linkOrder) return list;
  const r = linkOrder(Object.fromEntries(list.map((p) => [p.id, p.uses])));
  if (!('order' in r)) {
    const cycle = r.cycle.join(' → ');
    throw new DomainError('unprocessable', 'policy.link_cycle', `已发布的政策相互引用成环：${cycle}`, `Published policies use each other in a cycle: ${cycle}`, [{ path: 'policies', message: cycle }]);
  }
  const byId = new Map(list.map((p) => [p.id, p]));
  return r.order.flatMap((id) => byId.get(id) ?? []);
}

/**
 * Compiles (in the worker first, within the budget: never a stalled server) the versions that
 * may answer: those of the households' routed counties, or every one in force when `households`
 * is omitted. Their referenced policies compile on first use.
 */
export async function prepare(evaluation: EvaluationService, asOf: string, households?: unknown[]): Promise<void> {
  const wanted = new Map<string, number>();
  if (!households) for (const p of programmesIn(evaluation, null, asOf)) wanted.set(p.id, p.version.version);
  else for (const h of households) {
    const r = h && typeof h === 'object' && !Array.isArray(h) ? route(h as Record<string, unknown>) : undefined;
    if (r && (r.ok || r.elsewhere)) for (const p of programmesFor(evaluation, r, asOf, programmesIn)) wanted.set(p.id, p.version.version);
  }
  await Promise.all([...wanted].map(([id, version]) => evaluation.whenCompiled(id, { as_of: asOf, version }, () => undefined)));
}

const fen = (v: unknown): dsl.money.Num => (typeof v === 'string' ? dsl.money.yuanToFen(v) ?? 0 : 0);

function totals(results: ProgrammeResult[]): Totals {
  let monthly: dsl.money.Num = 0, once: dsl.money.Num = 0;
  const services: Totals['services'] = [];
  for (const r of results) {
    if (!r.granted) continue;
    const cash = r.outputs['monthly_amount'];
    if (typeof cash === 'string') monthly = dsl.money.add(monthly, fen(cash));
    else if (typeof r.outputs['amount'] === 'string') once = dsl.money.add(once, fen(r.outputs['amount']));
    else services.push({ policy: r.policy, program: r.program, title: r.title });
  }
  return { monthly_cash: dsl.money.fenToYuan(monthly), yearly_cash: dsl.money.fenToYuan(dsl.money.mul(monthly, 12)), one_off_cash: dsl.money.fenToYuan(once), services };
}

/**
 * The household as one policy reads it: only the top-level keys its schema declares (a policy's
 * own fields, e.g. temporary-assistance's incident_type, are not unknown keys to the others).
 * A key no routed programme declares is refused, naming the nearest known one.
 */
function forPolicy(h: Record<string, unknown>, c: CompiledPolicy): Record<string, unknown> {
  const known = new Set(c.schema.fields.map((f) => f.name));
  return Object.fromEntries(Object.entries(h).filter(([k]) => known.has(k)));
}

function unknownKeys(h: Record<string, unknown>, compiled: CompiledPolicy[]): HouseholdError | undefined {
  const names = [...new Set([...ROUTING_KEYS, ...compiled.flatMap((c) => c.schema.fields.map((f) => f.name))])];
  const bad = Object.keys(h).filter((k) => !names.includes(k));
  if (!bad.length) return undefined;
  const idx = nameIndex(names);
  const details = bad.slice(0, 20).map((k) => ({ path: keyPath('household', k), message: joined(unknownFieldMessage(k, idx)) }));
  return { code: 'household.invalid', message: '家庭数据不符合要求 / The household is invalid', message_zh: '家庭数据不符合要求', message_en: 'The household is invalid', details };
}

export type Decided = { ok: true; answer: EntitlementsAnswer; decided: { policy: string; version: VersionRecord; outputs: unknown }[] } | { ok: false; error: HouseholdError };

/**
 * The names the policies compare (county, hukou_county, hukou_province), filled in from the
 * division codes where the household gave codes only: a policy reads names, routing reads codes.
 */
function withPlaceNames(h: Record<string, unknown>, residence: Division, hukou: Division | null): Record<string, unknown> {
  const blank = (k: string) => typeof h[k] !== 'string' || (h[k] as string).trim() === '';
  const out = { ...h };
  if (blank('county')) out['county'] = residence.name;
  if (hukou && hukou.parent !== null && blank('hukou_county')) out['hukou_county'] = hukou.name;
  if (hukou && blank('hukou_province')) out['hukou_province'] = lineage(hukou).at(-1)!.name;
  return out;
}

const jurisdictionView = (r: Extract<Route, { ok: true }>): JurisdictionView => ({
  code: r.division.code, name: r.division.name, name_en: r.division.nameEn, full_name: fullName(r.division), basis: r.basis,
  residence: place(r.residence), hukou: r.hukou ? place(r.hukou) : null,
});

const invalid = (r: Reason): HouseholdError => ({ code: r.code, message: `${r.zh} / ${r.en}`, message_zh: r.zh, message_en: r.en, details: r.path ? [{ path: r.path, message: `${r.zh} / ${r.en}` }] : [] });

/** Routes and evaluates one household (synchronous: the versions are compiled by prepare()). */
/** `inForce`: programmesIn, or a caller's memo of it (a monitoring run asks it once per county, not per household). */
export function decide(evaluation: EvaluationService, household: unknown, asOf: string, trace: boolean, inForce: typeof programmesIn = programmesIn): Decided {
  if (household === null || typeof household !== 'object' || Array.isArray(household)) {
    return { ok: false, error: { code: 'household.invalid', message: '家庭数据应为对象 / household must be an object', message_zh: '家庭数据应为对象', message_en: 'household must be an object', details: [{ path: 'household', message: '应为对象 / must be an object' }] } };
  }
  const h = household as Record<string, unknown>;
  const hid = typeof h['id'] === 'string' ? h['id'] : null;
  const r = route(h);
  if (!r.ok && !r.elsewhere) return { ok: false, error: invalid(r.reason) };
  const progs = programmesFor(evaluation, r, asOf, inForce);
  const base = { household_id: hid, as_of: asOf, routed: r.ok, jurisdiction: r.ok ? jurisdictionView(r) : null, recorded: false, decision_ids: {} };
  // a hukou in another province: only the place of residence's temporary assistance, and why nothing else
  const why = r.ok ? undefined : reasonView(r.reason);
  if (!progs.length) {
    const none = r.ok ? reasonView({ code: 'jurisdiction.no_programmes',
      zh: `已按“${r.basis.zh}”确定由${fullName(r.division)}（${r.division.code}）受理，但该地及其上级在 ${asOf} 没有生效的救助项目`,
      en: `Routed to ${r.division.nameEn} (${r.division.code}) by the rule "${r.basis.en}", but no programme of it or its parents is in force on ${asOf}` }) : why!;
    return { ok: true, decided: [], answer: { ...base, programmes: [], totals: totals([]), assumptions: [], reason: none } };
  }
  const compiled = progs.map((p) => evaluation.compiledVersion(p.id, p.version));
  const bad = unknownKeys(h, compiled);
  if (bad) return { ok: false, error: bad };
  const named = r.residence ? withPlaceNames(h, r.residence, r.hukou) : h;
  const known = new Map<string, Linked>();
  const results: ProgrammeResult[] = [];
  const decided: { policy: string; version: VersionRecord; outputs: unknown }[] = [];
  for (const [i, p] of progs.entries()) {
    const out = evaluation.runWithLinks(compiled[i]!, forPolicy(named, compiled[i]!), asOf, trace, { id: p.id, version: p.version.version }, known);
    const head = {
      policy: p.id, title: p.info.title, program: p.info.program, jurisdiction: place(p.division),
      version: p.version.version, effective_from: p.version.effective_from,
    };
    if (!out.ok) {
      // the household itself is wrong: the same for every programme, so the whole answer is a 400
      if (out.error.code === 'household.invalid') return { ok: false, error: out.error };
      results.push({ ...head, granted: false, outputs: {}, uses: {}, assumptions: [], error: out.error });
      continue;
    }
    known.set(p.id, { version: p.version, result: { version: p.version.version, outputs: out.outputs, ...(trace ? { trace: out.trace } : {}) } });
    results.push({ ...head, granted: out.outputs['eligible'] === true, outputs: out.outputs, uses: usesView(out.linked) ?? {}, assumptions: out.assumptions, ...(trace ? { trace: out.trace } : {}) });
    decided.push({ policy: p.id, version: p.version, outputs: out.outputs });
  }
  const assumptions = results.flatMap((x) => x.assumptions.map((a) => ({ policy: x.policy, ...(a as object) })));
  return { ok: true, decided, answer: { ...base, programmes: results, totals: totals(results), assumptions, ...(why ? { reason: why } : {}) } };
}

const asError = (e: HouseholdError) => new DomainError(e.code === 'household.invalid' || e.code.startsWith('jurisdiction.') ? 'invalid' : 'unprocessable', e.code, e.message_zh, e.message_en, e.details);

/** Whether this call is recorded (decisions and a caller given, and not a permitted dry run). */
const recording = (opts: EntitlementsOptions) => !!(opts.decisions && opts.call) && opts.decisions!.recording(opts.call!.caller, opts.record);

/** Stores the decisions and puts their ids into the answers. */
async function record(opts: EntitlementsOptions, asOf: string, answers: { answer: EntitlementsAnswer; household: unknown; decided: Extract<Decided, { ok: true }>['decided']; index: number | null }[]) {
  const flat = answers.flatMap((a) => a.decided.map((d) => ({ ...d, household: a.household, batchIndex: a.index, answer: a.answer })));
  const ids = await opts.decisions!.recordEach(opts.call!, asOf, flat);
  flat.forEach((d, i) => {
    d.answer.recorded = true;
    d.answer.decision_ids[d.policy] = ids[i]!;
    const p = d.answer.programmes.find((x) => x.policy === d.policy);
    if (p) p.decision_id = ids[i]!;
  });
  for (const a of answers) a.answer.recorded = true;
}

/** Whether a YYYY-MM-DD text is a day of the calendar (2024-02-30 is not). */
function dateOf(asOf: string | undefined, opts: EntitlementsOptions): string {
  return requireDate(asOf ?? opts.evaluation.today());
}

/** Every programme one household may receive on asOf (default today), in dependency order. */
export async function entitlements(household: unknown, asOf: string | undefined, opts: EntitlementsOptions): Promise<EntitlementsAnswer> {
  const date = dateOf(asOf, opts);
  const rec = recording(opts);
  if (opts.bounded !== false) await prepare(opts.evaluation, date, [household]);
  const d = decide(opts.evaluation, household, date, opts.trace ?? false);
  if (!d.ok) throw asError(d.error);
  if (rec) await record(opts, date, [{ answer: d.answer, household, decided: d.decided, index: null }]);
  return d.answer;
}

export type BatchItem = EntitlementsAnswer | { household_id: string | null; error: HouseholdError };

/** Many households; one answer or error per household, in order; decisions stored in one statement. */
export async function entitlementsBatch(households: unknown[], asOf: string | undefined, opts: EntitlementsOptions): Promise<{ as_of: string; recorded: boolean; results: BatchItem[]; error_count: number }> {
  checkEntitlementsBatch(households.length);
  const date = dateOf(asOf, opts);
  const rec = recording(opts);
  if (opts.bounded !== false) await prepare(opts.evaluation, date, households);
  const done = households.map((h) => ({ h, d: decide(opts.evaluation, h, date, false) }));
  if (rec) {
    await record(opts, date, done.flatMap(({ h, d }, i) => (d.ok ? [{ answer: d.answer, household: h, decided: d.decided, index: i }] : [])));
  }
  const results = done.map(({ h, d }): BatchItem => (d.ok ? d.answer : { household_id: householdId(h), error: d.error }));
  return { as_of: date, recorded: rec, results, error_count: done.filter((x) => !x.d.ok).length };
}

const householdId = (h: unknown): string | null =>
  h && typeof h === 'object' && !Array.isArray(h) && typeof (h as { id?: unknown }).id === 'string' ? (h as { id: string }).id : null;

export function checkEntitlementsBatch(n: number): void {
  if (n > MAX_ENTITLEMENTS_BATCH) {
    throw new DomainError('too_large', 'batch.too_large', `一次最多 ${MAX_ENTITLEMENTS_BATCH} 户（收到 ${n} 户）`,
      `At most ${MAX_ENTITLEMENTS_BATCH} households per batch (got ${n})`, [{ path: 'households', message: `maxItems ${MAX_ENTITLEMENTS_BATCH}` }]);
  }
}
