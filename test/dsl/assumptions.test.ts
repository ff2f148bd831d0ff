// An answer carries the assumptions it rests on: the version's effective date when it is marked
// `生效 … 假定「…」`, and each assumed parameter (`假定「…」`) the outputs depend on.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileSource, format, parse } from '../../dsl/index.js';
import { lex } from '../../dsl/syntax/scanner.js';
import { parseBothWays } from '../../dsl/syntax/parser.js';

const modules = { 'common/household': readFileSync('policies/common/household.policy', 'utf8') };
const household = { id: 'h', area: 'urban', members: [{ id: 'a', birth_date: '1980-01-01', income_monthly: 300 }] };

const small = (header: string) => `政策 t「测试」
  ${header}
  依据「国家规定」
  使用「common/household」

参数 标准 = 650 元/月 依据「001」
参数 用到的 = 2 假定「占位值」
参数 没用到的 = 3 假定「不会出现在答复里」
定义 人均收入 = 合计(成员.income_monthly) ÷ 人数(成员)
输出 eligible = 人均收入 < 用到的 × 标准 依据「国家规定」
`;

function evaluate(src: string, asOf = '2024-06-01') {
  const r = compileSource(src, { modules });
  if (!r.compiled) throw new Error(r.diagnostics.map((d) => `${d.range.start.line} ${d.code}`).join(', '));
  const a = r.compiled.evaluate(household, asOf);
  if (!a.ok) throw new Error(JSON.stringify(a.errors));
  return a;
}

describe('assumptions in an answer', () => {
  it('reads 生效 DATE 假定「…」 and its English spelling, the same in both parsers', () => {
    for (const text of [small('生效 2016-01-01 假定「日期为约定」'), small('effective 2016-01-01 assumed "日期为约定"')]) {
      const r = parseBothWays(text, lex(text).tokens);
      expect(r.errors).toBe(0);
      expect(r.fast?.header?.effective).toMatchObject({ text: '2016-01-01', assumed: { text: '日期为约定' } });
      expect(JSON.stringify(r.fast)).toBe(JSON.stringify(r.chevrotain));
    }
    const plain = parse(small('生效 2016-01-01')).ast.header?.effective;
    expect(plain?.assumed ?? null).toBeNull();
  });

  it('keeps the assumed date through the formatter', () => {
    const text = small('生效 2016-01-01 假定「日期为约定」');
    expect(format(text)).toContain('  生效 2016-01-01 假定「日期为约定」\n');
    expect(format(format(text))).toBe(format(text));
  });

  it('lists the assumed date and the assumed parameters the outputs read, not the unused ones', () => {
    const a = evaluate(small('生效 2016-01-01 假定「日期为约定」'));
    expect(a.assumptions).toEqual([
      { version: '2016-01-01', text: '日期为约定' },
      { parameter: '用到的', text: '占位值' },
    ]);
  });

  it('lists nothing when the date is sourced and no assumed parameter is read', () => {
    const src = small('生效 2016-01-01').replace('用到的 × 标准', '标准');
    expect(evaluate(src).assumptions).toEqual([]);
  });

  it('dawukou-dibao v1: the 2016 figures and the 2016-01-01 date are assumed for 2017–2021', () => {
    const a = evaluate(readFileSync('policies/dawukou-dibao/v1/policy.policy', 'utf8'), '2019-06-01');
    expect(a.assumptions).toContainEqual(expect.objectContaining({ version: '2016-01-01' }));
    expect(a.assumptions).toContainEqual(expect.objectContaining({ parameter: '城市低保标准' }));
    expect(a.assumptions).toContainEqual(expect.objectContaining({ parameter: '农村低保标准' }));
    const v2 = evaluate(readFileSync('policies/dawukou-dibao/v2/policy.policy', 'utf8'));
    expect(v2.assumptions).toContainEqual(expect.objectContaining({ version: '2022-01-01' }));
    expect(v2.assumptions.some((x) => 'parameter' in x && x.parameter === '城市低保标准')).toBe(false);
  });

  it('an answer owns its list (changing it does not change the next answer)', () => {
    const src = small('生效 2016-01-01 假定「日期为约定」');
    const r = compileSource(src, { modules });
    const first = r.compiled!.evaluate(household, '2024-06-01');
    if (first.ok) { first.assumptions.length = 0; }
    const second = r.compiled!.evaluate(household, '2024-06-01');
    expect(second.ok && second.assumptions.length).toBe(2);
  });
});
