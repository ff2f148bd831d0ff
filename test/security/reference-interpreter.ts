// A small reference interpreter for the subset of the language the backends property test
// generates (dsl-backends-agree.test.ts): parameters, definitions and outputs over money per month
// and plain numbers (+ − × ÷ 舍入到分, unary −), comparisons, 并且/或者/不, 如果 那么 否则,
// household fields, 合计(成员.income_monthly), 人数(成员), and bodies of rules with one optional
// exception. It is written apart from the compiler on purpose: it reads the parsed AST and the
// household JSON itself, and computes with exact BigInt fractions, money in fen.
import type * as A from '../../dsl/syntax/ast.js';
import type { Json } from '../../dsl/eval/values.js';

interface Q { n: bigint; d: bigint }
type V = { k: 'money'; q: Q } | { k: 'num'; q: Q } | { k: 'bool'; b: boolean } | { k: 'text'; s: string };

const abs = (x: bigint) => (x < 0n ? -x : x);
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? abs(a) : gcd(b, a % b));
function q(n: bigint, d: bigint = 1n): Q {
  if (d < 0n) { n = -n; d = -d; }
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}
const add = (a: Q, b: Q) => q(a.n * b.d + b.n * a.d, a.d * b.d);
const sub = (a: Q, b: Q) => q(a.n * b.d - b.n * a.d, a.d * b.d);
const mul = (a: Q, b: Q) => q(a.n * b.n, a.d * b.d);
const div = (a: Q, b: Q) => q(a.n * b.d, a.d * b.n);
const cmp = (a: Q, b: Q) => { const l = a.n * b.d, r = b.n * a.d; return l < r ? -1 : l > r ? 1 : 0; };
/** Half away from zero, to a whole number. */
function round(a: Q): Q {
  const m = abs(a.n), whole = m / a.d, rest = m % a.d;
  const r = rest * 2n >= a.d ? whole + 1n : whole;
  return q(a.n < 0n ? -r : r);
}
/** "12.345" → 12345/1000. */
function decimal(text: string): Q {
  const [i, f = ''] = text.replace(/^-/, '').split('.');
  const v = q(BigInt(i! + f), 10n ** BigInt(f.length));
  return text.startsWith('-') ? q(-v.n, v.d) : v;
}
/** Exactly `places` decimals, rounded half away from zero. */
function fixed(a: Q, places: number): string {
  const r = round(mul(a, q(10n ** BigInt(places)))).n;
  const digits = abs(r).toString().padStart(places + 1, '0');
  const head = digits.slice(0, digits.length - places), tail = digits.slice(digits.length - places);
  return (r < 0n ? '-' : '') + head + (places ? '.' + tail : '');
}

/** The JSON the contract gives a value: money as yuan with two decimals, a whole number as a
 *  number, another number as its exact decimal when it terminates, else to 6 places. */
export function toContractJson(v: V): Json {
  switch (v.k) {
    case 'money': return fixed(q(v.q.n, v.q.d * 100n), 2);
    case 'bool': return v.b;
    case 'text': return v.s;
    case 'num': {
      if (v.q.d === 1n) return Number(v.q.n);
      let d = v.q.d, twos = 0, fives = 0;
      while (d % 2n === 0n) { d /= 2n; twos++; }
      while (d % 5n === 0n) { d /= 5n; fives++; }
      return fixed(v.q, d === 1n ? Math.max(twos, fives) : 6);
    }
  }
}

const ENUM: Record<string, string> = { 城市: 'urban', 农村: 'rural', urban: 'urban', rural: 'rural' };

