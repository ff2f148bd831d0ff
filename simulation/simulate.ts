// Impact analysis: every household of a population is evaluated under two compiled policy
// versions (baseline and candidate) and the outcomes are folded into fixed-size aggregates —
// counts, exact money sums (fen, via dsl money), histograms and a bounded sample of changed
// households. Aggregates from several workers merge exactly (sums, and samples kept by the
// smallest population index), so the result does not depend on how the work was split.
import { compileSource, fieldNamesByRecord, householdPath, linkedResults, money, parseDate, type CompiledPolicy, type DecodeOptions, type Diagnostic, type PolicyResolver } from '../dsl/index.js';
import type { PopulationItem } from './loader.js';

type Num = money.Num;
export type ModuleSources = Record<string, string>;
/** The policies a simulated version may read (引用): each id's version in force on the simulation date. */
export type LinkedSources = Record<string, { version: number; source: string }>;

/** A policy version to simulate: its source (compiled here, or in each worker). */
export interface PolicyRef {
  source: string;
  /** File name for diagnostics. */
  file?: string;
  /** Shown in reports, e.g. "dawukou-dibao v2" or "draft r7". */
  label?: string;
  policy?: string;
  version?: number | 'draft' | null;
  effective_from?: string | null;
}

export interface SimulationConfig {
  baseline: PolicyRef;
  candidate: PolicyRef;
  modules: ModuleSources;
  /** What `引用` resolves against: compiled (in each worker) and evaluated on the same household
   *  and date before a policy that reads them, as a single evaluation does. */
  linked?: LinkedSources;
  /** Evaluation date 'YYYY-MM-DD'. */
  asOf: string;
  /** Changed households kept per kind for drill-down (default 20). */
  sampleSize?: number;
  /** Lower edges (yuan) of the monthly-amount histogram buckets; the last bucket is open. */
  amountEdges?: number[];
  /** Edges (yuan) of the change histogram (changed households only). */
  deltaEdges?: number[];
}

export const DEFAULT_AMOUNT_EDGES = [0, 100, 200, 300, 500, 800, 1200, 2000, 3000];
export const DEFAULT_DELTA_EDGES = [-500, -200, -100, -50, 0, 50, 100, 200, 500];
export const CATEGORIES = ['elderly', 'child', 'disabled', 'ill'] as const;
export type Category = (typeof CATEGORIES)[number];
/** Distinct counties kept in by_county; the rest are pooled under this key. */
export const MAX_COUNTIES = 200;
export const OTHER_COUNTY = '(其他 / other)';
/** by_county key of households without a county. */
export const NO_COUNTY = '(未填 / not given)';
/** Share of the year's assistance expenditure for purchased services (Hongsibu measure 5, 000 §5). */
export const SERVICES_SHARE = money.frac(2, 100);

export class SimulationError extends Error {
  /** `message` joins both languages (the CLI and logs); `text` keeps them apart for the studio. */
  readonly text: { zh: string; en: string };
  constructor(text: { zh: string; en: string }, readonly details: { path: string; message: string }[] = []) {
    super(`${text.zh} / ${text.en}`); this.name = 'SimulationError'; this.text = text;
  }
}

// ── compilation ────────────────────────────────────────────────────────────

export interface CompiledPair {
  baseline: CompiledPolicy;
  candidate: CompiledPolicy;
  baselineOut: OutputIndex;
  candidateOut: OutputIndex;
  sameSchema: boolean;
  /** The referenced policies, compiled on first use (the versions of `linked`, in force on the simulation date). */
  resolve: PolicyResolver;
}
interface OutputIndex { eligible: number; amount: number; single: number; recipients: number }

/** 'baseline' / 'candidate' in a Chinese message. */
const whichZh = (which: string) => (which === 'baseline' ? '基准' : which === 'candidate' ? '草稿' : which);

