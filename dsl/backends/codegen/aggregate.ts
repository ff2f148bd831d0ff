// The code of an aggregate over members (count, ids, any, all, sum, min, max): a helper function
// looping over `mem`, with the member's record in a local when argument and filter are simple.
import type * as A from '../../syntax/ast.js';
import type { CodeGen } from './state.js';
import { isSimple } from './inline.js';
import { emptyListAnswers } from './binary.js';
import { faultFree } from './fault-free.js';
import { decidedAs } from './decided.js';

/** Whether e reads nothing of the current member (conservative: an unknown form counts as reading it). */
function householdLevel(g: CodeGen, e: A.Expr): boolean {
  switch (e.kind) {
    case 'Number': case 'Money': case 'Percent': case 'Date': case 'Duration': case 'Text': case 'Bool': case 'None': case 'List': case 'AsOf': return true;
    case 'Aggregate': return true; // loops over every member itself
    case 'Field': return e.base !== 'member' && g.p.resolutions.get(e)?.kind === 'householdField';
    case 'Ref': {
      const r = g.p.resolutions.get(e);
      if (r?.kind === 'param' || r?.kind === 'enum' || r?.kind === 'householdField') return true;
      return (r?.kind === 'def' || r?.kind === 'output') && !r.member;
    }
    case 'Unary': return householdLevel(g, e.arg);
    case 'Binary': return householdLevel(g, e.left) && householdLevel(g, e.right);
    case 'If': return householdLevel(g, e.cond) && householdLevel(g, e.then) && householdLevel(g, e.else);
    case 'Call': return e.args.every((x) => householdLevel(g, x));
    default: return false;
  }
}

function conjuncts(e: A.Expr, out: A.Expr[] = []): A.Expr[] {
  if (e.kind === 'Binary' && e.op === 'and') { conjuncts(e.left, out); conjuncts(e.right, out); } else out.push(e);
  return out;
}

/** One part of a head: a household-level condition, or (`nonEmpty`) the household-level text list
 *  of the `member-value 属于 list` that follows them, which no member is in while it is empty. */
type HeadPart = { e: A.Expr; nonEmpty: boolean };

/** The household-level conditions at the head of a member condition (its and-chain, or that of
 *  the member definition it names): while they are false no member qualifies, so the loop is
 *  skipped (单人户 = 不 整户符合 并且 低收入未在保 并且 …: two memoised household values, not a
 *  call per member). After them, a membership in a household-level text list whose left side is a
 *  plain read (id 属于 household.applies_single_person) adds "the list is not empty": its right
 *  side is what the first member would evaluate next, and with the list empty no member is in it
 *  (名单为空时没有成员属于它，循环同样跳过). Undefined when there are none. */
function householdHead(g: CodeGen, e: A.Expr | null): HeadPart[] | undefined {
  if (e === null) return undefined;
  let body = e;
  if (e.kind === 'Ref') {
    const r = g.p.resolutions.get(e);
    const d = r?.kind === 'def' && r.member ? g.p.memberDefs[r.index] : undefined;
    if (d !== undefined && d.decl.body.kind === 'Expr') body = d.decl.body.expr;
  }
  const all = conjuncts(body), head: HeadPart[] = [];
  for (const c of all) { if (!householdLevel(g, c)) break; head.push({ e: c, nonEmpty: false }); }
  if (head.length === all.length) return undefined;
  const next = all[head.length]!;
  if (next.kind === 'Binary' && emptyListAnswers(g, next) && householdLevel(g, next.right)) {
    // the list's test is a read: it goes first when the conditions before it cannot fault, so
    // while the list is empty (the usual case) they are not evaluated at all (低收入未在保 and
    // its 特困 loop are not computed for a household where nobody applies as a single person)
    // (名单为空时先跳过；前面的条件不会出错，才可以不算)
    const list = { e: next.right, nonEmpty: true };
    if (head.every((p) => faultFree(g, p.e))) head.unshift(list); else head.push(list);
  }
  return head.length > 0 ? head : undefined;
}

/** A head part's code: the condition, or the list's test (null and empty alike answer false). */
function headCode(g: CodeGen, p: HeadPart): string {
  if (!p.nonEmpty) return `!!(${g.ex(p.e)})`;
  const l = g.tmp();
  return `((${l} = ${g.ex(p.e)}) !== null && ${l} !== undefined && ${l}.length !== 0)`;
}