/** Evaluates every output of a parsed policy on a household (as JSON); values as the contract's JSON. */
export function referenceEvaluate(ast: A.PolicyFile, household: Record<string, unknown>): Record<string, Json> {
  const decls = new Map(ast.decls.map((d) => [d.name.text, d]));
  const memo = new Map<string, V>();
  const members = household['members'] as Record<string, unknown>[];
  const money = (x: unknown): V => ({ k: 'money', q: mul(decimal(String(x)), q(100n)) });
  const field = (name: string, from: Record<string, unknown>): V => {
    const x = from[name];
    if (name === 'rigid_expenditure_monthly' || name === 'income_monthly') return money(x);
    if (typeof x === 'number') return { k: 'num', q: decimal(String(x)) };
    if (typeof x === 'boolean') return { k: 'bool', b: x };
    return { k: 'text', s: String(x) };
  };

  const qOf = (v: V): Q => { if (v.k !== 'money' && v.k !== 'num') throw new Error(`not a number: ${v.k}`); return v.q; };
  const truth = (v: V): boolean => { if (v.k !== 'bool') throw new Error(`not a truth value: ${v.k}`); return v.b; };
  const arith = (op: string, a: V, b: V): V => {
    const k = a.k === 'money' || b.k === 'money' ? 'money' : 'num';
    const f = op === '+' ? add : op === '-' ? sub : op === '*' ? mul : div;
    return { k, q: f(qOf(a), qOf(b)) };
  };
  const same = (a: V, b: V): boolean => (a.k === 'text' || b.k === 'text' ? textOf(a) === textOf(b) : a.k === 'bool' ? a.b === truth(b) : cmp(qOf(a), qOf(b)) === 0);
  const textOf = (v: V): string => (v.k === 'text' ? ENUM[v.s] ?? v.s : JSON.stringify(v));

  const ev = (e: A.Expr, member?: Record<string, unknown>): V => {
    switch (e.kind) {
      case 'Number': return { k: 'num', q: decimal(e.text) };
      case 'Money': return money(e.text);
      case 'Bool': return { k: 'bool', b: e.value };
      case 'Ref': {
        const d = decls.get(e.name);
        if (d) return symbol(d);
        if (member && e.name in member) return field(e.name, member);
        return { k: 'text', s: ENUM[e.name] ?? e.name };
      }
      case 'Field': {
        const names = e.path.map((p) => p.text);
        return field(names[0]!, e.base === 'household' ? household : member!);
      }
      case 'Unary': {
        const a = ev(e.arg, member);
        return e.op === 'not' ? { k: 'bool', b: !truth(a) } : { k: a.k as 'num', q: q(-qOf(a).n, qOf(a).d) };
      }
      case 'Binary': {
        if (e.op === 'and') return { k: 'bool', b: truth(ev(e.left, member)) && truth(ev(e.right, member)) };
        if (e.op === 'or') return { k: 'bool', b: truth(ev(e.left, member)) || truth(ev(e.right, member)) };
        const a = ev(e.left, member), b = ev(e.right, member);
        switch (e.op) {
          case '+': case '-': case '*': case '/': return arith(e.op, a, b);
          case '=': return { k: 'bool', b: same(a, b) };
          case '!=': return { k: 'bool', b: !same(a, b) };
          case '<': return { k: 'bool', b: cmp(qOf(a), qOf(b)) < 0 };
          case '<=': return { k: 'bool', b: cmp(qOf(a), qOf(b)) <= 0 };
          case '>': return { k: 'bool', b: cmp(qOf(a), qOf(b)) > 0 };
          case '>=': return { k: 'bool', b: cmp(qOf(a), qOf(b)) >= 0 };
        }
        throw new Error(`operator ${e.op} is not in the subset`);
      }
      case 'If': return truth(ev(e.cond, member)) ? ev(e.then, member) : ev(e.else, member);
      case 'Call': {
        if (e.fn !== 'round') throw new Error(`call ${e.fn} is not in the subset`);
        const a = ev(e.args[0]!, member);
        return { k: a.k as 'num', q: round(qOf(a)) };
      }
      case 'Aggregate': {
        if (e.fn === 'count') return { k: 'num', q: q(BigInt(members.length)) };
        if (e.fn !== 'sum') throw new Error(`aggregate ${e.fn} is not in the subset`);
        return members.reduce<V>((s, m) => arith('+', s, ev(e.arg, m)), { k: 'money', q: q(0n) });
      }
      default: throw new Error(`${e.kind} is not in the subset`);
    }
  };

  const body = (b: A.Body): V => {
    if (b.kind === 'Expr') return ev(b.expr);
    // an exception (which overrides every rule) first; the rules are mutually exclusive
    for (const r of b.rules) if (r.kind === 'exception' && truth(ev(r.when))) return ev(r.then);
    const applying = b.rules.filter((r) => r.kind === 'rule' && truth(ev(r.when)));
    if (applying.length > 1) throw new Error(`rules ${applying.map((r) => r.name.text).join(', ')} apply together`);
    if (applying.length === 1) return ev(applying[0]!.then);
    return ev(b.otherwise!);
  };

  function symbol(d: A.Decl): V {
    const known = memo.get(d.name.text);
    if (known) return known;
    const v = d.kind === 'Param' ? ev(d.value) : body(d.body);
    memo.set(d.name.text, v);
    return v;
  }

  const out: Record<string, Json> = {};
  for (const d of ast.decls) if (d.kind === 'Output') out[d.name.text] = toContractJson(symbol(d));
  return out;
}
