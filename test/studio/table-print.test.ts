import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { decisionTables, format, parse } from '../../dsl/index.js';
import { intervalText, printBounds, printTable, spliceTable } from '../../studio/src/table/printTable.js';

const disability = readFileSync(new URL('../../policies/dawukou-disability-subsidies/v2/policy.policy', import.meta.url), 'utf8');

describe('the grid editor prints tables back', () => {
  it('round-trips the disability tables: splice + format gives the formatted source', () => {
    let s = disability;
    for (const t of decisionTables(disability).reverse()) s = spliceTable(s, t);
    expect(format(s)).toBe(format(disability));
  });

  it('writes each bound with the word its inclusivity names', () => {
    expect(printBounds('zh', { value: '80', inclusive: true }, { value: '90', inclusive: false })).toBe('80 以上 不满 90');
    expect(printBounds('zh', { value: '80', inclusive: false }, { value: '90', inclusive: true })).toBe('超过 80 90 以下');
    expect(printBounds('en', { value: '80', inclusive: true }, { value: '90', inclusive: true })).toBe('from 80 to 90');
    expect(intervalText({ value: '80', inclusive: true }, { value: '90', inclusive: false })).toBe('[80, 90)');
    expect(intervalText({ value: '90', inclusive: false }, null)).toBe('(90, +∞)');
  });

  it('prints an edited row that parses, with its name, cells, value and citations', () => {
    const [living] = decisionTables(disability);
    const edited = { ...living!, rows: living!.rows.map((r, i) => (i === 1 ? { ...r, cells: [r.cells[0]!, { kind: 'values' as const, text: '真' }] } : r)) };
    const text = printTable(edited);
    expect(text.split('\n')[2]).toBe('    行 非低保家庭 | 假 | 真 → 0 元/月 依据「国家规定：生活补贴限低保家庭」「001 第五章第二节」');
    expect(parse(spliceTable(disability, edited)).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
