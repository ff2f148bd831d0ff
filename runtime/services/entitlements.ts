// 一门受理: one household, every programme it may receive. The household is routed to the county
// that handles it (jurisdictions.ts), every programme in force there (and at its prefecture and
// province) is evaluated in dependency order — a programme that uses another reads the result
// decided in the same call — and the cash is totalled. Each programme's decision is recorded on
// its own (decisions.ts). No HTTP here: the routes and the monitor call entitlements().
import * as dsl from '../../dsl/index.js';
import { keyPath, nameIndex, unknownFieldMessage, type NameIndex } from '../../dsl/index.js';
import type { VersionRecord } from '../store/types.js';
import type { CallContext, DecisionService } from './decisions.js';
import { requireDate } from './dates.js';
import { DomainError, joined } from './domain-error.js';
import { usesView, type EvaluationService, type HouseholdError, type Linked, type LinkedResult } from './evaluation.js';
import { fullName, lineage, policyDivision, provinceOf, route, type Basis, type Division, type Reason, type Route } from './jurisdictions.js';
import type { CompiledPolicy, PolicyInfo } from './language.js';
import { BytePool } from './byte-pool.js';
import { asOfPiece, ByteSink, closingOf, introOf, listTexts, piece, pieceOf, TextSink, writeAnswer, type AnswerSink, type ListTexts, type Piece } from './entitlements-text.js';
import { kernelOf, type Kernel } from './entitlements-kernel.js';
import { jsonString } from './json-string.js';
import { SharedAnswers } from './shared-answers.js';
import { computedOf, type Computed } from './entitlements-computed.js';

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

/** The last answer of programmesIn: a batch asks the same (snapshot, county, date) household after household. */
let lastIn: { snapshot: object; at: Division | null; asOf: string; list: Programme[] } | undefined;

/** The programmes in force on asOf whose jurisdiction is `at` or one of its parents (published, not retired). */
export function programmesIn(evaluation: EvaluationService, at: Division | null, asOf: string): Programme[] {
  const snapshot = evaluation.policies.store.data;
  if (lastIn && lastIn.snapshot === snapshot && lastIn.at === at && lastIn.asOf === asOf) return lastIn.list;
  let memo = programmesMemo.get(snapshot);
  if (!memo || memo.size >= PROGRAMMES_MEMO_MAX) programmesMemo.set(snapshot, memo = new Map());
  const key = `${at?.code ?? '*'}|${asOf}`;
  let list = memo.get(key);
  if (!list) memo.set(key, list = findProgrammes(evaluation, at, asOf));
  lastIn = { snapshot, at, asOf, list };
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
  const handled = r.ok ? inForce(evaluation, r.division, asOf) : NONE;
  if (!r.residence || (r.ok && r.division.code === r.residence.code)) return handled;
  const here = inForce(evaluation, r.residence, asOf);
  // the same two lists give the same answer: remembered on them (both are memoised lists)
  let byHere = withHere.get(handled);
  if (!byHere) withHere.set(handled, byHere = new WeakMap());
  let list = byHere.get(here);
  if (!list) {
    const extra = here.filter((p) => p.info.program === TEMPORARY_ASSISTANCE && !handled.some((q) => q.id === p.id));
    byHere.set(here, list = extra.length ? inDependencyOrder([...handled, ...extra]) : handled);
  }
  return list;
}
const NONE: Programme[] = [];
const withHere = new WeakMap<Programme[], WeakMap<Programme[], Programme[]>>();

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

/** Frozen and shared: no answer's list of services is written to after it is made. */
const NO_SERVICES: Totals['services'] = Object.freeze([]) as unknown as Totals['services'];
const NO_USES: ProgrammeResult['uses'] = Object.freeze({});
/** An answer's decision ids until it is recorded (record() gives it its own): most answers are
 *  never recorded (a dry run, monitoring), and each would keep an empty object of its own. */
const NO_IDS: EntitlementsAnswer['decision_ids'] = Object.freeze({}) as EntitlementsAnswer['decision_ids'];

/** The totals of an answer from its programmes' outputs (a programme is granted when its
 *  `eligible` output is true; a failed one has no outputs); `service[i]`: programme i's line in
 *  `services` (made once per plan). */
function totals(outputs: readonly Record<string, Json>[], service: readonly Totals['services'][number][]): Totals {
  // integer fen while every amount is plain money text (dsl.moneyTextFen: up to 12 digits before
  // the point) and the sums stay exact; else the exact arithmetic
  let monthly = 0, once = 0, plain = true;
  let services: Totals['services'] = NO_SERVICES;
  for (let i = 0; i < outputs.length; i++) {
    const out = outputs[i]!;
    if (out['eligible'] !== true) continue;
    const cash = out['monthly_amount'], amount = out['amount'];
    if (typeof cash === 'string') { const f = dsl.moneyTextFen(cash); if (f < 0) plain = false; else monthly += f; }
    else if (typeof amount === 'string') { const f = dsl.moneyTextFen(amount); if (f < 0) plain = false; else once += f; }
    else (services === NO_SERVICES ? services = [] : services).push(service[i]!);
  }
  if (plain && Number.isSafeInteger(monthly * 12) && Number.isSafeInteger(once)) {
    return { monthly_cash: dsl.yuanText(monthly), yearly_cash: dsl.yuanText(monthly * 12), one_off_cash: dsl.yuanText(once), services };
  }
  return exactTotals(outputs, services);
}

function exactTotals(outputs: readonly Record<string, Json>[], services: Totals['services']): Totals {
  let monthly: dsl.money.Num = 0, once: dsl.money.Num = 0;
  for (const out of outputs) {
    if (out['eligible'] !== true) continue;
    const cash = out['monthly_amount'];
    if (typeof cash === 'string') monthly = dsl.money.add(monthly, fen(cash));
    else if (typeof out['amount'] === 'string') once = dsl.money.add(once, fen(out['amount']));
  }
  return { monthly_cash: dsl.money.fenToYuan(monthly), yearly_cash: dsl.money.fenToYuan(dsl.money.mul(monthly, 12)), one_off_cash: dsl.money.fenToYuan(once), services };
}

