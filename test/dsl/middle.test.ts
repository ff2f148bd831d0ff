// The middle form of a small policy, worked out by hand: slots and levels, the clauses of an
// output in the order they are decided with their citations, the dependency order, a folded
// constant and what a name reads.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { analyze } from '../../dsl/index.js';
import { lower, constOf } from '../../dsl/middle/index.js';
import { cmp, type Num } from '../../dsl/base/money.js';
import type * as A from '../../dsl/syntax/ast.js';

const modules = { 'common/household': readFileSync('policies/common/household.policy', 'utf8') };
const source = `政策 mid-test「中间形式」
  使用「common/household」

参数 标准 = 1200 元/年 依据「a」
定义 月标准 = 按月(标准)
成员定义 老人 = 年龄 ≥ 60
输出 人数合计 = 人数(成员 其中 老人)
输出 补助 =
  规则 基本 依据「b」: 当 人数合计 > 0 时 月标准
  例外 加发 依据「c」: 当 人数合计 > 1 时 月标准 × 2
  否则 0 元/月
`;

describe('middle form', () => {
  const a = analyze(source, { modules });
  it('the policy checks without errors', () => {
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
  const m = lower(a.program!);

  it('lays out memo slots: household definitions, then household outputs; member definitions per member', () => {
    expect(m.layout).toEqual({ hSize: 3, mStride: 1, nOut: 2, outputSlot: [1, 2] });
    expect(m.defs.map((d) => [d.name, d.level, d.slot])).toEqual([['月标准', 'household', 0]]);
    expect(m.memberDefs.map((d) => [d.name, d.level, d.slot])).toEqual([['老人', 'member', 0]]);
    expect(m.outputs.map((d) => [d.name, d.level, d.slot])).toEqual([['人数合计', 'household', 1], ['补助', 'household', 2]]);
  });

  it('keeps each clause with its citations, and decides the exception before the rule it overrides', () => {
    const body = m.outputs[1]!.body;
    if (body.kind !== 'rules') throw new Error('补助 has rules');
    expect(body.clauses.map((c) => [c.index, c.kind, c.name, c.citations, c.overriddenBy])).toEqual([
      [0, 'rule', '基本', ['b'], [1]],
      [1, 'exception', '加发', ['c'], []],
    ]);
    expect(body.order).toEqual([1, 0]);
  });

  it('sorts declarations after the ones they use', () => {
    expect(m.sorted.map((d) => d.name)).toEqual(['月标准', '老人', '人数合计', '补助']);
    expect(m.outputs[1]!.uses.map((d) => d.name)).toEqual(['人数合计', '月标准']);
  });

  it('folds 按月 of a constant (1200 元/年 = 120000 fen ÷ 12 = 10000 fen) and resolves the parameter', () => {
    const body = m.defs[0]!.body as { kind: 'expr'; expr: Extract<A.Expr, { kind: 'Call' }> };
    const folded = constOf(m, body.expr);
    expect(folded).toBeDefined();
    expect(cmp(folded!.v as Num, 10000)).toBe(0);
    expect(m.reads.get(body.expr.args[0]!)).toEqual({ kind: 'param', index: 0 });
  });

  it('is computed once per program', () => {
    expect(lower(a.program!)).toBe(m);
  });
});
