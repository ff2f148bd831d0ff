// The fast path of the compiler: a checked Program compiled to JavaScript source and built once
// with `new Function` (the closure compiler in expr.ts is the fallback, used when code
// generation is unavailable, e.g. under a Content-Security-Policy without 'unsafe-eval').
//
// Semantics are those of the closure compiler, expression by expression (same memo slots, same
// decided-by records, same faults, same evaluation order), so both modes give byte-identical
// outputs and traces; test/dsl/codegen.test.ts checks that on every shipped policy.
//
// Safety: nothing a policy author writes is ever spliced into the source. The generated text
// contains only JS operators, names the generator makes up (D3, M0, O1, t12, …), integers the
// generator checked with Number.isSafeInteger (rendered by String(): digits and '-'), array
// indexes, and field names quoted by JSON.stringify (which escapes quotes, backslashes and
// control characters; U+2028/U+2029 are legal inside string literals since ES2019). Every other
// value — literals, parameter values, enum names, texts, rule names for messages — is passed
// in the array K and read as K[i].
import { constOf as constOfIn } from './const-of.js';
import { ruleOrder } from '../middle/rule-order.js';
import type * as A from '../syntax/ast.js';
import type { Program, Type } from '../check/types.js';
import { type Ctx, UNSET, EvalFault, sameValue } from './context.js';
import { add, sub, mul, div, neg, cmp, eq, isZero, roundFen, min, max, frac, Ratio, type Num } from '../base/money.js';
import { constantValue } from '../check/constants.js';
import { addMonths, addDays } from '../base/dates.js';

type Dur = { duration: Num; unit: string };

/** Runtime helpers the generated code calls (bound to local constants at the top of the source). */
const R = {
  UNSET, Ratio, add, sub, mul, div, neg, cmp, eq, roundFen, min, max, sameValue, frac,
  /** n/d (d > 0, safe integers) rounded half-up to a whole number, as roundHalfUp does. */
  roundPair: (n: number, d: number): number => {
    const abs = n < 0 ? -n : n;
    const r = abs % d;
    let q = (abs - r) / d;
    if (r * 2 >= d) q += 1;
    return n < 0 && q !== 0 ? -q : q;
  },
  fault: (k: [string, string, number]) => { throw new EvalFault(k[0], k[1], k[2]); },
  conflict: (names: string[], lines: number[], a: number, b: number) => {
    throw new EvalFault(`规则「${names[a]}」与「${names[b]}」同时适用但结果不同`, `rules "${names[a]}" and "${names[b]}" both apply with different values`, lines[b]!);
  },
  divide: (x: Num | null, y: Num | null, line: number): Num | null => {
    if (x === null || y === null) return null;
    if (isZero(y)) throw new EvalFault('除数为零', 'division by zero', line);
    return div(x, y);
  },
  negDur: (d: Dur | null) => d && { ...d, duration: neg(d.duration) },
  dateAdd: (d: number | null | undefined, dur: Dur | null | undefined, sign: number, line: number): number | null => {
    if (d === null || dur === null || d === undefined) return null;
    const n = dur!.duration;
    if (typeof n !== 'number') throw new EvalFault('期限必须是整数', 'a duration added to a date must be whole', line);
    return dur!.unit === 'days' ? addDays(d, sign * n) : addMonths(d, sign * n * (dur!.unit === 'years' ? 12 : 1));
  },
  durAdd: (x: Dur, y: Dur, minus: boolean) => ({ duration: (minus ? sub : add)(x.duration, y.duration), unit: x.unit }),
  durMul: (x: Dur, y: Num) => ({ duration: mul(x.duration, y), unit: x.unit }),
  moneyDur: (m: Num | null, d: Dur | null, perYear: boolean, line: number): Num | null => {
    if (m === null || d === null) return null;
    const months = d.unit === 'years' ? mul(d.duration, 12) : d.unit === 'months' ? d.duration : null;
    if (months === null) throw new EvalFault('按日计的期限不能与月/年金额相乘', 'a duration in days cannot multiply an amount per month or year', line);
    return perYear ? div(mul(m, months), 12) : mul(m, months);
  },
};

export interface Generated {
  source: string;
  /** Runs the policy on a decoded household; fills the context's memo slots and decided-by records. */
  compute(h: Record<string, unknown>, asOf: number): Ctx;
  /** A definition's value for member mi of the last computed household (computed if not yet): for the trace. */
  def(i: number, member: boolean, mi: number): unknown;
}

export interface Layout { hSize: number; mStride: number; nOut: number; outputSlot: number[] }