/**
 * What one list of programmes needs for every household, made once per list (and evaluation
 * service): their compiled forms, the names each reads, the answer's fixed parts. A household
 * then costs its own evaluations, not this. 每个项目清单只准备一次：编译结果、字段名、答复的固定部分。
 */
interface Plan {
  evaluation: EvaluationService;
  compiled: CompiledPolicy[];
  /** Top-level names some programme or routing reads, in the order suggestions search them. */
  names: string[];
  union: Set<string>;
  /** Names every programme reads: a household with only these goes to each as it is (no copy). */
  common: Set<string>;
  /** Per programme, the names it reads (a household with others gets a copy without them). */
  reads: Set<string>[];
  /** The suggestion index over `names`, built on the first unknown key only. */
  index?: NameIndex;
  where: { id: string; version: number }[];
  progs: Programme[];
  heads: Head[];
  /** Per programme, its assumptions (static per version: CompiledPolicy.assumptions), frozen and
   *  shared by the answers; and as the answer's list names them ({ policy, … }). */
  own: readonly (readonly unknown[])[];
  listed: readonly object[][];
  /** The answer's list when every programme answered (the common case): one frozen array. */
  allListed: readonly object[];
  /** Per programme, its line in totals.services (when granted without cash). */
  service: Totals['services'][number][];
  /** Every programme evaluated together, the household decoded once (the language's fast path;
   *  undefined when these programmes cannot be, or for a household it does not take). */
  together: dsl.Together | undefined;
  /** Per programme, the programmes whose results it reads: their index in the list (link order). */
  usesAt: number[][];
  /** Whether `together` needs the place names withPlaceNames fills in (false: none reads them). */
  placeNamesRead: boolean;
  /** The answers' fixed parts as text, made when an answer is first written as text (null: the
   *  list's answers are written by JSON.stringify, see listTexts). */
  texts?: ListTexts | null;
  /** Per programme, results shared by answers (see sharedResult). */
  shared: SharedResult[][];
  /** The place in a full list of shared results taken next. */
  sharedNext: number;
  /** Answers whose every programme's outputs are shared: their parts made once (see wholeOf). */
  wholes: SharedAnswers<Whole>;
  /** What writing answers from the computed programmes needs (entitlements-computed.ts), made
   *  when first asked; null: this list's answers cannot be written so. */
  computed?: Computed | null;
  /** Its answers' writer from the computed programmes (entitlements-kernel.ts), made when first
   *  asked; null: none (the answers are made by decide()). */
  kernel?: Kernel | null;
}
/** The parts of the answers whose every programme's outputs are the same shared (frozen) objects:
 *  their results and totals (frozen), and their text after the household id (per date and route). */
interface Whole { programmes: readonly ProgrammeResult[]; totals: Totals; texts: WholeText[] }
interface WholeText { asOf: string; routed: boolean; jurisdiction: object | null; why: object | undefined; rest: Piece }
/** Texts kept per whole answer (a date and a route view each: a population has a few). */
const WHOLE_TEXTS = 4;
/** A programme's result built around outputs shared by many households (frozen, from
 *  dsl.evaluateTogether) and, for a programme that uses others, their outputs as shared too. */
interface SharedResult { outputs: object; used: readonly object[]; result: ProgrammeResult }
/** Shared results kept per programme (the few outputs most households get). */
const SHARED_KEPT = 8;
interface Head { policy: string; title: string; program: string; jurisdiction: { code: string; name: string }; version: number; effective_from: string }

const plans = new WeakMap<Programme[], Plan>();

function planOf(evaluation: EvaluationService, progs: Programme[]): Plan {
  const known = plans.get(progs);
  if (known && known.evaluation === evaluation) return known;
  const compiled = progs.map((p) => evaluation.compiledVersion(p.id, p.version));
  const reads = compiled.map((c) => new Set(c.schema.fields.map((f) => f.name)));
  const names = [...new Set([...ROUTING_KEYS, ...compiled.flatMap((c) => c.schema.fields.map((f) => f.name))])];
  const common = new Set(names.filter((n) => reads.every((r) => r.has(n))));
  const plan: Plan = {
    evaluation, compiled, names, union: new Set(names), common, reads,
    where: progs.map((p) => ({ id: p.id, version: p.version.version })),
    heads: progs.map((p) => Object.freeze({ policy: p.id, title: p.info.title, program: p.info.program, jurisdiction: Object.freeze(place(p.division)), version: p.version.version, effective_from: p.version.effective_from })),
    progs,
    own: compiled.map((c) => Object.freeze(c.assumptions().map((a) => Object.freeze(a)))),
    listed: progs.map((p, i) => compiled[i]!.assumptions().map((a) => Object.freeze({ policy: p.id, ...(a as object) }))),
    allListed: [],
    service: progs.map((p) => Object.freeze({ policy: p.id, program: p.info.program, title: p.info.title })),
    together: dsl.evaluateTogether(progs.map((p, i) => ({ id: p.id, compiled: compiled[i]! }))),
    usesAt: compiled.map((c) => c.uses.map((id) => progs.findIndex((p) => p.id === id))),
    placeNamesRead: true,
    shared: progs.map(() => []), sharedNext: 0, wholes: new SharedAnswers(),
  };
  plan.placeNamesRead = !PLACE_NAMES.every((n) => plan.together?.ignores.has(n));
  plan.allListed = Object.freeze(plan.listed.flat());
  plans.set(progs, plan);
  return plan;
}

