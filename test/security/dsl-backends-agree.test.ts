// The two backends — generated JavaScript and the closure tree — and a reference interpreter kept
// here (exact BigInt fractions over the AST) must agree exactly on random well-typed policies
// and households. B1 (a fraction read from a definition inside a fraction: the generated code
// threw for urban households only) is the golden case.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parse } from '../../dsl/index.js';
import { bothModes, policy } from './dsl-policy.js';
import { referenceEvaluate } from './reference-interpreter.js';

type Ty = 'money' | 'num' | 'bool';
interface Env { money: string[]; num: string[]; bool: string[] }

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
const moneyLit = fc.integer({ min: 0, max: 200_000 }).map((fen) => `${yuan(fen)} 元/月`);
const numLit = fc.constantFrom('0', '1', '2', '3', '10', '0.5', '1.25', '100');
const divisor = fc.constantFrom('2', '3', '7', '12', '0.5', '1.5', '2.5');
const cmpOp = fc.constantFrom('<', '<=', '>', '>=', '=', '≠');

/** An expression of type `t` at most `depth` operators deep, reading `env` (earlier names). */
function expr(t: Ty, depth: number, env: Env): fc.Arbitrary<string> {
  const names = env[t].length ? [fc.constantFrom(...env[t])] : [];
  const sub = (u: Ty) => expr(u, depth - 1, env);
  if (t === 'money') {
    const leaf = fc.oneof(moneyLit, fc.constantFrom('household.rigid_expenditure_monthly', '合计(成员.income_monthly)', '标准'), ...names);
    if (depth === 0) return leaf;
    return fc.oneof(
      { weight: 2, arbitrary: leaf },
      { weight: 2, arbitrary: fc.tuple(sub('money'), fc.constantFrom('+', '−'), sub('money')).map(([a, op, b]) => `(${a} ${op} ${b})`) },
      { weight: 1, arbitrary: fc.tuple(sub('money'), sub('num')).map(([a, b]) => `(${a} × ${b})`) },
      { weight: 2, arbitrary: fc.tuple(sub('money'), divisor).map(([a, c]) => `(${a} ÷ ${c})`) },
      { weight: 1, arbitrary: fc.tuple(sub('bool'), sub('money'), sub('money')).map(([c, a, b]) => `(如果 ${c} 那么 ${a} 否则 ${b})`) },
      { weight: 1, arbitrary: sub('money').map((a) => `舍入到分(${a})`) },
      { weight: 1, arbitrary: sub('money').map((a) => `(−${a})`) },
    );
  }
  if (t === 'num') {
    const leaf = fc.oneof(numLit, fc.constantFrom('household.distance_to_hq_km', '人数(成员)', '系数'), ...names);
    if (depth === 0) return leaf;
    return fc.oneof(
      { weight: 3, arbitrary: leaf },
      { weight: 1, arbitrary: fc.tuple(sub('num'), fc.constantFrom('+', '−', '×'), sub('num')).map(([a, op, b]) => `(${a} ${op} ${b})`) },
      { weight: 1, arbitrary: fc.tuple(sub('num'), divisor).map(([a, c]) => `(${a} ÷ ${c})`) },
      { weight: 1, arbitrary: fc.tuple(sub('bool'), sub('num'), sub('num')).map(([c, a, b]) => `(如果 ${c} 那么 ${a} 否则 ${b})`) },
      { weight: 1, arbitrary: sub('num').map((a) => `舍入到分(${a})`) },
    );
  }
  const leaf = fc.oneof(fc.constantFrom('household.border_regiment', '(household.area 是 城市)', '(household.area 是 农村)', '真', '假'), ...names);
  if (depth === 0) return leaf;
  return fc.oneof(
    { weight: 1, arbitrary: leaf },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom<Ty>('money', 'num'), cmpOp).chain(([u, op]) => fc.tuple(sub(u), sub(u)).map(([a, b]) => `(${a} ${op} ${b})`)) },
    { weight: 1, arbitrary: fc.tuple(sub('bool'), fc.constantFrom('并且', '或者'), sub('bool')).map(([a, op, b]) => `(${a} ${op} ${b})`) },
    { weight: 1, arbitrary: sub('bool').map((a) => `(不 ${a})`) },
  );
}

