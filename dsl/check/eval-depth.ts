// How deep evaluation can recurse (B5): a definition's value is computed on first use, inside
// the expression that uses it, so the stack grows by the depth of each expression along a chain
// of definitions. 5,000 chained definitions overflowed the stack. The depth of a symbol is
// bounded by its own expressions' depth plus the deepest of its dependencies'; symbols past
// MAX_EVAL_DEPTH are refused (check.too-deep), only the first of each chain reported.
import type * as A from '../syntax/ast.js';
import { exprDepth, MAX_EVAL_DEPTH } from '../syntax/depth.js';

/** The depth of a declaration's own expressions (rules: the deepest condition or result, plus one). */
export function ownDepth(d: A.Decl): number {
  if (d.kind === 'Param') return 1;
  const b = d.body;
  if (b.kind === 'Expr') return exprDepth(b.expr).depth;
  let n = b.otherwise ? exprDepth(b.otherwise).depth : 0;
  for (const r of b.rules) n = Math.max(n, exprDepth(r.when).depth, exprDepth(r.then).depth);
  return n + 1;
}

/** The symbols whose evaluation depth passes MAX_EVAL_DEPTH while none of their dependencies'
 *  does (the first of each too-deep chain). Iterative; a cycle (reported elsewhere) is cut. */
export function tooDeep<S>(symbols: S[], deps: (s: S) => S[], own: (s: S) => number): S[] {
  const depth = new Map<S, number>();
  const onStack = new Set<S>();
  const out: S[] = [];
  for (const root of symbols) {
    if (depth.has(root)) continue;
    const stack: [S, number][] = [[root, 0]];
    onStack.add(root);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const ds = deps(top[0]);
      if (top[1] < ds.length) {
        const d = ds[top[1]++]!;
        if (!depth.has(d) && !onStack.has(d)) { onStack.add(d); stack.push([d, 0]); }
        continue;
      }
      stack.pop();
      onStack.delete(top[0]);
      let below = 0;
      for (const d of ds) below = Math.max(below, depth.get(d) ?? 0);
      const n = own(top[0]) + below;
      depth.set(top[0], n);
      if (n > MAX_EVAL_DEPTH && below <= MAX_EVAL_DEPTH) out.push(top[0]);
    }
  }
  return out;
}