/**
 * The household as one policy reads it: only the top-level keys its schema declares (a policy's
 * own fields, e.g. temporary-assistance's incident_type, are not unknown keys to the others).
 */
function forPolicy(h: Record<string, unknown>, reads: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(h)) if (reads.has(k)) out[k] = h[k];
  return out;
}

/** A key no routed programme declares is refused, naming the nearest known one. */
function unknownKeys(h: Record<string, unknown>, plan: Plan): HouseholdError {
  const bad = Object.keys(h).filter((k) => !plan.union.has(k));
  const idx = plan.index ??= nameIndex(plan.names);
  const details = bad.slice(0, 20).map((k) => ({ path: keyPath('household', k), message: joined(unknownFieldMessage(k, idx)) }));
  return { code: 'household.invalid', message: '家庭数据不符合要求 / The household is invalid', message_zh: '家庭数据不符合要求', message_en: 'The household is invalid', details };
}

/** A household decided (Answered: its answer and decisions), or why it cannot be. */
export type Decided = Answered | { ok: false; error: HouseholdError };
/** The decisions of an answer: each programme that answered, with its version and outputs. */
type DecidedList = { policy: string; version: VersionRecord; outputs: unknown }[];

const blank = (v: unknown) => typeof v !== 'string' || v.trim() === '';

/**
 * The names the policies compare (county, hukou_county, hukou_province), filled in from the
 * division codes where the household gave codes only: a policy reads names, routing reads codes.
 * The household itself when none is missing (the policies only read it).
 */
function withPlaceNames(h: Record<string, unknown>, residence: Division, hukou: Division | null): Record<string, unknown> {
  const county = blank(h['county']);
  const hukouCounty = hukou !== null && hukou.parent !== null && blank(h['hukou_county']);
  const hukouProvince = hukou !== null && blank(h['hukou_province']);
  if (!county && !hukouCounty && !hukouProvince) return h;
  const out = { ...h };
  if (county) out['county'] = residence.name;
  if (hukouCounty) out['hukou_county'] = hukou!.name;
  if (hukouProvince) out['hukou_province'] = provinceOf(hukou!).name;
  return out;
}

/** One view per route (the division, the two places and the rule fix it), frozen: answers share it. */
const views = new Map<string, JurisdictionView>();
/** The last route's view: a batch's households mostly share one (compared by the table's objects). */
let lastView: { division: Division; residence: Division; hukou: Division | null; basis: Basis; view: JurisdictionView } | undefined;
function jurisdictionView(r: Extract<Route, { ok: true }>): JurisdictionView {
  const last = lastView;
  if (last !== undefined && last.division === r.division && last.residence === r.residence && last.hukou === r.hukou && last.basis === r.basis) return last.view;
  const view = viewOf(r);
  lastView = { division: r.division, residence: r.residence, hukou: r.hukou, basis: r.basis, view };
  return view;
}
function viewOf(r: Extract<Route, { ok: true }>): JurisdictionView {
  const key = `${r.division.code}|${r.residence.code}|${r.hukou?.code ?? ''}|${r.basis.rule}`;
  let v = views.get(key);
  if (!v) {
    v = Object.freeze({
      code: r.division.code, name: r.division.name, name_en: r.division.nameEn, full_name: fullName(r.division), basis: Object.freeze(r.basis),
      residence: Object.freeze(place(r.residence)), hukou: r.hukou ? Object.freeze(place(r.hukou)) : null,
    });
    views.set(key, v);
  }
  return v;
}

const invalid = (r: Reason): HouseholdError => ({ code: r.code, message: `${r.zh} / ${r.en}`, message_zh: r.zh, message_en: r.en, details: r.path ? [{ path: r.path, message: `${r.zh} / ${r.en}` }] : [] });

/** What decide() made of a route (see there). */
interface Routed { r: Route; asOf: string; inForce: typeof programmesIn; evaluation: EvaluationService; snapshot: object;
  progs: Programme[]; jurisdiction: JurisdictionView | null; plan: Plan | undefined; why: EntitlementsAnswer['reason'];
  /** The plan's texts for this route's view and reason (introOf, closingOf), when first written. */
  intro?: readonly [Piece, Piece]; close?: Piece }
/** The last route's, and each route's (route() answers one route object per place and rule, kept
 *  while it keeps them): a population mixes a few routes (hukou here, in another province), and a
 *  household of another route than the last finds its own again, not made afresh. */
let lastRouted: Routed | undefined;
const routedBy = new WeakMap<Route, Routed>();

const notObject = (): Decided => ({ ok: false, error: { code: 'household.invalid', message: '家庭数据应为对象 / household must be an object', message_zh: '家庭数据应为对象', message_en: 'household must be an object', details: [{ path: 'household', message: '应为对象 / must be an object' }] } });

/** The route's programmes, view and plan: again when nothing they are made from changed (a
 *  batch's households mostly share one route object: route() answers the last one again). */
function routedOf(evaluation: EvaluationService, r: Route, asOf: string, inForce: typeof programmesIn): Routed {
  const snapshot = evaluation.policies.store.data;
  let m = lastRouted;
  if (m === undefined || m.r !== r) m = routedBy.get(r);
  if (m === undefined || m.asOf !== asOf || m.inForce !== inForce || m.evaluation !== evaluation || m.snapshot !== snapshot) {
    const list = programmesFor(evaluation, r, asOf, inForce);
    const view = r.ok ? jurisdictionView(r) : null;
    // a hukou in another province: only the place of residence's temporary assistance, and why
    // nothing else (frozen: the answers of one route share it, and its text)
    const why = r.ok ? undefined : Object.freeze(reasonView(r.reason));
    m = { r, asOf, inForce, evaluation, snapshot, progs: list, jurisdiction: view, plan: list.length ? planOf(evaluation, list) : undefined, why };
    routedBy.set(r, m);
  }
  lastRouted = m;
  return m;
}

