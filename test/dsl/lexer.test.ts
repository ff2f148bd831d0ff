import { describe, it, expect } from 'vitest';
import { lex } from '../../dsl/syntax/scanner.js';

const kinds = (text: string) => lex(text).tokens.map((t) => `${t.tokenType.name}:${t.image}`);

describe('lexer', () => {
  it('prefers the longer keyword over a keyword that is its prefix', () => {
    expect(kinds('成员定义 成员 年龄 年 不是 不 monthly month')).toEqual([
      'MemberDefine:成员定义', 'Member:成员', 'Age:年龄', 'Years:年', 'IsNot:不是', 'Not:不', 'Monthly:monthly', 'Months:month',
    ]);
  });
  it('reads a keyword followed by more letters as a name', () => {
    expect(kinds('家庭成员 是否在保 income')).toEqual(['Identifier:家庭成员', 'Identifier:是否在保', 'Identifier:income']);
  });
  it('reads money with periods, percentages, durations and dates', () => {
    expect(kinds('5520 元/年 650元 650 yuan/month 10% 12个月 2022-01-01')).toEqual([
      'NumberLit:5520', 'PerYear:元/年', 'NumberLit:650', 'Yuan:元', 'NumberLit:650', 'PerMonth:yuan/month',
      'NumberLit:10', 'Percent:%', 'NumberLit:12', 'Months:个月', 'DateLit:2022-01-01',
    ]);
  });
  it('accepts full-width punctuation and both string quotes', () => {
    expect(kinds('（「标签」，"label"）：')).toEqual(['LParen:（', 'StringLit:「标签」', 'Comma:，', 'StringLit:"label"', 'RParen:）', 'Colon:：']);
  });
  it('keeps comments apart and reports unknown characters', () => {
    const r = lex('x # 注释\ny // note\n@');
    expect(r.tokens.map((t) => t.image)).toEqual(['x', 'y']);
    expect(r.comments.map((t) => t.image)).toEqual(['# 注释', '// note']);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.line).toBe(3);
  });
});
