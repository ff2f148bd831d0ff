// The structure of the decision tables in a source, for the studio's grid editor: every cell as
// the text written in the source (so the grid prints it back unchanged), bounds with their
// inclusivity, and the source ranges of the table and of each row (diagnostics point at rows).
import { parse } from '../syntax/parse.js';
import type * as A from '../syntax/ast.js';
import type { Range } from '../base/diagnostics.js';
import { rowName } from '../check/table-lower.js';

export interface GridBound { value: string; inclusive: boolean }
export type GridCell =
  | { kind: 'any' }
  | { kind: 'values'; text: string }
  | { kind: 'bounds'; lower: GridBound | null; upper: GridBound | null };
export interface GridRow {
  /** The written name, or null when the row goes by its number (defaultName). */
  name: string | null; defaultName: string; cells: GridCell[]; result: string;
  /** The citations as written, without the keyword: 「a」「b」 or "a" "b". */
  sources: string; range: Range;
}
export interface GridTable {
  /** The definition or output the table is the body of. */
  owner: string; lang: 'zh' | 'en'; policy: A.HitPolicy; columns: string[]; rows: GridRow[];
  otherwise: { value: string; sources: string } | null; range: Range;
}

/** Every decision table of the source, in order; none when the source does not parse into declarations. */
export function decisionTables(source: string): GridTable[] {
  const { ast } = parse(source);
  const slice = (r: Range) => source.slice(r.start.offset, r.end.offset);
  const cites = (c: A.Citation[]) => (c.length ? source.slice(c[0]!.range.start.offset, c[c.length - 1]!.range.end.offset) : '');
  const bound = (b: A.TierBound | null): GridBound | null => (b ? { value: slice(b.value.range), inclusive: b.inclusive } : null);
  const cell = (c: A.TableCell): GridCell =>
    c.kind === 'any' ? { kind: 'any' } : c.kind === 'values' ? { kind: 'values', text: slice(c.range) } : { kind: 'bounds', lower: bound(c.lower), upper: bound(c.upper) };
  const out: GridTable[] = [];
  for (const d of ast.decls) {
    if (d.kind === 'Param' || !d.body.table) continue;
    const t = d.body.table;
    out.push({
      owner: d.name.text, lang: t.lang, policy: t.policy, columns: t.columns.map((c) => slice(c.expr.range)),
      rows: t.rows.map((r, i) => ({ name: r.name?.text ?? null, defaultName: rowName(t, i), cells: r.cells.map(cell), result: slice(r.result.range), sources: cites(r.sources), range: r.range })),
      otherwise: t.otherwise ? { value: slice(t.otherwise.range), sources: cites(t.otherwiseSources) } : null,
      range: t.range,
    });
  }
  return out;
}

/** The table whose text holds `offset`, or null. */
export function tableAt(source: string, offset: number): GridTable | null {
  return decisionTables(source).find((t) => t.range.start.offset <= offset && offset <= t.range.end.offset) ?? null;
}
