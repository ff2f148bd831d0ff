// Impact analysis on a hand-computed population (fixtures/hand.jsonl and the same households
// in fixtures/hand.csv), baseline = fixtures/baseline.policy, candidate = fixtures/candidate.policy,
// as_of 2024-06-01. Every expected figure below was worked out by hand (not by running the code).
//
// Baseline: urban 600/month, rural 4800/yr = 400/month; +10% of the per-capita top-up per special
//   member (≥60, <18, disabled, ill); gradual exit 12 months; rigid expenditure deducted.
// Candidate: urban 650, rural 5520/yr = 460; +5%; gradual exit 6 months; rigid NOT deducted.
//
// H1 urban, 3 members (adult 900, adult 0, child b.2015) → per-capita 300; 1 special (child)
//    B: (600−300)×3 = 900 + 10%×300×1 = 30 → 930.00
//    C: (650−300)×3 = 1050 + 5%×350×1 = 17.50 → 1067.50        gained +137.50
// H2 rural, 2 elderly (b.1950, b.1952; 500 + 300) → per-capita 400
//    B: 400 < 400 is false, not enrolled → 0
//    C: (460−400)×2 = 120 + 5%×60×2 = 6 → 126.00                 entered +126.00
// H3 urban, 1 member, 620, disability level 3
//    B: 620 < 600 false → 0
//    C: 30 + 5%×30 = 1.50 → 31.50                                  entered +31.50
// H4 rural, 4 members: 1000 with 200 excluded → countable 800 → per-capita 200;
//    specials: ill m2, children m3 (b.2010) and m4 (b.2012) = 3
//    B: 200×4 = 800 + 10%×200×3 = 60 → 860.00
//    C: 260×4 = 1040 + 5%×260×3 = 39 → 1079.00                     gained +219.00
// H5 urban, 2 members, 1300 → per-capita 650; enrolled at 500, income exceeded since 2023-10-01
//    B: not eligible; 2024-06-01 < 2024-10-01 → gradual exit 500.00
//    C: not eligible; 2024-06-01 < 2024-04-01 false → 0            left −500.00
// H6 urban, 2 adults (b.1970, b.1972), 1000, rigid expenditure 400
//    B: countable 600 → per-capita 300 → 300×2 = 600.00 (no specials)
//    C: countable 1000 → per-capita 500 → 150×2 = 300.00           lost −300.00
// H7 urban, 1 adult, 3000 → nothing under either                   neither
// H8 member m2 born 2023-02-30 (no such day) → invalid: household.members[1].birth_date
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSimulation, type SimulationRequest, type SimulationResult } from '../../simulation/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const fx = (f: string) => join(here, 'fixtures', f);
const modules = { 'common/household': readFileSync(join(here, '..', '..', 'policies', 'common', 'household.policy'), 'utf8') };
const baseline = { source: readFileSync(fx('baseline.policy'), 'utf8'), label: 'baseline' };
const candidate = { source: readFileSync(fx('candidate.policy'), 'utf8'), label: 'candidate' };
const request = (population: SimulationRequest['population']): SimulationRequest => ({ baseline, candidate, modules, asOf: '2024-06-01', population });

