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

const none: never[] = [];

/** The symbols whose evaluation depth passes MAX_EVAL_DEPTH while none of their dependencies'
 *  does (the first of each too-deep chain). Iterative; a cycle (reported elsewhere) is cut.
 *  Symbols are numbered 0 … n−1 (`id`): the walk's state is kept in arrays by id, not in a Map
 *  and a Set of symbols (hashing each symbol at every step was most of this pass's time); the
 *  dependencies are read from the list by id, not through a closure over the check (see
 *  dependencies.ts: such a closure keeps a finished check alive). */
export function tooDeep<S extends { id: number }>(symbols: S[], directDeps: readonly (S[] | undefined)[], own: (s: S) => number): S[] {
  const n = symbols.length;
  const depth = new Float64Array(n).fill(-1);
  const onStack = new Uint8Array(n);
  const out: S[] = [];
  const stack: S[] = [], next: number[] = [];
  for (const root of symbols) {
    if (depth[root.id] !== -1) continue;
    stack.push(root); next.push(0);
    onStack[root.id] = 1;
    while (stack.length) {
      const top = stack.length - 1, s = stack[top]!;
      const ds = directDeps[s.id] ?? none;
      if (next[top]! < ds.length) {
        const d = ds[next[top]!++]!;
        if (depth[d.id] === -1 && !onStack[d.id]) { onStack[d.id] = 1; stack.push(d); next.push(0); }
        continue;
      }
      stack.pop(); next.pop();
      onStack[s.id] = 0;
      let below = 0;
      for (const d of ds) below = Math.max(below, depth[d.id] === -1 ? 0 : depth[d.id]!);
      const k = own(s) + below;
      depth[s.id] = k;
      if (k > MAX_EVAL_DEPTH && below <= MAX_EVAL_DEPTH) out.push(s);
    }
  }
  return out;
}
