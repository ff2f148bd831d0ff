// Exact fractions without allocation. An arithmetic tree (+ − × ÷ on non-null numbers) that
// divides or has a fractional constant is computed as a numerator/denominator pair of safe
// integers held in temporaries: no Ratio and no gcd until the end (and none at all when the
// result is rounded or compared). Definitions that are such trees themselves are inlined (up to
// a size), so 人均补差 = 标准 − 可计收入 ÷ 人数 is (标准·人数 − 可计收入)/人数 computed in place.
// Leaves are evaluated in the order the generic code evaluates them; when a leaf is not a
// safe-integer number or fraction, or a product leaves the safe range, the pair stops (`ok`
// false) and the generic code (money.ts, BigInt when needed) computes the expression instead.
// Division by zero raises the same fault at the same point.
import type * as A from '../../syntax/ast.js';
import { Ratio } from '../../base/money.js';
import { isInt, type CodeGen } from './state.js';
import { readsMember, inlineBody } from './inline.js';
import { FAULTS } from '../operations.js';

type PNode =
  | { k: 'leaf'; e: A.Expr; int: boolean }
  | { k: 'const'; n: number; d: number }
  | { k: 'op'; op: '+' | '-' | '*' | '/'; a: PNode; b: PNode; line: number };
/** Numerator, denominator (temporaries or digits) and a key identifying the computation. */
type Parts = { n: string; d: string; key: string };

export function isArith(g: CodeGen, e: A.Expr): e is Extract<A.Expr, { kind: 'Binary' }> {
  return e.kind === 'Binary' && (e.op === '+' || e.op === '-' || e.op === '*' || e.op === '/')
    && g.numeric(g.type(e.left)) && g.numeric(g.type(e.right)) && !g.nullable(e.left) && !g.nullable(e.right) && g.numeric(g.type(e));
}

// (per definition, once: a definition read in many places is not walked again each time)
function inlineDef(g: CodeGen, e: A.Expr): A.Expr | undefined {
  if (e.kind !== 'Ref') return undefined;
  const r = g.p.resolutions.get(e);
  if (r?.kind !== 'def') return undefined;
  const d = r.member ? g.p.memberDefs[r.index] : g.p.defs[r.index];
  if (!d) return undefined;
  if (!g.inlinable.has(d.decl)) g.inlinable.set(d.decl, d.decl.body.kind === 'Expr' && isArith(g, d.decl.body.expr) && (r.member || !readsMember(g, d.decl.body.expr)) ? d.decl.body.expr : undefined);
  return g.inlinable.get(d.decl);
}

// A definition is inlined only when its whole tree (its own inlined definitions counted in)
// fits in what is left of the budget. That size is computed once per definition (capped, so
// it stays small): checking the size after building the inlined tree, as before, made
// `dN = d(N−1) + d(N−1)` cost 2^N.
const INLINE_CAP = 17;
function treeSize(g: CodeGen, e: A.Expr): number {
  if (isArith(g, e)) return Math.min(INLINE_CAP, 1 + treeSize(g, e.left) + treeSize(g, e.right));
  const body = inlineDef(g, e);
  if (body === undefined) return 1;
  let n = g.inlinedSize.get(body);
  if (n === undefined) { g.inlinedSize.set(body, INLINE_CAP); n = treeSize(g, body); g.inlinedSize.set(body, n); }
  return n;
}

function ptree(g: CodeGen, e: A.Expr, budget: { n: number }): PNode {
  if (isArith(g, e)) return { k: 'op', op: e.op as '+' | '-' | '*' | '/', a: ptree(g, e.left, budget), b: ptree(g, e.right, budget), line: e.range.start.line };
  const kk = g.constOf(e);
  if (kk !== undefined && isInt(kk.v)) return { k: 'const', n: kk.v, d: 1 };
  if (kk !== undefined && kk.v instanceof Ratio && isInt(kk.v.n) && isInt(kk.v.d)) return { k: 'const', n: kk.v.n, d: kk.v.d };
  const body = inlineDef(g, e);
  // (the whole inlined tree fits: nothing inside it needs the budget)
  if (body !== undefined && treeSize(g, body) <= budget.n) { budget.n -= treeSize(g, body); return ptree(g, body, { n: Infinity }); }
  const count = e.kind === 'Aggregate' && e.fn === 'count';
  return { k: 'leaf', e, int: count || e.kind === 'Age' };
}