function outputIndex(c: CompiledPolicy, which: string): OutputIndex {
  const at = (name: string, perMember = false) => c.info.outputs.findIndex((o) => o.name === name && o.perMember === perMember);
  const amount = at('monthly_amount');
  if (amount < 0) {
    throw new SimulationError({ zh: `${whichZh(which)}政策没有 monthly_amount 输出，无法计算费用`, en: `${which}: the policy has no household output monthly_amount to cost` },
      [{ path: which, message: 'monthly_amount output required' }]);
  }
  return { eligible: at('eligible'), amount, single: at('single_person_members'), recipients: at('recipients') };
}

const diagnosticDetails = (which: string, file: string, ds: Diagnostic[]) => ds.filter((d) => d.severity === 'error').slice(0, 20)
  .map((d) => ({ path: `${which}:${d.file ?? file}:${d.range.start.line}:${d.range.start.column}`, message: `${d.code}: ${d.message.zh} / ${d.message.en}` }));

export function compilePair(cfg: Pick<SimulationConfig, 'baseline' | 'candidate' | 'modules' | 'linked'>): CompiledPair {
  const sources = cfg.linked ?? {};
  const links = { linked: (id: string) => (Object.hasOwn(sources, id) ? sources[id] : undefined), linkedIds: Object.keys(sources) };
  const one = (which: 'baseline' | 'candidate', ref: PolicyRef) => {
    const file = ref.file ?? `${which}.policy`;
    const r = compileSource(ref.source, { file, modules: cfg.modules, ...links });
    if (!r.compiled) throw new SimulationError({ zh: `${whichZh(which)}政策无法编译`, en: `the ${which} policy does not compile` }, diagnosticDetails(which, file, r.diagnostics));
    return r.compiled;
  };
  const baseline = one('baseline', cfg.baseline);
  const candidate = one('candidate', cfg.candidate);
  let sameSchema = false;
  try { sameSchema = JSON.stringify(baseline.schema) === JSON.stringify(candidate.schema); } catch { sameSchema = false; }
  return { baseline, candidate, baselineOut: outputIndex(baseline, 'baseline'), candidateOut: outputIndex(candidate, 'candidate'), sameSchema, resolve: linkedResolver(sources, cfg.modules) };
}

/** The referenced policies compiled once each, on first use: every date of a simulation is its as_of,
 *  for which `sources` were chosen. One that does not compile is a household error (no result), as
 *  in a single evaluation. */
function linkedResolver(sources: LinkedSources, modules: ModuleSources): PolicyResolver {
  const compiled = new Map<string, CompiledPolicy | undefined>();
  const lookup = (id: string) => (Object.hasOwn(sources, id) ? sources[id] : undefined);
  return (id) => {
    if (!compiled.has(id)) {
      const s = lookup(id);
      compiled.set(id, s && compileSource(s.source, { file: `${id}/v${s.version}/policy.policy`, modules, linked: lookup, linkedIds: Object.keys(sources) }).compiled);
    }
    return compiled.get(id);
  };
}

// ── aggregate state (plain data: it crosses worker boundaries, see toWire/fromWire) ──

export interface SideState {
  eligibleHouseholds: number; eligiblePersons: number;
  recipientHouseholds: number; recipientPersons: number;
  monthly: Num; singleUnits: number; gradualExit: number;
  histogram: number[];
}
export interface GroupSide { households: number; persons: number; monthly: Num }
export interface Group { baseline: GroupSide; candidate: GroupSide }
export interface ChangeState { households: number; persons: number; delta: Num; maxAbs: Num }
export interface Sample { index: number; id: string | null; line?: number; baseline: Num; candidate: Num }
export interface ErrorSample { index: number; line?: number; id: string | null; path: string; message: string }

