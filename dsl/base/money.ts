// Exact numbers for money and rates. A value is a safe JS integer (the fast path: money in fen,
// counts, ages) or a reduced fraction. Fractions keep per-capita income, ÷12 and thirds exact;
// a fraction whose parts would leave the safe-integer range moves to BigInt, never to floats.
// The one place where money is rounded is roundFen (half-up, away from zero, to whole fen).

export class Ratio {
  constructor(readonly n: number | bigint, readonly d: number | bigint) {}
}
export type Num = number | Ratio;

const big = (x: number | bigint): bigint => (typeof x === 'bigint' ? x : BigInt(x));

function gcdN(a: number, b: number): number {
  a = Math.abs(a); b = Math.abs(b);
  while (b) { const t = a % b; a = b; b = t; }
  return a;
}
function gcdB(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a; if (b < 0n) b = -b;
  while (b) { const t = a % b; a = b; b = t; }
  return a;
}

/** Builds the canonical value of n/d (d ≠ 0): an integer when it divides, else a reduced Ratio. */
export function frac(n: number | bigint, d: number | bigint): Num {
  if (typeof n === 'number' && typeof d === 'number') {
    if (d < 0) { n = -n; d = -d; }
    if (d === 1) return n;
    const g = gcdN(n, d);
    if (g === d) return n / d;
    return new Ratio(n / g, d / g);
  }
  let bn = big(n), bd = big(d);
  if (bd < 0n) { bn = -bn; bd = -bd; }
  const g = gcdB(bn, bd) || 1n;
  bn /= g; bd /= g;
  const safe = (x: bigint) => x <= 9007199254740991n && x >= -9007199254740991n;
  if (bd === 1n) return safe(bn) ? Number(bn) : new Ratio(bn, 1n);
  return safe(bn) && safe(bd) ? new Ratio(Number(bn), Number(bd)) : new Ratio(bn, bd);
}

const num = (x: Num) => (typeof x === 'number' ? x : x.n);
const den = (x: Num) => (typeof x === 'number' ? 1 : x.d);

function mulParts(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') {
    const p = a * b;
    if (Number.isSafeInteger(p)) return p;
  }
  return big(a) * big(b);
}
function addParts(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') {
    const s = a + b;
    if (Number.isSafeInteger(s)) return s;
  }
  return big(a) + big(b);
}

export function add(a: Num, b: Num): Num {
  if (typeof a === 'number') {
    if (typeof b === 'number') {
      const s = a + b;
      if (Number.isSafeInteger(s)) return s;
      return frac(BigInt(a) + BigInt(b), 1);
    }
    const r = addIntRatio(a, b);
    if (r !== undefined) return r;
  } else if (typeof b === 'number') {
    const r = addIntRatio(b, a);
    if (r !== undefined) return r;
  }
  return addGeneral(a, b);
}
/** k + n/d with n/d reduced and d > 1: (k·d + n)/d is reduced too (no gcd needed); undefined past the safe range. */
function addIntRatio(k: number, r: Ratio): Num | undefined {
  const n = r.n, d = r.d;
  if (typeof n !== 'number' || typeof d !== 'number') return undefined;
  const s = k * d + n;
  return Number.isSafeInteger(s) && Number.isSafeInteger(k * d) ? new Ratio(s, d) : undefined;
}
function addGeneral(a: Num, b: Num): Num {
  return frac(addParts(mulParts(num(a), den(b)), mulParts(num(b), den(a))), mulParts(den(a), den(b)));
}
export function neg(a: Num): Num {
  return typeof a === 'number' ? -a : new Ratio(typeof a.n === 'bigint' ? -a.n : -a.n, a.d);
}
export function sub(a: Num, b: Num): Num {
  if (typeof a === 'number') {
    if (typeof b === 'number') {
      const s = a - b;
      if (Number.isSafeInteger(s)) return s;
      return frac(BigInt(a) - BigInt(b), 1);
    }
    // k − n/d = (k·d − n)/d, reduced
    const n = b.n, d = b.d;
    if (typeof n === 'number' && typeof d === 'number') {
      const kd = k_mul(a, d);
      if (kd !== undefined) { const s = kd - n; if (Number.isSafeInteger(s)) return new Ratio(s, d); }
    }
  } else if (typeof b === 'number') {
    const r = addIntRatio(-b, a);
    if (r !== undefined) return r;
  }
  return addGeneral(a, neg(b));
}
const k_mul = (k: number, d: number): number | undefined => { const p = k * d; return Number.isSafeInteger(p) ? p : undefined; };
export function mul(a: Num, b: Num): Num {
  if (typeof a === 'number') {
    if (typeof b === 'number') {
      const p = a * b;
      if (Number.isSafeInteger(p)) return p;
    } else if (typeof b.n === 'number' && typeof b.d === 'number') {
      // k × n/d = (k·n)/d, reduced by frac (10 % × amount: the numerator multiplies first)
      const p = a * b.n;
      if (Number.isSafeInteger(p)) return frac(p, b.d);
    }
  } else if (typeof b === 'number') {
    if (typeof a.n === 'number' && typeof a.d === 'number') {
      const p = a.n * b;
      if (Number.isSafeInteger(p)) return frac(p, a.d);
    }
  } else if (typeof a.n === 'number' && typeof a.d === 'number' && typeof b.n === 'number' && typeof b.d === 'number') {
    const n = a.n * b.n, d = a.d * b.d;
    if (Number.isSafeInteger(n) && Number.isSafeInteger(d)) return frac(n, d);
  }
  return frac(mulParts(num(a), num(b)), mulParts(den(a), den(b)));
}
/** a ÷ b; the caller guarantees b ≠ 0 (the evaluator reports division by zero itself). */
export function div(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') return frac(a, b);
  return frac(mulParts(num(a), den(b)), mulParts(den(a), num(b)));
}
export function isZero(a: Num): boolean {
  return typeof a === 'number' ? a === 0 : a.n === 0 || a.n === 0n;
}
export function cmp(a: Num, b: Num): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  const l = mulParts(num(a), den(b));
  const r = mulParts(num(b), den(a));
  return l < r ? -1 : l > r ? 1 : 0;
}
export const lt = (a: Num, b: Num) => (typeof a === 'number' && typeof b === 'number' ? a < b : cmp(a, b) < 0);
export const eq = (a: Num, b: Num) => (typeof a === 'number' && typeof b === 'number' ? a === b : cmp(a, b) === 0);
export const min = (a: Num, b: Num) => (cmp(a, b) <= 0 ? a : b);
export const max = (a: Num, b: Num) => (cmp(a, b) >= 0 ? a : b);

