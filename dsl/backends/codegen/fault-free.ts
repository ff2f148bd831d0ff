// Whether an expression certainly evaluates without a fault (and without any effect but filling
// memo slots) on a household that has members: then it may be evaluated later, or not at all,
// without changing any output or trace (the trace computes a slot left unset itself, to the same
// value). Conservative: anything not known here (a date plus a duration, rules that may
// conflict, a call on a value that may be none) counts as able to fault.
// (确定不会出错、也无副作用的表达式：可以换到后面求值，结果和解释都不变)
import type * as A from '../../syntax/ast.js';
import type { CodeGen } from './state.js';
import { isNum } from './state.js';
import { isZero } from '../../base/money.js';

/** `e` evaluated on a household with at least one member cannot fault. */
export function faultFree(g: CodeGen, e: A.Expr, memo = new Map<A.Expr, boolean>()): boolean {
  const known = memo.get(e);
  if (known !== undefined) return known;
  memo.set(e, false); // no cycles in a checked program; guard anyway
  const r = walk(g, e, (x) => faultFree(g, x, memo));
  memo.set(e, r);
  return r;
}

function walk(g: CodeGen, e: A.Expr, ok: (x: A.Expr) => boolean): boolean {
  switch (e.kind) {
    case 'Number': case 'Money': case 'Percent': case 'Date': case 'Duration': case 'Text': case 'Bool': case 'None': case 'List':
    case 'AsOf': case 'Age': case 'Members': case 'Field': return true;
    case 'Ref': {
      const r = g.m.reads.get(e);
      if (r === undefined) return false;
      if (r.kind !== 'decl') return true; // a parameter, an enum value or a field: a read
      return r.decl.kind === 'def' && r.decl.body.kind === 'expr' && ok(r.decl.body.expr);
    }
    case 'Unary': return ok(e.arg);
    case 'Binary': {
      const lt = g.type(e.left), rt = g.type(e.right);
      const numeric = g.numeric(lt) && g.numeric(rt);
      switch (e.op) {
        // on numbers only: a date or duration sum or product (dateAdd, moneyDur) can fault
        case '+': case '-': case '*': if (!numeric) return false; break;
        case '/': if (!numeric || !nonZero(g, e.right)) return false; break;
        case '<': case '<=': case '>': case '>=': if (!numeric && !(lt.k === 'date' && rt.k === 'date')) return false; break;
        default: break; // and, or, 属于, =, ≠: no fault of their own
      }
      return ok(e.left) && ok(e.right);
    }
    case 'If': return ok(e.cond) && ok(e.then) && ok(e.else);
    // every aggregate skips a member whose value is none (aggregate.ts)
    case 'Aggregate': return ok(e.arg) && (e.where === null || ok(e.where));
    case 'Call':
      switch (e.fn) {
        case 'present': case 'monthly': case 'yearly': case 'round': return e.args.every(ok);
        // money.ts's min/max compare what they are given: none is not a number
        case 'min': case 'max': case 'atLeast': case 'atMost': return e.args.every((x) => ok(x) && !g.nullable(x));
        default: return false;
      }
    default: return false;
  }
}

/** A divisor that is never zero on a household with members: a non-zero constant, or the
 *  number of members (人数(成员), `mem.length`). */
function nonZero(g: CodeGen, e: A.Expr): boolean {
  const k = g.constOf(e);
  if (k !== undefined) return isNum(k.v) && !isZero(k.v);
  if (e.kind !== 'Aggregate' || e.fn !== 'count' || e.where !== null) return false;
  return g.type(e.arg).k === 'members';
}
