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

export function exclusive(a: A.Expr, b: A.Expr): boolean {
  const ca = conjuncts(a), cb = conjuncts(b);
  return ca.some((p) => cb.some((q) => negates(p, q) || differentValues(p, q)));
}