/** Routes and evaluates one household (synchronous: the versions are compiled by prepare()). */
/** `inForce`: programmesIn, or a caller's memo of it (a monitoring run asks it once per county, not per household). */
export function decide(evaluation: EvaluationService, household: unknown, asOf: string, trace: boolean, inForce: typeof programmesIn = programmesIn): Decided {
  if (household === null || typeof household !== 'object' || Array.isArray(household)) return notObject();
  const h = household as Record<string, unknown>;
  const hid = typeof h['id'] === 'string' ? h['id'] : null;
  const r = route(h);
  if (!r.ok && !r.elsewhere) return { ok: false, error: invalid(r.reason) };
  const m = routedOf(evaluation, r, asOf, inForce);
  const progs = m.progs, jurisdiction = m.jurisdiction, why = m.why;
  if (!progs.length) {
    const none = r.ok ? reasonView({ code: 'jurisdiction.no_programmes',
      zh: `已按“${r.basis.zh}”确定由${fullName(r.division)}（${r.division.code}）受理，但该地及其上级在 ${asOf} 没有生效的救助项目`,
      en: `Routed to ${r.division.nameEn} (${r.division.code}) by the rule "${r.basis.en}", but no programme of it or its parents is in force on ${asOf}` }) : why!;
    return new Answered(undefined, { household_id: hid, as_of: asOf, routed: r.ok, jurisdiction, recorded: false, decision_ids: NO_IDS, programmes: [], totals: totals([], []), assumptions: [], reason: none });
  }
  const plan = m.plan!;
  const base: Base = { household_id: hid, as_of: asOf, routed: r.ok, jurisdiction };
  // the common case: every programme evaluated together, the household decoded once (it takes
  // only households whose every key some programme reads, so no key is unknown); the place
  // names filled in only when some programme reads them
  if (!trace && plan.together !== undefined) {
    const outputs = plan.together(plan.placeNamesRead && r.residence ? withPlaceNames(h, r.residence, r.hukou) : h, asOf);
    if (outputs !== undefined) return new Answered(plan, undefined, outputs, base, why);
  }
  const named = r.residence ? withPlaceNames(h, r.residence, r.hukou) : h;
  // one pass over the keys: each is known to every programme (the common case), to some, or to none
  let shared = true;
  for (const k of Object.keys(h)) {
    if (plan.common.has(k)) continue;
    if (!plan.union.has(k)) return { ok: false, error: unknownKeys(h, plan) };
    shared = false;
  }
  if (named !== h && shared) for (const k of PLACE_NAMES) if (!plan.common.has(k) && k in named) shared = false;
  return evaluateAll(evaluation, plan, progs, named, shared, asOf, trace, base, why);
}

/**
 * decide() and Answered.write() of an answer not recorded in one, for the common case: every
 * programme evaluated together and its outputs written from its computed context straight into
 * the bytes by the list's kernel (entitlements-kernel.ts), no outputs object nor answer made. The
 * same bytes as decide(…).write(sink). false: nothing written (the sink as it was), decide() the
 * household. 常见情形：各项目的计算结果直接写成答复字节。
 */
function writeDecided(evaluation: EvaluationService, household: unknown, asOf: string, sink: ByteSink): boolean {
  if (household === null || typeof household !== 'object' || Array.isArray(household)) return false;
  const h = household as Record<string, unknown>;
  const r = route(h);
  if (!r.ok && !r.elsewhere) return false;
  const m = routedOf(evaluation, r, asOf, programmesIn), plan = m.plan;
  if (plan === undefined || plan.together === undefined) return false;
  const kernel = plan.kernel !== undefined ? plan.kernel : plan.kernel = kernelFor(plan);
  if (kernel === null) return false;
  const cxs = plan.together.contexts(plan.placeNamesRead && r.residence ? withPlaceNames(h, r.residence, r.hukou) : h, asOf);
  if (cxs === undefined) return false;
  const texts = plan.texts!, from = sink.length;
  try {
    return kernel(sink.utf8, cxs, typeof h['id'] === 'string' ? h['id'] : null, asOfPiece(asOf, r.ok), m.intro ??= introOf(texts, m.jurisdiction), m.close ??= closingOf(texts, m.why));
  } catch {
    sink.truncate(from);   // an outputs writer threw where outputsOf would: decide() reports it
    return false;
  }
}

/** The plan's kernel, null where its answers cannot be written so (a programme without an outputs
 *  writer or whose totals are read otherwise: computedOf; texts written by JSON.stringify). */
function kernelFor(plan: Plan): Kernel | null {
  const computed = plan.computed !== undefined ? plan.computed : plan.computed = computedOf(plan.compiled) ?? null;
  const texts = computed === null ? null : plan.texts ??= textsOf(plan);
  return texts === null ? null : kernelOf(computed!, texts, plan.service.map(pieceOf)) ?? null;
}

/** The names withPlaceNames may add. */
const PLACE_NAMES = ['county', 'hukou_county', 'hukou_province'];

type Base = Pick<EntitlementsAnswer, 'household_id' | 'as_of' | 'routed' | 'jurisdiction'>;

/** Every programme of the plan in link order (a programme reads the results decided before it),
 *  each on its own (validated, decoded and evaluated as POST /evaluate does), and the answer. */
