// Issue 19, diagnostics in an officer's words: expected tokens named by their keywords, one error
// per mistake (no cascade, no "never used" warnings caused by it), did-you-mean for misspelt
// keywords, names and fields, and a keyword written against a name said to be exactly that.
// Every expected message below is written out by hand.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { analyze } from '../../dsl/index.js';

const modules = { 'common/household': readFileSync('policies/common/household.policy', 'utf8') };
const head = '政策 t「测试」\n  使用「common/household」\n';
const problems = (body: string) => analyze(head + body, { modules }).diagnostics
  .filter((d) => d.severity !== 'info')
  .map((d) => ({ at: `${d.range.start.line}:${d.range.start.column}`, code: d.code, zh: d.message.zh, en: d.message.en }));

describe('syntax errors in an officer\'s words', () => {
  it('a misspelt 那么 gives one error that names the keyword and suggests it, and no unused warnings', () => {
    const p = problems('参数 城市标准 = 650 元/月\n参数 农村标准 = 500 元/月\n输出 标准 = 如果 household.area 是 城市 那吗 城市标准 否则 农村标准\n');
    expect(p).toEqual([{
      at: '5:32', code: 'syntax.grammar',
      zh: '语法错误：此处应为「那么」，不应是「那吗」；是否应为「那么」？',
      en: 'Syntax error: expected "then" here, not "那吗"; did you mean "那么"?',
    }]);
  });
  it('English mode names English keywords', () => {
    const p = problems('output x = if household.area is 城市 thn 1 else 2\n');
    expect(p.map((x) => x.en)).toEqual(['Syntax error: expected "then" here, not "thn"; did you mean "then"?']);
  });
  it('a misspelt 定义 is one error suggesting 定义, and the declarations after it are still read', () => {
    const p = problems('输出 x = 1\n定意 y = 2\n输出 z = 3\n');
    expect(p).toEqual([{
      at: '4:1', code: 'syntax.grammar',
      zh: '语法错误：此处应为「定义」、「输出」、「参数」、「成员定义」、「成员输出」、「模式」或「使用」，不应是「定意」；是否应为「定义」？',
      en: 'Syntax error: expected "define", "output", "parameter", "member define", "member output", "schema" or "use" here, not "定意"; did you mean "定义"?',
    }]);
  });
  it('a declaration cut short says what should follow, at the end of its last token', () => {
    const p = problems('定义 a = 1 +\n输出 b = 2\n');
    expect(p).toEqual([{ at: '3:11', code: 'syntax.grammar', zh: expect.stringMatching(/^语法错误：此处还应有/), en: expect.stringMatching(/^Syntax error: .* should follow here$/) }]);
  });
  it('the name a broken declaration declares is not reported unknown where it is used', () => {
    const p = problems('定义 标准 = 如果 household.area 是 城市 那吗 1 否则 2\n输出 x = 标准 + 1\n');
    expect(p.map((x) => x.code)).toEqual(['syntax.grammar']);
  });
  it('是城市: the keyword written against the name is said to be exactly that', () => {
    const p = problems('输出 x = household.area 是城市\n');
    expect(p).toEqual([{
      at: '3:23', code: 'syntax.joined-keyword',
      zh: '关键字「是」与名称「城市」连写了：请在两者之间加空格',
      en: 'The keyword "是" (is) is written against the name "城市": put a space between them',
    }]);
  });
  it('城市户那么: so is a keyword written after a name', () => {
    const p = problems('定义 城市户 = household.area 是 城市\n输出 x = 如果 城市户那么 1 否则 2\n');
    expect(p).toEqual([{
      at: '4:11', code: 'syntax.joined-keyword',
      zh: '关键字「那么」与名称「城市户」连写了：请在两者之间加空格',
      en: 'The keyword "那么" (then) is written against the name "城市户": put a space between them',
    }]);
  });
  it('a declared name that starts with a keyword is not taken apart', () => {
    // 是否低保 is a name (it starts with 是): the error is the missing 那么, not a joined keyword
    const p = problems('定义 是否低保 = 真\n输出 x = 如果 是否低保 1 否则 2\n');
    expect(p.map((x) => [x.at, x.code, x.zh])).toEqual([['4:16', 'syntax.grammar', '语法错误：此处应为「那么」，不应是「1」']]);
  });
  it('a misspelt name suggests the defined one, and that one is not "never used"', () => {
    const p = problems('定义 低保标准 = 650 元/月\n输出 x = 低保标注 × 2\n');
    expect(p).toEqual([{ at: '4:8', code: 'check.unknown-name', zh: '未定义的名称「低保标注」，是否应为「低保标准」？', en: 'Unknown name "低保标注"; did you mean "低保标准"?' }]);
  });
  it('an unknown household field suggests the nearest field', () => {
    const p = problems('输出 x = household.are 是 城市\n');
    expect(p.map((x) => [x.at, x.code, x.zh, x.en])).toEqual([['3:18', 'check.unknown-field', '家庭（household） 没有字段「are」，是否应为「area」？', 'household has no field "are"; did you mean "area"?']]);
  });
});
