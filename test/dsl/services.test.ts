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

// Meaning through the middle form: the same resolution and priority order the backends and the
// trace use. Written so the exception comes after the rule it overrides in the source: the hover
// must list them in the order they are decided, not as written.
describe('language service reads the middle form', () => {
  const policy = `政策 svc-middle「服务读中间形式」
  使用「common/household」

模式 household
  urgent「急难」"Urgent": 布尔 = 假

参数 年标准「年标准」"Yearly standard" = 1200 元/年 依据「甲 第一条」
定义 月标准「每月标准」"Monthly standard" = 按月(年标准)
成员定义 老人「老年成员」 = 年龄 ≥ 60
成员输出 老人加发「老人加发」"Senior top-up" =
  规则 老年 依据「乙 第二条」: 当 老人 时 月标准
  否则 0 元/月
输出 补助「补助金额」"Allowance" =
  规则 基本 依据「丙 第三条」: 当 人数(成员) > 0 时 月标准
  例外 加发 优先于 基本 依据「丁 第四条」「丁 第五条」: 当 人数(成员 其中 老人) > 1 时 月标准 × 2
  否则 0 元/月 依据「戊 第六条」
输出 急难补助 = 如果 household.urgent 那么 月标准 否则 0 元/月
`;
  const text = policy.split('\n');
  /** The position of the nth occurrence of a word on the line that starts with `line`. */
  const at = (line: string, word: string, nth = 0) => {
    const i = text.findIndex((l) => l.startsWith(line));
    let col = -1;
    for (let k = 0; k <= nth; k++) col = text[i]!.indexOf(word, col + 1);
    if (i < 0 || col < 0) throw new Error(`not found: ${word}`);
    return { line: i + 1, column: col + 1 };
  };
  const decl = (line: string, name: string) => { const p = at(line, name); return { start: p, end: { line: p.line, column: p.column + name.length } }; };
  const startEnd = (r: { start: { line: number; column: number }; end: { line: number; column: number } } | null) =>
    r && { start: { line: r.start.line, column: r.start.column }, end: { line: r.end.line, column: r.end.column } };
  /** Han characters (the English text may hold only the policy's own names, labels and citations). */
  const han = /[\u3400-\u9fff]/;
  const policyWords = ['补助金额', '月标准', '年标准', '老人加发', '老人', '基本', '加发', '老年', '补助', '甲 第一条', '乙 第二条', '丙 第三条', '丁 第四条', '丁 第五条', '戊 第六条'];
  const withoutPolicyWords = (s: string) => policyWords.reduce((x, w) => x.split(w).join(''), s);

  it('the policy checks without errors', () => {
    expect(ls.diagnostics(policy).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('goes from a name inside a rule to the name of its declaration', () => {
    // 月标准 in 补助's exception → the 定义; 老人 in the count's filter → the 成员定义
    expect(startEnd(ls.definition(policy, at('  例外 加发', '月标准')))).toEqual(decl('定义 月标准', '月标准'));
    expect(startEnd(ls.definition(policy, at('  例外 加发', '老人')))).toEqual(decl('成员定义 老人', '老人'));
    // the parameter inside 按月(…), and the rule named after 优先于
    expect(startEnd(ls.definition(policy, at('定义 月标准', '年标准')))).toEqual(decl('参数 年标准', '年标准'));
    expect(startEnd(ls.definition(policy, at('  例外 加发', '基本')))).toEqual(decl('  规则 基本', '基本'));
    // a field of the policy's own 模式, and one of the shared household module: declared in
    // another text, nowhere to go here
    expect(startEnd(ls.definition(policy, at('输出 急难补助', 'urgent')))).toEqual(decl('  urgent', 'urgent'));
    expect(ls.definition(policy.replace('年龄 ≥ 60', 'disability_level > 0'), at('成员定义 老人', '年龄'))).toBeNull();
  });

  it('hovers an output with its level and its rules in priority order with their citations (zh)', () => {
    const h = ls.hover(policy, at('输出 补助', '补助'), 'zh')!.contents;
    expect(h).toContain('**输出 补助**「补助金额」');
    expect(h).toContain('层级: 家庭（每户一个值）');
    expect(h).toContain('规则（按优先顺序）:\n'
      + '1. 例外 加发 — 依据「丁 第四条」「丁 第五条」\n'
      + '2. 规则 基本 — 依据「丙 第三条」（除非 加发 适用）\n'
      + '3. 否则 — 依据「戊 第六条」');
    expect(h).not.toMatch(/[a-z]{3,}/);   // no English words: the names here are all Chinese
    const member = ls.hover(policy, at('成员输出 老人加发', '老人加发'), 'zh')!.contents;
    expect(member).toContain('**成员输出 老人加发**「老人加发」');
    expect(member).toContain('层级: 成员（每名成员一个值）');
    expect(member).toContain('1. 规则 老年 — 依据「乙 第二条」\n2. 否则');
  });

  it('says the same in English, with the English labels and no Chinese words of its own', () => {
    const h = ls.hover(policy, at('输出 补助', '补助'), 'en')!.contents;
    expect(h).toContain('**output 补助** "Allowance"');
    expect(h).toContain('level: household (one value per household)');
    expect(h).toContain('rules, in priority order:\n'
      + '1. exception 加发 — source: 丁 第四条; 丁 第五条\n'
      + '2. rule 基本 — source: 丙 第三条 (unless 加发 applies)\n'
      + '3. otherwise — source: 戊 第六条');
    expect(withoutPolicyWords(h)).not.toMatch(han);
    const member = ls.hover(policy, at('成员输出 老人加发', '老人加发'), 'en')!.contents;
    expect(member).toContain('**member output 老人加发** "Senior top-up"');
    expect(member).toContain('level: member (one value per member)');
    expect(withoutPolicyWords(member)).not.toMatch(han);
  });

  it('hovers a reference as its declaration, with the folded constant (1200 元/年 ÷ 12 = 100 元/月)', () => {
    const zh = ls.hover(policy, at('  规则 基本', '月标准'), 'zh')!;
    expect(zh.range.start).toMatchObject(at('  规则 基本', '月标准'));   // the name hovered, not the declaration
    expect(zh.contents).toContain('**定义 月标准**「每月标准」');
    expect(zh.contents).toContain('值: **100 元/月**');
    const en = ls.hover(policy, at('  规则 基本', '月标准'), 'en')!.contents;
    expect(en).toContain('**definition 月标准** "Monthly standard"');
    expect(en).toContain('value: **100 yuan/month**');
    expect(withoutPolicyWords(en)).not.toMatch(han);
    // a member definition read inside a count, and a rule's own name
    expect(ls.hover(policy, at('  例外 加发', '老人'), 'en')!.contents).toContain('level: member (one value per member)');
    expect(ls.hover(policy, at('  例外 加发', '基本'), 'zh')!.contents).toBe('**规则 基本** · 补助\n\n依据: 「丙 第三条」\n\n除非 加发 适用');
  });
});

