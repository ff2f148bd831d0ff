// Synthetic populations in the contract's household shape (shared/contract.md) for impact
// analysis. Household i of (preset, seed) depends only on those three values: workers generate
// disjoint index ranges and the result is the same as generating in one thread, in any order.
//
// What a population stands for: the households in the civil-affairs assistance database of an
// area (current recipients, applicants, low-income / dibao-edge families under monitoring), not
// the whole resident population. Each preset fixes the mix: urban/rural by county, household
// sizes and compositions, ages, disability levels and types, serious illness, an income class
// (per-capita countable income relative to the local dibao standard), dibao enrolment and
// gradual-exit history, single-person applications, non-local hukou, and (XPCC) distances.
// The presets are calibrated against published figures: see docs/simulation.md.
import { Rng, seedOf } from './prng.js';

export type Household = Record<string, unknown> & { id: string; members: Record<string, unknown>[] };

export interface County { name: string; weight: number; urbanShare: number }

export interface Preset {
  name: string;
  label: string;
  /** The label in English (the studio's English mode). */
  labelEn: string;
  description: string;
  /** The description in Chinese (the studio's Chinese mode; `description` is the English one). */
  descriptionZh: string;
  /** What the preset was calibrated to (published figures), or null: a plausible population only. */
  calibration: { zh: string; en: string } | null;
  idPrefix: string;
  counties: County[];
  hukouProvince: string;
  /** Reference monthly dibao standards (yuan) the income classes are drawn against. */
  standards: { urban: number; rural: number };
  /** Weights of household sizes 1, 2, 3, … */
  sizeWeights: number[];
  /** Share of 1–2 person households made only of elderly members. */
  elderlyOnlyShare: number;
  /** Weights of income classes: per-capita countable income below the standard, 1–2×, 2–4×. */
  classWeights: { poor: number; edge: number; above: number };
  /** Households with a disabled or seriously ill member are this many times likelier to be poor. */
  vulnerableFactor: number;
  /** Poor class: share with no countable income; the rest draw f = U^shape (income = f × standard). */
  zeroIncomeShare: number;
  poorShape: number;
  /** Member rates. */
  disabilityRate: { child: number; adult: number; elderly: number };
  illnessRate: { child: number; adult: number; elderly: number };
  /** Share of poor households already enrolled; share of edge households enrolled and exiting. */
  enrolledShare: number;
  exitingShare: number;
  /** Share of eligible members of edge households who applied as single-person units. */
  singleApplyShare: number;
  /** Share of households with medical/education rigid expenditure. */
  rigidShare: number;
  /** Non-local hukou: other county of the same province / other province (with a residence permit). */
  otherCountyShare: number;
  otherProvinceShare: number;
  /** XPCC: mean distance from the regiment HQ (km, exponential) and the border-regiment share. */
  xpcc?: { meanDistanceKm: number; borderShare: number };
}

const SIZE_DEFAULT = [0.26, 0.3, 0.2, 0.14, 0.07, 0.03];

