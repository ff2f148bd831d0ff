// The middle form (Catala's scopelang): between the checker and the backends. Computed once per
// checked Program by `lower`: names resolved to slots (Read, InputSlot), each declaration's level
// (member vs household) and memo slot explicit, every body's rules and exceptions with their
// citations in the order they are decided (rule-order.ts), the declarations in dependency order,
// constants folded. Both backends (backends/closures.ts, backends/codegen/), the trace
// (eval/trace.ts) and the language services read it; none recomputes any of it.
//
// New constructs lower into these nodes rather than adding cases to every backend:
// - a decision table (决策表) lowers to a `rules` Body: one Clause per row, its condition the
//   conjunction of the row's cells (A.Binary 'and' of comparisons), its result the row's output,
//   its citation the table's; rows that must not overlap are rules, a row that wins over others
//   is an exception with overriddenBy. Nothing downstream changes.
// - a linked policy (引用 another policy's output) is a new kind of InputSlot (say
//   { kind: 'linkedOutput'; policy; version; output }): the checker resolves the name to it,
//   `annotate` in lower.ts records it in `reads`, and each backend reads it in one place (the
//   `Ref` case of closures.ts, `exRef` of codegen/expr.ts) from the evaluation context.
import type * as A from '../syntax/ast.js';
import type { Middle } from './form.js';

export type { Middle, Decl, Body, Clause, Layout, Level, Read, InputSlot } from './form.js';
export { lower } from './lower.js';
export { ruleOrder, type RuleOrder } from './rule-order.js';

/** The folded constant of e (Middle.constants), or undefined. */
export function constOf(m: Middle, e: A.Expr): { v: unknown } | undefined {
  return m.constants.get(e);
}
