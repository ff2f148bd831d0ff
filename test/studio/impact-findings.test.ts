// Winners, losers and benefit cliffs from an impact result; the CSV export. Results are written
// by hand here (the API's shape), with the sums worked out in the comments.
import { describe, expect, it } from 'vitest';
import { cliffs, resultCsv, winnersLosers } from '../../studio/src/impact/findings';
import type { SimulationResult } from '../../studio/src/impact/types';

const totals = (monthly: string) => ({
  eligible_households: 0, eligible_persons: 0, recipient_households: 0, recipient_persons: 0,
  monthly_cost: monthly, yearly_cost: '0.00', services_budget_2pct: '0.00',
});
const change = (households: number, persons: number, monthly: string, largest: string) =>
  ({ households, persons, monthly_change: monthly, average_change: '0.00', largest_change: largest });

function result(baselineMonthly: string, candidateMonthly: string): SimulationResult {
  return {
    as_of: '2024-06-01',
    baseline: { label: 'v2', policy: 'p', version: 2, effective_from: '2022-01-01' },
    candidate: { label: 'draft', policy: 'p', version: 'draft', effective_from: null },
    population: { source: 'generated', households: 100, persons: 250, invalid: 0 },
    totals: { baseline: totals(baselineMonthly), candidate: totals(candidateMonthly) },
    changes: {
      entered: change(3, 7, '900.00', '400.00'),
      gained: change(40, 100, '2000.00', '100.00'),
      left: change(1, 1, '-460.00', '460.00'),
      lost: change(2, 5, '-1262.50', '862.50'),
      unchanged: 50, neither: 4, histogram: [],
    },
    samples: {
      entered: [{ index: 7, id: 'DWK-8', baseline: '0.00', candidate: '400.00', change: '400.00' }],
      gained: [],
      left: [{ index: 3, id: 'DWK-4', baseline: '460.00', candidate: '0.00', change: '-460.00' }],
      lost: [
        { index: 11, id: 'DWK-12', baseline: '1300.00', candidate: '900.00', change: '-400.00' },
        { index: 5, id: '=HYPERLINK("x")', baseline: '1562.50', candidate: '700.00', change: '-862.50' },
      ],
    },
  };
}

describe('winners and losers', () => {
  it('adds the newly covered to the amount-up, and the no-longer-covered to the amount-down', () => {
    // winners 3 + 40 households, 7 + 100 persons, 900.00 + 2000.00; losers 1 + 2, 1 + 5, −460.00 − 1262.50
    expect(winnersLosers(result('10000.00', '11177.50'))).toEqual({
      winners: { households: 43, persons: 107, monthly: '2900.00' },
      losers: { households: 3, persons: 6, monthly: '-1722.50' },
      unchanged: 50,
    });
  });
});

describe('benefit cliffs', () => {
  it('flags every household worse off when the change raises spending, largest loss first', () => {
    const c = cliffs(result('10000.00', '11177.50'))!;
    expect(c.households).toBe(3);
    expect(c.largestLoss).toBe('862.50');
    expect(c.samples.map((s) => [s.sample.index, s.kind, s.change])).toEqual([[5, 'lost', '-862.50'], [3, 'left', '-460.00'], [11, 'lost', '-400.00']]);
  });
  it('flags nothing when the change does not raise spending (a cut that makes losers is no cliff)', () => {
    expect(cliffs(result('10000.00', '9000.00'))).toBeNull();
    expect(cliffs(result('10000.00', '10000.00'))).toBeNull();
  });
  it('flags nothing when nobody loses', () => {
    const r = result('10000.00', '12000.00');
    r.changes.left = change(0, 0, '0.00', '0.00');
    r.changes.lost = change(0, 0, '0.00', '0.00');
    expect(cliffs(r)).toBeNull();
  });
});

describe('CSV export', () => {
  it('has totals, changes and the samples with cliffs marked; formulas quoted, negative amounts stay numbers', () => {
    const csv = resultCsv(result('10000.00', '11177.50'), { section: (k) => k.toUpperCase() });
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('TOTALS,baseline,candidate');
    expect(lines).toContain('monthly_cost,10000.00,11177.50');
    expect(lines).toContain('lost,2,5,-1262.50,862.50');
    expect(lines).toContain('DWK-4,4,left,460.00,0.00,-460.00,yes');
    expect(lines).toContain('DWK-8,8,entered,0.00,400.00,400.00,');
    expect(lines).toContain('"=HYPERLINK(""x"")",6,lost,1562.50,700.00,-862.50,yes');
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});