/** When every part of the heads cannot fault, a part already false in its memo slot (不 整户符合
 *  once 整户符合 is known) skips the loop before the others are read (decided.ts): `test || `, else ''. */
function decidedHead(g: CodeGen, heads: HeadPart[][]): string {
  const parts = heads.flat();
  if (!parts.every((p) => faultFree(g, p.e))) return '';
  const tests = parts.flatMap((p) => (p.nonEmpty ? [] : [decidedAs(g, p.e, false)])).filter((x) => x !== undefined);
  return tests.length > 0 ? `${tests.join(' || ')} || ` : '';
}

export function aggregate(g: CodeGen, e: Extract<A.Expr, { kind: 'Aggregate' }>): string {
  const argType = g.type(e.arg);
  const isList = argType.k === 'members' || argType.k === 'list';
  if (e.fn === 'count' && isList && !e.where) return 'mem.length';
  return g.helper(() => {
    const keep = e.where ? `if (!(${g.ex(e.where)})) continue; ` : '';
    const arg = isList ? 'true' : g.ex(e.arg);
    // simple argument and condition: the member's record in a local, the current member untouched
    const local = isSimple(g, e.where) && (isList || isSimple(g, e.arg));
    const loop = (body: string) => {
      const reset = g.ageVar ? `${g.ageVar} = undefined; ` : '';
      return local
        ? `for (let i = 0; i < mem.length; i++) { const mr = mem[i]; ${reset}${keep}${body} }`
        : `const sv = m; for (let i = 0; i < mem.length; i++) { m = i; mr = mem[i]; ${reset}${keep}${body} }`;
    };
    const restore = local ? '' : 'm = sv; mr = mem[sv]; ';
    // no member qualifies while a household-level head of a condition is false: the loop is
    // skipped. The head is evaluated only when there are members, as the first member's
    // condition would (so a fault in it is met at the same point). (条件开头与成员无关的部分为假时跳过循环)
    const heads = [e.where, e.fn === 'count' || e.fn === 'ids' || e.fn === 'any' ? (isList ? null : e.arg) : null].map((x) => householdHead(g, x)).filter((x) => x !== undefined);
    const none = e.fn === 'count' || e.fn === 'sum' ? '0' : e.fn === 'ids' ? '[]' : e.fn === 'any' ? 'false' : e.fn === 'min' || e.fn === 'max' ? 'null' : undefined;
    const skip = heads.length > 0 && none !== undefined && e.fn !== 'all'
      ? `if (mem.length !== 0 && (${decidedHead(g, heads)}!(${heads.map((h) => h.map((c) => headCode(g, c)).join(' && ')).join(') || !(')}))) return ${none}; `
      : '';
    switch (e.fn) {
      case 'count': return `${skip}let n = 0; ${loop(`if (${arg}) n++;`)} ${restore}return n;`;
      // a new array each time, also when empty: a shared frozen empty one made evaluate(json)
      // ≈ 15 % slower (the output writer's slice() of a frozen array leaves V8's fast path)
      // (空列表也新建数组：冻结的共享空数组使输出时的 slice() 走慢路径)
      case 'ids': return `${skip}const out = []; ${loop(`if (${arg}) out.push(String(mem[i]["id"]));`)} ${restore}return out;`;
      case 'any': return `${skip}let r = false; ${loop(`if (${arg}) { r = true; break; }`)} ${restore}return r;`;
      case 'all': return `let r = true; ${loop(`if (!(${arg})) { r = false; break; }`)} ${restore}return r;`;
      case 'sum': { const v = g.tmp(); return `${skip}let s = 0; ${loop(`${v} = ${arg}; if (${v} === null || ${v} === undefined) continue; s = ${g.arith('+', 's', v)};`)} ${restore}return s;`; }
      case 'min': case 'max': { const v = g.tmp(); return `${skip}let r = null; ${loop(`${v} = ${arg}; if (${v} === null || ${v} === undefined) continue; r = r === null ? ${v} : ${e.fn}(r, ${v});`)} ${restore}return r;`; }
    }
    throw new Error(`codegen: unknown aggregate ${String(e.fn)}`);
  });
}
