import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { createLanguageService } from '../../dsl/index.js';

const modules = { 'common/household': readFileSync('policies/common/household.policy', 'utf8') };
const example = readFileSync('examples/dibao/policy.policy', 'utf8');
const ls = createLanguageService(modules);
const lines = example.split('\n');
const posOf = (needle: string, nth = 0) => {
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    let at = lines[i]!.indexOf(needle);
    while (at >= 0) { if (count++ === nth) return { line: i + 1, column: at + 1 }; at = lines[i]!.indexOf(needle, at + 1); }
  }
  throw new Error(`not found: ${needle}`);
};

describe('language service', () => {
  it('hovers a parameter with its value, unit, range and citation', () => {
    const h = ls.hover(example, posOf('特殊成员加发比例', 2))!;
    expect(h.contents).toContain('10%');
    expect(h.contents).toContain('[0%, 30%]');
    expect(h.contents).toContain('001 第一章第一节');
    const u = ls.hover(example, posOf('城市低保标准', 2))!;
    expect(u.contents).toContain('650 元/月');
  });
  it('hovers a bound word with its statutory meaning', () => {
    const h = ls.hover('定义 x = 分档 1: 80 以上 → 1 否则 0', { line: 1, column: 19 })!;
    expect(h.contents).toContain('含本数');
  });
  it('speaks the editor\'s language: a Chinese hover has no English words, an English one no Chinese chrome', () => {
    const zh = ls.hover(example, posOf('特殊成员加发比例', 2), 'zh')!.contents;
    expect(zh).toContain('**参数 特殊成员加发比例**');
    expect(zh).toContain('法定范围: [0%, 30%]');
    expect(zh).not.toMatch(/type|value|legal range|source/);
    const en = ls.hover(example, posOf('特殊成员加发比例', 2), 'en')!.contents;
    expect(en).toContain('**parameter 特殊成员加发比例**');   // the policy's own name stays as written
    expect(en).toContain('legal range: [0%, 30%]');
    expect(en).not.toMatch(/参数|类型|当前值|法定范围|依据/);
    // a value's unit in the editor's language too (the checker prints 元/月, and a duration's months)
    expect(ls.hover(example, posOf('城市低保标准', 2), 'en')!.contents).toContain('value: **650 yuan/month**');
    expect(ls.hover(example, posOf('城市低保标准', 2), 'zh')!.contents).toContain('当前值: **650 元/月**');
    const duration = '参数 渐退期限 = 12 个月\n输出 x = 渐退期限';
    expect(ls.hover(duration, { line: 1, column: 4 }, 'zh')!.contents).toContain('当前值: **12 个月**');
    expect(ls.hover(duration, { line: 1, column: 4 }, 'en')!.contents).toContain('value: **12 months**');
    // a household field: the schema module's English label and English enum words in English mode
    const dotText = example + '\n定义 t = household.';
    const dotPos = { line: dotText.split('\n').length, column: '定义 t = household.'.length + 1 };
    const area = (lang: 'zh' | 'en') => ls.completions(dotText, dotPos, lang).find((c) => c.label === 'area')!.detail;
    expect(area('en')).toBe('Urban or rural enum(urban, rural)');
    expect(area('zh')).toBe('城乡类别 枚举(urban「城市」, rural「农村」)');
    // a keyword: its words in the editor's language first, its meaning in that language only
    const kwZh = ls.hover('定义 x = 分档 1: 80 以上 → 1 否则 0', { line: 1, column: 19 }, 'zh')!.contents;
    expect(kwZh).toBe('**以上、from**\n\n以上：大于或等于，含本数（民法典第1259条）');
    const kwEn = ls.hover('定义 x = 分档 1: 80 以上 → 1 否则 0', { line: 1, column: 19 }, 'en')!.contents;
    expect(kwEn).toBe('**from, 以上**\n\nfrom n: >= n');
    const detail = ls.completions('定义 x = ', { line: 1, column: 8 }, 'en').find((c) => c.label === 'from')!.detail;
    expect(detail).toBe('from, 以上 — from n: >= n');
  });
  it('goes to the definition of a name', () => {
    const use = posOf('人均收入', 1);
    const def = ls.definition(example, use)!;
    expect(def.start.line).toBe(posOf('人均收入').line);
  });
  it('completes schema fields after a dot, nested ones too', () => {
    const text = example + '\n定义 t = household.dibao.';
    const line = text.split('\n').length;
    const labels = ls.completions(text, { line, column: text.split('\n')[line - 1]!.length + 1 }).map((c) => c.label);
    expect(labels).toEqual(['enrolled', 'monthly_amount', 'income_exceeded_since']);
    const memberText = example + '\n成员定义 t = 成员.inc';
    const ml = memberText.split('\n').length;
    const ms = ls.completions(memberText, { line: ml, column: memberText.split('\n')[ml - 1]!.length + 1 }).map((c) => c.label);
    expect(ms).toContain('income_monthly');
  });
  it('completes keywords in both languages, definitions and enum labels', () => {
    const labels = ls.completions(example, { line: lines.length, column: 1 }).map((c) => c.label);
    for (const l of ['如果', 'if', '合计', 'sum', '人均收入', 'eligible', '城市', '农村']) expect(labels).toContain(l);
  });
  it('classifies tokens for highlighting', () => {
    const tokens = ls.semanticTokens(example);
    const at = (needle: string, nth = 0) => { const p = posOf(needle, nth); return tokens.find((t) => t.line === p.line && t.column === p.column)?.type; };
    expect(at('参数')).toBe('keyword');
    expect(at('城市低保标准', 2)).toBe('parameter');
    expect(at('人均收入', 1)).toBe('definition');
    expect(at('650')).toBe('number');
    expect(at('元/月')).toBe('unit');
    expect(at('# 示例')).toBe('comment');
    expect(at('「001 第一章第一节」')).toBe('string');
  });
  it('reports diagnostics as data with stable codes', () => {
    const d = ls.diagnostics(example.replace('按月(农村低保标准)', '农村低保标准'));
    expect(d.map((x) => x.code)).toContain('check.type-mismatch');
    expect(d.every((x) => x.message.zh && x.message.en)).toBe(true);
  });
});
