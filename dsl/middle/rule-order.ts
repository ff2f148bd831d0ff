// The order both compilers decide the clauses of a body of rules in: a clause after every
// clause that overrides it (an active exception blocks its targets before they are evaluated).
// Linear in the clauses and their overrides (a body can hold thousands of rules).
import type * as A from '../syntax/ast.js';

export interface RuleOrder {
  /** For each clause, the clauses that override it, in ascending order. */
  overriddenBy: number[][];
  /** The clauses in the order they are decided. */
  order: number[];
}

export function ruleOrder(rules: A.RuleClause[], overrides: Map<A.RuleClause, number[]>): RuleOrder {
  const n = rules.length;
  const overriddenBy: number[][] = Array.from({ length: n }, () => []);
  rules.forEach((r, j) => {
    for (const t of overrides.get(r) ?? []) {
      const by = overriddenBy[t];
      if (by && by[by.length - 1] !== j) by.push(j);
    }
  });
  const order: number[] = [];
  const placed = new Uint8Array(n);
  const place = (i: number, path: Set<number>) => {
    if (placed[i] || path.has(i)) return;
    path.add(i);
    for (const j of overriddenBy[i]!) place(j, path);
    placed[i] = 1;
    order.push(i);
  };
  for (let i = 0; i < n; i++) place(i, new Set());
  return { overriddenBy, order };
}
