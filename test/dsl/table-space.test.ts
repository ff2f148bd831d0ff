import { describe, it, expect } from 'vitest';
import { searchTable, atomsOf, type Cell, type Domain, type Interval } from '../../dsl/check/table-space.js';
import { frac } from '../../dsl/base/money.js';

const from = (lo: number, hi: number | null = null): Interval => ({ lo, loIn: true, hi, hiIn: false });
const iv = (...list: Interval[]): Cell => ({ kind: 'intervals', list });
const any: Cell = { kind: 'any' };
const vals = (...list: string[]): Cell => ({ kind: 'values', list });
const age: Domain = { kind: 'num', integer: true, min: 0, max: null };
const area: Domain = { kind: 'set', values: ['urban', 'rural'] };

describe('decision table search', () => {
  it('finds the age below the first band as the gap: 79 for [80, 90), [90, ∞)', () => {
    const r = searchTable([age], [[iv(from(80, 90))], [iv(from(90))]], false);
    expect(r.gaps.map((g) => g.example)).toEqual([[{ kind: 'num', value: 79 }]]);
    expect(r.overlaps).toEqual([]);
    expect(r.unreachable).toEqual([]);
  });

  it('is complete over whole ages when the bands meet: [0, 80), [80, 90), [90, ∞)', () => {
    const r = searchTable([age], [[iv(from(0, 80))], [iv(from(80, 90))], [iv(from(90))]], false);
    expect(r.gaps).toEqual([]);
    expect(r.exact).toBe(true);
  });

  it('has no gap between ≤ 89 and ≥ 90 for whole ages, but has one for plain numbers (89.5)', () => {
    const upTo89: Interval = { lo: null, loIn: false, hi: 89, hiIn: true };
    const rows = [[iv(upTo89)], [iv(from(90))]];
    expect(searchTable([age], rows, false).gaps).toEqual([]);
    const num: Domain = { kind: 'num', integer: false, min: null, max: null };
    expect(searchTable([num], rows, false).gaps[0]!.example).toEqual([{ kind: 'num', value: frac(179, 2) }]);
  });

  it('reports the shared boundary as the overlap: 90 in [80, 90] and [90, ∞)', () => {
    const closed: Interval = { lo: 80, loIn: true, hi: 90, hiIn: true };
    const r = searchTable([age], [[iv(from(0, 80))], [iv(closed)], [iv(from(90))]], false);
    expect(r.overlaps).toEqual([{ kind: 'overlap', example: [{ kind: 'num', value: 90 }], rows: [1, 2] }]);
  });

  it('crosses columns: a rural household aged 85 matches no row', () => {
    const rows = [[iv(from(80)), vals('urban')], [iv(from(0, 80)), any]];
    const r = searchTable([age, area], rows, false);
    expect(r.gaps[0]!.example).toEqual([{ kind: 'num', value: 80 }, { kind: 'value', value: 'rural' }]);
  });

  it('hit policy first: a row covered by earlier rows is unreachable, overlaps are not findings', () => {
    const rows = [[vals('urban')], [vals('rural')], [any]];
    const first = searchTable([area], rows, true);
    expect(first.unreachable).toEqual([2]);
    expect(first.overlaps).toEqual([]);
    expect(first.gaps).toEqual([]);
  });

  it('a row with an empty band is unreachable under any policy', () => {
    const empty: Interval = { lo: 90, loIn: true, hi: 80, hiIn: false };
    const r = searchTable([age], [[iv(empty)], [any]], false);
    expect(r.unreachable).toEqual([0]);
  });

  it('money in fen: the gap below 1000 元 is shown as a whole fen, 99999', () => {
    const money: Domain = { kind: 'num', integer: false, min: null, max: null };
    const r = searchTable([money], [[iv(from(100000))]], false);
    expect(r.gaps[0]!.example).toEqual([{ kind: 'num', value: 99999 }]);
  });

  it('open text columns have an "other" piece no listed value covers', () => {
    expect(atomsOf({ kind: 'open' }, [vals('a'), vals('b', 'a')])).toEqual([
      { kind: 'value', value: 'a' }, { kind: 'value', value: 'b' }, { kind: 'other' },
    ]);
  });
});
