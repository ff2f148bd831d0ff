// Depth limits (B5). Every stage after the parser — checker, both compilers, evaluation, trace,
// formatter, editor services — walks expressions recursively, and evaluation follows definitions
// into definitions. Rather than rewrite each walk with explicit stacks, deep input is refused
// early with a diagnostic, at depths no real policy comes near (the shipped ones stay under 20),
// so that no later recursion can exhaust the stack:
//  - the parser stops nesting (brackets, 如果, 不, unary minus) past MAX_NESTING (syntax.too-deep);
//  - an expression deeper than MAX_EXPR_DEPTH — long operator chains too, which the parser reads
//    in a loop but which build a tree as deep as they are long — is replaced by an error node
//    (syntax.too-deep);
//  - a chain of definitions whose depths add up past MAX_EVAL_DEPTH is refused by the checker
//    (check.too-deep).
// The walks here use explicit stacks, so they are safe on any input.
import type * as A from './ast.js';
import { diagnostic, type Diagnostic } from '../base/diagnostics.js';

export const MAX_NESTING = 150;
export const MAX_EXPR_DEPTH = 200;
export const MAX_EVAL_DEPTH = 1000;

// The walks below share one stack (nodes and their depths, side by side): a walk runs to its end
// without calling out, so two never overlap. Walking a 2,000-line file's expressions twice (here
// and for the evaluation depth, eval-depth.ts) made ≈ 2.7 MB of pairs and child lists per check.
const nodes: A.Expr[] = [];
const depths: number[] = [];

/** Pushes the direct subexpressions of e, each at depth d. */
function pushChildren(e: A.Expr, d: number): void {
  switch (e.kind) {
    case 'Unary': nodes.push(e.arg); depths.push(d); return;
    case 'Binary': nodes.push(e.left, e.right); depths.push(d, d); return;
    case 'If': nodes.push(e.cond, e.then, e.else); depths.push(d, d, d); return;
    case 'Call': for (const a of e.args) { nodes.push(a); depths.push(d); } return;
    case 'List': for (const a of e.items) { nodes.push(a); depths.push(d); } return;
    case 'Aggregate':
      nodes.push(e.arg); depths.push(d);
      if (e.where) { nodes.push(e.where); depths.push(d); }
      return;
    case 'Tier':
      nodes.push(e.subject); depths.push(d);
      for (const b of e.brackets) {
        if (b.lower) { nodes.push(b.lower.value); depths.push(d); }
        if (b.upper) { nodes.push(b.upper.value); depths.push(d); }
        nodes.push(b.result); depths.push(d);
      }
      if (e.otherwise) { nodes.push(e.otherwise); depths.push(d); }
      return;
    default: return;
  }
}

/** The depth of e (a leaf has depth 1), and its deepest node (the first met at that depth). */
export function exprDepth(e: A.Expr): { depth: number; deepest: A.Expr } {
  let depth = 0, deepest = e;
  // (emptied first: a walk cut short by a fault, which analyze reports, must not leave nodes behind)
  if (nodes.length !== 0) { nodes.length = 0; depths.length = 0; }
  nodes.push(e); depths.push(1);
  while (nodes.length) {
    const x = nodes.pop()!, d = depths.pop()!;
    if (d > depth) { depth = d; deepest = x; }
    pushChildren(x, d + 1);
  }
  return { depth, deepest };
}

/** Replaces each of a declaration's expressions deeper than MAX_EXPR_DEPTH by an error node. */
function limitDecl(d: A.Decl | A.FieldDecl, out: Diagnostic[]): void {
  if ('kind' in d && d.kind === 'Param') { limitAt(d, 'value', out); limitAt(d, 'min', out); limitAt(d, 'max', out); return; }
  if ('kind' in d && (d.kind === 'Def' || d.kind === 'Output')) {
    const b = d.body;
    if (b.kind === 'Expr') { limitAt(b, 'expr', out); return; }
    for (const r of b.rules) { limitAt(r, 'when', out); limitAt(r, 'then', out); }
    limitAt(b, 'otherwise', out);
    return;
  }
  const f = d as A.FieldDecl;
  limitAt(f, 'min', out); limitAt(f, 'max', out); limitAt(f, 'default', out);
}

/** o[k], an expression slot, gets an error node when deeper than MAX_EXPR_DEPTH (one syntax.too-deep). */
function limitAt<O, K extends keyof O>(o: O, k: K, out: Diagnostic[]): void {
  const e = o[k] as A.Expr | null | undefined;
  if (!e) return;
  const { depth, deepest } = exprDepth(e);
  if (depth <= MAX_EXPR_DEPTH) return;
  out.push(diagnostic('syntax.too-deep', deepest.range, { limit: MAX_EXPR_DEPTH }));
  o[k] = { kind: 'Error', range: e.range } as O[K];
}

/** Replaces every expression deeper than MAX_EXPR_DEPTH by an error node; one syntax.too-deep each. */
export function limitExprDepth(ast: A.PolicyFile): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of ast.decls) limitDecl(d, out);
  for (const s of ast.schemas) for (const f of s.fields) limitDecl(f, out);
  return out;
}