export const presets: Record<string, Preset> = {
  zhongwei: {
    name: 'zhongwei',
    label: '中卫市（2022）',
    labelEn: 'Zhongwei city (2022)',
    descriptionZh: '中卫市：3 个县区，以农村为主；校准到中卫市低保约 87,400 人、每年约 3.7361 亿元（按 17 万户计，003）',
    description: 'Zhongwei city: 3 counties, mostly rural; calibrated so that zhongwei-dibao covers ≈87,400 persons and ≈373.61 million 元 a year for 170,000 households (003)',
    calibration: { zh: '低保约 87,400 人、每年约 3.7361 亿元（003，2022 年）', en: '≈87,400 dibao persons and ≈373.61 million yuan a year (003, 2022)' },
    idPrefix: 'ZW',
    counties: [
      { name: '沙坡头区', weight: 0.38, urbanShare: 0.32 },
      { name: '中宁县', weight: 0.3, urbanShare: 0.22 },
      { name: '海原县', weight: 0.32, urbanShare: 0.08 },
    ],
    hukouProvince: '宁夏',
    standards: { urban: 650, rural: 460 },
    sizeWeights: SIZE_DEFAULT,
    elderlyOnlyShare: 0.55,
    classWeights: { poor: 0.1771, edge: 0.3, above: 0.5229 },
    vulnerableFactor: 1.6,
    zeroIncomeShare: 0.152,
    poorShape: 1.9,
    disabilityRate: { child: 0.02, adult: 0.07, elderly: 0.16 },
    illnessRate: { child: 0.01, adult: 0.04, elderly: 0.08 },
    enrolledShare: 0.9,
    exitingShare: 0.08,
    singleApplyShare: 0.45,
    rigidShare: 0.15,
    otherCountyShare: 0.03,
    otherProvinceShare: 0.01,
  },
  dawukou: {
    name: 'dawukou',
    label: '大武口区（2022）',
    labelEn: 'Dawukou district (2022)',
    descriptionZh: '石嘴山市大武口区：工业区，以城市为主（001）',
    description: 'Dawukou district of Shizuishan: an industrial, mostly urban district (001)',
    calibration: null,
    idPrefix: 'DWK',
    counties: [{ name: '大武口区', weight: 1, urbanShare: 0.85 }],
    hukouProvince: '宁夏',
    standards: { urban: 650, rural: 460 },
    sizeWeights: [0.3, 0.32, 0.2, 0.11, 0.05, 0.02],
    elderlyOnlyShare: 0.5,
    classWeights: { poor: 0.2, edge: 0.3, above: 0.5 },
    vulnerableFactor: 1.6,
    zeroIncomeShare: 0.15,
    poorShape: 1.3,
    disabilityRate: { child: 0.02, adult: 0.08, elderly: 0.17 },
    illnessRate: { child: 0.01, adult: 0.05, elderly: 0.09 },
    enrolledShare: 0.9,
    exitingShare: 0.1,
    singleApplyShare: 0.45,
    rigidShare: 0.18,
    otherCountyShare: 0.04,
    otherProvinceShare: 0.02,
  },
  xpcc: {
    name: 'xpcc',
    label: '兵团团场（2023）',
    labelEn: 'XPCC regiments (2023)',
    descriptionZh: '兵团团场：连队距团部的距离与边境团场（004）',
    description: 'XPCC regiments: company distances from the regiment HQ and border regiments (004)',
    calibration: null,
    idPrefix: 'XP',
    counties: [
      { name: '第一师', weight: 0.4, urbanShare: 0.3 },
      { name: '第四师', weight: 0.3, urbanShare: 0.25 },
      { name: '第九师', weight: 0.3, urbanShare: 0.2 },
    ],
    hukouProvince: '新疆',
    standards: { urban: 650, rural: 460 },
    sizeWeights: [0.35, 0.3, 0.18, 0.11, 0.04, 0.02],
    elderlyOnlyShare: 0.5,
    classWeights: { poor: 0.2, edge: 0.3, above: 0.5 },
    vulnerableFactor: 1.6,
    zeroIncomeShare: 0.12,
    poorShape: 1.3,
    disabilityRate: { child: 0.02, adult: 0.07, elderly: 0.15 },
    illnessRate: { child: 0.01, adult: 0.04, elderly: 0.08 },
    enrolledShare: 0.9,
    exitingShare: 0.08,
    singleApplyShare: 0.45,
    rigidShare: 0.15,
    otherCountyShare: 0.05,
    otherProvinceShare: 0.08,
    xpcc: { meanDistanceKm: 22, borderShare: 0.3 },
  },
};

export function presetNames(): string[] { return Object.keys(presets); }

export interface GenerateOptions {
  preset: string | Preset;
  seed: string | number;
  /** Reference date 'YYYY-MM-DD': ages are drawn as of this date (use the simulation's as_of). */
  asOf?: string;
}

const DISABILITY_TYPES = ['physical', 'visual', 'hearing', 'speech', 'intellectual', 'mental', 'multiple'] as const;
const DISABILITY_TYPE_WEIGHTS = [0.45, 0.12, 0.12, 0.02, 0.1, 0.1, 0.09];
const DISABILITY_LEVEL_WEIGHTS = [0.12, 0.2, 0.33, 0.35];

const DAY = 86_400_000;
const pad2 = (n: number) => (n < 10 ? '0' + n : String(n));
function isoDay(ms: number): string {
  // civil date of a UTC day number (H. Hinnant's days_to_civil), without Date objects
  const z = Math.floor(ms / DAY) + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}
function refMs(asOf: string | undefined): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(asOf ?? '');
  if (!m) return Date.UTC(2023, 0, 1);
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!);
}

export function resolvePreset(p: string | Preset): Preset {
  if (typeof p !== 'string') return p;
  const found = Object.prototype.hasOwnProperty.call(presets, p) ? presets[p] : undefined;
  if (!found) throw new Error(`unknown preset "${p}" (presets: ${presetNames().join(', ')})`);
  return found;
}

type Age = 'child' | 'adult' | 'elderly';