function evaluateAll(evaluation: EvaluationService, plan: Plan, progs: Programme[], named: Record<string, unknown>, shared: boolean, asOf: string, trace: boolean, base: Base, why: EntitlementsAnswer['reason']): Decided {
  const known = new Map<string, Linked>();
  const results: ProgrammeResult[] = new Array(progs.length);
  let failed = false;
  for (let i = 0; i < progs.length; i++) {
    const p = progs[i]!, c = plan.compiled[i]!, hd = plan.heads[i]!;
    const input = shared ? named : forPolicy(named, plan.reads[i]!);
    const out = evaluation.runWithLinks(c, input, asOf, trace, plan.where[i]!, known);
    if (!out.ok) {
      // the household itself is wrong: the same for every programme, so the whole answer is a 400
      if (out.error.code === 'household.invalid') return { ok: false, error: out.error };
      results[i] = { policy: hd.policy, title: hd.title, program: hd.program, jurisdiction: hd.jurisdiction, version: hd.version, effective_from: hd.effective_from,
        granted: false, outputs: {}, uses: {}, assumptions: [], error: out.error };
      failed = true;
      continue;
    }
    const result: LinkedResult = trace ? { version: hd.version, outputs: out.outputs, trace: out.trace } : { version: hd.version, outputs: out.outputs };
    known.set(p.id, { version: p.version, result });
    // without a trace a referenced result is { version, outputs }: what `uses` shows, as it is
    const uses = c.uses.length === 0 ? NO_USES : trace ? usesView(out.linked) ?? {} : out.linked;
    const res: ProgrammeResult = { policy: hd.policy, title: hd.title, program: hd.program, jurisdiction: hd.jurisdiction, version: hd.version, effective_from: hd.effective_from,
      granted: out.outputs['eligible'] === true, outputs: out.outputs, uses, assumptions: plan.own[i]! as unknown[] };
    if (trace) res.trace = out.trace;
    results[i] = res;
  }
  const assumptions = failed ? results.flatMap((r, i) => (r.error ? [] : plan.listed[i]!)) : plan.allListed;
  const answer: EntitlementsAnswer = { household_id: base.household_id, as_of: base.as_of, routed: base.routed, jurisdiction: base.jurisdiction, recorded: false, decision_ids: NO_IDS,
    programmes: results, totals: totals(results.map((r) => r.outputs), plan.service), assumptions: assumptions as unknown[] };
  if (why) answer.reason = why;
  return new Answered(plan, answer);
}

/** The answer from every programme's outputs (all evaluated together, none failed): what
 *  evaluateAll's loop makes of them, without a trace. */
function answerOf(plan: Plan, outputs: Record<string, dsl.Json>[], base: Base, why: EntitlementsAnswer['reason']): EntitlementsAnswer {
  const whole = wholeOf(plan, outputs);
  const answer: EntitlementsAnswer = { household_id: base.household_id, as_of: base.as_of, routed: base.routed, jurisdiction: base.jurisdiction, recorded: false, decision_ids: NO_IDS,
    programmes: whole !== undefined ? whole.programmes as ProgrammeResult[] : resultsOf(plan, outputs),
    totals: whole !== undefined ? whole.totals : totals(outputs, plan.service), assumptions: plan.allListed as unknown[] };
  if (why) answer.reason = why;
  return answer;
}

/** Each programme's result from its outputs (and those of the programmes it uses): a shared one
 *  where there is one (sharedResult), else made, and kept to be shared when its outputs are. */
function resultsOf(plan: Plan, outputs: Record<string, dsl.Json>[]): ProgrammeResult[] {
  const n = outputs.length;
  const results: ProgrammeResult[] = new Array(n);
  // a referenced result as `uses` shows it ({ version, outputs }), made once per programme read
  let shown: ({ version: number; outputs: Record<string, Json> } | undefined)[] | undefined;
  for (let i = 0; i < n; i++) {
    const out = outputs[i]!, at = plan.usesAt[i]!;
    // (a result kept is found by its outputs' identity: no test whether these are frozen first)
    const known = sharedResult(plan, i, outputs);
    if (known !== undefined) { results[i] = known; continue; }
    let uses = NO_USES;
    if (at.length !== 0) {
      uses = {};
      shown ??= new Array(n);
      for (let j = 0; j < at.length; j++) {
        const k = at[j]!;
        uses[plan.where[k]!.id] = shown[k] ??= { version: plan.heads[k]!.version, outputs: outputs[k]! };
      }
    }
    const res = results[i] = resultOf(plan, i, out, uses);
    if (Object.isFrozen(out)) keepShared(plan, i, outputs, res);
  }
  return results;
}

/**
 * The whole answer of these outputs when every programme's are shared (frozen): found, or made
 * and kept (shared-answers.ts) when there is room; undefined otherwise. Its results and totals are
 * those resultsOf and totals() give for the outputs, frozen: answers share them (an answer
 * recorded gets its own list: withIds). 所有项目输出都共享时，答复的结果与合计只做一次。
 */
function wholeOf(plan: Plan, outputs: Record<string, dsl.Json>[]): Whole | undefined {
  for (let i = 0; i < outputs.length; i++) if (!Object.isFrozen(outputs[i])) return undefined;
  const known = plan.wholes.get(outputs);
  if (known !== undefined || !plan.wholes.room) return known;
  const results = resultsOf(plan, outputs);
  // (each is shared: its outputs and those it uses are frozen, so keepShared froze it)
  if (!results.every((r) => Object.isFrozen(r))) return undefined;
  const t = totals(outputs, plan.service);
  Object.freeze(t.services);
  const whole: Whole = { programmes: Object.freeze(results), totals: Object.freeze(t), texts: [] };
  plan.wholes.add(outputs, whole);
  return whole;
}

/** What writeAnswer writes before a whole answer's shared text: the household id (no answer text starts otherwise). */
const NO_ID_HEAD = '{"household_id":null';

