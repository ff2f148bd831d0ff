// The exact search behind a decision table's checks: completeness, absence of overlap and
// reachable rows, over exact numbers (integers, money in fen, fractions) and finite sets (enum
// values, true/false). Each numeric column's line is cut at every boundary any row uses into
// elementary pieces (a point or the open stretch between two points); a row either holds on a
// whole piece or not at all, so testing one representative value per piece is exact. The search
// walks the pieces column by column, keeping only the rows still possible, so a gap is found as
// soon as no row is left and the work follows the table's shape, not the full product.
import { add, cmp, sub, div, roundHalfUp, type Num } from '../base/money.js';

export interface Interval { lo: Num | null; loIn: boolean; hi: Num | null; hiIn: boolean }
/** A column's domain: numbers (optionally whole, optionally bounded), a finite set, or open values (text) with an "other" element. */
export type Domain =
  | { kind: 'num'; integer: boolean; min: Num | null; max: Num | null }
  | { kind: 'set'; values: string[] }
  | { kind: 'open' };
/** A row's test on one column: any value, a union of intervals, or a set of values. */
export type Cell = { kind: 'any' } | { kind: 'intervals'; list: Interval[] } | { kind: 'values'; list: (string | Num)[] };

/** One value per elementary piece of a column; `other` stands for any text not named in the table. */
export type Atom = { kind: 'num'; value: Num } | { kind: 'value'; value: string } | { kind: 'other' };

export interface TableFinding { kind: 'gap' | 'overlap'; example: Atom[]; rows: number[] }
export interface SpaceResult { gaps: TableFinding[]; overlaps: TableFinding[]; unreachable: number[]; exact: boolean }

/** Cells visited before the search gives up (exact is then false and nothing more is reported). */
export const SEARCH_BUDGET = 200_000;
const MAX_FINDINGS = 3;

const inInterval = (v: Num, i: Interval): boolean => {
  if (i.lo !== null) { const c = cmp(v, i.lo); if (c < 0 || (c === 0 && !i.loIn)) return false; }
  if (i.hi !== null) { const c = cmp(v, i.hi); if (c > 0 || (c === 0 && !i.hiIn)) return false; }
  return true;
};

export function cellHolds(cell: Cell, atom: Atom): boolean {
  if (cell.kind === 'any') return true;
  if (cell.kind === 'intervals') return atom.kind === 'num' && cell.list.some((i) => inInterval(atom.value, i));
  if (atom.kind === 'other') return false;
  return cell.list.some((v) => (typeof v === 'string' || atom.kind !== 'num' ? v === atom.value : cmp(v, atom.value) === 0));
}

const floorNum = (x: Num): Num => { const r = roundHalfUp(x); return cmp(r, x) > 0 ? sub(r, 1) : r; };
const ceilNum = (x: Num): Num => { const r = roundHalfUp(x); return cmp(r, x) < 0 ? add(r, 1) : r; };

/** A representative of the open stretch (a, b) (either end may be infinite) in the domain, or undefined when it holds no value. */
function between(a: Num | null, b: Num | null, integer: boolean): Num | undefined {
  // a whole number is the friendliest example (age 79, 1200 fen); a fraction only when none fits
  let v: Num;
  if (a === null && b === null) v = 0;
  else if (a === null) v = sub(ceilNum(b!), 1);
  else v = add(floorNum(a), 1);
  if ((a === null || cmp(v, a) > 0) && (b === null || cmp(v, b) < 0)) return v;
  if (integer || a === null || b === null) return undefined;
  return div(add(a, b), 2);
}

/** The elementary pieces of a column, in order, each as one representative value. */
export function atomsOf(domain: Domain, cells: Cell[]): Atom[] {
  if (domain.kind === 'set') return domain.values.map((value) => ({ kind: 'value', value }));
  if (domain.kind === 'open') {
    const named = new Set<string>();
    for (const c of cells) if (c.kind === 'values') for (const v of c.list) named.add(String(v));
    return [...[...named].map((value): Atom => ({ kind: 'value', value })), { kind: 'other' }];
  }
  const points: Num[] = [];
  const addPoint = (p: Num | null) => { if (p !== null && !points.some((q) => cmp(p, q) === 0)) points.push(p); };
  for (const c of cells) {
    if (c.kind === 'intervals') for (const i of c.list) { addPoint(i.lo); addPoint(i.hi); }
    if (c.kind === 'values') for (const v of c.list) if (typeof v !== 'string') addPoint(v);
  }
  points.sort(cmp);
  const inDomain = (v: Num) => (domain.min === null || cmp(v, domain.min) >= 0) && (domain.max === null || cmp(v, domain.max) <= 0)
    && (!domain.integer || cmp(roundHalfUp(v), v) === 0);
  const atoms: Atom[] = [];
  // the domain's own bounds are not cut points: the example next to a row's boundary (age 79
  // below [80, 90)) reads better than the domain's end (age 0); the bound is the fallback
  const open = (a: Num | null, b: Num | null) => {
    const v = between(a, b, domain.integer);
    if (v !== undefined && inDomain(v)) { atoms.push({ kind: 'num', value: v }); return; }
    for (const edge of [domain.min, domain.max]) {
      if (edge !== null && inDomain(edge) && (a === null || cmp(edge, a) > 0) && (b === null || cmp(edge, b) < 0)) { atoms.push({ kind: 'num', value: edge }); return; }
    }
  };
  open(null, points[0] ?? null);
  points.forEach((p, k) => {
    if (inDomain(p)) atoms.push({ kind: 'num', value: p });
    open(p, points[k + 1] ?? null);
  });
  return atoms;
}

/**
 * Searches the table's input space. `rows[r][c]` is row r's test on column c. Gaps are points no
 * row matches; overlaps points two rows match; a row is unreachable when it is never the first
 * (hit policy first) or never any (unique, sum) match.
 */
export function searchTable(domains: Domain[], rows: Cell[][], firstHit: boolean): SpaceResult {
  const atoms = domains.map((d, c) => atomsOf(d, rows.map((r) => r[c]!)));
  const reached = new Set<number>();
  const gaps: TableFinding[] = [], overlaps: TableFinding[] = [];
  const overlapPairs = new Set<string>();
  const example: Atom[] = [];
  let steps = 0, exact = true;
  const walk = (col: number, alive: number[]): void => {
    if (!exact) return;
    if (++steps > SEARCH_BUDGET) { exact = false; return; }
    if (alive.length === 0) {
      if (gaps.length < MAX_FINDINGS) {
        const rest = atoms.slice(col).map((a) => a[0] ?? ({ kind: 'other' } as Atom));
        gaps.push({ kind: 'gap', example: [...example.slice(0, col), ...rest], rows: [] });
      }
      return;
    }
    if (col === domains.length) {
      if (firstHit) reached.add(alive[0]!);
      else for (const r of alive) reached.add(r);
      if (!firstHit && alive.length > 1 && overlaps.length < MAX_FINDINGS) {
        const key = `${alive[0]},${alive[1]}`;
        if (!overlapPairs.has(key)) { overlapPairs.add(key); overlaps.push({ kind: 'overlap', example: [...example], rows: alive.slice(0, 2) }); }
      }
      return;
    }
    for (const atom of atoms[col]!) {
      example[col] = atom;
      walk(col + 1, alive.filter((r) => cellHolds(rows[r]![col]!, atom)));
    }
  };
  walk(0, rows.map((_, i) => i));
  const unreachable = exact ? rows.map((_, i) => i).filter((i) => !reached.has(i)) : [];
  return { gaps, overlaps, unreachable, exact };
}