/** A generator bound to (preset, seed, asOf): household(i) is pure in i. */
export class PopulationGenerator {
  readonly preset: Preset;
  readonly seed: number;
  private readonly ref: number;
  private readonly countyWeights: number[];

  constructor(opts: GenerateOptions) {
    this.preset = resolvePreset(opts.preset);
    this.seed = seedOf(opts.seed);
    this.ref = refMs(opts.asOf);
    this.countyWeights = this.preset.counties.map((c) => c.weight);
  }

  household(index: number): Household {
    const P = this.preset;
    const r = new Rng(this.seed, index);
    const county = P.counties[r.pick(this.countyWeights)]!;
    const urban = r.chance(county.urbanShare);
    const size = r.pick(P.sizeWeights) + 1;

    // ── composition ─────────────────────────────────────────────────────────
    const ages: Age[] = [];
    if (size <= 2 && r.chance(P.elderlyOnlyShare)) {
      for (let i = 0; i < size; i++) ages.push('elderly');
    } else if (size === 1) {
      ages.push('adult');
    } else if (size === 2) {
      // a single parent and child, a couple, or an adult with an elderly parent
      const k = r.pick([0.4, 0.35, 0.25]);
      ages.push('adult', k === 0 ? 'child' : k === 1 ? 'adult' : 'elderly');
    } else {
      const adults = size >= 3 && r.chance(0.75) ? 2 : 1;
      for (let i = 0; i < adults; i++) ages.push('adult');
      let rest = size - adults;
      const elders = rest >= 2 && r.chance(0.35) ? (rest >= 3 && r.chance(0.4) ? 2 : 1) : 0;
      for (let i = 0; i < elders; i++) ages.push('elderly');
      rest -= elders;
      for (let i = 0; i < rest; i++) ages.push('child');
    }

    const members: Record<string, unknown>[] = [];
    let vulnerable = false;
    const severeOrIll: number[] = [];
    for (let i = 0; i < ages.length; i++) {
      const kind = ages[i]!;
      const years = kind === 'child' ? r.int(0, 17) : kind === 'adult' ? r.int(22, 59) : Math.min(99, 60 + Math.floor(-Math.log(1 - r.next()) * 9));
      const birth = this.ref - Math.floor((years * 365.2425 + r.next() * 364) * DAY);
      const disabled = r.chance(P.disabilityRate[kind]);
      const level = disabled ? r.pick(DISABILITY_LEVEL_WEIGHTS) + 1 : 0;
      const ill = r.chance(P.illnessRate[kind]);
      if (disabled || ill) vulnerable = true;
      if (level === 1 || level === 2 || ill) severeOrIll.push(i);
      let selfCare = 'independent';
      if (level === 1) selfCare = r.chance(0.6) ? 'total_loss' : 'partial_loss';
      else if (level === 2) selfCare = r.chance(0.6) ? 'partial_loss' : 'independent';
      else if (kind === 'elderly' && years >= 80) selfCare = r.chance(0.3) ? 'partial_loss' : 'independent';
      let labor = 'full';
      if (kind !== 'adult' || level === 1 || level === 2) labor = 'none';
      else if (level > 0 || ill) labor = r.chance(0.5) ? 'partial' : 'none';
      // Fields at their contract default are omitted (the contract allows it; decoding is faster).
      const m: Record<string, unknown> = { id: `m${i + 1}`, birth_date: isoDay(birth) };
      if (disabled) { m['disability_level'] = level; m['disability_type'] = DISABILITY_TYPES[r.pick(DISABILITY_TYPE_WEIGHTS)]!; }
      if (ill) m['serious_illness'] = true;
      if (selfCare !== 'independent') m['self_care'] = selfCare;
      if (labor !== 'full') m['labor_capacity'] = labor;
      if (kind === 'elderly' && ages.includes('adult')) m['has_capable_supporter'] = true;
      members.push(m);
    }

    // ── income class and countable income ──────────────────────────────────
    const std = urban ? P.standards.urban : P.standards.rural;
    const w = P.classWeights;
    const cls = r.pick([w.poor * (vulnerable ? P.vulnerableFactor : 1), w.edge, w.above]);
    let f: number;
    if (cls === 0) f = r.chance(P.zeroIncomeShare) ? 0 : Math.min(0.985, Math.pow(r.next(), P.poorShape));
    else if (cls === 1) f = 1 + r.next();
    else f = 2 + 2 * r.next();
    let total = Math.round(f * std * size);
    if (cls === 0 && total >= std * size) total = std * size - 1;
    // Earners: working adults first, then everyone (pensions, transfers).
    const earners = members.filter((m) => m['labor_capacity'] !== 'none');
    const payees = earners.length ? earners : members;
    let left = total;
    for (let i = 0; i < payees.length; i++) {
      const share = i === payees.length - 1 ? left : Math.floor(total / payees.length);
      if (share) payees[i]!['income_monthly'] = share;
      left -= share;
    }
    // Excluded items (e.g. awards, subsidies for the disabled): counted out again by the policy.
    if (r.chance(0.12)) {
      const m = members[r.int(0, members.length - 1)]!;
      const extra = r.int(5, 30) * 10;
      m['income_monthly'] = ((m['income_monthly'] as number | undefined) ?? 0) + extra;
      m['excluded_income_monthly'] = extra;
    }
    for (const m of earners) {
      const inc = (m['income_monthly'] as number | undefined) ?? 0;
      if (inc > 0 && r.chance(0.3)) m['employment_cost_monthly'] = Math.min(inc, r.int(5, 20) * 10);
    }
    const rigid = vulnerable && r.chance(P.rigidShare * 2) ? r.int(5, 60) * 10 : r.chance(P.rigidShare / 2) ? r.int(5, 30) * 10 : 0;

    // ── dibao status ───────────────────────────────────────────────────────
    let enrolled = false, amount = 0, exceeded: string | null = null;
    if (cls === 0 && r.chance(P.enrolledShare)) {
      enrolled = true;
      amount = Math.max(0, Math.round((std - total / size) * size));
    } else if (cls === 1 && r.chance(P.exitingShare)) {
      enrolled = true;
      amount = Math.max(50, Math.round(std * size * (0.1 + 0.3 * r.next())));
      exceeded = isoDay(this.ref - Math.floor(r.next() * 730) * DAY);
    }
    const applies: string[] = [];
    if (!enrolled && cls === 1 && severeOrIll.length) {
      for (const i of severeOrIll) if (r.chance(P.singleApplyShare)) applies.push(`m${i + 1}`);
    }
    // 特困: a lone elderly or severely disabled person without income or capable supporter.
    if (size === 1 && total === 0 && (ages[0] === 'elderly' || severeOrIll.length) && r.chance(0.4)) {
      const m = members[0]!;
      m['tekun'] = true; m['labor_capacity'] = 'none';
      if (m['self_care'] !== undefined && r.chance(0.5)) m['institutional_care'] = true;
    }
    // Orphans and de-facto unsupported children: children living with grandparents only.
    if (ages.includes('child') && !ages.includes('adult') && r.chance(0.5)) {
      for (let i = 0; i < members.length; i++) if (ages[i] === 'child') members[i]![r.chance(0.5) ? 'orphan' : 'de_facto_unsupported'] = true;
    }

    // ── residence ──────────────────────────────────────────────────────────
    let hukouCounty = county.name, hukouProvince = P.hukouProvince, permit = false;
    const h = r.next();
    if (h < P.otherProvinceShare) { hukouCounty = '外省'; hukouProvince = '外省'; permit = true; }
    else if (h < P.otherProvinceShare + P.otherCountyShare) {
      const others = P.counties.filter((c) => c !== county);
      hukouCounty = others.length ? others[r.int(0, others.length - 1)]!.name : '区外';
      permit = r.chance(0.6);
    }

    const household: Household = {
      id: `${P.idPrefix}${String(index + 1).padStart(7, '0')}`,
      area: urban ? 'urban' : 'rural',
      county: county.name,
      hukou_province: hukouProvince,
      members,
    };
    if (hukouCounty !== county.name) household['hukou_county'] = hukouCounty;
    if (permit) household['residence_permit'] = true;
    if (rigid) household['rigid_expenditure_monthly'] = rigid;
    if (enrolled) household['dibao'] = exceeded ? { enrolled, monthly_amount: amount, income_exceeded_since: exceeded } : { enrolled, monthly_amount: amount };
    if (applies.length) household['applies_single_person'] = applies;
    if (P.xpcc) {
      household['distance_to_hq_km'] = Math.min(300, Math.round(-Math.log(1 - r.next()) * P.xpcc.meanDistanceKm));
      household['border_regiment'] = r.chance(P.xpcc.borderShare);
    }
    return household;
  }
}

/** Households [start, end) of a population, one at a time (nothing is kept). */
export function* generatePopulation(opts: GenerateOptions & { households: number; start?: number }): Generator<Household> {
  const g = new PopulationGenerator(opts);
  for (let i = opts.start ?? 0; i < opts.households; i++) yield g.household(i);
}