function expectHandFigures(r: SimulationResult, lineOfError: number | undefined) {
  // 7 valid households: 3 + 2 + 1 + 4 + 2 + 2 + 1 = 15 persons; H8 invalid
  expect(r.population).toMatchObject({ households: 7, persons: 15, invalid: 1 });
  expect(r.population.errors).toEqual([{ index: 7, ...(lineOfError !== undefined ? { line: lineOfError } : {}), id: 'H8', path: 'household.members[1].birth_date', message: expect.stringContaining('2023-02-30') }]);

  // Baseline: eligible H1, H4, H6 (3 households; 3+4+2 = 9 persons); recipients add H5 in gradual exit
  // (4 households; 11 persons); 930 + 860 + 500 + 600 = 2890.00 a month; ×12 = 34680.00; 2% = 693.60
  expect(r.totals.baseline).toEqual({
    eligible_households: 3, eligible_persons: 9, recipient_households: 4, recipient_persons: 11,
    single_person_units: 0, gradual_exit_households: 1,
    monthly_cost: '2890.00', yearly_cost: '34680.00', services_budget_2pct: '693.60',
  });
  // Candidate: H1, H2, H3, H4, H6 (5 households; 3+2+1+4+2 = 12 persons);
  // 1067.50 + 126 + 31.50 + 1079 + 300 = 2604.00; ×12 = 31248.00; 2% = 624.96
  expect(r.totals.candidate).toEqual({
    eligible_households: 5, eligible_persons: 12, recipient_households: 5, recipient_persons: 12,
    single_person_units: 0, gradual_exit_households: 0,
    monthly_cost: '2604.00', yearly_cost: '31248.00', services_budget_2pct: '624.96',
  });
  // 2604 − 2890 = −286.00; ×12 = −3432.00; 2% = −68.64
  expect(r.totals.change).toEqual({ recipient_households: 1, recipient_persons: 1, monthly_cost: '-286.00', yearly_cost: '-3432.00', services_budget_2pct: '-68.64' });

  // entered H2 (+126) and H3 (+31.50): 2 households, 3 persons, +157.50, average 78.75, largest 126.00
  expect(r.changes.entered).toEqual({ households: 2, persons: 3, monthly_change: '157.50', average_change: '78.75', largest_change: '126.00' });
  // left H5: 2 persons (as counted under the baseline), −500
  expect(r.changes.left).toEqual({ households: 1, persons: 2, monthly_change: '-500.00', average_change: '-500.00', largest_change: '500.00' });
  // gained H1 (+137.50) and H4 (+219): 7 persons, +356.50, average 178.25
  expect(r.changes.gained).toEqual({ households: 2, persons: 7, monthly_change: '356.50', average_change: '178.25', largest_change: '219.00' });
  // lost H6: −300
  expect(r.changes.lost).toEqual({ households: 1, persons: 2, monthly_change: '-300.00', average_change: '-300.00', largest_change: '300.00' });
  expect(r.changes.unchanged).toBe(0);
  expect(r.changes.neither).toBe(1);
  // change buckets (edges −500 −200 −100 −50 0 50 100 200 500; bucket k = [edge k−1, edge k)):
  // H5 −500 and H6 −300 → [−500, −200); H3 +31.50 → [0, 50); H1 +137.50, H2 +126 → [100, 200); H4 +219 → [200, 500)
  expect(r.changes.histogram.map((b) => b.households)).toEqual([0, 2, 0, 0, 0, 1, 0, 2, 1, 0]);
  expect(r.changes.histogram[0]).toEqual({ from: null, to: '-500.00', households: 0 });
  expect(r.changes.histogram[9]).toEqual({ from: '500.00', to: null, households: 0 });

  // by area — urban: B H1, H5, H6 (3 households, 3+2+2 = 7 persons, 930 + 500 + 600 = 2030.00);
  //                  C H1, H3, H6 (3 households, 3+1+2 = 6 persons, 1067.50 + 31.50 + 300 = 1399.00)
  //           rural: B H4 (1, 4 persons, 860.00); C H2, H4 (2, 6 persons, 126 + 1079 = 1205.00)
  expect(r.by_area).toEqual({
    rural: { baseline: { households: 1, persons: 4, monthly_cost: '860.00' }, candidate: { households: 2, persons: 6, monthly_cost: '1205.00' }, change_monthly: '345.00' },
    urban: { baseline: { households: 3, persons: 7, monthly_cost: '2030.00' }, candidate: { households: 3, persons: 6, monthly_cost: '1399.00' }, change_monthly: '-631.00' },
  });
  // no household gives a county: one by_county row equal to the totals
  expect(r.by_county).toEqual({
    '(未填 / not given)': { baseline: { households: 4, persons: 11, monthly_cost: '2890.00' }, candidate: { households: 5, persons: 12, monthly_cost: '2604.00' }, change_monthly: '-286.00' },
  });
  // by category (households with at least one covered member of the category, and their whole amount)
  // elderly: H2's two members, candidate only → 1 household, 2 persons, 126.00
  // child: H1 (m3) and H4 (m3, m4) → 2 households, 3 persons; B 930 + 860 = 1790.00; C 1067.50 + 1079 = 2146.50
  // disabled: H3, candidate only → 1, 1, 31.50
  // ill: H4's m2 → B 860.00, C 1079.00
  expect(r.by_category).toEqual({
    elderly: { baseline: { households: 0, persons: 0, monthly_cost: '0.00' }, candidate: { households: 1, persons: 2, monthly_cost: '126.00' }, change_monthly: '126.00' },
    child: { baseline: { households: 2, persons: 3, monthly_cost: '1790.00' }, candidate: { households: 2, persons: 3, monthly_cost: '2146.50' }, change_monthly: '356.50' },
    disabled: { baseline: { households: 0, persons: 0, monthly_cost: '0.00' }, candidate: { households: 1, persons: 1, monthly_cost: '31.50' }, change_monthly: '31.50' },
    ill: { baseline: { households: 1, persons: 1, monthly_cost: '860.00' }, candidate: { households: 1, persons: 1, monthly_cost: '1079.00' }, change_monthly: '219.00' },
  });
  // amount buckets (edges 0 100 200 300 500 800 1200 2000 3000):
  // B 930, 860 → [800, 1200); 500, 600 → [500, 800)
  // C 31.50 → [0, 100); 126 → [100, 200); 300 → [300, 500); 1067.50, 1079 → [800, 1200)
  expect(r.distribution.buckets.map((b) => b.baseline)).toEqual([0, 0, 0, 0, 2, 2, 0, 0, 0]);
  expect(r.distribution.buckets.map((b) => b.candidate)).toEqual([1, 1, 0, 1, 0, 2, 0, 0, 0]);
  expect(r.distribution.buckets[8]).toEqual({ from: '3000.00', to: null, baseline: 0, candidate: 0 });

  expect(r.samples.entered.map((s) => s.id)).toEqual(['H2', 'H3']);
  expect(r.samples.left).toEqual([expect.objectContaining({ index: 4, id: 'H5', baseline: '500.00', candidate: '0.00', change: '-500.00' })]);
  expect(r.samples.gained.map((s) => [s.id, s.change])).toEqual([['H1', '137.50'], ['H4', '219.00']]);
  expect(r.samples.lost.map((s) => [s.id, s.baseline, s.candidate])).toEqual([['H6', '600.00', '300.00']]);
}

