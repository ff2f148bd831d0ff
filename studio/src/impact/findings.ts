// What an impact result says that a policy officer must not miss: who wins and who loses, and
// benefit cliffs — households worse off under a change that raises spending overall (650 → 700
// can make a whole family qualify and end a member's single-person unit, so the household gets
// less). Pure functions over the result; the figures are the API's own (exact yuan text).
import { fenToYuan, signOf, toFen } from './money';
import type { ChangeKind, SampleJson, SimulationResult } from './types';

export interface WinnersLosers {
  winners: { households: number; persons: number; monthly: string };
  losers: { households: number; persons: number; monthly: string };
  unchanged: number;
}

const sumYuan = (...xs: string[]) => fenToYuan(xs.reduce((s, x) => s + (toFen(x) ?? 0n), 0n));

/** Winners: newly covered or amount up. Losers: no longer covered or amount down. */
export function winnersLosers(r: SimulationResult): WinnersLosers {
  const c = r.changes;
  return {
    winners: { households: c.entered.households + c.gained.households, persons: c.entered.persons + c.gained.persons, monthly: sumYuan(c.entered.monthly_change, c.gained.monthly_change) },
    losers: { households: c.left.households + c.lost.households, persons: c.left.persons + c.lost.persons, monthly: sumYuan(c.left.monthly_change, c.lost.monthly_change) },
    unchanged: c.unchanged,
  };
}

export interface CliffSample { kind: Extract<ChangeKind, 'left' | 'lost'>; sample: SampleJson; change: string }
export interface Cliffs { households: number; largestLoss: string; samples: CliffSample[] }

/** The monthly change of the candidate against the baseline, from the totals (exact). */
function monthlyChange(r: SimulationResult): string {
  return r.totals.change?.monthly_cost ?? fenToYuan((toFen(r.totals.candidate.monthly_cost) ?? 0n) - (toFen(r.totals.baseline.monthly_cost) ?? 0n));
}

/**
 * Benefit cliffs: when the candidate raises total spending, every household that loses money
 * (leaves, or gets less) is flagged, with the samples kept for their explanations. Null when the
 * candidate does not raise spending or nobody loses.
 */
export function cliffs(r: SimulationResult): Cliffs | null {
  if (signOf(monthlyChange(r)) <= 0) return null;
  const households = r.changes.left.households + r.changes.lost.households;
  if (households === 0) return null;
  const samples: CliffSample[] = [];
  for (const kind of ['left', 'lost'] as const) {
    for (const s of r.samples?.[kind] ?? []) samples.push({ kind, sample: s, change: s.change ?? fenToYuan((toFen(s.candidate) ?? 0n) - (toFen(s.baseline) ?? 0n)) });
  }
  samples.sort((a, b) => Number((toFen(a.change) ?? 0n) - (toFen(b.change) ?? 0n)) || a.sample.index - b.sample.index);
  const largest = [r.changes.left.largest_change, r.changes.lost.largest_change].map((x) => toFen(x) ?? 0n).map((f) => (f < 0n ? -f : f));
  return { households, largestLoss: fenToYuan(largest.reduce((m, x) => (x > m ? x : m), 0n)), samples };
}

const csvCell = (v: string | number | null | undefined) => {
  const s = v === null || v === undefined ? '' : String(v);
  // a text a spreadsheet would run as a formula is quoted; plain numbers (−862.50) stay numbers
  const formula = /^[=+\-@]/.test(s) && !/^-?\d+(?:\.\d+)?$/.test(s);
  return /[",\n\r]/.test(s) || formula ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * The result as CSV for a spreadsheet: totals before and after, changes by kind, and every
 * changed household kept as a sample (flagged when it is a cliff). Cells that a spreadsheet would
 * read as a formula are quoted.
 */
export function resultCsv(r: SimulationResult, labels: { section: (k: string) => string }): string {
  const rows: (string | number | null)[][] = [];
  rows.push([labels.section('totals'), 'baseline', 'candidate']);
  for (const k of ['recipient_households', 'recipient_persons', 'monthly_cost', 'yearly_cost'] as const) rows.push([k, r.totals.baseline[k], r.totals.candidate[k]]);
  rows.push([]);
  rows.push([labels.section('changes'), 'households', 'persons', 'monthly_change', 'largest_change']);
  for (const k of ['entered', 'left', 'gained', 'lost'] as const) {
    const c = r.changes[k];
    rows.push([k, c.households, c.persons, c.monthly_change, c.largest_change]);
  }
  rows.push([]);
  const flagged = new Set((cliffs(r)?.samples ?? []).map((s) => s.sample.index));
  rows.push([labels.section('samples'), 'index', 'kind', 'baseline', 'candidate', 'change', 'cliff']);
  for (const k of ['entered', 'left', 'gained', 'lost'] as const) {
    for (const s of r.samples?.[k] ?? []) rows.push([s.id, s.index + 1, k, s.baseline, s.candidate, s.change ?? null, flagged.has(s.index) ? 'yes' : '']);
  }
  return rows.map((row) => row.map((v) => csvCell(v as string | number | null)).join(',')).join('\r\n') + '\r\n';
}