export interface SimState {
  households: number; persons: number; invalid: number;
  errors: ErrorSample[];
  baseline: SideState; candidate: SideState;
  byArea: Record<string, Group>; byCounty: Record<string, Group>;
  byCategory: Record<Category, Group>;
  changes: { entered: ChangeState; left: ChangeState; gained: ChangeState; lost: ChangeState; unchanged: number; neither: number; histogram: number[] };
  samples: { entered: Sample[]; left: Sample[]; gained: Sample[]; lost: Sample[] };
}

const side = (buckets: number): SideState => ({ eligibleHouseholds: 0, eligiblePersons: 0, recipientHouseholds: 0, recipientPersons: 0, monthly: 0, singleUnits: 0, gradualExit: 0, histogram: new Array(buckets).fill(0) });
const groupSide = (): GroupSide => ({ households: 0, persons: 0, monthly: 0 });
const group = (): Group => ({ baseline: groupSide(), candidate: groupSide() });
const change = (): ChangeState => ({ households: 0, persons: 0, delta: 0, maxAbs: 0 });

export function emptyState(amountBuckets = DEFAULT_AMOUNT_EDGES.length, deltaBuckets = DEFAULT_DELTA_EDGES.length + 1): SimState {
  return {
    households: 0, persons: 0, invalid: 0, errors: [],
    baseline: side(amountBuckets), candidate: side(amountBuckets),
    byArea: {}, byCounty: {},
    byCategory: { elderly: group(), child: group(), disabled: group(), ill: group() },
    changes: { entered: change(), left: change(), gained: change(), lost: change(), unchanged: 0, neither: 0, histogram: new Array(deltaBuckets).fill(0) },
    samples: { entered: [], left: [], gained: [], lost: [] },
  };
}

/** Keeps the `limit` entries with the smallest index (sorted). */
function keepSmallest<T extends { index: number }>(list: T[], item: T, limit: number): void {
  if (limit <= 0) return;
  if (list.length >= limit && item.index >= list[list.length - 1]!.index) return;
  let i = list.length;
  while (i > 0 && list[i - 1]!.index > item.index) i--;
  list.splice(i, 0, item);
  if (list.length > limit) list.pop();
}

// ── one household under one policy ─────────────────────────────────────────

interface Outcome { eligible: boolean; amount: Num; covered: boolean[]; coveredCount: number; single: number; gradualExit: boolean }

function bucketOf(edgesFen: number[], v: Num): number {
  // the last edge ≤ v (amount histogram: edges start at 0)
  let k = 0;
  for (let i = 0; i < edgesFen.length; i++) if (money.cmp(v, edgesFen[i]!) >= 0) k = i;
  return k;
}
function deltaBucketOf(edgesFen: number[], v: Num): number {
  // bucket k holds edges[k-1] ≤ v < edges[k]; 0 below the first edge, edges.length at or above the last
  let k = 0;
  while (k < edgesFen.length && money.cmp(v, edgesFen[k]!) >= 0) k++;
  return k;
}

const isPositive = (v: Num) => money.cmp(v, 0) > 0;
const absNum = (v: Num) => (money.cmp(v, 0) < 0 ? money.neg(v) : v);

/** Folds households into a SimState. Used by the in-thread path and by each worker. */
export class Simulator {
  readonly state: SimState;
  private readonly asOf: number;
  private readonly asOfText: string;
  /** How each side decodes: on as_of, and a field only the other version declares is no mistake. */
  private readonly decodeBaseline: DecodeOptions;
  private readonly decodeCandidate: DecodeOptions;
  private readonly amountEdgesFen: number[];
  private readonly deltaEdgesFen: number[];
  private readonly sampleSize: number;

