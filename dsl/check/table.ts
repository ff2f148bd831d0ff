// The checks of a decision table, run after its lowered rules are typed: every row has a test
// per column, the table is complete (unless it ends in 否则 or sums its rows), a unique table's
// rows do not overlap, and every row can decide. Gaps and overlaps come with a concrete input
// (年龄 = 79) found by the exact search of table-space.ts.
import type * as A from '../syntax/ast.js';
import type { Type, Resolution } from './types.js';
import type { ConstValue } from './constants.js';
import { diagnostic, type Diagnostic } from '../base/diagnostics.js';
import { fenToYuan, mul, numToText, type Num } from '../base/money.js';
import { searchTable, type Atom, type Cell, type Domain } from './table-space.js';
import { rowName } from './table-lower.js';

export interface TableContext {
  typeOf(e: A.Expr): Type | undefined;
  resolutionOf(e: A.Expr): Resolution | undefined;
  /** A literal's or a parameter's value; undefined when the expression is not a constant. */
  valueOf(e: A.Expr): ConstValue | undefined;
}

const isNum = (v: unknown): v is Num => typeof v === 'number' || (typeof v === 'object' && v !== null && 'n' in v && 'd' in v);

export function checkTable(t: A.DecisionTable, cx: TableContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const names = t.rows.map((r, i) => r.name?.text ?? rowName(t, i));
  t.rows.forEach((r, i) => {
    if (r.cells.length !== t.columns.length) out.push(diagnostic('check.table-shape', r.range, { row: names[i]!, cells: r.cells.length, columns: t.columns.length }));
  });
  if (out.length) return out;
  const types = t.columns.map((c) => cx.typeOf(c.expr));
  const domains = t.columns.map((c, i) => domainOf(c.expr, types[i], cx));
  const rows: Cell[][] = [];
  for (const r of t.rows) {
    const cells = r.cells.map((c, i) => cellOf(c, domains[i]!, cx));
    if (cells.some((c) => c === undefined)) return out;   // a test the checker already reported (not a constant, wrong type)
    rows.push(cells as Cell[]);
  }
  const found = searchTable(domains, rows, t.policy === 'first');
  if (!found.exact) { out.push(diagnostic('check.table-too-large', t.range, {})); return out; }
  const show = (example: Atom[]) => ({
    exampleZh: example.map((a, i) => `${t.columns[i]!.text} = ${showAtom(a, types[i], 'zh')}`).join('，'),
    exampleEn: example.map((a, i) => `${t.columns[i]!.text} = ${showAtom(a, types[i], 'en')}`).join(', '),
  });
  if (t.policy !== 'sum' && !t.otherwise) for (const g of found.gaps) out.push(diagnostic('check.table-gap', t.range, show(g.example)));
  if (t.policy === 'unique') {
    for (const o of found.overlaps) out.push(diagnostic('check.table-overlap', t.rows[o.rows[1]!]!.range, { ...show(o.example), a: names[o.rows[0]!]!, b: names[o.rows[1]!]! }));
  }
  for (const i of found.unreachable) out.push(diagnostic('check.table-unreachable-row', t.rows[i]!.range, { row: names[i]! }));
  return out;
}

function domainOf(e: A.Expr, type: Type | undefined, cx: TableContext): Domain {
  if (!type) return { kind: 'open' };
  if (type.k === 'enum') return { kind: 'set', values: type.values.map((v) => v.name) };
  if (type.k === 'bool') return { kind: 'set', values: ['true', 'false'] };
  if (type.k !== 'number' && type.k !== 'money' && type.k !== 'percent') return { kind: 'open' };
  if (e.kind === 'Age') return { kind: 'num', integer: true, min: 0, max: null };
  const r = cx.resolutionOf(e);
  const field = r && (r.kind === 'householdField' || r.kind === 'memberField') ? r.fields[r.fields.length - 1] : undefined;
  if (!field) return { kind: 'num', integer: false, min: null, max: null };
  return { kind: 'num', integer: field.type.k === 'integer', min: field.min, max: field.max };
}

function cellOf(c: A.TableCell, d: Domain, cx: TableContext): Cell | undefined {
  if (c.kind === 'any') return { kind: 'any' };
  if (c.kind === 'bounds') {
    const lo = c.lower ? cx.valueOf(c.lower.value) : null, hi = c.upper ? cx.valueOf(c.upper.value) : null;
    if ((lo !== null && !isNum(lo)) || (hi !== null && !isNum(hi))) return undefined;
    return { kind: 'intervals', list: [{ lo, loIn: c.lower?.inclusive ?? false, hi, hiIn: c.upper?.inclusive ?? false }] };
  }
  const list: (string | Num)[] = [];
  for (const v of c.values) {
    const r = cx.resolutionOf(v);
    if (r?.kind === 'enum') { list.push(r.value); continue; }
    const k = cx.valueOf(v);
    if (typeof k === 'boolean') list.push(String(k));
    else if (isNum(k) && d.kind === 'num') list.push(k);
    else if (typeof k === 'string' && d.kind !== 'num') list.push(k);
    else return undefined;
  }
  return { kind: 'values', list };
}

function showAtom(a: Atom, type: Type | undefined, lang: 'zh' | 'en'): string {
  if (a.kind === 'other') return lang === 'zh' ? '其他值' : 'another value';
  if (a.kind === 'num') {
    if (type?.k === 'money') return `${fenToYuan(a.value)} ${lang === 'zh' ? '元' : 'yuan'}`;
    if (type?.k === 'percent') return `${numToText(mul(a.value, 100))}%`;
    return numToText(a.value);
  }
  if (type?.k === 'bool') return a.value === 'true' ? (lang === 'zh' ? '真' : 'true') : (lang === 'zh' ? '假' : 'false');
  if (type?.k === 'enum') {
    const v = type.values.find((x) => x.name === a.value);
    return (lang === 'zh' ? v?.label : v?.labelEn) ?? a.value;
  }
  return a.value;
}
