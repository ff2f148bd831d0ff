// Decision tables: lowered into rules, checked exactly, evaluated alike by both backends, the
// trace naming the row that decided; formatted with aligned columns; hover on a row.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { analyze, compileSource, format, parse, createLanguageService } from '../../dsl/index.js';

const modules = { 'common/household': readFileSync('policies/common/household.policy', 'utf8') };
const head = '政策 t「决策表」\n  使用「common/household」\n\n';
const person = (birth: string) => ({ id: 'h', area: 'urban', members: [{ id: 'a', birth_date: birth }] });

const allowance = `${head}成员输出 allowance「高龄津贴」 =
  决策表 唯一 (年龄):
    行 | 不满 80 → 0 元/月 依据「001 第一章第一节：不满 80 岁不发」
    行 | 80 以上 不满 90 → 500 元/月 依据「001 第一章第一节」
    行 | 90 以上 → 600 元/月 依据「001 第一章第一节」
`;

function codes(src: string): string[] {
  return analyze(src, { modules }).diagnostics.filter((d) => d.severity !== 'info').map((d) => d.code);
}

describe('decision tables', () => {
  it('gives the gap a concrete age, in Chinese and English', () => {
    const src = `${head}成员输出 a =\n  决策表 唯一 (年龄):\n    行 | 80 以上 不满 90 → 500 元/月 依据「x」\n    行 | 90 以上 → 600 元/月 依据「x」\n`;
    const d = analyze(src, { modules }).diagnostics.find((x) => x.code === 'check.table-gap')!;
    expect(d.message.zh).toContain('年龄 = 79：没有一行匹配');
    expect(d.message.en).toContain('年龄 = 79: no row matches');
  });

  it('gives the overlap its shared boundary and both rows', () => {
    const src = `${head}成员输出 a =\n  决策表 (年龄):\n    行 | 90 以下 → 500 元/月 依据「x」\n    行 | 90 以上 → 600 元/月 依据「x」\n`;
    const d = analyze(src, { modules }).diagnostics.find((x) => x.code === 'check.table-overlap')!;
    expect(d.message.zh).toContain('年龄 = 90：第1行 与 第2行 都匹配');
    expect(d.message.en).toContain('年龄 = 90: both 第1行 and 第2行 match');
  });

  it('shows money and enum labels in the counterexample', () => {
    const src = `${head}输出 a =\n  决策表 (household.area, household.rigid_expenditure_monthly):\n    行 | 城市 | 不满 100 元/月 → 1 依据「x」\n    行 | 农村 | — → 2 依据「x」\n`;
    const d = analyze(src, { modules }).diagnostics.find((x) => x.code === 'check.table-gap')!;
    // 100 元 and more in a city: the first such amount is 100.00 元
    expect(d.message.zh).toContain('household.area = 城市，household.rigid_expenditure_monthly = 100.00 元：没有一行匹配');
    expect(d.message.en).toContain('household.area = urban, household.rigid_expenditure_monthly = 100.00 yuan: no row matches');
  });

  it('has no diagnostics when complete, and no rule conflicts between rows', () => {
    expect(codes(allowance)).toEqual([]);
  });

  for (const mode of ['closures', 'codegen'] as const) {
    it(`evaluates each band and names the deciding row with its citation (${mode})`, () => {
      const c = compileSource(allowance, { modules, mode }).compiled!;
      const at = (birth: string) => c.evaluate(person(birth), '2024-06-01', { trace: true });
      expect(at('1944-06-02')).toMatchObject({ outputs: { allowance: { a: '0.00' } } });   // 79
      expect(at('1944-06-01')).toMatchObject({ outputs: { allowance: { a: '500.00' } } }); // 80
      const r = at('1934-06-01');                                                          // 90
      expect(r).toMatchObject({ outputs: { allowance: { a: '600.00' } } });
      if (!r.ok) throw new Error('not ok');
      expect(r.trace![0]!.decided_by).toMatchObject({ name: '第3行', sources: ['001 第一章第一节'] });
    });

    it(`first hit takes the first matching row; sum adds the matching rows (${mode})`, () => {
      const src = `${head}成员输出 first_hit =
  决策表 首个 (disability_level, serious_illness):
    行 重度 | 1 或 2 | — → 120 元/月 依据「x」
    行 重病 | — | 真 → 50 元/月 依据「x」
    行 其他 | — | — → 0 元/月 依据「x」
成员输出 total =
  决策表 合计 (disability_level, serious_illness):
    行 | 1 或 2 | — → 120 元/月 依据「x」
    行 | — | 真 → 50 元/月 依据「x」
`;
      expect(codes(src)).toEqual([]);
      const c = compileSource(src, { modules, mode }).compiled!;
      const h = (level: number, ill: boolean) => ({ id: 'h', area: 'urban', members: [{ id: 'a', birth_date: '1980-01-01', disability_level: level, serious_illness: ill }] });
      expect(c.evaluate(h(1, true), '2024-06-01')).toMatchObject({ outputs: { first_hit: { a: '120.00' }, total: { a: '170.00' } } });
      expect(c.evaluate(h(3, true), '2024-06-01')).toMatchObject({ outputs: { first_hit: { a: '50.00' }, total: { a: '50.00' } } });
      expect(c.evaluate(h(0, false), '2024-06-01')).toMatchObject({ outputs: { first_hit: { a: '0.00' }, total: { a: '0.00' } } });
    });
  }

  it('formats to aligned columns, and formatting is idempotent', () => {
    const once = format(allowance);
    expect(once).toBe(`${head}成员输出 allowance「高龄津贴」 =
  决策表 唯一 (年龄):
    行 | 不满 80         → 0 元/月   依据「001 第一章第一节：不满 80 岁不发」
    行 | 80 以上 不满 90 → 500 元/月 依据「001 第一章第一节」
    行 | 90 以上         → 600 元/月 依据「001 第一章第一节」
`);
    expect(format(once)).toBe(once);
  });

  it('reads the same table in English keywords, rows named row N', () => {
    const src = `policy t "table"\n  use "common/household"\n\nmember output a =\n  table first (age):\n    row | below 80 -> 0 yuan/month source "x"\n    row | any -> 500 yuan/month source "x"\n`;
    expect(parse(src).diagnostics).toEqual([]);
    const c = compileSource(src, { modules }).compiled!;
    const r = c.evaluate(person('1934-06-01'), '2024-06-01', { trace: true });
    if (!r.ok) throw new Error('not ok');
    expect(r.trace![0]!.decided_by.name).toBe('row 2');
    expect(format(format(src))).toBe(format(src));
  });

  it('hovers a row with its intervals, value and citation', () => {
    const ls = createLanguageService(modules);
    const line = allowance.split('\n').findIndex((l) => l.includes('80 以上 不满 90')) + 1;
    const h = ls.hover(allowance, { line, column: 10 })!;
    expect(h.contents).toContain('第2行');
    expect(h.contents).toContain('年龄 ∈ [80, 90)');
    expect(h.contents).toContain('001 第一章第一节');
    expect(h.contents).toContain('（决策表 唯一，allowance）');
    // in English: the same row, the chrome in English only (the row's name and citation are the policy's)
    const en = ls.hover(allowance, { line, column: 10 }, 'en')!.contents;
    expect(en).toContain('**第2行** (decision table, unique; allowance)');
    expect(en).toContain('年龄 ∈ [80, 90)');
    expect(en).toContain('source: 001 第一章第一节');
    expect(en.replace(/第2行|年龄|001 第一章第一节|元\/月/g, '')).not.toMatch(/[\u3400-\u9fff]/);
  });
});