  constructor(readonly pair: CompiledPair, cfg: Pick<SimulationConfig, 'asOf' | 'sampleSize' | 'amountEdges' | 'deltaEdges'>) {
    const asOf = parseDate(cfg.asOf);
    if (asOf === undefined) throw new SimulationError({ zh: `as_of ${cfg.asOf} 不是有效日期，应为 YYYY-MM-DD`, en: 'as_of must be a real date YYYY-MM-DD' }, [{ path: 'as_of', message: String(cfg.asOf) }]);
    this.asOf = asOf;
    this.asOfText = cfg.asOf;
    this.decodeBaseline = pair.sameSchema ? { asOf } : { asOf, alsoKnown: fieldNamesByRecord(pair.candidate.schema) };
    this.decodeCandidate = { asOf, alsoKnown: fieldNamesByRecord(pair.baseline.schema) };
    this.amountEdgesFen = (cfg.amountEdges ?? DEFAULT_AMOUNT_EDGES).map((y) => Math.round(y * 100));
    this.deltaEdgesFen = (cfg.deltaEdges ?? DEFAULT_DELTA_EDGES).map((y) => Math.round(y * 100));
    this.sampleSize = cfg.sampleSize ?? 20;
    this.state = emptyState(this.amountEdgesFen.length, this.deltaEdgesFen.length + 1);
  }

  private error(index: number, line: number | undefined, id: string | null, path: string, message: string): void {
    this.state.invalid++;
    keepSmallest(this.state.errors, { index, ...(line !== undefined ? { line } : {}), id, path, message }, this.sampleSize);
  }

  /** Adds one item of a population (index = its 0-based position in the population). */
  addItem(item: PopulationItem, index: number): void {
    if ('error' in item) { this.error(index, item.line, item.id ?? null, householdPath(item.error.path), item.error.message); return; }
    this.add(item.household, index, item.line, item.memberLines);
  }

