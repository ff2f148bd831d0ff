import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { add, sub, mul, div, cmp, frac, roundFen, roundPairHalfUp, fenToYuan, parseDecimal, toFixed, numToText, type Num } from '../../dsl/base/money.js';

const big = (x: Num): [bigint, bigint] => (typeof x === 'number' ? [BigInt(x), 1n] : [BigInt(x.n), BigInt(x.d)]);

describe('money', () => {
  it('(650 − 1000/3) × 3 = 950.00 exactly, and 10% of it rounds half-up', () => {
    const perCapita = div(100000, 3); // 1000 元 in fen ÷ 3
    const topUp = sub(65000, perCapita);
    expect(fenToYuan(roundFen(mul(topUp, 3)))).toBe('950.00');
    // 10% × (650 − 1000/3) = 31.666… 元 → 31.67
    expect(fenToYuan(roundFen(mul(frac(1, 10), topUp)))).toBe('31.67');
  });
  it('rounds half-up (away from zero) at exactly half a fen', () => {
    expect(fenToYuan(roundFen(frac(1, 2)))).toBe('0.01');
    expect(fenToYuan(roundFen(frac(-1, 2)))).toBe('-0.01');
    expect(fenToYuan(roundFen(frac(49, 100)))).toBe('0.00');
    expect(fenToYuan(roundFen(frac(250, 100)))).toBe('0.03');
  });
  // a numerator/denominator pair (generated code's fractions): within 32 bits and beyond, the same
  // rule — half a fen rounds away from zero
  it('rounds a numerator/denominator pair half-up, within 32 bits and beyond', () => {
    expect(roundPairHalfUp(7, 2)).toBe(4);
    expect(roundPairHalfUp(-7, 2)).toBe(-4);
    expect(roundPairHalfUp(13, 4)).toBe(3);
    expect(roundPairHalfUp(-13, 4)).toBe(-3);
    expect(roundPairHalfUp(1, 3)).toBe(0);
    expect(roundPairHalfUp(-1, 3)).toBe(0);
    expect(roundPairHalfUp(0, 5)).toBe(0);
    // 2^31 − 1 = 2147483647: 2147483647 / 2 = 1073741823.5 → 1073741824; one past it the same way
    expect(roundPairHalfUp(2147483647, 2)).toBe(1073741824);
    expect(roundPairHalfUp(2147483649, 2)).toBe(1073741825);
    expect(roundPairHalfUp(-2147483647, 2)).toBe(-1073741824);
    // 9007199254740991 = 2^53 − 1 and 10·3 = 30: 300239975158033.03… → 300239975158033
    expect(roundPairHalfUp(9007199254740991, 30)).toBe(300239975158033);
    expect(roundPairHalfUp(5, 2147483647)).toBe(0);
    expect(roundPairHalfUp(1073741824, 2147483647)).toBe(1);
    expect(roundPairHalfUp(1073741823, 2147483647)).toBe(0);
  });
  it('converts a yearly standard to monthly exactly: 5520 元/年 = 460 元/月, 3150 元/年 = 262.50 元/月', () => {
    expect(div(552000, 12)).toBe(46000);
    expect(fenToYuan(div(315000, 12))).toBe('262.50');
  });
  it('parses decimals exactly and prints them back', () => {
    expect(parseDecimal('650.10')).toEqual(frac(6501, 10));
    expect(parseDecimal('1e3')).toBeUndefined();
    expect(toFixed(frac(2, 3), 4)).toBe('0.6667');
    expect(numToText(frac(1, 8))).toBe('0.125');
  });
  it('stays exact beyond the safe-integer range by moving to BigInt', () => {
    const huge = mul(9007199254740991, 10);
    expect(typeof huge).not.toBe('number');
    expect(cmp(sub(huge, mul(9007199254740991, 9)), 9007199254740991)).toBe(0);
  });
  it('agrees with BigInt rational arithmetic on arbitrary values (property)', () => {
    const value = fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 1, max: 5000 })).map(([n, d]) => frac(n, d));
    fc.assert(fc.property(value, value, (a, b) => {
      const [an, ad] = big(a), [bn, bd] = big(b);
      const check = (r: Num, n: bigint, d: bigint) => { const [rn, rd] = big(r); return rn * d === n * rd; };
      expect(check(add(a, b), an * bd + bn * ad, ad * bd)).toBe(true);
      expect(check(sub(a, b), an * bd - bn * ad, ad * bd)).toBe(true);
      expect(check(mul(a, b), an * bn, ad * bd)).toBe(true);
      if (bn !== 0n) expect(check(div(a, b), an * bd, ad * bn)).toBe(true);
      expect(cmp(a, b)).toBe(Math.sign(Number(an * bd - bn * ad)));
    }), { numRuns: 2000 });
  });
  it('rounds every fraction to the nearest fen, halves away from zero (property)', () => {
    fc.assert(fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 1, max: 1000 }), (n, d) => {
      const r = roundFen(frac(n, d)) as number;
      const exact = n / d;
      expect(Math.abs(r - exact)).toBeLessThanOrEqual(0.5 + 1e-9);
      if (Math.abs(Math.abs(r - exact) - 0.5) < 1e-9) expect(Math.abs(r)).toBeGreaterThan(Math.abs(exact));
    }), { numRuns: 2000 });
  });
});