/** A whole answer's text after its household id (writeAnswer's own, made once per date and route view). */
function wholeText(texts: ListTexts, whole: Whole, outputs: readonly Record<string, dsl.Json>[], base: Base, why: EntitlementsAnswer['reason']): Piece {
  for (const t of whole.texts) if (t.asOf === base.as_of && t.routed === base.routed && t.jurisdiction === base.jurisdiction && t.why === why) return t.rest;
  const sink = new TextSink();
  writeAnswer(sink, texts, { householdId: null, asOf: base.as_of, routed: base.routed, jurisdiction: base.jurisdiction, outputs, totals: whole.totals, reason: why, ids: undefined, recorded: false });
  const rest = piece(sink.text.slice(NO_ID_HEAD.length));
  if (whole.texts.length === WHOLE_TEXTS) whole.texts.shift();
  whole.texts.push({ asOf: base.as_of, routed: base.routed, jurisdiction: base.jurisdiction, why, rest });
  return rest;
}

const resultOf = (plan: Plan, i: number, out: Record<string, Json>, uses: ProgrammeResult['uses']): ProgrammeResult => {
  const hd = plan.heads[i]!;
  return { policy: hd.policy, title: hd.title, program: hd.program, jurisdiction: hd.jurisdiction, version: hd.version, effective_from: hd.effective_from,
    granted: out['eligible'] === true, outputs: out, uses, assumptions: plan.own[i]! as unknown[] };
};

/**
 * Programme i's result shared by the answers whose outputs are the same frozen objects (its own,
 * and those of the programmes it uses): most households of a population get the same outputs
 * of most programmes (dsl/link/shared-outputs.ts), so most answers keep no result of their own
 * for them. Frozen: an answer recorded gets its own copy with its decision's id (withIds).
 * 相同输出的项目结果在答复之间共享（冻结）。
 */
function sharedResult(plan: Plan, i: number, outputs: Record<string, dsl.Json>[]): ProgrammeResult | undefined {
  const list = plan.shared[i]!, out = outputs[i]!, at = plan.usesAt[i]!;
  next: for (let e = 0; e < list.length; e++) {
    const x = list[e]!;
    if (x.outputs !== out) continue;
    for (let j = 0; j < at.length; j++) if (x.used[j] !== outputs[at[j]!]) continue next;
    return x.result;
  }
  return undefined;
}

/** Keeps `res` (programme i's result around frozen outputs) to be shared, when what it uses is frozen too. */
function keepShared(plan: Plan, i: number, outputs: Record<string, dsl.Json>[], res: ProgrammeResult): void {
  const at = plan.usesAt[i]!, used: object[] = new Array(at.length);
  for (let j = 0; j < at.length; j++) { const u = outputs[at[j]!]!; if (!Object.isFrozen(u)) return; used[j] = u; }
  if (res.uses !== NO_USES) { for (const k of Object.keys(res.uses)) Object.freeze(res.uses[k]); Object.freeze(res.uses); }
  const list = plan.shared[i]!;
  // outputs no longer shared (dsl keeps the few most common) leave room in turn
  list[list.length < SHARED_KEPT ? list.length : plan.sharedNext = (plan.sharedNext + 1) % SHARED_KEPT] = { outputs: outputs[i]!, used, result: Object.freeze(res) };
}

/** Marks an answer recorded: each decision's id under its policy (decision_ids, and the programme's decision_id). */
function withIds(answer: EntitlementsAnswer, decided: DecidedList, ids: readonly string[]): void {
  answer.recorded = true;
  // a whole answer's list of results is shared (wholeOf): this answer's own copy gets the ids
  if (Object.isFrozen(answer.programmes)) answer.programmes = answer.programmes.slice();
  for (let k = 0; k < decided.length; k++) {
    const d = decided[k]!;
    if (answer.decision_ids === NO_IDS) answer.decision_ids = {};
    answer.decision_ids[d.policy] = ids[k]!;
    const at = answer.programmes.findIndex((x) => x.policy === d.policy);
    if (at < 0) continue;
    const p = answer.programmes[at]!;
    // a shared result (frozen, see sharedResult) is copied: the id is this answer's own
    if (Object.isFrozen(p)) answer.programmes[at] = { ...p, decision_id: ids[k]! };
    else p.decision_id = ids[k]!;
  }
}

/**
 * A decided household: the answer, and its decisions (each programme that answered, with its
 * version and outputs) built when asked — recording and monitoring ask, a returned answer does
 * not. The programmes evaluated together give their outputs only: the answer object is built
 * when read, and an answer written as text (the HTTP answers) is written from the outputs
 * without it (entitlements-text.ts). A class, not an object literal with a getter: V8 makes such
 * a literal slowly, and this is one per household. 决定列表和答复对象用到时才建。
 */