  add(raw: unknown, index: number, line?: number, memberLines?: number[]): void {
    const id = raw && typeof raw === 'object' && !Array.isArray(raw) && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;
    const lineOf = (path: string) => {
      const m = memberLines && /^household\.members\[(\d+)\]/.exec(path);
      return m ? memberLines![Number(m[1])] ?? line : line;
    };
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) { this.error(index, line, null, 'household', '家庭数据应为对象 / household must be an object'); return; }
    const p = this.pair;
    const hb = this.withLinked(p.baseline, raw);
    if ('path' in hb) { this.error(index, line, id, hb.path, hb.message); return; }
    const db = p.baseline.prepare(hb.household, this.decodeBaseline);
    if (!db.value) { const e = db.errors[0]!; const path = householdPath(e.path); this.error(index, lineOf(path), id, path, `${e.message.zh} / ${e.message.en}`); return; }
    let dc = db;
    // same schema: the same links, so the same referenced results (same household, same date)
    if (!p.sameSchema) {
      const hc = this.withLinked(p.candidate, raw);
      if ('path' in hc) { this.error(index, line, id, hc.path, hc.message); return; }
      dc = p.candidate.prepare(hc.household, this.decodeCandidate);
      if (!dc.value) { const e = dc.errors[0]!; const path = householdPath(e.path); this.error(index, lineOf(path), id, path, `${e.message.zh} / ${e.message.en}`); return; }
    }
    let b: Outcome, c: Outcome;
    try {
      b = this.outcome(p.baseline, p.baselineOut, db.value);
      c = this.outcome(p.candidate, p.candidateOut, dc.value!);
    } catch (e) {
      const err = e as { line?: unknown; zh?: unknown; en?: unknown; message?: string };
      const path = typeof err.line === 'number' ? `policy:${err.line}` : 'policy';
      this.error(index, line, id, path, typeof err.zh === 'string' ? `${err.zh} / ${String(err.en)}` : `计算失败 / evaluation failed: ${err.message ?? String(e)}`);
      return;
    }
    this.fold(db.value, id, index, line, b, c);
  }

  /** The household with the results of the policies `c` reads (引用), each evaluated first on the
   *  same household and date through the language's link machinery, as a single evaluation does. */
  private withLinked(c: CompiledPolicy, raw: object): { household: unknown } | { path: string; message: string } {
    if (!c.uses.length) return { household: raw };
    const l = linkedResults(c, raw, this.asOfText, undefined, this.pair.resolve, { trace: false });
    if ('error' in l) return { path: 'linked', message: `${l.error.zh} / ${l.error.en}` };
    const h = c.carry(raw, l.linked);
    if (h.ok) return { household: h.household };
    const e = h.errors[0]!;
    return { path: e.path, message: `${e.message.zh} / ${e.message.en}` };
  }

  private outcome(c: CompiledPolicy, o: OutputIndex, h: Record<string, unknown>): Outcome {
    const cx = c.compute(h, this.asOf);
    const amount = (c.outputValue(cx, o.amount) as Num | null) ?? 0;
    const eligible = o.eligible >= 0 ? c.outputValue(cx, o.eligible) === true : isPositive(amount);
    const members = (h['members'] as Record<string, unknown>[]);
    const n = members.length;
    let covered: boolean[] = [];
    let coveredCount = 0, single = 0;
    if (eligible || isPositive(amount)) {
      let ids: unknown = undefined;
      if (o.single >= 0) { const s = c.outputValue(cx, o.single); if (Array.isArray(s) && s.length) { ids = s; single = s.length; } }
      if (ids === undefined && o.recipients >= 0) { const s = c.outputValue(cx, o.recipients); if (Array.isArray(s)) ids = s; }
      if (Array.isArray(ids)) {
        const set = new Set(ids as string[]);
        covered = members.map((m) => set.has(m['id'] as string));
        for (const x of covered) if (x) coveredCount++;
      } else {
        covered = new Array(n).fill(true); coveredCount = n;
      }
    }
    const gradualExit = !eligible && isPositive(amount);
    return { eligible, amount, covered, coveredCount, single, gradualExit };
  }

  private sideAdd(s: SideState, o: Outcome): void {
    if (o.eligible) { s.eligibleHouseholds++; s.eligiblePersons += o.coveredCount; }
    s.singleUnits += o.single;
    if (o.gradualExit) s.gradualExit++;
    if (isPositive(o.amount)) {
      s.recipientHouseholds++; s.recipientPersons += o.coveredCount;
      s.monthly = money.add(s.monthly, o.amount);
      s.histogram[bucketOf(this.amountEdgesFen, o.amount)]!++;
    }
  }

  private fold(h: Record<string, unknown>, id: string | null, index: number, line: number | undefined, b: Outcome, c: Outcome): void {
    const S = this.state;
    const members = h['members'] as Record<string, unknown>[];
    S.households++;
    S.persons += members.length;
    this.sideAdd(S.baseline, b);
    this.sideAdd(S.candidate, c);
    const bIn = isPositive(b.amount), cIn = isPositive(c.amount);

    // by area and county
    const groupAdd = (g: Group) => {
      if (bIn) { g.baseline.households++; g.baseline.persons += b.coveredCount; g.baseline.monthly = money.add(g.baseline.monthly, b.amount); }
      if (cIn) { g.candidate.households++; g.candidate.persons += c.coveredCount; g.candidate.monthly = money.add(g.candidate.monthly, c.amount); }
    };
    if (bIn || cIn) {
      const area = String(h['area'] ?? '');
      groupAdd(S.byArea[area] ??= group());
      let county = String(h['county'] ?? '') || NO_COUNTY;
      if (!(county in S.byCounty) && Object.keys(S.byCounty).length >= MAX_COUNTIES) county = OTHER_COUNTY;
      groupAdd(S.byCounty[county] ??= group());
      // by member category: covered persons in the category; households (and their whole amount) with at least one
      const flags = members.map((m) => {
        const birth = m['birth_date'] as number;
        const age = Math.floor((this.asOf - birth) / 10000);
        return [age >= 60, age < 18, ((m['disability_level'] as number | undefined) ?? 0) > 0, m['serious_illness'] === true];
      });
      CATEGORIES.forEach((cat, k) => {
        const g = S.byCategory[cat];
        const tally = (o: Outcome, gs: GroupSide) => {
          let persons = 0;
          for (let i = 0; i < members.length; i++) if (o.covered[i] && flags[i]![k]) persons++;
          if (persons) { gs.households++; gs.persons += persons; gs.monthly = money.add(gs.monthly, o.amount); }
        };
        if (bIn) tally(b, g.baseline);
        if (cIn) tally(c, g.candidate);
      });
    }

    // changes
    const C = S.changes;
    const delta = money.sub(c.amount, b.amount);
    const record = (kind: 'entered' | 'left' | 'gained' | 'lost', persons: number) => {
      const ch = C[kind];
      ch.households++; ch.persons += persons;
      ch.delta = money.add(ch.delta, delta);
      const a = absNum(delta);
      if (money.cmp(a, ch.maxAbs) > 0) ch.maxAbs = a;
      C.histogram[deltaBucketOf(this.deltaEdgesFen, delta)]!++;
      keepSmallest(S.samples[kind], { index, id, ...(line !== undefined ? { line } : {}), baseline: b.amount, candidate: c.amount }, this.sampleSize);
    };
    if (!bIn && cIn) record('entered', c.coveredCount);
    else if (bIn && !cIn) record('left', b.coveredCount);
    else if (bIn && cIn) {
      const d = money.cmp(delta, 0);
      if (d > 0) record('gained', c.coveredCount);
      else if (d < 0) record('lost', c.coveredCount);
      else C.unchanged++;
    } else C.neither++;
  }
}

