// A decision table is lowered, not compiled on its own: each row becomes a rule whose condition
// is the conjunction of its column tests and whose citation is the row's, named by the row
// (第3行 / row 3, or the name written after 行) so the trace names the row that decided. The
// checker then treats the rules like any others; both backends see only rules.
//   unique (唯一): plain rules; the table check proves no two rows overlap, so none needs a priority.
//   first (首个):  row i is an exception overriding every later row: row order is the priority.
//   sum (合计):    an expression, Σ value_i × (如果 condition_i 那么 1 否则 0).
import type * as A from '../syntax/ast.js';

export const rowName = (t: A.DecisionTable, i: number): string => (t.lang === 'zh' ? `第${i + 1}行` : `row ${i + 1}`);

/** The file with every table body replaced by its lowering (the same file when it has none). */
export function lowerTables(file: A.PolicyFile): A.PolicyFile {
  if (!file.decls.some((d) => d.kind !== 'Param' && d.body.table)) return file;
  return { ...file, decls: file.decls.map((d) => (d.kind === 'Param' || !d.body.table ? d : { ...d, body: lowerTable(d.body.table) })) };
}

export function lowerTable(t: A.DecisionTable): A.Body {
  const conditions = t.rows.map((r) => rowCondition(t, r));
  if (t.policy === 'sum') return { kind: 'Expr', expr: sumOfRows(t, conditions), table: t };
  const names = t.rows.map((r, i): A.Name => r.name ?? { text: rowName(t, i), range: r.range });
  const rules = t.rows.map((r, i): A.RuleClause => {
    const later = t.policy === 'first' ? names.slice(i + 1) : [];
    return { kind: later.length ? 'exception' : 'rule', name: names[i]!, overrides: later, sources: r.sources, when: conditions[i]!, then: r.result, range: r.range };
  });
  return { kind: 'Rules', rules, otherwise: t.otherwise, otherwiseRange: t.otherwise?.range ?? null, otherwiseSources: t.otherwiseSources, table: t };
}

/** The row's tests joined by 并且; a row of 任意 only holds always. The column expression is shared by every row's test of it. */
function rowCondition(t: A.DecisionTable, r: A.TableRow): A.Expr {
  const tests = r.cells.map((c, i) => (t.columns[i] ? cellTest(t.columns[i]!.expr, c) : null)).filter((e): e is A.Expr => e !== null);
  if (tests.length === 0) return { kind: 'Bool', value: true, range: r.range };
  return tests.reduce((a, b) => ({ kind: 'Binary', op: 'and', left: a, right: b, range: r.range }));
}

function cellTest(subject: A.Expr, c: A.TableCell): A.Expr | null {
  if (c.kind === 'any') return null;
  if (c.kind === 'bounds') {
    const tests: A.Expr[] = [];
    if (c.lower) tests.push({ kind: 'Binary', op: c.lower.inclusive ? '>=' : '>', left: subject, right: c.lower.value, range: c.range });
    if (c.upper) tests.push({ kind: 'Binary', op: c.upper.inclusive ? '<=' : '<', left: subject, right: c.upper.value, range: c.range });
    return tests.reduce((a, b) => ({ kind: 'Binary', op: 'and', left: a, right: b, range: c.range }));
  }
  return c.values
    .map((v): A.Expr => ({ kind: 'Binary', op: '=', left: subject, right: v, range: v.range, word: true }))
    .reduce((a, b) => ({ kind: 'Binary', op: 'or', left: a, right: b, range: c.range }));
}

function sumOfRows(t: A.DecisionTable, conditions: A.Expr[]): A.Expr {
  const terms = t.rows.map((r, i): A.Expr => ({
    kind: 'Binary', op: '*', left: r.result, range: r.range,
    right: { kind: 'If', cond: conditions[i]!, then: { kind: 'Number', text: '1', range: r.range }, else: { kind: 'Number', text: '0', range: r.range }, range: r.range },
  }));
  if (terms.length === 0) return { kind: 'Number', text: '0', range: t.range };
  return terms.reduce((a, b) => ({ kind: 'Binary', op: '+', left: a, right: b, range: t.range }));
}
