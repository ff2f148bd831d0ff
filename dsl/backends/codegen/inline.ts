// Small definitions in place. A definition whose expression is "simple" — reads, constants,
// operators, conditionals, no aggregate, tier or output, and only simple definitions in turn —
// and small is written where it is used instead of being called and memoised (低保标准,
// 特殊成员): the same value, computed at the same point (a fault too), and its memo slot stays
// unset, which the trace fills when it wants the value. An aggregate whose argument and
// condition are simple then loops with the member's record in a local, without touching the
// current member.
import type * as A from '../../syntax/ast.js';
import type { CodeGen } from './state.js';

/** The node count of a simple expression (inlined definitions counted in), or null. */
export function simpleSize(g: CodeGen, e: A.Expr): number | null {
  const memo = g.simpleMemo;
  if (memo.has(e)) return memo.get(e)!;
  memo.set(e, null); // no cycles in a checked program; guard anyway
  let r: number | null = null;
  const all = (xs: A.Expr[]): number | null => { let n = 1; for (const x of xs) { const k = simpleSize(g, x); if (k === null) return null; n += k; } return n; };
  switch (e.kind) {
    case 'Number': case 'Money': case 'Percent': case 'Date': case 'Duration': case 'Text': case 'Bool': case 'None': case 'List':
    case 'AsOf': case 'Age': case 'Members': case 'Field': r = 1; break;
    case 'Ref': {
      const res = g.p.resolutions.get(e);
      if (res?.kind === 'param' || res?.kind === 'enum' || res?.kind === 'memberField' || res?.kind === 'householdField') r = 1;
      else if (res?.kind === 'def') { const body = inlineBody(g, res.index, res.member); r = body ? simpleSize(g, body) : null; }
      break;
    }
    case 'Unary': r = all([e.arg]); break;
    case 'Binary': r = all([e.left, e.right]); break;
    case 'If': r = all([e.cond, e.then, e.else]); break;
    case 'Call': r = all(e.args); break;
    default: r = null;
  }
  memo.set(e, r);
  return r;
}

/** The expression of a definition that is written in place, else undefined. */
export function inlineBody(g: CodeGen, index: number, member: boolean): A.Expr | undefined {
  const d = member ? g.p.memberDefs[index] : g.p.defs[index];
  if (!d || d.decl.body.kind !== 'Expr') return undefined;
  const body = d.decl.body.expr;
  const n = simpleSize(g, body);
  // a household definition is memoised with whatever member is current when it is first
  // evaluated: one that reads a member (never in a checked program) keeps its call
  return n !== null && n <= (member ? 24 : 8) && (member || !readsMember(g, body)) ? body : undefined;
}

export function isSimple(g: CodeGen, e: A.Expr | null): boolean {
  return e === null || simpleSize(g, e) !== null;
}

export function readsMember(g: CodeGen, e: A.Expr): boolean {
  const p = g.p;
  switch (e.kind) {
    case 'Age': return true;
    case 'Field': return e.base === 'member' || p.resolutions.get(e)?.kind === 'memberField';
    case 'Ref': { const r = p.resolutions.get(e); return r?.kind === 'memberField' || (r?.kind === 'def' && r.member); }
    case 'Unary': return readsMember(g, e.arg);
    case 'Binary': return readsMember(g, e.left) || readsMember(g, e.right);
    case 'If': return readsMember(g, e.cond) || readsMember(g, e.then) || readsMember(g, e.else);
    case 'Call': return e.args.some((a) => readsMember(g, a));
    default: return false;
  }
}