// ── merging and wire form ──────────────────────────────────────────────────

const addSide = (a: SideState, b: SideState): void => {
  a.eligibleHouseholds += b.eligibleHouseholds; a.eligiblePersons += b.eligiblePersons;
  a.recipientHouseholds += b.recipientHouseholds; a.recipientPersons += b.recipientPersons;
  a.monthly = money.add(a.monthly, b.monthly); a.singleUnits += b.singleUnits; a.gradualExit += b.gradualExit;
  b.histogram.forEach((x, i) => { a.histogram[i] = (a.histogram[i] ?? 0) + x; });
};
const addGroupSide = (a: GroupSide, b: GroupSide) => { a.households += b.households; a.persons += b.persons; a.monthly = money.add(a.monthly, b.monthly); };
const addGroups = (into: Record<string, Group>, from: Record<string, Group>, cap?: number) => {
  for (const [k0, g] of Object.entries(from)) {
    const k = cap !== undefined && !(k0 in into) && Object.keys(into).length >= cap ? OTHER_COUNTY : k0;
    const t = (into[k] ??= group());
    addGroupSide(t.baseline, g.baseline); addGroupSide(t.candidate, g.candidate);
  }
};

/** Merges b into a (exact: every field is a count, an exact sum or a bounded smallest-index sample). */
export function mergeState(a: SimState, b: SimState, sampleSize = 20): SimState {
  a.households += b.households; a.persons += b.persons; a.invalid += b.invalid;
  a.errors = [...a.errors, ...b.errors].sort((x, y) => x.index - y.index).slice(0, sampleSize);
  addSide(a.baseline, b.baseline); addSide(a.candidate, b.candidate);
  addGroups(a.byArea, b.byArea); addGroups(a.byCounty, b.byCounty, MAX_COUNTIES);
  addGroups(a.byCategory as Record<string, Group>, b.byCategory as Record<string, Group>);
  for (const k of ['entered', 'left', 'gained', 'lost'] as const) {
    const x = a.changes[k], y = b.changes[k];
    x.households += y.households; x.persons += y.persons; x.delta = money.add(x.delta, y.delta);
    if (money.cmp(y.maxAbs, x.maxAbs) > 0) x.maxAbs = y.maxAbs;
    a.samples[k] = [...a.samples[k], ...b.samples[k]].sort((p, q) => p.index - q.index).slice(0, sampleSize);
  }
  a.changes.unchanged += b.changes.unchanged; a.changes.neither += b.changes.neither;
  b.changes.histogram.forEach((x, i) => { a.changes.histogram[i] = (a.changes.histogram[i] ?? 0) + x; });
  return a;
}