/** Rounds to a whole number half-up (half away from zero): the one rounding rule of money. */
export function roundHalfUp(a: Num): Num {
  if (typeof a === 'number') return a;
  if (typeof a.n === 'number' && typeof a.d === 'number') return roundPairHalfUp(a.n, a.d);
  const n = big(a.n), d = big(a.d);
  const negative = n < 0n;
  const abs = negative ? -n : n;
  let q = abs / d;
  if ((abs % d) * 2n >= d) q += 1n;
  return frac(negative ? -q : q, 1);
}
/** n/d (d > 0, both safe integers) rounded half-up to a whole number: roundHalfUp without a
 *  Ratio (generated code keeps fractions as numerator/denominator pairs). */
export function roundPairHalfUp(n: number, d: number): number {
  const abs = n < 0 ? -n : n;
  // both within 32 bits (a household's amount): the quotient of two int32 values truncated is
  // exact, and V8 keeps it in integer registers instead of a float % (a call) and a division
  // (两者都在 32 位内时用整数除法，结果相同)
  if (abs <= 0x7fffffff && d > 0 && d <= 0x7fffffff) {
    const q0 = (abs / d) | 0, r0 = abs - q0 * d;
    const q1 = r0 * 2 >= d ? q0 + 1 : q0;
    return n < 0 && q1 !== 0 ? -q1 : q1;
  }
  // safe integers: % is exact, and (abs − r) / d is an exact integer quotient
  const r = abs % d;
  let q = (abs - r) / d;
  if (r * 2 >= d) q += 1;
  return n < 0 && q !== 0 ? -q : q;
}
/** Money is held in fen: rounding money to 0.01 元 is rounding fen to a whole number. */
export const roundFen = roundHalfUp;

/** Parses a decimal string ("650", "650.5", "-0.25", "1e3" is refused) exactly. */
export function parseDecimal(text: string): Num | undefined {
  const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  const frac_ = m[3] ?? '';
  const digits = (m[2] + frac_).replace(/^0+(?=\d)/, '');
  const n = digits.length > 15 ? BigInt(digits) : Number(digits);
  const d = frac_.length === 0 ? 1 : frac_.length > 15 ? 10n ** BigInt(frac_.length) : 10 ** frac_.length;
  const v = frac(n, d);
  return m[1] === '-' ? neg(v) : v;
}

/** Yuan text ("650.00", "0.5") to fen; undefined when not a decimal. */
export function yuanToFen(text: string): Num | undefined {
  const v = parseDecimal(text);
  return v === undefined ? undefined : mul(v, 100);
}

