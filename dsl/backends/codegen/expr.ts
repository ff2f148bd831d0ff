// The code of one expression: literals and reads, calls, tiers; operators are binary.ts,
// aggregates aggregate.ts, fraction pairs pairs.ts, definitions in place inline.ts.
import type * as A from '../../syntax/ast.js';
import type { Num } from '../../base/money.js';
import { constantValue } from '../../check/constants.js';
import { isNum, isInt, type CodeGen } from './state.js';
import { isArith, pairValue } from './pairs.js';
import { inlineBody } from './inline.js';
import { FAULTS } from '../operations.js';
import { binary } from './binary.js';
import { aggregate } from './aggregate.js';

/** Installs `g.ex` and `g.exGeneric`. */
export function installExpr(g: CodeGen): void {
  g.ex = (e) => ex(g, e);
  g.exGeneric = (e) => exGeneric(g, e);
}

function ex(g: CodeGen, e: A.Expr): string {
  if (!g.noPair && isArith(g, e)) { const pv = pairValue(g, e, () => exGeneric(g, e), (n, d) => `(${d} === 1 ? ${n} : frac(${n}, ${d}))`); if (pv !== undefined) return pv; }
  return exGeneric(g, e);
}

function exGeneric(g: CodeGen, e: A.Expr): string {
  switch (e.kind) {
    case 'Number': case 'Money': case 'Percent': case 'Date': case 'Duration': case 'Text': case 'Bool': case 'None': case 'List': {
      const r = g.p.resolutions.get(e);
      return g.lit(r?.kind === 'enum' ? r.value : constantValue(e) ?? null);
    }
    case 'Error': return `fault(${g.k([FAULTS.invalidExpression.zh, FAULTS.invalidExpression.en, e.range.start.line])})`;
    case 'AsOf': return 'asOf';
    case 'Age': {
      const b = g.tmp();
      g.ageVar ??= g.tmp();
      const age = g.ageVar;
      return `(${age} !== undefined ? ${age} : (${age} = (${b} = mr["birth_date"]) == null ? null : ageOn(${b}, asOf)))`;
    }
    case 'Members': return 'true';
    case 'Ref': return exRef(g, e);
    case 'Field': return exField(g, e);
    case 'Unary': {
      const a = g.ex(e.arg);
      if (e.op === 'not') return `!(${a})`;
      if (g.type(e.arg).k === 'duration') return `negDur(${a})`;
      if (g.nullable(e.arg)) { const t = g.tmp(); return `((${t} = ${a}) === null ? null : neg(${t}))`; }
      return `neg(${a})`;
    }
    case 'Binary': return binary(g, e);
    case 'If': return `((${g.ex(e.cond)}) ? (${g.ex(e.then)}) : (${g.ex(e.else)}))`;
    case 'Call': return exCall(g, e);
    case 'Aggregate': return aggregate(g, e);
    case 'Tier': return exTier(g, e);
  }
  throw new Error(`codegen: unknown expression ${(e as A.Expr).kind}`);
}

function exRef(g: CodeGen, e: Extract<A.Expr, { kind: 'Ref' }>): string {
  const r = g.m.reads.get(e);
  switch (r?.kind) {
    case 'param': return g.lit(g.p.params[r.index]!.value);
    case 'decl': {
      const d = r.decl, member = d.level === 'member';
      if (d.kind !== 'output') {
        const body = inlineBody(g, d.index, member);
        if (body !== undefined) return `(${g.ex(body)})`;
      }
      // the memo slot is read here, so a value already computed costs a load, not a call
      // (已算过的值在调用处直接读取，不再调用函数)
      const fn = `${d.kind === 'output' ? 'O' : member ? 'M' : 'D'}${d.index}`;
      const slot = member ? `ms[m * ${g.m.layout.mStride} + ${d.slot}]` : `hs[${d.slot}]`;
      const t = g.tmp();
      return `((${t} = ${slot}) !== undefined ? ${t} : ${fn}())`;
    }
    case 'enum': return g.lit(r.value);
    case 'memberField': return `mr[${g.q(r.fields[0]!.name)}]`;
    default: return 'null';
  }
}

