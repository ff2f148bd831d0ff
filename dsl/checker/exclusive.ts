// Whether two rule conditions visibly exclude each other (A / 不 A; the same field is two
// different enum values). Conditions the checker cannot separate must be given a priority.
import type * as A from '../ast.js';

function conjuncts(e: A.Expr): A.Expr[] {
  return e.kind === 'Binary' && e.op === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

/** Structural equality of expressions, ignoring source ranges. */
export function sameExpr(a: A.Expr, b: A.Expr): boolean {
  return JSON.stringify(a, (k, v) => (k === 'range' ? undefined : v)) === JSON.stringify(b, (k, v) => (k === 'range' ? undefined : v));
}

function negates(p: A.Expr, q: A.Expr): boolean {
  return (p.kind === 'Unary' && p.op === 'not' && sameExpr(p.arg, q)) || (q.kind === 'Unary' && q.op === 'not' && sameExpr(q.arg, p));
}

function literalKey(e: A.Expr): string | undefined {
  if (e.kind === 'Ref') return `ref:${e.name}`;
  if (e.kind === 'Text') return `text:${e.text}`;
  if (e.kind === 'Bool') return `bool:${e.value}`;
  return undefined;
}

function differentValues(p: A.Expr, q: A.Expr): boolean {
  if (p.kind !== 'Binary' || q.kind !== 'Binary' || p.op !== '=' || q.op !== '=') return false;
  if (!sameExpr(p.left, q.left)) return false;
  const a = literalKey(p.right), b = literalKey(q.right);
  return a !== undefined && b !== undefined && a !== b;
}

/** `x > 0` and `x = 0` (the same x, constant bounds) describe disjoint intervals. */
type Bound = { lo: number; loIn: boolean; hi: number; hiIn: boolean };
function interval(e: A.Expr): { subject: A.Expr; b: Bound } | undefined {
  if (e.kind !== 'Binary' || !['<', '<=', '>', '>=', '='].includes(e.op)) return undefined;
  const num = (x: A.Expr) => (x.kind === 'Number' || x.kind === 'Money' || x.kind === 'Percent' ? Number(x.text) : x.kind === 'Unary' && x.op === 'neg' && x.arg.kind === 'Number' ? -Number(x.arg.text) : undefined);
  let subject = e.left, c = num(e.right), op = e.op;
  if (c === undefined) {
    c = num(e.left); subject = e.right;
    if (c === undefined) return undefined;
    op = ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=' } as const)[op as '<'];
  }
  const inf = Infinity;
  switch (op) {
    case '<': return { subject, b: { lo: -inf, loIn: false, hi: c, hiIn: false } };
    case '<=': return { subject, b: { lo: -inf, loIn: false, hi: c, hiIn: true } };
    case '>': return { subject, b: { lo: c, loIn: false, hi: inf, hiIn: false } };
    case '>=': return { subject, b: { lo: c, loIn: true, hi: inf, hiIn: false } };
    default: return { subject, b: { lo: c, loIn: true, hi: c, hiIn: true } };
  }
}
function disjointIntervals(p: A.Expr, q: A.Expr): boolean {
  const x = interval(p), y = interval(q);
  if (!x || !y || !sameExpr(x.subject, y.subject)) return false;
  const below = (a: Bound, b: Bound) => a.hi < b.lo || (a.hi === b.lo && !(a.hiIn && b.loIn));
  return below(x.b, y.b) || below(y.b, x.b);
}

export function exclusive(a: A.Expr, b: A.Expr): boolean {
  const ca = conjuncts(a), cb = conjuncts(b);
  return ca.some((p) => cb.some((q) => negates(p, q) || differentValues(p, q) || disjointIntervals(p, q)));
}
