// The code of a binary operator: and/or chains, membership, equality, order, + − × ÷ with the
// integer fast path inline and money.ts (or a fraction pair) otherwise; null propagates as in
// the closures.
import type * as A from '../../syntax/ast.js';
import { isNum, isInt, type CodeGen } from './state.js';
import { pairCompare } from './pairs.js';
import { decidedEarly } from './decided.js';

type Binary = Extract<A.Expr, { kind: 'Binary' }>;

function chain(e: A.Expr, op: 'and' | 'or', out: A.Expr[] = []): A.Expr[] {
  if (e.kind === 'Binary' && e.op === op) { chain(e.left, op, out); chain(e.right, op, out); } else out.push(e);
  return out;
}

/** Whether `x 属于 list` is false for an empty text list without x being evaluated: x is a plain
 *  read that cannot fail (a field, a literal, a parameter), so skipping it changes nothing. */
export function emptyListAnswers(g: CodeGen, e: Binary): boolean {
  return e.op === 'in' && g.type(e.right).k === 'textlist' && (e.left.kind === 'Field' || e.left.kind === 'Text' || e.left.kind === 'Number' || (e.left.kind === 'Ref' && ['memberField', 'householdField', 'param', 'enum'].includes(g.p.resolutions.get(e.left)?.kind ?? '')));
}

export function binary(g: CodeGen, e: Binary): string {
  const ex = g.ex;
  const lt = g.type(e.left), rt = g.type(e.right);
  const canBeNull = Boolean(lt.nullable || rt.nullable || lt.k === 'null' || rt.k === 'null');
  const line = e.range.start.line;
  switch (e.op) {
    case 'and': case 'or': {
      const xs = chain(e, e.op);
      const code = `(${xs.map((x) => `!!(${ex(x)})`).join(e.op === 'and' ? ' && ' : ' || ')})`;
      // a later part already decided in its slot answers for the chain (decided.ts)
      const stop = e.op === 'or', early = decidedEarly(g, xs, stop);
      return early === undefined ? code : `(mem.length !== 0 && (${early}) ? ${stop} : ${code})`;
    }
    case 'in': {
      const l = g.tmp();
      // an empty list (the usual applies_single_person) answers without the includes() call when
      // the left side is a plain read that cannot fail
      const pure = emptyListAnswers(g, e);
      return `((${l} = ${ex(e.right)}) !== null && ${l} !== undefined && ${pure ? `${l}.length !== 0 && ` : ''}${l}.includes(${ex(e.left)}))`;
    }
    case '=': case '!=': return equality(g, e);
    case '<': case '<=': case '>': case '>=': {
      const op = e.op;
      const x = g.tmp(), y = g.tmp();
      if (lt.k === 'date' || rt.k === 'date') {
        return `((${x} = ${ex(e.left)}), (${y} = ${ex(e.right)}), ${x} === null || ${y} === null || ${x} === undefined || ${y} === undefined ? false : ${x} - ${y} ${op} 0)`;
      }
      const generic = () => compareGeneric(g, e);
      const pc = g.noPair ? undefined : pairCompare(g, e, generic);
      return pc ?? generic();
    }
    case '+': case '-': {
      if (lt.k === 'date') return `dateAdd(${ex(e.left)}, ${ex(e.right)}, ${e.op === '+' ? 1 : -1}, ${g.lit(line)})`;
      if (lt.k === 'duration') return `durAdd(${ex(e.left)}, ${ex(e.right)}, ${e.op === '-'})`;
      if (canBeNull) {
        const x = g.tmp(), y = g.tmp();
        return `((${x} = ${ex(e.left)}), (${y} = ${ex(e.right)}), ${x} === null || ${y} === null ? null : ${g.arith(e.op, x, y)})`;
      }
      return g.arith(e.op, ex(e.left), ex(e.right));
    }
    case '*': return product(g, e, canBeNull);
    case '/': return `divide(${ex(e.left)}, ${ex(e.right)}, ${g.lit(line)})`;
  }
  throw new Error(`codegen: unknown operator ${String(e.op)}`);
}

