// The seeded household generator every engine is fed from: the same 10,000 households, in the
// contract's JSON shape (money as JSON numbers in yuan with cents, dates 'YYYY-MM-DD').
// Distribution (chosen to look like a dibao caseload, not to hunt for edge cases):
//   members 1–6 (20/25/25/18/8/4 %), 40 % rural; ages: ~25 % minors, ~50 % 18–59, ~25 % 60+,
//   and ~2 % of members born exactly 18 or 60 years before as_of (inclusive-boundary birthdays);
//   ~8 % disabled (level 1–4), ~6 % seriously ill;
//   incomes: most working-age adults and ~40 % of the elderly earn; amounts are a mix of
//   yuan-with-cents, whole yuan and round tens (0–3,500 元/月); ~15 % of earners have an
//   excluded part; ~20 % of households have rigid expenditure (50–2,000 元/月, with cents).
//   Nobody is enrolled (no gradual exit) and nobody applies as a single-person household, so
//   the policy under test reduces to the shared rules every engine implements.

export interface MemberJson {
  id: string; birth_date: string; disability_level: number; serious_illness: boolean;
  income_monthly: number; excluded_income_monthly: number;
}
export interface HouseholdJson {
  id: string; area: 'urban' | 'rural'; rigid_expenditure_monthly: number;
  dibao: { enrolled: boolean }; members: MemberJson[];
}

export const AS_OF = '2024-06-01';
export const SEED = 20240601;

/** mulberry32: a tiny deterministic PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function generateHouseholds(count = 10_000, seed = SEED, asOf = AS_OF): HouseholdJson[] {
  const r = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(weights: [T, number][]): T => {
    let x = r() * weights.reduce((s, [, w]) => s + w, 0);
    for (const [v, w] of weights) { x -= w; if (x < 0) return v; }
    return weights[weights.length - 1]![0];
  };
  const [ay, am, ad] = asOf.split('-').map(Number) as [number, number, number];
  const birth = (age: number, exact = false) => {
    if (exact) return `${ay - age}-${pad(am)}-${pad(ad)}`;
    // a random birthday: born on or before as_of's month-day in year (as_of − age), else a year earlier
    const m = int(1, 12), d = int(1, 28);
    const y = m < am || (m === am && d <= ad) ? ay - age : ay - age - 1;
    return `${y}-${pad(m)}-${pad(d)}`;
  };
  const yuan = (fen: number) => fen / 100;   // a JSON number with at most 2 decimals
  const amount = (maxYuan: number) => {
    const kind = r();
    if (kind < 0.5) return yuan(int(1, maxYuan * 100));           // yuan with cents
    if (kind < 0.8) return int(1, maxYuan);                        // whole yuan
    return int(1, Math.floor(maxYuan / 10)) * 10;                  // round tens
  };
  const out: HouseholdJson[] = [];
  for (let i = 0; i < count; i++) {
    const n = pick<number>([[1, 20], [2, 25], [3, 25], [4, 18], [5, 8], [6, 4]]);
    const members: MemberJson[] = [];
    for (let j = 0; j < n; j++) {
      const group = pick<'minor' | 'adult' | 'elder'>([['minor', 25], ['adult', 50], ['elder', 25]]);
      const edge = r() < 0.02;
      const age = group === 'minor' ? (edge ? 18 : int(0, 17)) : group === 'adult' ? int(18, 59) : (edge ? 60 : int(60, 95));
      const disabled = r() < 0.08;
      const earns = group === 'adult' ? r() < 0.7 : group === 'elder' ? r() < 0.4 : r() < 0.03;
      const income = earns ? amount(group === 'elder' ? 2500 : 3500) : 0;
      const excluded = income > 0 && r() < 0.15 ? Math.min(income, amount(600)) : 0;
      members.push({
        id: `m${j + 1}`,
        birth_date: birth(age, edge && (group === 'minor' || group === 'elder')),
        disability_level: disabled ? int(1, 4) : 0,
        serious_illness: r() < 0.06,
        income_monthly: income,
        excluded_income_monthly: excluded,
      });
    }
    out.push({
      id: `h${i + 1}`,
      area: r() < 0.4 ? 'rural' : 'urban',
      rigid_expenditure_monthly: r() < 0.2 ? amount(2000) : 0,
      dibao: { enrolled: false },
      members,
    });
  }
  return out;
}