const isNum = (v: unknown): v is Num => typeof v === 'number' || v instanceof Ratio;
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** Generates and builds the code; throws when `new Function` is refused or a construct is unknown. */
export function generate(p: Program, layout: Layout, cx: Ctx): Generated {
  const { hSize, mStride, nOut, outputSlot } = layout;
  const K: unknown[] = [];
  const kIndex = new Map<unknown, number>();
  /** A value passed by reference: its place in K. */
  const k = (v: unknown): string => {
    let i = kIndex.get(v);
    if (i === undefined || typeof v === 'object') { i = K.push(v) - 1; if (typeof v !== 'object') kIndex.set(v, i); }
    return `K[${i}]`;
  };
  /** A constant: a safe integer is written as digits, anything else goes through K. */
  const lit = (v: unknown): string => (isInt(v) ? (Object.is(v, -0) ? '0' : String(v)) : v === null ? 'null' : typeof v === 'boolean' ? String(v) : k(v));
  const q = (name: string): string => JSON.stringify(name);
  const fns: string[] = [];
  let helperN = 0;
  // temporaries of the function being generated
  let temps: string[] = [];
  const tmp = (): string => { const t = `t${temps.length}`; temps.push(t); return t; };
  // the current member's age, computed at most once per function body (or loop iteration): the
  // member (mr) and the date do not change within one (calls restore the current member)
  let ageVar: string | null = null;

  const type = (x: A.Expr): Type => p.types.get(x) ?? { k: 'error' };
  const nullable = (x: A.Expr) => Boolean(type(x).nullable) || type(x).k === 'null';
  const numeric = (t: Type) => t.k === 'money' || t.k === 'number' || t.k === 'percent';

  const constOf = (e: A.Expr) => constOfIn(e, p);

  /** A helper function generated next to the definitions (aggregates, tiers), with its own temporaries. */
  const helper = (build: () => string): string => {
    const saved = temps, savedAge = ageVar; temps = []; ageVar = null;
    const name = `H${helperN++}`;
    const body = build();
    fns.push(`function ${name}() { ${temps.length ? `let ${temps.join(', ')};` : ''} ${body} }`);
    temps = saved; ageVar = savedAge;
    return `${name}()`;
  };

  // x + y, x − y, x × y with the integer fast path inline (a Num number is always a safe integer,
  // so a result within ±(2^53 − 1) is exact), else money.ts.
  const arith = (op: '+' | '-' | '*', a: string, b: string): string => {
    const fn = op === '+' ? 'add' : op === '-' ? 'sub' : 'mul';
    const ia = /^-?\d+$/.test(a), ib = /^-?\d+$/.test(b);
    const x = ia ? a : tmp(), y = ib ? b : tmp(), s = tmp();
    const pre = `${ia ? '' : `${x} = ${a}, `}${ib ? '' : `${y} = ${b}, `}`;
    const isN = [ia ? '' : `typeof ${x} === 'number'`, ib ? '' : `typeof ${y} === 'number'`].filter(Boolean).join(' && ');
    return `(${pre}${isN ? `${isN} && ` : ''}(${s} = ${x} ${op} ${y}) <= 9007199254740991 && ${s} >= -9007199254740991 ? ${s} : ${fn}(${x}, ${y}))`;
  };


  // ── exact fractions without allocation ─────────────────────────────────────────────────────
  // An arithmetic tree (+ − × ÷ on non-null numbers) that divides or has a fractional constant is
  // computed as a numerator/denominator pair of safe integers held in temporaries: no Ratio and
  // no gcd until the end (and none at all when the result is rounded or compared). Definitions
  // that are such trees themselves are inlined (up to a size), so 人均补差 = 标准 − 可计收入 ÷ 人数
  // is (标准·人数 − 可计收入)/人数 computed in place. Leaves are evaluated in the order the
  // generic code evaluates them; when a leaf is not a safe-integer number or fraction, or a
  // product leaves the safe range, the pair stops (`ok` false) and the generic code (money.ts,
  // BigInt when needed) computes the expression instead. Division by zero raises the same fault
  // at the same point.
  type PNode =
    | { k: 'leaf'; e: A.Expr; int: boolean }
    | { k: 'const'; n: number; d: number }
    | { k: 'op'; op: '+' | '-' | '*' | '/'; a: PNode; b: PNode; line: number };
  const isArith = (e: A.Expr): e is Extract<A.Expr, { kind: 'Binary' }> =>
    e.kind === 'Binary' && (e.op === '+' || e.op === '-' || e.op === '*' || e.op === '/')
    && numeric(type(e.left)) && numeric(type(e.right)) && !nullable(e.left) && !nullable(e.right) && numeric(type(e));
  // (per definition, once: a definition read in many places is not walked again each time)
  const inlinable = new Map<A.DefDecl, A.Expr | undefined>();
  const inlineDef = (e: A.Expr): A.Expr | undefined => {
    if (e.kind !== 'Ref') return undefined;
    const r = p.resolutions.get(e);
    if (r?.kind !== 'def') return undefined;
    const d = r.member ? p.memberDefs[r.index] : p.defs[r.index];
    if (!d) return undefined;
    if (!inlinable.has(d.decl)) inlinable.set(d.decl, d.decl.body.kind === 'Expr' && isArith(d.decl.body.expr) && (r.member || !readsMember(d.decl.body.expr)) ? d.decl.body.expr : undefined);
    return inlinable.get(d.decl);
  };
  // A definition is inlined only when its whole tree (its own inlined definitions counted in)
  // fits in what is left of the budget. That size is computed once per definition (capped, so
  // it stays small): checking the size after building the inlined tree, as before, made
  // `dN = d(N−1) + d(N−1)` cost 2^N.
  const INLINE_CAP = 17;
  const inlinedSize = new Map<A.Expr, number>();
  const treeSize = (e: A.Expr): number => {
    if (isArith(e)) return Math.min(INLINE_CAP, 1 + treeSize(e.left) + treeSize(e.right));
    const body = inlineDef(e);
    if (body === undefined) return 1;
    let n = inlinedSize.get(body);
    if (n === undefined) { inlinedSize.set(body, INLINE_CAP); n = treeSize(body); inlinedSize.set(body, n); }
    return n;
  };
  const ptree = (e: A.Expr, budget: { n: number }): PNode => {
    if (isArith(e)) return { k: 'op', op: e.op as '+' | '-' | '*' | '/', a: ptree(e.left, budget), b: ptree(e.right, budget), line: e.range.start.line };
    const kk = constOf(e);
    if (kk !== undefined && isInt(kk.v)) return { k: 'const', n: kk.v, d: 1 };
    if (kk !== undefined && kk.v instanceof Ratio && isInt(kk.v.n) && isInt(kk.v.d)) return { k: 'const', n: kk.v.n, d: kk.v.d };
    const body = inlineDef(e);
    // (the whole inlined tree fits: nothing inside it needs the budget)
    if (body !== undefined && treeSize(body) <= budget.n) { budget.n -= treeSize(body); return ptree(body, { n: Infinity }); }
    const count = e.kind === 'Aggregate' && e.fn === 'count';
    return { k: 'leaf', e, int: count || e.kind === 'Age' };
  };
  const fractional = (t: PNode): boolean => t.k === 'op' ? t.op === '/' || fractional(t.a) || fractional(t.b) : t.k === 'const' && t.d !== 1;
  const SAFE = (x: string) => `${x} <= 9007199254740991 && ${x} >= -9007199254740991`;
  /** Emits the steps of a tree into `steps`; returns its numerator and denominator (temporaries or digits). */
  // `seen`: the parts already computed in this pair, by the code of the leaf or subtree: a leaf is
  // a memoised definition, a field or a count (pure), so a repeated one is read once.
  type Parts = { n: string; d: string; key: string };
  const pemit = (t: PNode, ok: string, steps: string[], seen: Map<string, Parts>): Parts => {
    if (t.k === 'const') return { n: String(t.n), d: String(t.d), key: `${t.n}/${t.d}` };
    if (t.k === 'leaf') {
      const code = ex(t.e);
      const had = seen.get(code);
      if (had) return had;
      const x = tmp(), n = tmp();
      let r: Parts;
      if (t.int) { steps.push(`${ok} && (typeof (${n} = ${code}) === 'number' || (${ok} = false))`); r = { n, d: '1', key: code }; }
      else {
        const d = tmp();
        steps.push(`${ok} && (typeof (${x} = ${code}) === 'number' ? (${n} = ${x}, ${d} = 1) : ${x} instanceof Ratio && typeof ${x}.n === 'number' && typeof ${x}.d === 'number' ? (${n} = ${x}.n, ${d} = ${x}.d) : (${ok} = false))`);
        r = { n, d, key: code };
      }
      seen.set(code, r);
      return r;
    }
    const a = pemit(t.a, ok, steps, seen), b = pemit(t.b, ok, steps, seen);
    const key = `(${a.key} ${t.op} ${b.key})`;
    const had = seen.get(key);
    if (had) return had;
    const r = pop(t, a, b, ok, steps);
    const parts = { ...r, key };
    seen.set(key, parts);
    return parts;
  };
  const pop = (t: Extract<PNode, { k: 'op' }>, a: Parts, b: Parts, ok: string, steps: string[]): { n: string; d: string } => {
    const n = tmp(), d = tmp();
    const one = (x: string) => x === '1';
    const prod = (x: string, y: string) => (one(x) ? y : one(y) ? x : `${x} * ${y}`);
    const checks: string[] = [];
    switch (t.op) {
      case '+': case '-': {
        if (one(a.d) && one(b.d)) {
          steps.push(`${ok} && (${n} = ${a.n} ${t.op} ${b.n}, ${SAFE(n)} || (${ok} = false))`);
          return { n, d: '1' };
        }
        const p1 = tmp(), p2 = tmp();
        checks.push(SAFE(p1), SAFE(p2), SAFE(n));
        if (!one(a.d) && !one(b.d)) checks.push(SAFE(d));
        steps.push(`${ok} && (${p1} = ${prod(a.n, b.d)}, ${p2} = ${prod(b.n, a.d)}, ${n} = ${p1} ${t.op} ${p2}, ${d} = ${prod(a.d, b.d)}, ${checks.join(' && ')} || (${ok} = false))`);
        return { n, d };
      }
      case '*': {
        const dd = prod(a.d, b.d);
        if (dd === '1') { steps.push(`${ok} && (${n} = ${prod(a.n, b.n)}, ${SAFE(n)} || (${ok} = false))`); return { n, d: '1' }; }
        steps.push(`${ok} && (${n} = ${prod(a.n, b.n)}, ${d} = ${dd}, ${SAFE(n)} && ${SAFE(d)} || (${ok} = false))`);
        return { n, d };
      }
      case '/': {
        // divisor zero: the fault of the generic code, at the same point
        const z = k(['除数为零', 'division by zero', t.line]);
        steps.push(`${ok} && (${b.n} === 0 ? fault(${z}) : (${n} = ${prod(a.n, b.d)}, ${d} = ${prod(a.d, b.n)}, ${d} < 0 && (${n} = -${n}, ${d} = -${d}), ${SAFE(n)} && ${SAFE(d)} || (${ok} = false)))`);
        return { n, d };
      }
    }
  };
  /** An arithmetic expression as a pair when that pays off: the value, rounded value or comparison code, else undefined. */
  const pairValue = (e: A.Expr, generic: () => string, finish: (n: string, d: string) => string): string | undefined => {
    if (!isArith(e)) return undefined;
    const t = ptree(e, { n: 16 });
    if (!fractional(t)) return undefined;
    const ok = tmp(), steps: string[] = [];
    const r = pemit(t, ok, steps, new Map());
    return `(${ok} = true, ${steps.join(', ')}, ${ok} ? ${finish(r.n, r.d)} : ${plain(generic)})`;
  };
  const pairCompare = (e: Extract<A.Expr, { kind: 'Binary' }>, generic: () => string): string | undefined => {
    const ta = ptree(e.left, { n: 16 }), tb = ptree(e.right, { n: 16 });
    if (!fractional(ta) && !fractional(tb)) return undefined;
    if (!numeric(type(e.left)) || !numeric(type(e.right)) || nullable(e.left) || nullable(e.right)) return undefined;
    const ok = tmp(), steps: string[] = [];
    const seen = new Map<string, Parts>();
    const a = pemit(ta, ok, steps, seen), b = pemit(tb, ok, steps, seen);
    const l = tmp(), r = tmp();
    // a.n/a.d ⋚ b.n/b.d (denominators positive) ⇔ a.n·b.d ⋚ b.n·a.d
    steps.push(`${ok} && (${l} = ${b.d === '1' ? a.n : `${a.n} * ${b.d}`}, ${r} = ${a.d === '1' ? b.n : `${b.n} * ${a.d}`}, ${SAFE(l)} && ${SAFE(r)} || (${ok} = false))`);
    return `(${ok} = true, ${steps.join(', ')}, ${ok} ? ${l} ${e.op} ${r} : ${plain(generic)})`;
  };

  // ── small definitions in place ─────────────────────────────────────────────────────────────
  // A definition whose expression is "simple" — reads, constants, operators, conditionals, no
  // aggregate, tier or output, and only simple definitions in turn — and small is written where
  // it is used instead of being called and memoised (低保标准, 特殊成员): the same value, computed
  // at the same point (a fault too), and its memo slot stays unset, which the trace fills when it
  // wants the value. An aggregate whose argument and condition are simple then loops with the
  // member's record in a local, without touching the current member.
  const simpleMemo = new Map<A.Expr, number | null>();
  /** The node count of a simple expression (inlined definitions counted in), or null. */
  const simpleSize = (e: A.Expr): number | null => {
    if (simpleMemo.has(e)) return simpleMemo.get(e)!;
    simpleMemo.set(e, null); // no cycles in a checked program; guard anyway
    let r: number | null = null;
    const all = (xs: A.Expr[]): number | null => { let n = 1; for (const x of xs) { const k = simpleSize(x); if (k === null) return null; n += k; } return n; };
    switch (e.kind) {
      case 'Number': case 'Money': case 'Percent': case 'Date': case 'Duration': case 'Text': case 'Bool': case 'None': case 'List':
      case 'AsOf': case 'Age': case 'Members': case 'Field': r = 1; break;
      case 'Ref': {
        const res = p.resolutions.get(e);
        if (res?.kind === 'param' || res?.kind === 'enum' || res?.kind === 'memberField' || res?.kind === 'householdField') r = 1;
        else if (res?.kind === 'def') r = inlineBody(res.index, res.member) ? simpleSize(inlineBody(res.index, res.member)!) : null;
        break;
      }
      case 'Unary': r = all([e.arg]); break;
      case 'Binary': r = all([e.left, e.right]); break;
      case 'If': r = all([e.cond, e.then, e.else]); break;
      case 'Call': r = all(e.args); break;
      default: r = null;
    }
    simpleMemo.set(e, r);
    return r;
  };
  /** The expression of a definition that is written in place, else undefined. */
  const inlineBody = (index: number, member: boolean): A.Expr | undefined => {
    const d = member ? p.memberDefs[index] : p.defs[index];
    if (!d || d.decl.body.kind !== 'Expr') return undefined;
    const body = d.decl.body.expr;
    const n = simpleSize(body);
    // a household definition is memoised with whatever member is current when it is first
    // evaluated: one that reads a member (never in a checked program) keeps its call
    return n !== null && n <= (member ? 24 : 8) && (member || !readsMember(body)) ? body : undefined;
  };
  const isSimple = (e: A.Expr | null): boolean => e === null || simpleSize(e) !== null;
  const readsMember = (e: A.Expr): boolean => {
    switch (e.kind) {
      case 'Age': return true;
      case 'Field': return e.base === 'member' || p.resolutions.get(e)?.kind === 'memberField';
      case 'Ref': { const r = p.resolutions.get(e); return r?.kind === 'memberField' || (r?.kind === 'def' && r.member); }
      case 'Unary': return readsMember(e.arg);
      case 'Binary': return readsMember(e.left) || readsMember(e.right);
      case 'If': return readsMember(e.cond) || readsMember(e.then) || readsMember(e.else);
      case 'Call': return e.args.some(readsMember);
      default: return false;
    }
  };

  // inside a pair's generic fallback, subexpressions are generic too (else the code doubles per level)
  let noPair = 0;
  const plain = (f: () => string): string => { noPair++; try { return f(); } finally { noPair--; } };
  const ex = (e: A.Expr): string => {
    if (!noPair && isArith(e)) { const pv = pairValue(e, () => exGeneric(e), (n, d) => `(${d} === 1 ? ${n} : frac(${n}, ${d}))`); if (pv !== undefined) return pv; }
    return exGeneric(e);
  };
  const exGeneric = (e: A.Expr): string => {
    switch (e.kind) {
      case 'Number': case 'Money': case 'Percent': case 'Date': case 'Duration': case 'Text': case 'Bool': case 'None': case 'List': {
        const r = p.resolutions.get(e);
        return lit(r?.kind === 'enum' ? r.value : constantValue(e) ?? null);
      }
      case 'Error': return `fault(${k(['表达式有误', 'invalid expression', e.range.start.line])})`;
      case 'AsOf': return 'asOf';
      case 'Age': {
        const b = tmp();
        ageVar ??= tmp();
        return `(${ageVar} !== undefined ? ${ageVar} : (${ageVar} = (${b} = mr["birth_date"]) == null ? null : Math.floor((asOf - ${b}) / 10000)))`;
      }
      case 'Members': return 'true';
      case 'Ref': {
        const r = p.resolutions.get(e)!;
        switch (r.kind) {
          case 'param': return lit(p.params[r.index]!.value);
          case 'def': {
            const body = inlineBody(r.index, r.member);
            if (body !== undefined) return `(${ex(body)})`;
            return r.member ? `M${r.index}()` : `D${r.index}()`;
          }
          case 'output': return `O${r.index}()`;
          case 'enum': return lit(r.value);
          case 'memberField': return `mr[${q(r.fields[0]!.name)}]`;
          default: return 'null';
        }
      }
      case 'Field': {
        const r = p.resolutions.get(e)!;
        const names = r.kind === 'householdField' || r.kind === 'memberField' ? r.fields.map((f) => f.name) : [];
        const base = r.kind === 'householdField' ? 'h' : 'mr';
        if (r.kind === 'householdField' && names.length === 1) return `h[${q(names[0]!)}]`;
        if (r.kind !== 'householdField' && names.length === 1) return `mr[${q(names[0]!)}]`;
        // a.b.c: each step ?? null, as the closures do
        let s = base;
        if (r.kind === 'householdField' && names.length === 2) return `((h[${q(names[0]!)}])?.[${q(names[1]!)}] ?? null)`;
        for (const n of names) s = `((${s})?.[${q(n)}] ?? null)`;
        return s;
      }
      case 'Unary': {
        const a = ex(e.arg);
        if (e.op === 'not') return `!(${a})`;
        if (type(e.arg).k === 'duration') return `negDur(${a})`;
        if (nullable(e.arg)) { const t = tmp(); return `((${t} = ${a}) === null ? null : neg(${t}))`; }
        return `neg(${a})`;
      }
      case 'Binary': return binary(e);
      case 'If': return `((${ex(e.cond)}) ? (${ex(e.then)}) : (${ex(e.else)}))`;
      case 'Call': {
        const n0 = nullable(e.args[0]!);
        switch (e.fn) {
          case 'round': {
            const arg = e.args[0]!;
            if (!noPair && !n0 && isArith(arg)) {
              const pv = pairValue(arg, () => { const g = tmp(); return `(typeof (${g} = ${exGeneric(arg)}) === 'number' ? ${g} : roundFen(${g}))`; }, (n, d) => `(${d} === 1 ? ${n} : roundPair(${n}, ${d}))`);
              if (pv !== undefined) return pv;
            }
            const t = tmp();
            return n0 ? `((${t} = ${ex(e.args[0]!)}) === null ? null : typeof ${t} === 'number' ? ${t} : roundFen(${t}))` : `(typeof (${t} = ${ex(e.args[0]!)}) === 'number' ? ${t} : roundFen(${t}))`;
          }
          case 'monthly': case 'yearly': {
            const kk = constOf(e.args[0]!);
            // of a constant (按月(农村低保标准)): computed once, here
            if (kk !== undefined && isNum(kk.v)) return lit(e.fn === 'monthly' ? div(kk.v, 12) : mul(kk.v, 12));
            break;
          }
        }
        switch (e.fn) {
          case 'monthly': { const t = tmp(); return `((${t} = ${ex(e.args[0]!)}) === null ? null : div(${t}, 12))`; }
          case 'yearly': { const t = tmp(); return `((${t} = ${ex(e.args[0]!)}) === null ? null : mul(${t}, 12))`; }
          case 'present': { const t = tmp(); return `((${t} = ${ex(e.args[0]!)}) !== null && ${t} !== undefined)`; }
          case 'min': case 'max': {
            const a = ex(e.args[0]!), b = ex(e.args[1]!);
            return type(e).k === 'date' ? `Math.${e.fn}(${a}, ${b})` : `${e.fn}(${a}, ${b})`;
          }
          case 'atLeast': case 'atMost': {
            const kk = constOf(e.args[0]!);
            const lo = e.fn === 'atLeast';
            if (kk !== undefined && isInt(kk.v)) {
              const kv = lit(kk.v), t = tmp();
              return lo
                ? `(typeof (${t} = ${ex(e.args[1]!)}) === 'number' ? (${t} >= ${kv} ? ${t} : ${kv}) : max(${t}, ${kv}))`
                : `(typeof (${t} = ${ex(e.args[1]!)}) === 'number' ? (${t} <= ${kv} ? ${t} : ${kv}) : min(${t}, ${kv}))`;
            }
            return `${lo ? 'max' : 'min'}(${ex(e.args[1]!)}, ${ex(e.args[0]!)})`;
          }
        }
        return 'null';
      }
      case 'Aggregate': return aggregate(e);
      case 'Tier': return helper(() => {
        const v = tmp(), c = tmp();
        const lines = [`${v} = ${ex(e.subject)};`, `if (${v} === null || ${v} === undefined) return ${e.otherwise ? ex(e.otherwise) : 'null'};`];
        for (const b of e.brackets) {
          const tests: string[] = [];
          if (b.lower) tests.push(`((${c} = cmp(${v}, ${lit(boundValue(b.lower.value))})) < 0${b.lower.inclusive ? '' : ` || ${c} === 0`})`);
          if (b.upper) tests.push(`((${c} = cmp(${v}, ${lit(boundValue(b.upper.value))})) > 0${b.upper.inclusive ? '' : ` || ${c} === 0`})`);
          lines.push(`${tests.length ? `if (!(${tests.join(' || ')})) ` : ''}return ${ex(b.result)};`);
        }
        lines.push(`return ${e.otherwise ? ex(e.otherwise) : 'null'};`);
        return lines.join('\n    ');
      });
    }
    throw new Error(`codegen: unknown expression ${(e as A.Expr).kind}`);
  };

  const boundValue = (e: A.Expr): Num => {
    const v = constantValue(e);
    if (isNum(v)) return v;
    const r = e.kind === 'Ref' ? p.resolutions.get(e) : undefined;
    if (r?.kind === 'param') return p.params[r.index]!.value as Num;
    return 0;
  };

  const chain = (e: A.Expr, op: 'and' | 'or', out: A.Expr[] = []): A.Expr[] => {
    if (e.kind === 'Binary' && e.op === op) { chain(e.left, op, out); chain(e.right, op, out); } else out.push(e);
    return out;
  };

  const binary = (e: Extract<A.Expr, { kind: 'Binary' }>): string => {
    const lt = type(e.left), rt = type(e.right);
    const canBeNull = Boolean(lt.nullable || rt.nullable || lt.k === 'null' || rt.k === 'null');
    const line = e.range.start.line;
    switch (e.op) {
      case 'and': case 'or': {
        const parts = chain(e, e.op).map((x) => `!!(${ex(x)})`);
        return `(${parts.join(e.op === 'and' ? ' && ' : ' || ')})`;
      }
      case 'in': {
        const l = tmp();
        // an empty list (the usual applies_single_person) answers without the includes() call when
        // the left side is a plain read that cannot fail
        const pure = type(e.right).k === 'textlist' && (e.left.kind === 'Field' || e.left.kind === 'Text' || e.left.kind === 'Number' || (e.left.kind === 'Ref' && ['memberField', 'householdField', 'param', 'enum'].includes(p.resolutions.get(e.left)?.kind ?? '')));
        return `((${l} = ${ex(e.right)}) !== null && ${l} !== undefined && ${pure ? `${l}.length !== 0 && ` : ''}${l}.includes(${ex(e.left)}))`;
      }
      case '=': case '!=': {
        const numericEq = numeric(lt) && numeric(rt);
        const kk = constOf(e.right);
        const not = e.op === '!=' ? '!' : '';
        if (numericEq && kk !== undefined && typeof kk.v === 'number') {
          const kv = lit(kk.v), t = tmp();
          return `${not}(typeof (${t} = ${ex(e.left)}) === 'number' ? ${t} === ${kv} : ${t} != null && eq(${t}, ${kv}))`;
        }
        if (!numericEq && kk !== undefined) return `((${ex(e.left)}) ?? null) ${e.op === '=' ? '===' : '!=='} ${lit(kk.v ?? null)}`;
        if (numericEq) {
          const x = tmp(), y = tmp();
          return `${not}((${x} = (${ex(e.left)}) ?? null), (${y} = (${ex(e.right)}) ?? null), ${x} === null || ${y} === null ? ${x} === ${y} : eq(${x}, ${y}))`;
        }
        return `((${ex(e.left)}) ?? null) ${e.op === '=' ? '===' : '!=='} ((${ex(e.right)}) ?? null)`;
      }
      case '<': case '<=': case '>': case '>=': {
        const op = e.op;
        const x = tmp(), y = tmp();
        if (lt.k === 'date' || rt.k === 'date') {
          return `((${x} = ${ex(e.left)}), (${y} = ${ex(e.right)}), ${x} === null || ${y} === null || ${x} === undefined || ${y} === undefined ? false : ${x} - ${y} ${op} 0)`;
        }
        const generic = () => compareGeneric(e);
        const pc = noPair ? undefined : pairCompare(e, generic);
        return pc ?? generic();
      }
      case '+': case '-': {
        if (lt.k === 'date') return `dateAdd(${ex(e.left)}, ${ex(e.right)}, ${e.op === '+' ? 1 : -1}, ${lit(line)})`;
        if (lt.k === 'duration') return `durAdd(${ex(e.left)}, ${ex(e.right)}, ${e.op === '-'})`;
        if (canBeNull) {
          const x = tmp(), y = tmp();
          return `((${x} = ${ex(e.left)}), (${y} = ${ex(e.right)}), ${x} === null || ${y} === null ? null : ${arith(e.op, x, y)})`;
        }
        return arith(e.op, ex(e.left), ex(e.right));
      }
      case '*': {
        if ((lt.k === 'money' && rt.k === 'duration') || (lt.k === 'duration' && rt.k === 'money')) {
          const perYear = (lt.k === 'money' ? lt : rt) as { p: string };
          const a = ex(e.left), b = ex(e.right);
          // the closures evaluate the money operand first
          if (lt.k === 'money') return `moneyDur(${a}, ${b}, ${perYear.p === 'year'}, ${lit(line)})`;
          const x = tmp(), y = tmp();
          return `((${y} = ${b}), (${x} = ${a}), moneyDur(${y}, ${x}, ${perYear.p === 'year'}, ${lit(line)}))`;
        }
        if (lt.k === 'duration') return `durMul(${ex(e.left)}, ${ex(e.right)})`;
        if (canBeNull) {
          const x = tmp(), y = tmp();
          return `((${x} = ${ex(e.left)}), (${y} = ${ex(e.right)}), ${x} === null || ${y} === null ? null : ${arith('*', x, y)})`;
        }
        const kl = constOf(e.left), kr = constOf(e.right);
        if (kl !== undefined && isNum(kl.v)) return isInt(kl.v) ? arith('*', lit(kl.v), ex(e.right)) : `mul(${lit(kl.v)}, ${ex(e.right)})`;
        if (kr !== undefined && isNum(kr.v)) return isInt(kr.v) ? arith('*', ex(e.left), lit(kr.v)) : `mul(${ex(e.left)}, ${lit(kr.v)})`;
        return arith('*', ex(e.left), ex(e.right));
      }
      case '/': return `divide(${ex(e.left)}, ${ex(e.right)}, ${lit(line)})`;
    }
    throw new Error(`codegen: unknown operator ${String(e.op)}`);
  };

  /** x ⋚ y on numbers: integer fast path inline, exact comparison otherwise; null → false. */
  const compareGeneric = (e: Extract<A.Expr, { kind: 'Binary' }>): string => {
    const op = e.op, x = tmp(), y = tmp();
    const kk = constOf(e.right);
    if (kk !== undefined && isInt(kk.v)) {
      const kv = lit(kk.v);
      return `(typeof (${x} = ${ex(e.left)}) === 'number' ? ${x} ${op} ${kv} : ${x} != null && cmp(${x}, ${kv}) ${op} 0)`;
    }
    return `((${x} = ${ex(e.left)}), (${y} = ${ex(e.right)}), typeof ${x} === 'number' && typeof ${y} === 'number' ? ${x} ${op} ${y} : ${x} != null && ${y} != null && cmp(${x}, ${y}) ${op} 0)`;
  };

  const aggregate = (e: Extract<A.Expr, { kind: 'Aggregate' }>): string => {
    const argType = type(e.arg);
    const isList = argType.k === 'members' || argType.k === 'list';
    if (e.fn === 'count' && isList && !e.where) return 'mem.length';
    return helper(() => {
      const keep = e.where ? `if (!(${ex(e.where)})) continue; ` : '';
      const arg = isList ? 'true' : ex(e.arg);
      // simple argument and condition: the member's record in a local, the current member untouched
      const local = isSimple(e.where) && (isList || isSimple(e.arg));
      const loop = (body: string) => {
        const reset = ageVar ? `${ageVar} = undefined; ` : '';
        return local
          ? `for (let i = 0; i < mem.length; i++) { const mr = mem[i]; ${reset}${keep}${body} }`
          : `const sv = m; for (let i = 0; i < mem.length; i++) { m = i; mr = mem[i]; ${reset}${keep}${body} }`;
      };
      const restore = local ? '' : 'm = sv; mr = mem[sv]; ';
      switch (e.fn) {
        case 'count': return `let n = 0; ${loop(`if (${arg}) n++;`)} ${restore}return n;`;
        case 'ids': return `const out = []; ${loop(`if (${arg}) out.push(String(mem[i]["id"]));`)} ${restore}return out;`;
        case 'any': return `let r = false; ${loop(`if (${arg}) { r = true; break; }`)} ${restore}return r;`;
        case 'all': return `let r = true; ${loop(`if (!(${arg})) { r = false; break; }`)} ${restore}return r;`;
        case 'sum': { const v = tmp(); return `let s = 0; ${loop(`${v} = ${arg}; if (${v} === null || ${v} === undefined) continue; s = ${arith('+', 's', v)};`)} ${restore}return s;`; }
        case 'min': case 'max': { const v = tmp(); return `let r = null; ${loop(`${v} = ${arg}; if (${v} === null || ${v} === undefined) continue; r = r === null ? ${v} : ${e.fn}(r, ${v});`)} ${restore}return r;`; }
      }
      throw new Error(`codegen: unknown aggregate ${String(e.fn)}`);
    });
  };

  /** The statements computing a body into v; outputs record the deciding clause in `rec` (an lvalue). */
  const body = (b: A.Body, rec: string | null): string => {
    if (b.kind === 'Expr') return `v = ${ex(b.expr)};`;
    const n = b.rules.length;
    const { overriddenBy: by, order } = ruleOrder(b.rules, p.overrides);
    const names = k(b.rules.map((r) => r.name.text)), lines = k(b.rules.map((r) => r.range.start.line));
    const out = [`let win = -1;`];
    for (let i = 0; i < n; i++) out.push(`let a${i} = false;`);
    // overriding clauses are decided first; a clause overridden by an active one is not evaluated
    for (const i of order) out.push(`a${i} = ${by[i]!.length ? `!(${by[i]!.map((j) => `a${j}`).join(' || ')}) && ` : ''}!!(${ex(b.rules[i]!.when)});`);
    for (let i = 0; i < n; i++) {
      const t = tmp();
      out.push(`if (a${i}) { ${t} = ${ex(b.rules[i]!.then)}; if (win < 0) { win = ${i}; v = ${t}; } else if (!sameValue(${t}, v)) conflict(${names}, ${lines}, win, ${i}); }`);
    }
    out.push(`if (win >= 0) { ${rec ? `${rec} = win;` : ''} } else { ${rec ? `${rec} = -2;` : ''} v = ${b.otherwise ? ex(b.otherwise) : 'null'}; }`);
    return out.join('\n    ');
  };

  const fn = (name: string, head: string, b: A.Body, store: string, rec: string | null): void => {
    temps = []; ageVar = null;
    const code = body(b, rec);
    fns.push(`function ${name}() { ${head} if (v !== UNSET) return v;${temps.length ? ` let ${temps.join(', ')};` : ''}\n    ${code}\n    ${store} = v; return v; }`);
  };
  p.defs.forEach((d, i) => fn(`D${i}`, `let v = hs[${i}];`, d.decl.body, `hs[${i}]`, null));
  p.memberDefs.forEach((d, i) => fn(`M${i}`, `const at = m * ${mStride} + ${i}; let v = ms[at];`, d.decl.body, 'ms[at]', null));
  p.outputs.forEach((o, i) => fn(`O${i}`, o.decl.member ? `const at = m * ${mStride} + ${outputSlot[i]}; let v = ms[at];` : `let v = hs[${outputSlot[i]}];`,
    o.decl.body, o.decl.member ? 'ms[at]' : `hs[${outputSlot[i]}]`, o.decl.member ? `mdec[m * ${nOut} + ${i}]` : `dec[${i}]`));

  const run = p.outputs.map((o, i) => (o.decl.member ? `for (m = 0; m < mem.length; m++) { mr = mem[m]; O${i}(); } m = 0; mr = mem[0];` : `O${i}();`)).join('\n  ');
  const defCases = [
    ...p.defs.map((_, i) => `if (!member && i === ${i}) return D${i}();`),
    ...p.memberDefs.map((_, i) => `if (member && i === ${i}) return M${i}();`),
  ].join(' ');
  const source = `"use strict";
const { UNSET, Ratio, add, sub, mul, div, neg, cmp, eq, roundFen, min, max, sameValue, frac, roundPair, fault, conflict, divide, negDur, dateAdd, durAdd, durMul, moneyDur } = R;
const hs = cx.hs, ms = cx.ms, dec = cx.dec, mdec = cx.mdec;
// m: the current member's index, mr: its record (mem[m])
let h = cx.h, mem = cx.mem, m = 0, mr = undefined, asOf = 0;
${fns.join('\n')}
function compute(h_, asOf_) {
  h = h_; mem = h_["members"] ?? []; m = 0; mr = mem[0]; asOf = asOf_;
  cx.h = h; cx.mem = mem; cx.m = 0; cx.asOf = asOf;
  ${Array.from({ length: hSize }, (_, i) => `hs[${i}] = UNSET;`).join(' ')}
  // dec needs no reset: an output with rules records its clause (or -2) on every compute, the others never write it
  const nms = ${mStride} * mem.length, nmd = ${nOut} * mem.length;
  for (let i = 0; i < nms; i++) ms[i] = UNSET;
  ${p.outputs.some((o) => o.decl.member) ? 'for (let i = 0; i < nmd; i++) mdec[i] = -1;' : '// no member outputs: mdec is never read'}
  ${run}
  return cx;
}
function def(i, member, mi) { const sv = m; m = mi; mr = mem[mi]; try { ${defCases} return null; } finally { m = sv; mr = mem[sv]; } }
return { compute, def };`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const made = new Function('R', 'K', 'cx', source)(R, K, cx) as Omit<Generated, 'source'>;
  return { source, compute: made.compute, def: made.def };
}

let available: boolean | undefined;
/** Whether `new Function` works here (false under a Content-Security-Policy without 'unsafe-eval'); tested once. */
export function codegenAvailable(): boolean {
  if (available === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      available = (new Function('return 1') as () => number)() === 1;
    } catch {
      available = false;
    }
  }
  return available;
}