/** Structured clone drops the Ratio prototype: fractions travel as { $ratio: [n, d] } text. */
export function toWire<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (x instanceof money.Ratio ? { $ratio: [String(x.n), String(x.d)] } : x))) as T;
}
export function fromWire<T>(v: T): T {
  const walk = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === 'object') {
      const r = (x as { $ratio?: [string, string] }).$ratio;
      if (r) return money.frac(BigInt(r[0]), BigInt(r[1]));
      const out: Record<string, unknown> = {};
      for (const [k, y] of Object.entries(x)) out[k] = walk(y);
      return out;
    }
    return x;
  };
  return walk(v) as T;
}

// ── the result (JSON for the CLI, the API and the studio's Impact tab) ─────

export interface PolicySummary { label: string | null; policy: string | null; version: number | 'draft' | null; effective_from: string | null; title: string | null }
export interface TotalsJson {
  eligible_households: number; eligible_persons: number;
  recipient_households: number; recipient_persons: number;
  single_person_units: number; gradual_exit_households: number;
  monthly_cost: string; yearly_cost: string; services_budget_2pct: string;
}
export interface GroupJson { baseline: { households: number; persons: number; monthly_cost: string }; candidate: { households: number; persons: number; monthly_cost: string }; change_monthly: string }
export interface ChangeJson { households: number; persons: number; monthly_change: string; average_change: string; largest_change: string }
export interface SampleJson { index: number; id: string | null; line?: number; baseline: string; candidate: string; change: string }
export interface SimulationResult {
  as_of: string;
  baseline: PolicySummary;
  candidate: PolicySummary;
  population: { source: string; households: number; persons: number; invalid: number; errors: ErrorSample[] };
  totals: { baseline: TotalsJson; candidate: TotalsJson; change: { recipient_households: number; recipient_persons: number; monthly_cost: string; yearly_cost: string; services_budget_2pct: string } };
  by_area: Record<string, GroupJson>;
  by_county: Record<string, GroupJson>;
  by_category: Record<Category, GroupJson>;
  changes: { entered: ChangeJson; left: ChangeJson; gained: ChangeJson; lost: ChangeJson; unchanged: number; neither: number;
             histogram: { from: string | null; to: string | null; households: number }[] };
  distribution: { buckets: { from: string; to: string | null; baseline: number; candidate: number }[] };
  samples: { entered: SampleJson[]; left: SampleJson[]; gained: SampleJson[]; lost: SampleJson[] };
  run: { elapsed_ms: number; households_per_second: number; threads: number };
}

const yuan = (v: Num) => money.fenToYuan(v);
const yearly = (v: Num) => money.mul(v, 12);
const yuanText = (y: number) => money.fenToYuan(Math.round(y * 100));

function totalsJson(s: SideState): TotalsJson {
  const year = yearly(s.monthly);
  return {
    eligible_households: s.eligibleHouseholds, eligible_persons: s.eligiblePersons,
    recipient_households: s.recipientHouseholds, recipient_persons: s.recipientPersons,
    single_person_units: s.singleUnits, gradual_exit_households: s.gradualExit,
    monthly_cost: yuan(s.monthly), yearly_cost: yuan(year), services_budget_2pct: yuan(money.mul(year, SERVICES_SHARE)),
  };
}
const groupJson = (g: Group): GroupJson => ({
  baseline: { households: g.baseline.households, persons: g.baseline.persons, monthly_cost: yuan(g.baseline.monthly) },
  candidate: { households: g.candidate.households, persons: g.candidate.persons, monthly_cost: yuan(g.candidate.monthly) },
  change_monthly: yuan(money.sub(g.candidate.monthly, g.baseline.monthly)),
});
const changeJson = (c: ChangeState): ChangeJson => ({
  households: c.households, persons: c.persons, monthly_change: yuan(c.delta),
  average_change: c.households ? yuan(money.div(c.delta, c.households)) : '0.00',
  largest_change: yuan(c.maxAbs),
});
const sampleJson = (s: Sample): SampleJson => ({ index: s.index, id: s.id, ...(s.line !== undefined ? { line: s.line } : {}), baseline: yuan(s.baseline), candidate: yuan(s.candidate), change: yuan(money.sub(s.candidate, s.baseline)) });

