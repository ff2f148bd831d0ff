// The outputs writer, the trace and the totals share the text of an amount written recently (a direct-mapped cache by fen):
// the text must be fenToYuan's for every amount, whether its slot holds it, is empty or holds another.
import { describe, expect, it } from 'vitest';
import { fenJsonShared, fenTextShared, yuanText } from '../../dsl/eval/yuan-text.js';
import { div, frac, fenToYuan } from '../../dsl/base/money.js';

describe('fenTextShared', () => {
  it('writes what fenToYuan writes, whether its slot is empty, holds it or holds another amount', () => {
    // more distinct amounts than the cache has slots (4096), so slots are taken over; asked twice
    for (let pass = 0; pass < 2; pass++) {
      for (let fen = 0; fen < 20_000; fen += 1) expect(fenTextShared(fen * 7)).toBe(fenToYuan(fen * 7));
    }
    for (const fen of [-0, 5, 100, 123456789, Number.MAX_SAFE_INTEGER]) expect(fenTextShared(fen)).toBe(fenToYuan(fen));
  });

  it('hand-worked texts', () => {
    expect(fenTextShared(0)).toBe('0.00');
    expect(fenTextShared(-0)).toBe('0.00');
    expect(fenTextShared(46000)).toBe('460.00');
    expect(fenTextShared(1205)).toBe('12.05');
    expect(fenTextShared(150000)).toBe('1500.00');
  });
});

describe('fenJsonShared (the outputs text writer: an amount with its quotes)', () => {
  it('is JSON.stringify of fenToYuan\'s text, whether its slot is empty, holds it or holds another amount', () => {
    for (let pass = 0; pass < 2; pass++) {
      for (let fen = 0; fen < 20_000; fen += 1) expect(fenJsonShared(fen * 7)).toBe(JSON.stringify(fenToYuan(fen * 7)));
    }
  });

  it('hand-worked texts', () => {
    expect(fenJsonShared(0)).toBe('"0.00"');
    expect(fenJsonShared(-0)).toBe('"0.00"');
    expect(fenJsonShared(1205)).toBe('"12.05"');
    // 4096 + 1205 shares 1205's slot: the slot is taken over, and given back
    expect(fenJsonShared(4096 + 1205)).toBe('"53.01"');
    expect(fenJsonShared(1205)).toBe('"12.05"');
    expect(fenJsonShared(Number.MAX_SAFE_INTEGER)).toBe('"90071992547409.91"');
  });
});

describe('yuanText (every money text: outputs, traces, totals)', () => {
  it('whole fen ≥ 0 from the shared texts; negative amounts and fractions of a fen as fenToYuan writes them', () => {
    expect(yuanText(46000)).toBe('460.00');
    expect(yuanText(1205)).toBe('12.05');
    for (const fen of [-1205, -5, -100, div(1, 2), div(53155, 2), div(100000, 3)]) expect(yuanText(fen)).toBe(fenToYuan(fen));
    expect(yuanText(-1205)).toBe('-12.05');
    // 265.775 元 (the documented 人均补差 of a Dawukou couple) rounds half-up to 265.78
    expect(yuanText(div(53155, 2))).toBe('265.78');
  });
  it('fractions of a fen rounded half-up (away from zero) as hand-worked, and as fenToYuan over edge values', () => {
    expect(yuanText(div(1, 3))).toBe('0.00');
    expect(yuanText(div(1, 2))).toBe('0.01');
    expect(yuanText(div(149, 2))).toBe('0.75');
    expect(yuanText(div(-1, 3))).toBe('0.00');   // −0.33 fen rounds to 0: no minus sign
    expect(yuanText(div(-1, 2))).toBe('-0.01');
    expect(yuanText(div(-53155, 2))).toBe('-265.78');
    // (2^53 − 1)/2 = 4503599627370495.5 fen → 4503599627370496
    expect(yuanText(div(Number.MAX_SAFE_INTEGER, 2))).toBe('45035996273704.96');
    // BigInt parts: fenToYuan's own path; 10^20 + 1/2 fen → 10^20 + 1
    expect(yuanText(frac(10n ** 20n * 2n + 1n, 2))).toBe('1000000000000000000.01');
    const ns = [0, 1, 2, 49, 50, 99, 100, 101, 12345, 2 ** 31, 2 ** 31 + 1, Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER];
    for (const n of ns) for (const sign of [1, -1]) for (const d of [2, 3, 7, 12, 100, 2 ** 31 - 1, 2 ** 31, 2 ** 40 + 1]) {
      const v = div(sign * n, d);
      expect(yuanText(v), `${sign * n}/${d}`).toBe(fenToYuan(v));
    }
  });
});
