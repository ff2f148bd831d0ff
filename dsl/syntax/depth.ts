// Depth limits (B5). Every stage after the parser — checker, both compilers, evaluation, trace,
// formatter, editor services — walks expressions recursively, and evaluation follows definitions
// into definitions. Rather than rewrite each walk with explicit stacks, deep input is refused
// early with a diagnostic, at depths no real policy comes near (the shipped ones stay under 20),
// so that no later recursion can exhaust the stack:
//  - the parser stops nesting (brackets, 如果, 不, unary minus) past MAX_NESTING (parse.too-deep);
//  - an expression deeper than MAX_EXPR_DEPTH — long operator chains too, which the parser reads
//    in a loop but which build a tree as deep as they are long — is replaced by an error node
//    (parse.too-deep);
//  - a chain of definitions whose depths add up past MAX_EVAL_DEPTH is refused by the checker
//    (check.too-deep).
// The walks here use explicit stacks, so they are safe on any input.
import type * as A from './ast.js';
import { diagnostic, type Diagnostic } from '../base/diagnostics.js';

export const MAX_NESTING = 150;
export const MAX_EXPR_DEPTH = 200;
export const MAX_EVAL_DEPTH = 1000;

/** The direct subexpressions of e. */
export function children(e: A.Expr): A.Expr[] {
  switch (e.kind) {
    case 'Unary': return [e.arg];
    case 'Binary': return [e.left, e.right];
    case 'If': return [e.cond, e.then, e.else];
    case 'Call': return e.args;
    case 'List': return e.items;
    case 'Aggregate': return e.where ? [e.arg, e.where] : [e.arg];
    case 'Tier': {
      const out = [e.subject];
      for (const b of e.brackets) { if (b.lower) out.push(b.lower.value); if (b.upper) out.push(b.upper.value); out.push(b.result); }
      if (e.otherwise) out.push(e.otherwise);
      return out;
    }
    default: return [];
  }
}

/** The depth of e (a leaf has depth 1), and its deepest node. */
export function exprDepth(e: A.Expr): { depth: number; deepest: A.Expr } {
  let depth = 0, deepest = e;
  const stack: [A.Expr, number][] = [[e, 1]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (d > depth) { depth = d; deepest = x; }
    for (const c of children(x)) stack.push([c, d + 1]);
  }
  return { depth, deepest };
}

/** The expression slots of a declaration: each can be replaced on its own. */
function slots(d: A.Decl | A.FieldDecl): { get: () => A.Expr | null; set: (e: A.Expr) => void }[] {
  const slot = <O, K extends keyof O>(o: O, k: K) => ({ get: () => o[k] as A.Expr | null, set: (e: A.Expr) => { o[k] = e as O[K]; } });
  if ('kind' in d && d.kind === 'Param') return [slot(d, 'value'), slot(d, 'min'), slot(d, 'max')];
  if ('kind' in d && (d.kind === 'Def' || d.kind === 'Output')) {
    const b = d.body;
    if (b.kind === 'Expr') return [slot(b, 'expr')];
    return [...b.rules.flatMap((r) => [slot(r, 'when'), slot(r, 'then')]), slot(b, 'otherwise')];
  }
  const f = d as A.FieldDecl;
  return [slot(f, 'min'), slot(f, 'max'), slot(f, 'default')];
}

/** Replaces every expression deeper than MAX_EXPR_DEPTH by an error node; one parse.too-deep each. */
export function limitExprDepth(ast: A.PolicyFile): Diagnostic[] {
  const out: Diagnostic[] = [];
  const owners: (A.Decl | A.FieldDecl)[] = [...ast.decls, ...ast.schemas.flatMap((s) => s.fields)];
  for (const d of owners) {
    for (const s of slots(d)) {
      const e = s.get();
      if (!e) continue;
      const { depth, deepest } = exprDepth(e);
      if (depth <= MAX_EXPR_DEPTH) continue;
      out.push(diagnostic('parse.too-deep', deepest.range, { limit: MAX_EXPR_DEPTH }));
      s.set({ kind: 'Error', range: e.range });
    }
  }
  return out;
}
