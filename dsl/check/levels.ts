// Levels: an expression is read for the household or for one member. Member-level names
// (年龄, 成员.x, member definitions) need a member in scope; aggregates give one and may not nest.
import type * as A from '../syntax/ast.js';
import type { CheckState, Scope } from './state.js';

export const householdScope: Scope = { member: false, inAggregate: false };
export const memberScope: Scope = { member: true, inAggregate: false };
export const aggregateScope: Scope = { member: true, inAggregate: true };

/** Whether `e` depends on the current member (needs a member in scope). */
export function isMemberLevel(cx: CheckState, e: A.Expr): boolean {
  return cx.memberLevel.has(e);
}

export function markMember(cx: CheckState, e: A.Expr, v: boolean): void {
  if (v) cx.memberLevel.add(e); else cx.memberLevel.delete(e);
}

/** `e` reads the current member (`name` as the author wrote it): an error outside a member scope. */
export function needMember(cx: CheckState, e: A.Expr, scope: Scope, name: string): void {
  if (!scope.member) cx.err('check.member-context', e.range, { name });
  markMember(cx, e, true);
}

/** `members` is only a value inside an aggregate. */
export function needAggregate(cx: CheckState, e: A.Expr, scope: Scope): void {
  if (!scope.inAggregate) cx.err('check.member-context', e.range, { name: '成员 members' });
}

/** Aggregates over members may not nest (nor appear in a member-level declaration). */
export function aggregateAllowed(cx: CheckState, e: A.Expr, scope: Scope): Scope {
  if (scope.member) cx.err('check.aggregate-nested', e.range);
  return aggregateScope;
}