const inline = readFileSync(fx('hand.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);

describe('aggregates on a hand-computed population (in this thread)', () => {
  it('inline households', async () => {
    const r = await runSimulation(request({ households: inline }), { threads: 1 });
    expectHandFigures(r, undefined);
    expect(r.run.threads).toBe(1);
    expect(r.baseline).toMatchObject({ label: 'baseline', policy: 'sim-baseline', effective_from: '2020-01-01' });
  });

  it('JSON Lines file (errors carry the line)', async () => {
    const r = await runSimulation(request({ file: fx('hand.jsonl') }), { threads: 1 });
    expectHandFigures(r, 8);
    expect(r.samples.gained[0]).toMatchObject({ id: 'H1', line: 1 });
  });

  it('flat CSV file (member errors carry the member row)', async () => {
    // H8's second member is on line 18 (header, then 16 member rows before it)
    const r = await runSimulation(request({ file: fx('hand.csv') }), { threads: 1 });
    expectHandFigures(r, 18);
  });

  it('swapping baseline and candidate mirrors the changes', async () => {
    const r = await runSimulation({ ...request({ households: inline }), baseline: candidate, candidate: baseline }, { threads: 1 });
    expect(r.changes.entered.households).toBe(1);   // H5
    expect(r.changes.left.households).toBe(2);      // H2, H3
    expect(r.changes.gained.households).toBe(1);    // H6
    expect(r.changes.lost.households).toBe(2);      // H1, H4
    expect(r.totals.change.monthly_cost).toBe('286.00');
  });
});