/** A body of rules the checker accepts (mutually exclusive conditions, or an exception over all). */
function rules(t: Exclude<Ty, 'bool'>, env: Env): fc.Arbitrary<string> {
  const v = expr(t, 2, env);
  const x = 'household.distance_to_hq_km';
  const bands = fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 3 }).map((ts) => ts.sort((a, b) => a - b)).map((ts) =>
    [`${x} < ${ts[0]}`, ...ts.slice(1).map((t2, i) => `${x} >= ${ts[i]} 并且 ${x} < ${t2}`), `${x} >= ${ts[ts.length - 1]}`]);
  const areas = fc.constant(['household.area 是 城市', 'household.area 是 农村']);
  const either = expr('bool', 1, env).map((b) => [b, `不 ${b}`]);
  const conditions = fc.oneof(bands, areas, either).chain((cs) => fc.subarray(cs, { minLength: 1 }));
  return fc.tuple(conditions, fc.array(v, { minLength: 4, maxLength: 4 }), fc.option(fc.tuple(expr('bool', 1, env), v)), v).map(([cs, vs, exception, otherwise]) => [
    ...cs.map((c, i) => `  规则 r${i} 依据「测试」: 当 ${c} 时 ${vs[i]}`),
    ...(exception ? [`  例外 e0 依据「测试」: 当 ${exception[0]} 时 ${exception[1]}`] : []),
    `  否则 ${otherwise}`,
  ].join('\n'));
}

/** Parameters, two to five definitions and one to three outputs, each using what came before. */
const policies: fc.Arbitrary<string> = fc.tuple(
  fc.array(fc.constantFrom<Ty>('money', 'num', 'bool'), { minLength: 2, maxLength: 5 }),
  fc.array(fc.constantFrom<Ty | 'rules-money' | 'rules-num'>('money', 'num', 'bool', 'rules-money', 'rules-num'), { minLength: 1, maxLength: 3 }),
  moneyLit, numLit,
).chain(([defTypes, outTypes, standard, factor]) => {
  const envAt = (n: number): Env => {
    const env: Env = { money: [], num: [], bool: [] };
    defTypes.slice(0, n).forEach((t, i) => env[t].push(`d${i}`));
    return env;
  };
  const defs = defTypes.map((t, i) => expr(t, 3, envAt(i)).map((e) => `定义 d${i} = ${e}`));
  const env = envAt(defTypes.length);
  const outs = outTypes.map((t, i) => (t === 'rules-money' || t === 'rules-num' ? rules(t === 'rules-money' ? 'money' : 'num', env).map((b) => `输出 o${i} =\n${b}`) : expr(t, 3, env).map((e) => `输出 o${i} = ${e}`)));
  return fc.tuple(...defs, ...outs).map((lines) => policy([`参数 标准 = ${standard}`, `参数 系数 = ${factor}`, ...lines].join('\n'), 'random'));
});

const households = fc.record({
  area: fc.constantFrom('urban', 'rural'),
  distance_to_hq_km: fc.oneof(fc.integer({ min: 0, max: 600 }), fc.constantFrom(0.5, 12.5, 99.75)),
  rigid_expenditure_monthly: fc.integer({ min: 0, max: 3_000_000 }).map(yuan),
  border_regiment: fc.boolean(),
  members: fc.array(fc.integer({ min: 0, max: 1_000_000 }).map(yuan), { minLength: 1, maxLength: 4 })
    .map((incomes) => incomes.map((income, i) => ({ id: `m${i}`, birth_date: '1980-01-01', income_monthly: income }))),
}).map((h) => ({ id: 'h', ...h }));

