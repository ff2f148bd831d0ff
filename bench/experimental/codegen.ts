// EXPERIMENT (not the product's compiler): the same checked Program compiled to JavaScript source
// instead of a tree of closures, to measure what code generation would buy (docs/performance.md).
// Only what the dibao policies use is supported; anything else throws "unsupported". No traces,
// no decided-by records. Safety: the generated text contains only numbers, operators, helper
// names and JSON.stringify-quoted field names; every literal or parameter value is passed in
// an array (K), never spliced into the source.
import type * as A from '../../dsl/ast.js';
import type { Program, Type } from '../../dsl/types.js';
import { add, sub, mul, div, cmp, eq, isZero, roundFen, min, max, type Num } from '../../dsl/money.js';
import { ageOn, addMonths, addDays } from '../../dsl/dates.js';
import { constantValue } from '../../dsl/constants.js';

const UNSET = Symbol('unset');
const R = {
  UNSET,
  add: (x: Num, y: Num): Num => { if (typeof x === 'number' && typeof y === 'number') { const s = x + y; if (Number.isSafeInteger(s)) return s; } return add(x, y); },
  sub: (x: Num, y: Num): Num => { if (typeof x === 'number' && typeof y === 'number') { const s = x - y; if (Number.isSafeInteger(s)) return s; } return sub(x, y); },
  mul: (x: Num, y: Num): Num => { if (typeof x === 'number' && typeof y === 'number') { const s = x * y; if (Number.isSafeInteger(s)) return s; } return mul(x, y); },
  div: (x: Num | null, y: Num | null): Num | null => { if (x === null || y === null) return null; if (isZero(y)) throw new Error('division by zero'); return div(x, y); },
  nadd: (x: Num | null, y: Num | null) => (x == null || y == null ? null : R.add(x, y)),
  nsub: (x: Num | null, y: Num | null) => (x == null || y == null ? null : R.sub(x, y)),
  nmul: (x: Num | null, y: Num | null) => (x == null || y == null ? null : R.mul(x, y)),
  lt: (x: Num | null, y: Num | null) => (typeof x === 'number' && typeof y === 'number' ? x < y : x != null && y != null && cmp(x, y) < 0),
  le: (x: Num | null, y: Num | null) => (typeof x === 'number' && typeof y === 'number' ? x <= y : x != null && y != null && cmp(x, y) <= 0),
  gt: (x: Num | null, y: Num | null) => (typeof x === 'number' && typeof y === 'number' ? x > y : x != null && y != null && cmp(x, y) > 0),
  ge: (x: Num | null, y: Num | null) => (typeof x === 'number' && typeof y === 'number' ? x >= y : x != null && y != null && cmp(x, y) >= 0),
  eqN: (x: Num | null, y: Num | null) => (x == null || y == null ? (x ?? null) === (y ?? null) : eq(x, y)),
  round: (x: Num | null) => (x == null ? null : roundFen(x)),
  monthly: (x: Num | null) => (x == null ? null : div(x, 12)),
  yearly: (x: Num | null) => (x == null ? null : mul(x, 12)),
  max: (x: Num, y: Num) => (typeof x === 'number' && typeof y === 'number' ? (x >= y ? x : y) : max(x, y)),
  min: (x: Num, y: Num) => (typeof x === 'number' && typeof y === 'number' ? (x <= y ? x : y) : min(x, y)),
  age: (b: number | null | undefined, on: number) => (b == null ? null : ageOn(b, on)),
  inList: (x: unknown, l: unknown[] | null | undefined) => l != null && l.includes(x),
  addDur: (d: number | null | undefined, dur: { duration: Num; unit: string } | null, sign: number) => {
    if (d == null || dur == null) return null;
    const n = dur.duration as number;
    return dur.unit === 'days' ? addDays(d, sign * n) : addMonths(d, sign * n * (dur.unit === 'years' ? 12 : 1));
  },
  same: (a: unknown, b: unknown) => a === b || (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && 'n' in a && 'n' in b && cmp(a as Num, b as Num) === 0) || JSON.stringify(a) === JSON.stringify(b),
  conflict: () => { throw new Error('two rules apply with different values'); },
};

export interface Generated { source: string; compute(h: Record<string, unknown>, asOf: number): void; output(i: number): unknown }