export class Answered {
  readonly ok = true as const;
  #answer: EntitlementsAnswer | undefined;
  #decided: DecidedList | undefined;
  /** Recorded before the answer object was built: its decisions' ids (in `decided`'s order). */
  #ids: readonly string[] | undefined;
  readonly #plan: Plan | undefined;
  readonly #outputs: Record<string, dsl.Json>[] | undefined;
  readonly #base: Base | undefined;
  readonly #why: EntitlementsAnswer['reason'];
  /** An answer built (`outputs` undefined), or every programme's outputs and the rest of the answer. */
  constructor(plan: Plan | undefined, answer: EntitlementsAnswer | undefined, outputs?: Record<string, dsl.Json>[], base?: Base, why?: EntitlementsAnswer['reason']) {
    this.#plan = plan; this.#answer = answer; this.#outputs = outputs; this.#base = base; this.#why = why;
  }
  get answer(): EntitlementsAnswer {
    if (this.#answer !== undefined) return this.#answer;
    const answer = this.#answer = answerOf(this.#plan!, this.#outputs!, this.#base!, this.#why);
    if (this.#ids !== undefined) withIds(answer, this.decided, this.#ids);
    return answer;
  }
  get decided(): DecidedList {
    if (this.#decided) return this.#decided;
    const out: DecidedList = [], plan = this.#plan, outputs = this.#outputs;
    if (outputs !== undefined) {
      for (let i = 0; i < outputs.length; i++) out.push({ policy: plan!.where[i]!.id, version: plan!.progs[i]!.version, outputs: outputs[i]! });
    } else {
      const results = this.answer.programmes;
      for (let i = 0; i < results.length; i++) if (!results[i]!.error) out.push({ policy: plan!.where[i]!.id, version: plan!.progs[i]!.version, outputs: results[i]!.outputs });
    }
    return this.#decided = out;
  }
  /** The answer recorded: `ids`, its decisions' ids in `decided`'s order. */
  recordedAs(ids: readonly string[]): void {
    if (this.#answer !== undefined) withIds(this.#answer, this.decided, ids);
    else this.#ids = ids;
  }
  /** Writes the answer's JSON text: JSON.stringify(this.answer)'s text, its opening brace
   *  written as `open` (a JSON Lines line: `{"line":3,`; an answer has keys, so a comma follows). */
  write(sink: AnswerSink, open = '{'): void {
    const plan = this.#plan, outputs = this.#outputs;
    const texts = this.#answer === undefined && plan !== undefined ? plan.texts ??= textsOf(plan) : null;
    if (texts === null) { const json = JSON.stringify(this.answer); sink.str(open === '{' ? json : open + json.slice(1)); return; }
    const base = this.#base!, ids = this.#ids;
    // an answer whose every programme's outputs are shared (not recorded): its household id, then
    // the text such answers share (the same text writeAnswer gives)
    const whole = ids === undefined ? wholeOf(plan!, outputs!) : undefined;
    if (whole !== undefined) {
      sink.str(`${open}"household_id":${base.household_id === null ? 'null' : jsonString(base.household_id)}`);
      sink.piece(wholeText(texts, whole, outputs!, base, this.#why));
      return;
    }
    writeAnswer(sink, texts, {
      householdId: base.household_id, asOf: base.as_of, routed: base.routed, jurisdiction: base.jurisdiction, outputs: outputs!,
      totals: totals(outputs!, plan!.service), reason: this.#why, ids: ids !== undefined && ids.length !== 0 ? ids : undefined, recorded: ids !== undefined,
    }, open);
  }
}

/** A plan's answers' fixed texts (null: written by JSON.stringify). */
const textsOf = (plan: Plan): ListTexts | null => listTexts({
  heads: plan.heads, own: plan.own, usesAt: plan.usesAt, ids: plan.where.map((w) => w.id), versions: plan.heads.map((h) => h.version), allListed: plan.allListed,
  outputs: plan.compiled.map((c) => c.program.outputs.map((o) => o.decl.name.text)),
}) ?? null;

const asError = (e: HouseholdError) => new DomainError(e.code === 'household.invalid' || e.code.startsWith('jurisdiction.') ? 'invalid' : 'unprocessable', e.code, e.message_zh, e.message_en, e.details);

/** Whether this call is recorded (decisions and a caller given, and not a permitted dry run). */
const recording = (opts: EntitlementsOptions) => !!(opts.decisions && opts.call) && opts.decisions!.recording(opts.call!.caller, opts.record);

/** Stores the decisions and puts their ids into the answers. */
async function record(opts: EntitlementsOptions, asOf: string, answers: { a: Answered; household: unknown; index: number | null }[]) {
  const flat: (DecidedList[number] & { household: unknown; batchIndex: number | null })[] = [];
  for (const x of answers) for (const d of x.a.decided) flat.push({ ...d, household: x.household, batchIndex: x.index });
  const ids = await opts.decisions!.recordEach(opts.call!, asOf, flat);
  let k = 0;
  for (const x of answers) {
    const n = x.a.decided.length;
    x.a.recordedAs(ids.slice(k, k + n));
    k += n;
  }
}

/** Whether a YYYY-MM-DD text is a day of the calendar (2024-02-30 is not). */
function dateOf(asOf: string | undefined, opts: EntitlementsOptions): string {
  return requireDate(asOf ?? opts.evaluation.today());
}

/** Every programme one household may receive on asOf (default today), in dependency order. */
export async function entitlements(household: unknown, asOf: string | undefined, opts: EntitlementsOptions): Promise<EntitlementsAnswer> {
  return (await decideOne(household, asOf, opts)).answer;
}

/** Room for one answer (≈ 6 KB untraced; a longer one, a trace, grows the sink). */
const ONE_ANSWER_BYTES = 16 * 1024;

/**
 * entitlements()'s answer as the UTF-8 bytes of its JSON text — the bytes JSON.stringify gives
 * for it — written as the batch writes each of its answers (Answered.write, entitlements-text.ts:
 * no answer object when the programmes were evaluated together): what POST /api/entitlements sends.
 */
export async function entitlementsBytes(household: unknown, asOf: string | undefined, opts: EntitlementsOptions): Promise<Buffer> {
  const d = await decideOne(household, asOf, opts);
  const sink = new ByteSink(ONE_ANSWER_BYTES);
  d.write(sink);
  return sink.bytes();
}

/** One household decided (its error thrown: a 400 or 422) and recorded when the call is. */
async function decideOne(household: unknown, asOf: string | undefined, opts: EntitlementsOptions): Promise<Answered> {
  const date = dateOf(asOf, opts);
  const rec = recording(opts);
  if (opts.bounded !== false) await prepare(opts.evaluation, date, [household]);
  const d = decide(opts.evaluation, household, date, opts.trace ?? false);
  if (!d.ok) throw asError(d.error);
  if (rec) await record(opts, date, [{ a: d, household, index: null }]);
  return d;
}

export type BatchItem = EntitlementsAnswer | { household_id: string | null; error: HouseholdError };

/** Many households; one answer or error per household, in order; decisions stored in one statement. */
export async function entitlementsBatch(households: unknown[], asOf: string | undefined, opts: EntitlementsOptions): Promise<{ as_of: string; recorded: boolean; results: BatchItem[]; error_count: number }> {
  const { date, rec } = await batchCall(households, asOf, opts);
  // a dry run builds each answer as its household is decided (what only the answer needs dies
  // young); a recorded one is decided whole first, as its ids go into the answers
  const done = rec ? await decidedAll(households, date, opts) : undefined;
  const results: BatchItem[] = new Array(households.length);
  let errors = 0;
  for (let i = 0; i < households.length; i++) {
    const d = done !== undefined ? done[i]! : decide(opts.evaluation, households[i], date, false);
    if (d.ok) results[i] = d.answer;
    else { results[i] = { household_id: householdId(households[i]), error: d.error }; errors++; }
  }
  return { as_of: date, recorded: rec, results, error_count: errors };
}

/** The batches' answer buffers kept for reuse (byte-pool.ts): two (a batch answered while the
 *  last one is still being sent), each up to 32 MB (1,000 answers of ≈ 9.5 KB fill ≈ 12 MB). */
const BATCH_BUFFERS = new BytePool(2, 32 * 1024 * 1024);

/**
 * entitlementsBatch's answer with `results` as the UTF-8 bytes of its JSON text — the bytes
 * JSON.stringify's text of entitlementsBatch's results gives — written without the answers'
 * objects (entitlements-text.ts): what POST /api/entitlements/batch sends. `release()`: called
 * once `results` is read no more (sent), its buffer is written again by a later batch; a caller
 * that never calls it loses nothing but the reuse.
 */
export async function entitlementsBatchBytes(households: unknown[], asOf: string | undefined, opts: EntitlementsOptions): Promise<{ as_of: string; recorded: boolean; results: Buffer; error_count: number; release: () => void }> {
  const { date, rec } = await batchCall(households, asOf, opts);
  // a dry run writes each household as it is decided (its objects die young, in the young
  // generation); a recorded one is decided whole first, as its ids go into the answers
  const done = rec ? await decidedAll(households, date, opts) : undefined;
  const sink = new ByteSink(undefined, BATCH_BUFFERS);
  let errors = 0;
  sink.str('[');
  for (let i = 0; i < households.length; i++) {
    if (i !== 0) sink.str(',');
    // a dry run's household written from its computed programmes when it can be (writeDecided)
    if (done !== undefined || !writeDecided(opts.evaluation, households[i], date, sink)) {
      const d = done !== undefined ? done[i]! : decide(opts.evaluation, households[i], date, false);
      if (d.ok) d.write(sink);
      else { sink.str(JSON.stringify({ household_id: householdId(households[i]), error: d.error })); errors++; }
    }
    // room for the rest at the first answer's size (answers of one list differ little): the
    // buffer is not grown, and copied, answer by answer
    if (i === 0) sink.reserve(Math.ceil(sink.length * households.length * 1.25) + 2);
  }
  sink.str(']');
  const { bytes, release } = sink.lend();
  return { as_of: date, recorded: rec, results: bytes, error_count: errors, release };
}

/** entitlementsBatch's results as the households decided (an answer is written when asked:
 *  Answered.write, a JSON Lines line), or their errors. */
export async function entitlementsDecided(households: unknown[], asOf: string | undefined, opts: EntitlementsOptions): Promise<(Answered | { household_id: string | null; error: HouseholdError })[]> {
  const { done } = await decideBatch(households, asOf, opts);
  const out: (Answered | { household_id: string | null; error: HouseholdError })[] = new Array(done.length);
  for (let i = 0; i < done.length; i++) { const d = done[i]!; out[i] = d.ok ? d : { household_id: householdId(households[i]), error: d.error }; }
  return out;
}

/** The households of a batch decided, and recorded when the call is. */
async function decideBatch(households: unknown[], asOf: string | undefined, opts: EntitlementsOptions): Promise<{ date: string; rec: boolean; done: Decided[] }> {
  const { date, rec } = await batchCall(households, asOf, opts);
  return { date, rec, done: await decidedAll(households, date, opts, rec) };
}

/** A batch call's checks (its size, its date) and whether it is recorded; its versions compiled. */
async function batchCall(households: unknown[], asOf: string | undefined, opts: EntitlementsOptions): Promise<{ date: string; rec: boolean }> {
  checkEntitlementsBatch(households.length);
  const date = dateOf(asOf, opts);
  const rec = recording(opts);
  if (opts.bounded !== false) await prepare(opts.evaluation, date, households);
  return { date, rec };
}

/** Every household decided (one array of decisions beside the households, no pair object per
 *  household: a batch's answers are all alive until it is answered), recorded when `rec`. */
async function decidedAll(households: unknown[], date: string, opts: EntitlementsOptions, rec = true): Promise<Decided[]> {
  const done: Decided[] = new Array(households.length);
  for (let i = 0; i < households.length; i++) done[i] = decide(opts.evaluation, households[i], date, false);
  if (rec) {
    const answered: { a: Answered; household: unknown; index: number }[] = [];
    for (let i = 0; i < done.length; i++) { const d = done[i]!; if (d.ok) answered.push({ a: d, household: households[i], index: i }); }
    await record(opts, date, answered);
  }
  return done;
}

const householdId = (h: unknown): string | null =>
  h && typeof h === 'object' && !Array.isArray(h) && typeof (h as { id?: unknown }).id === 'string' ? (h as { id: string }).id : null;

export function checkEntitlementsBatch(n: number): void {
  if (n > MAX_ENTITLEMENTS_BATCH) {
    throw new DomainError('too_large', 'batch.too_large', `一次最多 ${MAX_ENTITLEMENTS_BATCH} 户（收到 ${n} 户）`,
      `At most ${MAX_ENTITLEMENTS_BATCH} households per batch (got ${n})`, [{ path: 'households', message: `maxItems ${MAX_ENTITLEMENTS_BATCH}` }]);
  }
}