/** The three evaluations of one policy, as JSON text, for household after household. */
function threeWays(source: string): (h: Record<string, unknown>) => { codegen: string; closures: string; reference: string } {
  const { codegen, closures } = bothModes(source);
  const ast = parse(source).ast;
  const run = (c: typeof codegen, h: Record<string, unknown>) => { const r = c.evaluate(h, '2024-06-01'); if (!r.ok) throw new Error(JSON.stringify(r.errors)); return r.outputs; };
  return (h) => ({ codegen: JSON.stringify(run(codegen, h)), closures: JSON.stringify(run(closures, h)), reference: JSON.stringify(referenceEvaluate(ast, h)) });
}

describe('generated code, closures and a reference interpreter agree', () => {
  it('B1, the golden case: urban 166.67, rural 0.00 in all three', () => {
    const source = policy(`定义 半 = 如果 household.area 是 城市 那么 1000 元/月 ÷ 3 否则 0 元/月
输出 amount = 舍入到分(半 ÷ 2)`);
    const h = (area: string) => ({ id: 'h', area, members: [{ id: 'm0', birth_date: '1980-01-01' }] });
    // 1000 ÷ 3 ÷ 2 = 166.666… 元 → 166.67; rural 0 → 0.00
    const run = threeWays(source);
    expect(run(h('urban'))).toEqual({ codegen: '{"amount":"166.67"}', closures: '{"amount":"166.67"}', reference: '{"amount":"166.67"}' });
    expect(run(h('rural'))).toEqual({ codegen: '{"amount":"0.00"}', closures: '{"amount":"0.00"}', reference: '{"amount":"0.00"}' });
  });

  it('found by this test: a whole number compared with a fraction (3 ≥ 1.25 was false in generated code)', () => {
    const source = policy(`参数 系数 = 1.25
输出 a = 3 >= 系数
输出 b = (household.distance_to_hq_km + 0) < (0 + 系数)
输出 c = 1 元/月 ÷ 3 < 0.34 元/月`);
    // 3 ≥ 1.25; distance 1 < 1.25; 33.33… fen < 34 fen
    const r = threeWays(source)({ id: 'h', area: 'urban', distance_to_hq_km: 1, members: [{ id: 'm0', birth_date: '1980-01-01' }] });
    expect(r).toEqual({ codegen: '{"a":true,"b":true,"c":true}', closures: '{"a":true,"b":true,"c":true}', reference: '{"a":true,"b":true,"c":true}' });
  });

  it('the reference interpreter formats as the contract says (worked by hand)', () => {
    const source = policy(`输出 a = 1 元/月 ÷ 3
输出 b = 2 ÷ 8
输出 c = 1 ÷ 3
输出 d = (0 元/月 − 0.05 元/月) ÷ 2
输出 e = 6 ÷ 2`);
    // 100/3 fen → 0.33; 0.25; 1/3 → 0.333333; −2.5 fen → −3 fen (half away from zero) → -0.03; 3
    expect(referenceEvaluate(parse(source).ast, { members: [] })).toEqual({ a: '0.33', b: '0.25', c: '0.333333', d: '-0.03', e: 3 });
    expect(threeWays(source)({ id: 'h', area: 'urban', members: [{ id: 'm0', birth_date: '1980-01-01' }] }).reference).toBe('{"a":"0.33","b":"0.25","c":"0.333333","d":"-0.03","e":3}');
  });

  it('on random policies and households', () => {
    fc.assert(fc.property(policies, fc.array(households, { minLength: 6, maxLength: 6 }), (source, hs) => {
      const run = threeWays(source);
      for (const h of hs) {
        const r = run(h);
        expect(r.codegen).toBe(r.reference);
        expect(r.closures).toBe(r.reference);
      }
    }), { numRuns: 100 });
  }, 60_000);
});
