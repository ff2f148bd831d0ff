// numToText's plain-number path (a fraction of safe integers whose denominator divides 10^p,
// p ≤ 15) must write what its BigInt rounding loop writes: hand-worked texts at the edges, and
// the same value held as BigInt parts (which always takes the loop) over edge amounts.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Ratio, frac, numToText, terminates, type Num } from '../../dsl/base/money.js';
import { showValue } from '../../dsl/eval/show-value.js';

const MAX = Number.MAX_SAFE_INTEGER; // 2^53 − 1 = 9007199254740991
/** The same value with BigInt parts: numToText's rounding loop, never the plain-number path. */
const viaLoop = (x: Num): string => (typeof x === 'number' ? String(x) : numToText(new Ratio(BigInt(x.n), BigInt(x.d))));

describe('numToText of fractions of safe integers', () => {
  it('writes money ÷ 100 (yuan) as hand-worked', () => {
    const yuan = (fen: number) => numToText(frac(fen, 100));
    expect(yuan(0)).toBe('0');
    expect(yuan(1)).toBe('0.01');
    expect(yuan(5)).toBe('0.05');
    expect(yuan(10)).toBe('0.1');
    expect(yuan(99)).toBe('0.99');
    expect(yuan(100)).toBe('1');
    expect(yuan(101)).toBe('1.01');
    expect(yuan(150)).toBe('1.5');
    expect(yuan(-1)).toBe('-0.01');
    expect(yuan(-5)).toBe('-0.05');
    expect(yuan(-150)).toBe('-1.5');
    expect(yuan(-100)).toBe('-1');
    expect(yuan(MAX)).toBe('90071992547409.91');
    expect(yuan(-MAX)).toBe('-90071992547409.91');
    expect(yuan(MAX - 1)).toBe('90071992547409.9');
    expect(yuan(MAX - 91)).toBe('90071992547409');
  });
  it('writes other ending fractions as hand-worked, and falls back where plain numbers cannot', () => {
    expect(numToText(frac(MAX, 1000))).toBe('9007199254740.991');
    // 1/5^15 = 2^15/10^15: fifteen places, the most the plain path takes
    expect(numToText(frac(1, 30517578125))).toBe('0.000000000032768');
    // 1/2^20 needs twenty places: the loop
    expect(numToText(frac(1, 1048576))).toBe('0.00000095367431640625');
    // (2^53 − 1)/8 × 1000 leaves the safe range: the loop
    expect(numToText(frac(MAX, 8))).toBe('1125899906842623.875');
    // an unreduced 2/4 is 0.5, not 0.50
    expect(numToText(new Ratio(2, 4))).toBe('0.5');
    // not ending: six places
    expect(numToText(frac(1, 3))).toBe('0.333333');
    expect(numToText(frac(-2, 3))).toBe('-0.666667');
  });
  it('tells which fractions end, with plain and BigInt parts alike', () => {
    for (const [n, d, ends] of [[1, 100, true], [1, 3, false], [7, 1048576, true], [1, 30517578125, true], [1, 12, false], [5, 1, true]] as const) {
      expect(terminates(new Ratio(n, d))).toBe(ends);
      expect(terminates(new Ratio(BigInt(n), BigInt(d)))).toBe(ends);
    }
  });
  it('agrees with the rounding loop over edge amounts and denominators', () => {
    const ns = [1, 2, 5, 9, 10, 11, 99, 100, 101, 150, 999, 1001, 123456789, MAX, MAX - 1, MAX - 99, MAX - 100, MAX - 101, 2 ** 52, 2 ** 52 + 1];
    const ds = [2, 3, 4, 5, 8, 10, 12, 16, 20, 25, 40, 50, 100, 125, 200, 1000, 1024, 3125, 10 ** 15, 2 ** 20, 5 ** 15, 5 ** 16, 700];
    for (const n of ns) for (const sign of [1, -1]) for (const d of ds) {
      const v = frac(sign * n, d);
      expect(numToText(v), `${sign * n}/${d}`).toBe(viaLoop(v));
    }
  });
  it('agrees with the rounding loop on arbitrary amounts (property)', () => {
    const d = fc.constantFrom(2, 4, 5, 8, 10, 12, 20, 25, 50, 100, 1000, 1 << 12);
    fc.assert(fc.property(fc.integer({ min: -MAX, max: MAX }), d, (n, den) => {
      const v = frac(n, den);
      return numToText(v) === viaLoop(v);
    }), { numRuns: 2000 });
  });
  it('shows money in fen as exact yuan', () => {
    expect(showValue(5, { k: 'money' } as never, 'formula')).toEqual({ zh: '0.05', en: '0.05' });
    expect(showValue(-150, { k: 'money' } as never, 'exact')).toEqual({ zh: '-1.5 元', en: '-1.5 yuan' });
    expect(showValue(frac(1, 3), { k: 'money' } as never, 'exact')).toEqual({ zh: '1/300 ≈ 0.00 元', en: '1/300 ≈ 0.00 yuan' });
    expect(showValue(frac(1, 4), { k: 'percent' } as never, 'exact')).toEqual({ zh: '25%', en: '25%' });
  });
});