const fractional = (t: PNode): boolean => t.k === 'op' ? t.op === '/' || fractional(t.a) || fractional(t.b) : t.k === 'const' && t.d !== 1;
const MAX = '9007199254740991';

/** What is known of a pair's temporaries while its steps are emitted. `safe`: the temporaries
 *  already known to be safe integers (a leaf's parts: a number value is a safe integer, and
 *  ratioN only yields a Ratio's number parts, which frac keeps safe), so a copy of one is not
 *  tested again. `nonneg`: those known ≥ 0 (denominators are always > 0: a leaf's is 1 or a
 *  reduced Ratio's, and every step keeps them positive; counts; non-negative integer
 *  constants), whose range test needs only its upper bound.
 *  (已知为安全整数的临时量不再检查范围；已知非负的只检查上界) */
type Facts = { safe: Set<string>; nonneg: Set<string>; scaled: Map<string, Scaled> };
/** A denominator as base · k (k a positive integer; a literal's base is '1'): the sum of two
 *  fractions over one base needs no cross products (人均补差 × 人数 + 10% × 人均补差 × …: over d
 *  and 10·d, the sum is over 10·d). (同一底数的分母相加时不必交叉相乘) */
type Scaled = { base: string; k: number };
const scaledOf = (f: Facts, d: string): Scaled => (literal(d) ? { base: '1', k: Number(d) } : f.scaled.get(d) ?? { base: d, k: 1 });
const literal = (x: string) => /^-?\d+$/.test(x);
const isNonneg = (f: Facts, x: string) => (literal(x) ? !x.startsWith('-') : f.nonneg.has(x));
/** The range test of x, or '' when x is known to be a safe integer. */
function rangeTest(f: Facts, x: string): string {
  if (literal(x) || f.safe.has(x)) return '';
  return isNonneg(f, x) ? `${x} <= ${MAX}` : `${x} <= ${MAX} && ${x} >= -${MAX}`;
}
/** `tests && … || (ok = false)`, or nothing when every value is known safe. */
function guard(f: Facts, ok: string, xs: string[]): string {
  const ts = xs.map((x) => rangeTest(f, x)).filter((t) => t !== '');
  for (const x of xs) f.safe.add(x);
  return ts.length === 0 ? '' : `, ${ts.join(' && ')} || (${ok} = false)`;
}

/** Emits the steps of a tree into `steps`; returns its numerator and denominator.
 *  `seen`: the parts already computed in this pair, by the code of the leaf or subtree: a leaf
 *  is a memoised definition, a field or a count (pure), so a repeated one is read once. */
function pemit(g: CodeGen, t: PNode, ok: string, steps: string[], seen: Map<string, Parts>, f: Facts): Parts {
  if (t.k === 'const') return { n: String(t.n), d: String(t.d), key: `${t.n}/${t.d}` };
  if (t.k === 'leaf') return pleaf(g, t, ok, steps, seen, f);
  const a = pemit(g, t.a, ok, steps, seen, f), b = pemit(g, t.b, ok, steps, seen, f);
  const key = `(${a.key} ${t.op} ${b.key})`;
  const had = seen.get(key);
  if (had) return had;
  const r = pop(g, t, a, b, ok, steps, f);
  const parts = { ...r, key };
  seen.set(key, parts);
  return parts;
}

/** The code with its temporaries renamed in order of first appearance: two leaves whose code
 *  differs only in the temporaries the generator picked compute the same value (a memo slot read
 *  twice in 人均补差 × 人数 + 10% × 人均补差 × …), so the second reuses the first. */
function canonical(code: string): string {
  const names = new Map<string, string>();
  return code.replace(/\bt\d+\b/g, (t) => { let n = names.get(t); if (n === undefined) names.set(t, n = `#${names.size}`); return n; });
}