/** Exact decimal text of a value with `places` decimals, rounded half-up. */
export function toFixed(a: Num, places: number): string {
  const scale = 10 ** places;
  const r = roundHalfUp(mul(a, scale));
  const n = typeof r === 'number' ? BigInt(r) : big(r.n);
  const negative = n < 0n;
  const s = (negative ? -n : n).toString().padStart(places + 1, '0');
  const head = s.slice(0, s.length - places);
  const tail = s.slice(s.length - places);
  return (negative ? '-' : '') + head + (places > 0 ? '.' + tail : '');
}

/** Fen to the contract's money text: yuan with exactly two decimals, rounded half-up. */
export const fenToYuan = (fen: Num): string => toFixed(fen, 0).replace(/^(-?)(\d*?)(\d{1,2})$/, (_, s: string, h: string, t: string) => `${s}${h || '0'}.${t.padStart(2, '0')}`);

/** Whether a number's decimal expansion ends (its denominator has no prime factors but 2 and 5). */
export function terminates(a: Num): boolean {
  if (typeof a === 'number') return true;
  if (typeof a.d === 'number') {
    // a safe integer halves and fifths exactly: no BigInt for the common fraction (y/100, n/12)
    let d = a.d;
    if (d === 0) return false;
    while (d % 2 === 0) d /= 2;
    while (d % 5 === 0) d /= 5;
    return d === 1;
  }
  let d = a.d;
  while (d % 2n === 0n) d /= 2n;
  while (d % 5n === 0n) d /= 5n;
  return d === 1n;
}

/** n/d (safe integers, d > 1) as numToText writes it — the shortest exact decimal with at least
 *  one place — in plain numbers when d divides 10^p for some p ≤ 15 and n·10^p/d stays safe
 *  (money ÷ 100, a percentage): numToText's rounding loop runs BigInt and a regular expression
 *  per place tried, and the trace writes thousands of these per answer. undefined otherwise. */
function pairDecimal(n: number, d: number): string | undefined {
  if (d <= 1) return undefined;
  let p = 1, scale = 10;
  while (scale % d !== 0) { if (++p > 15) return undefined; scale *= 10; }
  const m = n * (scale / d);
  if (!Number.isSafeInteger(m)) return undefined;
  const abs = m < 0 ? -m : m;
  const f = abs % scale;
  let digits = String(f).padStart(p, '0');
  // an unreduced n/d (2/4) ends sooner than d says: the shortest text keeps one place at least
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 48) end--;
  if (end < digits.length) digits = digits.slice(0, end);
  return `${m < 0 ? '-' : ''}${String((abs - f) / scale)}.${digits}`;
}

/** A plain number's shortest exact decimal text when it terminates, else 6 places. */
export function numToText(a: Num): string {
  if (typeof a === 'number') return String(a);
  if (typeof a.n === 'number' && typeof a.d === 'number') {
    const fast = pairDecimal(a.n, a.d);
    if (fast !== undefined) return fast;
  }
  if (!terminates(a)) return toFixed(a, 6);
  for (let p = 1; p <= 30; p++) {
    const s = toFixed(a, p);
    if (parseDecimal(s) !== undefined && cmp(parseDecimal(s)!, a) === 0) return s;
  }
  return toFixed(a, 30);
}

// ── rounding with a named rule (舍入(x, 元|角|分, 四舍五入|向下|向上)) ─────────────────────────
export type RoundingRule = 'half-up' | 'down' | 'up';

/** Rounds to a whole number: half-up (half away from zero), down (toward zero) or up (away from zero). */
export function roundWhole(a: Num, rule: RoundingRule): Num {
  if (rule === 'half-up') return roundHalfUp(a);
  if (typeof a === 'number') return a;
  const n = big(a.n), d = big(a.d);
  const negative = n < 0n;
  let q = (negative ? -n : n) / d;            // toward zero
  if (rule === 'up' && q * d !== (negative ? -n : n)) q += 1n;
  return frac(negative ? -q : q, 1);
}

/** Money in fen rounded to a multiple of `step` fen (1 分, 10 角, 100 元) by `rule`. */
export function roundFenTo(fen: Num, step: 1 | 10 | 100, rule: RoundingRule): Num {
  return mul(roundWhole(div(fen, step), rule), step);
}

/** A yearly amount over part of a year: for each year the span covers, amount × days covered ÷ that year's days (exact). */
export function prorate(yearly: Num, parts: { days: number; of: number }[]): Num {
  let total: Num = 0;
  for (const p of parts) total = add(total, div(mul(yearly, p.days), p.of));
  return total;
}