function exField(g: CodeGen, e: Extract<A.Expr, { kind: 'Field' }>): string {
  const r = g.m.reads.get(e)!;
  const q = (n: string) => g.q(n);
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

function exCall(g: CodeGen, e: Extract<A.Expr, { kind: 'Call' }>): string {
  const n0 = g.nullable(e.args[0]!);
  switch (e.fn) {
    case 'round': return exRound(g, e.args[0]!, n0);
    case 'monthly': case 'yearly': {
      // of a constant (按月(农村低保标准)): folded by the middle form
      const kk = g.constOf(e);
      if (kk !== undefined) return g.lit(kk.v);
      const t = g.tmp();
      return `((${t} = ${g.ex(e.args[0]!)}) === null ? null : ${e.fn === 'monthly' ? 'div' : 'mul'}(${t}, 12))`;
    }
    case 'present': { const t = g.tmp(); return `((${t} = ${g.ex(e.args[0]!)}) !== null && ${t} !== undefined)`; }
    case 'daysBetween': case 'monthsBetween': case 'yearsBetween': case 'yearOf': case 'monthOf': case 'prorate': case 'roundTo':
      return `dateRoundOp(${JSON.stringify(e.fn)}, ${e.args.map((x) => g.ex(x)).join(', ')})`;
    case 'min': case 'max': {
      const a = g.ex(e.args[0]!), b = g.ex(e.args[1]!);
      return g.type(e).k === 'date' ? `Math.${e.fn}(${a}, ${b})` : `${e.fn}(${a}, ${b})`;
    }
    case 'atLeast': case 'atMost': {
      const kk = g.constOf(e.args[0]!);
      const lo = e.fn === 'atLeast';
      if (kk !== undefined && isInt(kk.v)) {
        const kv = g.lit(kk.v), t = g.tmp();
        return lo
          ? `(typeof (${t} = ${g.ex(e.args[1]!)}) === 'number' ? (${t} >= ${kv} ? ${t} : ${kv}) : max(${t}, ${kv}))`
          : `(typeof (${t} = ${g.ex(e.args[1]!)}) === 'number' ? (${t} <= ${kv} ? ${t} : ${kv}) : min(${t}, ${kv}))`;
      }
      return `${lo ? 'max' : 'min'}(${g.ex(e.args[1]!)}, ${g.ex(e.args[0]!)})`;
    }
  }
  return 'null';
}

/** 舍入到分: a fraction pair rounds without a Ratio; an integer is already whole fen. */
function exRound(g: CodeGen, arg: A.Expr, n0: boolean): string {
  if (!g.noPair && !n0 && isArith(g, arg)) {
    const pv = pairValue(g, arg, () => { const t = g.tmp(); return `(typeof (${t} = ${exGeneric(g, arg)}) === 'number' ? ${t} : roundFen(${t}))`; }, (n, d) => `(${d} === 1 ? ${n} : roundPair(${n}, ${d}))`);
    if (pv !== undefined) return pv;
  }
  const t = g.tmp();
  return n0 ? `((${t} = ${g.ex(arg)}) === null ? null : typeof ${t} === 'number' ? ${t} : roundFen(${t}))` : `(typeof (${t} = ${g.ex(arg)}) === 'number' ? ${t} : roundFen(${t}))`;
}

function exTier(g: CodeGen, e: Extract<A.Expr, { kind: 'Tier' }>): string {
  return g.helper(() => {
    const v = g.tmp(), c = g.tmp();
    const lines = [`${v} = ${g.ex(e.subject)};`, `if (${v} === null || ${v} === undefined) return ${e.otherwise ? g.ex(e.otherwise) : 'null'};`];
    for (const b of e.brackets) {
      const tests: string[] = [];
      if (b.lower) tests.push(`((${c} = cmp(${v}, ${g.lit(boundValue(g, b.lower.value))})) < 0${b.lower.inclusive ? '' : ` || ${c} === 0`})`);
      if (b.upper) tests.push(`((${c} = cmp(${v}, ${g.lit(boundValue(g, b.upper.value))})) > 0${b.upper.inclusive ? '' : ` || ${c} === 0`})`);
      lines.push(`${tests.length ? `if (!(${tests.join(' || ')})) ` : ''}return ${g.ex(b.result)};`);
    }
    lines.push(`return ${e.otherwise ? g.ex(e.otherwise) : 'null'};`);
    return lines.join('\n    ');
  });
}

function boundValue(g: CodeGen, e: A.Expr): Num {
  const v = constantValue(e);
  if (isNum(v)) return v;
  const r = e.kind === 'Ref' ? g.p.resolutions.get(e) : undefined;
  if (r?.kind === 'param') return g.p.params[r.index]!.value as Num;
  return 0;
}