function pleaf(g: CodeGen, t: Extract<PNode, { k: 'leaf' }>, ok: string, steps: string[], seen: Map<string, Parts>, f: Facts): Parts {
  const code = g.ex(t.e);
  const key = canonical(code);
  const had = seen.get(key);
  if (had) return had;
  const x = g.tmp(), n = g.tmp();
  let r: Parts;
  // a leaf that is always a safe integer (人数, 合计 of a count, 低保标准's two constants) needs
  // no test; any other leaf's Ratio case is read by a helper (ratioN), which keeps the hot
  // function's bytecode small enough for V8 to inline (始终为整数的叶子不检查类型；分数情形交给辅助函数)
  if (alwaysInt(g, t.e, false)) { steps.push(`${ok} && (${n} = ${code})`); r = { n, d: '1', key }; }
  else if (t.int) { steps.push(`${ok} && (typeof (${n} = ${code}) === 'number' || (${ok} = false))`); r = { n, d: '1', key }; }
  else {
    const d = g.tmp();
    steps.push(`${ok} && (typeof (${x} = ${code}) === 'number' ? (${n} = ${x}, ${d} = 1) : (${n} = ratioN(${x})) !== undefined ? (${d} = ${x}.d) : (${ok} = false))`);
    r = { n, d, key };
    f.safe.add(d); f.nonneg.add(d);
  }
  f.safe.add(n);
  if (alwaysInt(g, t.e, true)) f.nonneg.add(n);
  seen.set(key, r);
  return r;
}

/** Whether e's value is always a safe-integer number (and, with `nonneg`, ≥ 0): a count (its
 *  code yields an integer or `mem.length`), an integer constant, a conditional of such, or a
 *  definition written in place whose expression is one. Conservative: anything else is tested
 *  when computed. */
function alwaysInt(g: CodeGen, e: A.Expr, nonneg: boolean): boolean {
  const kk = g.constOf(e);
  if (kk !== undefined) return isInt(kk.v) && (!nonneg || (kk.v as number) >= 0);
  switch (e.kind) {
    case 'Aggregate': return e.fn === 'count';
    case 'If': return alwaysInt(g, e.then, nonneg) && alwaysInt(g, e.else, nonneg);
    case 'Ref': {
      const r = g.p.resolutions.get(e);
      if (r?.kind !== 'def') return false;
      const body = inlineBody(g, r.index, r.member);
      return body !== undefined && alwaysInt(g, body, nonneg);
    }
    default: return false;
  }
}

// A product or copy of two parts: a copy (one factor is 1) is the other part itself, already
// tested; a product of two non-negative parts is non-negative.
function pop(g: CodeGen, t: Extract<PNode, { k: 'op' }>, a: Parts, b: Parts, ok: string, steps: string[], f: Facts): { n: string; d: string } {
  const one = (x: string) => x === '1';
  const prod = (x: string, y: string) => (one(x) ? y : one(y) ? x : `${x} * ${y}`);
  // the temporary holding prod(x, y), or the part itself when it is a copy
  const named = (x: string, y: string, into: string[]): string => {
    if (one(x)) return y;
    if (one(y)) return x;
    const v = g.tmp();
    into.push(`${v} = ${x} * ${y}`);
    if (isNonneg(f, x) && isNonneg(f, y)) f.nonneg.add(v);
    return v;
  };
  // a denominator that is a product: a literal times a scaled one keeps its base
  const denominator = (x: string, y: string, into: string[]): string => {
    const v = named(x, y, into);
    const sx = scaledOf(f, x), sy = scaledOf(f, y);
    if (v !== x && v !== y && (sx.base === '1' || sy.base === '1')) f.scaled.set(v, { base: sx.base === '1' ? sy.base : sx.base, k: sx.k * sy.k });
    f.nonneg.add(v);
    return v;
  };
  switch (t.op) {
    case '+': case '-': {
      const n = g.tmp();
      if (one(a.d) && one(b.d)) {
        if (t.op === '+' && isNonneg(f, a.n) && isNonneg(f, b.n)) f.nonneg.add(n);
        steps.push(`${ok} && (${n} = ${a.n} ${t.op} ${b.n}${guard(f, ok, [n])})`);
        return { n, d: '1' };
      }
      const parts: string[] = [];
      const sa = scaledOf(f, a.d), sb = scaledOf(f, b.d);
      let p1: string, p2: string, d: string;
      if (sa.base === sb.base && sb.k % sa.k === 0) { p1 = named(a.n, String(sb.k / sa.k), parts); p2 = b.n; d = b.d; }
      else if (sa.base === sb.base && sa.k % sb.k === 0) { p1 = a.n; p2 = named(b.n, String(sa.k / sb.k), parts); d = a.d; }
      else { p1 = named(a.n, b.d, parts); p2 = named(b.n, a.d, parts); d = denominator(a.d, b.d, parts); }
      if (t.op === '+' && isNonneg(f, p1) && isNonneg(f, p2)) f.nonneg.add(n);
      parts.push(`${n} = ${p1} ${t.op} ${p2}`);
      steps.push(`${ok} && (${parts.join(', ')}${guard(f, ok, [p1, p2, n, d])})`);
      return { n, d };
    }
    case '*': {
      const parts: string[] = [];
      const n = named(a.n, b.n, parts), d = denominator(a.d, b.d, parts);
      if (parts.length === 0) return { n, d };
      steps.push(`${ok} && (${parts.join(', ')}${guard(f, ok, [n, d])})`);
      return { n, d };
    }
    case '/': {
      // divisor zero: the fault of the generic code, at the same point
      const z = g.k([FAULTS.divisionByZero.zh, FAULTS.divisionByZero.en, t.line]);
      if (isNonneg(f, b.n)) {
        // a non-negative divisor (a count): the denominator a.d·b.n stays positive, no sign to fix
        const parts: string[] = [];
        const n = named(a.n, b.d, parts), d = denominator(a.d, b.n, parts);
        const tail = parts.length === 0 ? '' : ` : (${parts.join(', ')}${guard(f, ok, [n, d])})`;
        steps.push(`${ok} && (${b.n} === 0 ? fault(${z})${tail || ' : 0'})`);
        return { n, d };
      }
      const n = g.tmp(), d = g.tmp();
      f.nonneg.add(d);
      steps.push(`${ok} && (${b.n} === 0 ? fault(${z}) : (${n} = ${prod(a.n, b.d)}, ${d} = ${prod(a.d, b.n)}, ${d} < 0 && (${n} = -${n}, ${d} = -${d})${guard(f, ok, [n, d])}))`);
      return { n, d };
    }
  }
}