export function generate(p: Program): Generated {
  const K: unknown[] = [];
  const k = (v: unknown) => { K.push(v); return `K[${K.length - 1}]`; };
  const fns: string[] = [];
  let aggN = 0;
  const nDefs = p.defs.length, nMD = p.memberDefs.length;
  const hOut: number[] = [], mOut: number[] = [];
  const outSlot = p.outputs.map((o) => (o.decl.member ? nMD + mOut.push(0) - 1 : nDefs + hOut.push(0) - 1));
  const hSize = nDefs + hOut.length, stride = nMD + mOut.length;
  const type = (x: A.Expr): Type => p.types.get(x) ?? { k: 'error' };
  const nullable = (x: A.Expr) => Boolean(type(x).nullable) || type(x).k === 'null';
  const q = JSON.stringify;

  const ex = (e: A.Expr): string => {
    switch (e.kind) {
      case 'Number': case 'Money': case 'Percent': case 'Date': case 'Duration': case 'Text': case 'Bool': case 'None': case 'List': {
        const r = p.resolutions.get(e);
        return k(r?.kind === 'enum' ? r.value : constantValue(e) ?? null);
      }
      case 'AsOf': return 'asOf';
      case 'Age': return 'R.age(mem[m].birth_date, asOf)';
      case 'Ref': {
        const r = p.resolutions.get(e)!;
        switch (r.kind) {
          case 'param': return k(p.params[r.index]!.value);
          case 'def': return r.member ? `M${r.index}()` : `D${r.index}()`;
          case 'output': return `O${r.index}()`;
          case 'enum': return k(r.value);
          case 'memberField': return `mem[m][${q(r.fields[0]!.name)}]`;
          default: throw new Error('unsupported ref');
        }
      }
      case 'Field': {
        const r = p.resolutions.get(e)!;
        if (r.kind !== 'householdField' && r.kind !== 'memberField') throw new Error('unsupported field');
        const names = r.fields.map((f) => f.name);
        const base = r.kind === 'householdField' ? 'h' : 'mem[m]';
        if (names.length === 1) return `${base}[${q(names[0])}]`;
        if (names.length === 2) return `((${base}[${q(names[0])}] ?? null)?.[${q(names[1])}] ?? null)`;
        throw new Error('unsupported field depth');
      }
      case 'Unary':
        if (e.op === 'not') return `!(${ex(e.arg)})`;
        throw new Error('unsupported unary');
      case 'If': return `((${ex(e.cond)}) ? (${ex(e.then)}) : (${ex(e.else)}))`;
      case 'Call': {
        const a = e.args.map(ex);
        switch (e.fn) {
          case 'round': return `R.round(${a[0]})`;
          case 'monthly': return `R.monthly(${a[0]})`;
          case 'yearly': return `R.yearly(${a[0]})`;
          case 'atLeast': return `R.max(${a[1]}, ${a[0]})`;
          case 'atMost': return `R.min(${a[1]}, ${a[0]})`;
          default: throw new Error(`unsupported call ${e.fn}`);
        }
      }
      case 'Binary': {
        const a = ex(e.left), b = ex(e.right);
        const lt = type(e.left), rt = type(e.right);
        const nul = nullable(e.left) || nullable(e.right);
        const numeric = (t: Type) => t.k === 'money' || t.k === 'number' || t.k === 'percent';
        switch (e.op) {
          case 'and': return `(!!(${a}) && !!(${b}))`;
          case 'or': return `(!!(${a}) || !!(${b}))`;
          case 'in': return `R.inList(${a}, ${b})`;
          case '=': return numeric(lt) && numeric(rt) ? `R.eqN(${a}, ${b})` : `((${a}) ?? null) === ((${b}) ?? null)`;
          case '!=': return numeric(lt) && numeric(rt) ? `!R.eqN(${a}, ${b})` : `((${a}) ?? null) !== ((${b}) ?? null)`;
          case '<': return `R.lt(${a}, ${b})`;
          case '<=': return `R.le(${a}, ${b})`;
          case '>': return `R.gt(${a}, ${b})`;
          case '>=': return `R.ge(${a}, ${b})`;
          case '+': case '-':
            if (lt.k === 'date') return `R.addDur(${a}, ${b}, ${e.op === '+' ? 1 : -1})`;
            if (lt.k === 'duration') throw new Error('unsupported duration arithmetic');
            return `R.${nul ? 'n' : ''}${e.op === '+' ? 'add' : 'sub'}(${a}, ${b})`;
          case '*':
            if (lt.k === 'duration' || rt.k === 'duration') throw new Error('unsupported duration product');
            return `R.${nul ? 'n' : ''}mul(${a}, ${b})`;
          case '/': return `R.div(${a}, ${b})`;
        }
        throw new Error('unsupported binary');
      }
      case 'Aggregate': {
        const at = type(e.arg);
        const isList = at.k === 'members' || at.k === 'list';
        const keep = e.where ? `if (!(${ex(e.where)})) continue;` : '';
        const arg = isList ? 'true' : ex(e.arg);
        const name = `A${aggN++}`;
        let body: string;
        switch (e.fn) {
          case 'count': body = isList && !e.where ? 'return mem.length;' : `let n = 0; for (let i = 0; i < mem.length; i++) { m = i; ${keep} if (${arg}) n++; } m = sv; return n;`; break;
          case 'ids': body = `const out = []; for (let i = 0; i < mem.length; i++) { m = i; ${keep} if (${arg}) out.push(String(mem[i].id)); } m = sv; return out;`; break;
          case 'any': body = `for (let i = 0; i < mem.length; i++) { m = i; ${keep} if (${arg}) { m = sv; return true; } } m = sv; return false;`; break;
          case 'all': body = `for (let i = 0; i < mem.length; i++) { m = i; ${keep} if (!(${arg})) { m = sv; return false; } } m = sv; return true;`; break;
          case 'sum': body = `let s = 0; for (let i = 0; i < mem.length; i++) { m = i; ${keep} const v = ${arg}; if (v == null) continue; s = R.add(s, v); } m = sv; return s;`; break;
          default: throw new Error(`unsupported aggregate ${e.fn}`);
        }
        fns.push(`function ${name}() { const sv = m; ${body} }`);
        return `${name}()`;
      }
      default: throw new Error(`unsupported expression ${e.kind}`);
    }
  };

  const body = (b: A.Body): string => {
    if (b.kind === 'Expr') return `v = ${ex(b.expr)};`;
    const n = b.rules.length;
    const by = b.rules.map((_, i) => b.rules.map((r, j) => ((p.overrides.get(r) ?? []).includes(i) ? j : -1)).filter((j) => j >= 0));
    const order: number[] = [];
    const place = (i: number, path: Set<number>) => { if (order.includes(i) || path.has(i)) return; path.add(i); for (const j of by[i]!) place(j, path); order.push(i); };
    for (let i = 0; i < n; i++) place(i, new Set());
    const lines = order.map((i) => `const a${i} = ${by[i]!.length ? `!(${by[i]!.map((j) => `a${j}`).join(' || ')}) && ` : ''}!!(${ex(b.rules[i]!.when)});`);
    lines.push('let win = false;');
    for (let i = 0; i < n; i++) lines.push(`if (a${i}) { const t = ${ex(b.rules[i]!.then)}; if (!win) { win = true; v = t; } else if (!R.same(t, v)) R.conflict(); }`);
    lines.push(`if (!win) v = ${b.otherwise ? ex(b.otherwise) : 'null'};`);
    return lines.join('\n    ');
  };

  p.defs.forEach((d, i) => fns.push(`function D${i}() { let v = hs[${i}]; if (v !== UNSET) return v;\n    ${body(d.decl.body)}\n    hs[${i}] = v; return v; }`));
  p.memberDefs.forEach((d, i) => fns.push(`function M${i}() { const at = m * ${stride} + ${i}; let v = ms[at]; if (v !== UNSET) return v;\n    ${body(d.decl.body)}\n    ms[at] = v; return v; }`));
  p.outputs.forEach((o, i) => fns.push(o.decl.member
    ? `function O${i}() { const at = m * ${stride} + ${outSlot[i]}; let v = ms[at]; if (v !== UNSET) return v;\n    ${body(o.decl.body)}\n    ms[at] = v; return v; }`
    : `function O${i}() { let v = hs[${outSlot[i]}]; if (v !== UNSET) return v;\n    ${body(o.decl.body)}\n    hs[${outSlot[i]}] = v; return v; }`));
  const computeOutputs = p.outputs.map((o, i) => (o.decl.member ? `for (m = 0; m < mem.length; m++) O${i}(); m = 0;` : `O${i}();`)).join(' ');
  const source = `"use strict";
const UNSET = R.UNSET;
let h, mem, m = 0, asOf = 0;
const hs = new Array(${hSize}).fill(UNSET), ms = [];
${fns.join('\n')}
function compute(h_, asOf_) {
  h = h_; mem = h_.members; m = 0; asOf = asOf_;
  for (let i = 0; i < ${hSize}; i++) hs[i] = UNSET;
  const n = ${stride} * mem.length; for (let i = 0; i < n; i++) ms[i] = UNSET;
  ${computeOutputs}
}
const OUT = [${outSlot.map((s, i) => (p.outputs[i]!.decl.member ? -1 : s)).join(', ')}];
function output(i) { return hs[OUT[i]]; }
return { compute, output };`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const made = new Function('R', 'K', source)(R, K) as { compute: Generated['compute']; output: Generated['output'] };
  return { source, compute: made.compute, output: made.output };
}