/** What a result says of the baseline and the candidate. */
export interface PairSummary { baseline: PolicySummary; candidate: PolicySummary }

export function policySummary(ref: PolicyRef, c?: CompiledPolicy): PolicySummary {
  return { label: ref.label ?? null, policy: ref.policy ?? c?.info.id ?? null, version: ref.version ?? null, effective_from: ref.effective_from ?? c?.info.effective ?? null, title: c?.info.title ?? null };
}

export function buildResult(state: SimState, meta: {
  asOf: string; baseline: PolicySummary; candidate: PolicySummary; source: string; elapsedMs: number; threads: number;
  amountEdges?: number[]; deltaEdges?: number[];
}): SimulationResult {
  const aE = meta.amountEdges ?? DEFAULT_AMOUNT_EDGES, dE = meta.deltaEdges ?? DEFAULT_DELTA_EDGES;
  const B = totalsJson(state.baseline), C = totalsJson(state.candidate);
  const dm = money.sub(state.candidate.monthly, state.baseline.monthly);
  const sortGroups = (r: Record<string, Group>) => Object.fromEntries(Object.keys(r).sort().map((k) => [k, groupJson(r[k]!)]));
  return {
    as_of: meta.asOf,
    baseline: meta.baseline, candidate: meta.candidate,
    population: { source: meta.source, households: state.households, persons: state.persons, invalid: state.invalid, errors: state.errors },
    totals: {
      baseline: B, candidate: C,
      change: {
        recipient_households: C.recipient_households - B.recipient_households,
        recipient_persons: C.recipient_persons - B.recipient_persons,
        monthly_cost: yuan(dm), yearly_cost: yuan(yearly(dm)), services_budget_2pct: yuan(money.mul(yearly(dm), SERVICES_SHARE)),
      },
    },
    by_area: sortGroups(state.byArea),
    by_county: sortGroups(state.byCounty),
    by_category: Object.fromEntries(CATEGORIES.map((k) => [k, groupJson(state.byCategory[k])])) as Record<Category, GroupJson>,
    changes: {
      entered: changeJson(state.changes.entered), left: changeJson(state.changes.left),
      gained: changeJson(state.changes.gained), lost: changeJson(state.changes.lost),
      unchanged: state.changes.unchanged, neither: state.changes.neither,
      histogram: state.changes.histogram.map((households, k) => ({ from: k === 0 ? null : yuanText(dE[k - 1]!), to: k === dE.length ? null : yuanText(dE[k]!), households })),
    },
    distribution: {
      buckets: aE.map((from, k) => ({ from: yuanText(from), to: k + 1 < aE.length ? yuanText(aE[k + 1]!) : null, baseline: state.baseline.histogram[k] ?? 0, candidate: state.candidate.histogram[k] ?? 0 })),
    },
    samples: { entered: state.samples.entered.map(sampleJson), left: state.samples.left.map(sampleJson), gained: state.samples.gained.map(sampleJson), lost: state.samples.lost.map(sampleJson) },
    run: { elapsed_ms: Math.round(meta.elapsedMs), households_per_second: meta.elapsedMs > 0 ? Math.round(state.households / (meta.elapsedMs / 1000)) : 0, threads: meta.threads },
  };
}