function equality(g: CodeGen, e: Binary): string {
  const ex = g.ex;
  const numericEq = g.numeric(g.type(e.left)) && g.numeric(g.type(e.right));
  const kk = g.constOf(e.right);
  const not = e.op === '!=' ? '!' : '';
  if (numericEq && kk !== undefined && typeof kk.v === 'number') {
    const kv = g.lit(kk.v), t = g.tmp();
    return `${not}(typeof (${t} = ${ex(e.left)}) === 'number' ? ${t} === ${kv} : ${t} != null && eq(${t}, ${kv}))`;
  }
  if (!numericEq && kk !== undefined) return `((${ex(e.left)}) ?? null) ${e.op === '=' ? '===' : '!=='} ${g.lit(kk.v ?? null)}`;
  if (numericEq) {
    const x = g.tmp(), y = g.tmp();
    return `${not}((${x} = (${ex(e.left)}) ?? null), (${y} = (${ex(e.right)}) ?? null), ${x} === null || ${y} === null ? ${x} === ${y} : eq(${x}, ${y}))`;
  }
  return `((${ex(e.left)}) ?? null) ${e.op === '=' ? '===' : '!=='} ((${ex(e.right)}) ?? null)`;
}

function product(g: CodeGen, e: Binary, canBeNull: boolean): string {
  const ex = g.ex;
  const lt = g.type(e.left), rt = g.type(e.right);
  const line = e.range.start.line;
  if ((lt.k === 'money' && rt.k === 'duration') || (lt.k === 'duration' && rt.k === 'money')) {
    const perYear = (lt.k === 'money' ? lt : rt) as { p: string };
    const a = ex(e.left), b = ex(e.right);
    // the closures evaluate the money operand first
    if (lt.k === 'money') return `moneyDur(${a}, ${b}, ${perYear.p === 'year'}, ${g.lit(line)})`;
    const x = g.tmp(), y = g.tmp();
    return `((${y} = ${b}), (${x} = ${a}), moneyDur(${y}, ${x}, ${perYear.p === 'year'}, ${g.lit(line)}))`;
  }
  if (lt.k === 'duration') return `durMul(${ex(e.left)}, ${ex(e.right)})`;
  if (canBeNull) {
    const x = g.tmp(), y = g.tmp();
    return `((${x} = ${ex(e.left)}), (${y} = ${ex(e.right)}), ${x} === null || ${y} === null ? null : ${g.arith('*', x, y)})`;
  }
  const kl = g.constOf(e.left), kr = g.constOf(e.right);
  if (kl !== undefined && isNum(kl.v)) return isInt(kl.v) ? g.arith('*', g.lit(kl.v), ex(e.right)) : `mul(${g.lit(kl.v)}, ${ex(e.right)})`;
  if (kr !== undefined && isNum(kr.v)) return isInt(kr.v) ? g.arith('*', ex(e.left), g.lit(kr.v)) : `mul(${ex(e.left)}, ${g.lit(kr.v)})`;
  return g.arith('*', ex(e.left), ex(e.right));
}

/** x ⋚ y on numbers: integer fast path inline, exact comparison otherwise; null → false. */
function compareGeneric(g: CodeGen, e: Binary): string {
  const op = e.op, x = g.tmp(), y = g.tmp();
  const kk = g.constOf(e.right);
  if (kk !== undefined && isInt(kk.v)) {
    const kv = g.lit(kk.v);
    return `(typeof (${x} = ${g.ex(e.left)}) === 'number' ? ${x} ${op} ${kv} : ${x} != null && cmp(${x}, ${kv}) ${op} 0)`;
  }
  return `((${x} = ${g.ex(e.left)}), (${y} = ${g.ex(e.right)}), typeof ${x} === 'number' && typeof ${y} === 'number' ? ${x} ${op} ${y} : ${x} != null && ${y} != null && cmp(${x}, ${y}) ${op} 0)`;
}
