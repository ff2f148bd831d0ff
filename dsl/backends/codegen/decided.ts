// A condition already decided by its memo slot. In `a 并且 b 并且 c` the parts before a part that
// cannot fault may be left unevaluated (fault-free.ts), so when a later part is a household
// definition compute() has already computed (不 整户符合, read after 整户符合 was needed for an
// earlier output) and it is false, the whole chain is false without reading anything else: no
// load of household.dibao or of the applies_single_person list, which on a household that is
// eligible are cache misses of objects compute() needs nothing else from.
// (后面的条件已算出且为假时，整个"并且"为假：前面不会出错的条件不必再读，少碰一次内存)
import type * as A from '../../syntax/ast.js';
import type { CodeGen } from './state.js';
import { inlineBody } from './inline.js';
import { faultFree } from './fault-free.js';

/** The household-level memo slot e reads, and whether e negates it: e is `d` or `不 d` (any
 *  number of 不) for a definition or output kept in a slot (not one written in place). */
function slotRead(g: CodeGen, e: A.Expr): { slot: number; negated: boolean } | undefined {
  let x = e, negated = false;
  while (x.kind === 'Unary' && x.op === 'not') { negated = !negated; x = x.arg; }
  if (x.kind !== 'Ref') return undefined;
  const r = g.m.reads.get(x);
  if (r?.kind !== 'decl' || r.decl.level === 'member') return undefined;
  if (r.decl.kind !== 'output' && inlineBody(g, r.decl.index, false) !== undefined) return undefined;
  return { slot: r.decl.slot, negated };
}

/** Code that is true when e's value is already in its slot and e (as a condition: `!!e`) is
 *  `want`; undefined when e is not such a read. Reads the slot only: no call, no effect. */
export function decidedAs(g: CodeGen, e: A.Expr, want: boolean): string | undefined {
  const s = slotRead(g, e);
  if (s === undefined) return undefined;
  const t = g.tmp();
  return `((${t} = hs[${s.slot}]) !== undefined && ${want !== s.negated ? '!!' : '!'}${t})`;
}

/** For a chain of conditions evaluated left to right that stops at the first part equal to
 *  `stop` (false for 并且, true for 或者): code that is true when some part is already known to
 *  be `stop` and every part before it cannot fault (on a household with members: the code is
 *  only used after `mem.length !== 0`), so the chain's answer is `stop` with nothing evaluated.
 *  Undefined when no part qualifies; a part after only slot reads does not (they cost as much). */
export function decidedEarly(g: CodeGen, parts: readonly A.Expr[], stop: boolean): string | undefined {
  const tests: string[] = [];
  // while every part before is itself a slot read, reading them is as cheap as the test
  let reads = true;
  for (let i = 1; i < parts.length && faultFree(g, parts[i - 1]!); i++) {
    reads &&= slotRead(g, parts[i - 1]!) !== undefined;
    const d = reads ? undefined : decidedAs(g, parts[i]!, stop);
    if (d !== undefined) tests.push(d);
  }
  return tests.length > 0 ? tests.join(' || ') : undefined;
}
