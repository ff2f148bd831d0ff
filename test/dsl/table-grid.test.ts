import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { decisionTables, tableAt } from '../../dsl/index.js';

const disability = readFileSync(new URL('../../policies/dawukou-disability-subsidies/v2/policy.policy', import.meta.url), 'utf8');

describe('decisionTables (the grid editor reads tables through it)', () => {
  it('gives each table its columns, rows and cells as written', () => {
    const ts = decisionTables(disability);
    expect(ts.map((t) => t.owner)).toEqual(['living_subsidy_by_member', 'nursing_subsidy_by_member']);
    const nursing = ts[1]!;
    expect(nursing.policy).toBe('first');
    expect(nursing.columns).toEqual(['disability_level', 'disability_type']);
    expect(nursing.rows.map((r) => r.name)).toEqual(['重度护理补贴', '非重度智力精神护理补贴', '无护理补贴']);
    expect(nursing.rows[1]!.cells).toEqual([{ kind: 'values', text: '3 或 4' }, { kind: 'values', text: '智力 或 精神' }]);
    expect(nursing.rows[2]!.cells).toEqual([{ kind: 'any' }, { kind: 'any' }]);
    expect(nursing.rows[0]!.result).toBe('重度护理补贴标准');
    expect(nursing.rows[0]!.sources).toBe('「001 第一章第一节」');
    expect(ts[0]!.rows[0]!.sources).toBe('「001 第一章第一节」「国家规定：低保家庭中的残疾人」');
    // the table's range starts at its keyword and the row's at 行
    expect(disability.slice(nursing.range.start.offset).startsWith('决策表 首个')).toBe(true);
    expect(disability.slice(nursing.rows[2]!.range.start.offset).startsWith('行 无护理补贴')).toBe(true);
  });

  it('reads bounds with their inclusivity and unnamed rows by number', () => {
    const src = [
      '政策 t「t」', '  生效 2024-01-01', '  依据「x」', '  使用「common/household」', '',
      '成员输出 a「a」 =', '  决策表 (年龄):', '    行 | 不满 80 → 0 元/月 依据「x」', '    行 | 80 以上 90 以下 → 1 元/月 依据「x」', '    行 | 超过 90 → 2 元/月 依据「x」', '',
    ].join('\n');
    const [t] = decisionTables(src);
    expect(t!.policy).toBe('unique');
    expect(t!.rows.map((r) => [r.name, r.defaultName])).toEqual([[null, '第1行'], [null, '第2行'], [null, '第3行']]);
    expect(t!.rows.map((r) => r.cells[0])).toEqual([
      { kind: 'bounds', lower: null, upper: { value: '80', inclusive: false } },
      { kind: 'bounds', lower: { value: '80', inclusive: true }, upper: { value: '90', inclusive: true } },
      { kind: 'bounds', lower: { value: '90', inclusive: false }, upper: null },
    ]);
    expect(tableAt(src, src.indexOf('超过'))?.owner).toBe('a');
    expect(tableAt(src, 0)).toBeNull();
  });
});
