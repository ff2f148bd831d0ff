// The exact reference every engine is checked against: written by hand with BigInt rationals,
// independent of dsl/ (no shared code), straight from the rules in /work/shared/domain.md.
//   standard      urban 650 元/月, rural 5520 元/年 ÷ 12
//   countable     max(0, Σ(income − excluded) − rigid expenditure)
//   per capita    countable ÷ members           eligible  per capita < standard
//   top-up        standard − per capita
//   specials      members aged ≥ 60 or < 18 (whole years on as_of), disabled (level > 0), or seriously ill
//   amount        eligible ? round half-up to 0.01 元 of (top-up × members + 10 % × top-up × specials) : 0
import type { HouseholdJson } from './households.js';

export interface Exact { eligible: boolean; fen: bigint }

/** A JSON money number/string in yuan to exact fen (refuses more than 2 decimals). */
export function fenOf(v: number | string): bigint {
  const s = String(v);
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) throw new Error(`not money: ${s}`);
  return BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0') || '0');
}

/** Whole years completed on `asOf` by someone born on `birth` (both 'YYYY-MM-DD'). */
export function ageOn(birth: string, asOf: string): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = asOf.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Half-up (away from zero) rounding of n/d to an integer, d > 0. */
function roundHalfUp(n: bigint, d: bigint): bigint {
  const neg = n < 0n;
  const a = neg ? -n : n;
  let q = a / d;
  if ((a % d) * 2n >= d) q += 1n;
  return neg ? -q : q;
}

export function reference(h: HouseholdJson, asOf: string): Exact {
  // every quantity as a fraction num/den of fen
  const [stdN, stdD] = h.area === 'urban' ? [65000n, 1n] : [552000n, 12n];
  let income = 0n;
  for (const m of h.members) income += fenOf(m.income_monthly) - fenOf(m.excluded_income_monthly);
  let countable = income - fenOf(h.rigid_expenditure_monthly);
  if (countable < 0n) countable = 0n;
  const n = BigInt(h.members.length);
  // per capita = countable / n; eligible when countable / n < stdN / stdD
  const eligible = countable * stdD < stdN * n;
  if (!eligible) return { eligible, fen: 0n };
  let specials = 0n;
  for (const m of h.members) {
    const age = ageOn(m.birth_date, asOf);
    if (age >= 60 || age < 18 || m.disability_level > 0 || m.serious_illness) specials += 1n;
  }
  // top-up = stdN/stdD − countable/n = (stdN·n − countable·stdD) / (stdD·n)
  const tN = stdN * n - countable * stdD, tD = stdD * n;
  // amount = top-up × n + top-up × specials / 10 = tN·(10n + specials) / (10·tD)
  return { eligible, fen: roundHalfUp(tN * (10n * n + specials), 10n * tD) };
}