describe('decision tables with syntax errors', () => {
  for (const [what, row] of [
    ['a row without its arrow', '    行 | 80 以上 500 元/月 依据「x」'],
    ['a row without a cell', '    行 → 500 元/月 依据「x」'],
    ['a cut bound', '    行 | 80 以上 不满 → 500 元/月 依据「x」'],
    ['a missing alternative', '    行 | 1 或 → 500 元/月 依据「x」'],
  ]) {
    it(`reports ${what} and keeps the declaration after it`, () => {
      const src = `${head}成员输出 a =\n  决策表 唯一 (年龄):\n${row}\n输出 after = 1 依据「x」\n`;
      const r = parse(src);
      expect(r.diagnostics.map((d) => d.code)).toContain('syntax.grammar');
      expect(r.ast.decls.map((d) => d.name.text)).toContain('after');
    });
  }
});

describe('date and rounding calls in the formatter', () => {
  it('prints 舍入 with its unit and rule as keywords, in either language, unchanged', () => {
    const zh = `${head}参数 x = 100 元/月 依据「a」\n\n输出 a = 舍入(x, 角, 向下) 依据「a」\n输出 b = 折算(按年(x), 2024-01-01, 评估日) 依据「a」\n输出 c = 相差年数(2020-01-01, 评估日) + 年份(评估日) 依据「a」\n`;
    expect(format(zh)).toBe(zh);
    const en = `policy t "t"\n  use "common/household"\n\nparameter x = 100 yuan/month source "a"\n\noutput a = round_to(x, jiao, half_up) source "a"\noutput b = days_between(2024-01-01, as_of) source "a"\n`;
    expect(format(en)).toBe(en);
    expect(codes(en)).toEqual([]);
  });
});