/** An arithmetic expression as a pair when that pays off: the value, rounded value or comparison code, else undefined. */
export function pairValue(g: CodeGen, e: A.Expr, generic: () => string, finish: (n: string, d: string) => string): string | undefined {
  if (!isArith(g, e)) return undefined;
  const t = ptree(g, e, { n: 16 });
  if (!fractional(t)) return undefined;
  const ok = g.tmp(), steps: string[] = [];
  const r = pemit(g, t, ok, steps, new Map(), { safe: new Set(), nonneg: new Set(), scaled: new Map() });
  return `(${ok} = true, ${steps.join(', ')}, ${ok} ? ${finish(r.n, r.d)} : ${g.cold(() => g.plain(generic))})`;
}

export function pairCompare(g: CodeGen, e: Extract<A.Expr, { kind: 'Binary' }>, generic: () => string): string | undefined {
  const ta = ptree(g, e.left, { n: 16 }), tb = ptree(g, e.right, { n: 16 });
  if (!fractional(ta) && !fractional(tb)) return undefined;
  if (!g.numeric(g.type(e.left)) || !g.numeric(g.type(e.right)) || g.nullable(e.left) || g.nullable(e.right)) return undefined;
  const ok = g.tmp(), steps: string[] = [];
  const seen = new Map<string, Parts>(), f: Facts = { safe: new Set(), nonneg: new Set(), scaled: new Map() };
  const a = pemit(g, ta, ok, steps, seen, f), b = pemit(g, tb, ok, steps, seen, f);
  // a.n/a.d ⋚ b.n/b.d (denominators positive) ⇔ a.n·b.d ⋚ b.n·a.d
  const parts: string[] = [];
  const cross = (x: string, y: string): string => {
    if (y === '1') return x;
    const v = g.tmp();
    parts.push(`${v} = ${x} * ${y}`);
    if (isNonneg(f, x) && isNonneg(f, y)) f.nonneg.add(v);
    return v;
  };
  const l = cross(a.n, b.d), r = cross(b.n, a.d);
  if (parts.length !== 0) steps.push(`${ok} && (${parts.join(', ')}${guard(f, ok, [l, r])})`);
  return `(${ok} = true, ${steps.join(', ')}, ${ok} ? ${l} ${e.op} ${r} : ${g.cold(() => g.plain(generic))})`;
}
