import { describe, it, expect } from 'vitest';
import { lex } from '../../dsl/syntax/scanner.js';
import { checkGrammar, parseTokens } from '../../dsl/syntax/parser.js';

const parse = (text: string) => { const l = lex(text); return parseTokens(text, l.tokens, l.comments); };

describe('parser', () => {
  it("passes Chevrotain's grammar checks (no ambiguity or left recursion): production skips them at start-up", () => {
    expect(() => checkGrammar()).not.toThrow();
  });

  it('reads a header with a hyphenated id', () => {
    const { ast, diagnostics } = parse('政策 dawukou-dibao「大武口低保」\n 项目「低保」 辖区「大武口区」 生效 2022-01-01 依据「001 第一章」「003」\n使用「common/household」');
    expect(diagnostics).toEqual([]);
    expect(ast.header!.id.text).toBe('dawukou-dibao');
    expect(ast.header!.title).toBe('大武口低保');
    expect(ast.header!.effective!.text).toBe('2022-01-01');
    expect(ast.header!.sources.map((s) => s.text)).toEqual(['001 第一章', '003']);
    expect(ast.uses[0]!.module).toBe('common/household');
  });
  it('reads rules, exceptions and otherwise', () => {
    const { ast, diagnostics } = parse(`输出 monthly_amount「月金额」 =
      规则 差额 依据「国家」: 当 eligible 时 100 元/月
      例外 渐退 优先于 差额 依据「002」: 当 不 eligible 并且 household.dibao.enrolled 时 household.dibao.monthly_amount
      否则 0 元/月`);
    expect(diagnostics).toEqual([]);
    const out = ast.decls[0]!;
    expect(out.kind).toBe('Output');
    if (out.kind !== 'Output' || out.body.kind !== 'Rules') throw new Error('shape');
    expect(out.body.rules.map((r) => [r.kind, r.name.text, r.overrides.map((o) => o.text)])).toEqual([['rule', '差额', []], ['exception', '渐退', ['差额']]]);
    expect(out.body.otherwise!.kind).toBe('Money');
  });
  it('gives precedence: and binds tighter than or, × tighter than +', () => {
    const { ast } = parse('定义 x = a 或者 b 并且 c\n定义 y = 1 + 2 × 3');
    const x = ast.decls[0]!; const y = ast.decls[1]!;
    if (x.kind !== 'Def' || x.body.kind !== 'Expr' || y.kind !== 'Def' || y.body.kind !== 'Expr') throw new Error('shape');
    expect(x.body.expr).toMatchObject({ op: 'or', right: { op: 'and' } });
    expect(y.body.expr).toMatchObject({ op: '+', right: { op: '*' } });
  });
  it('reads tiers in Chinese postfix and English prefix form', () => {
    const { ast, diagnostics } = parse('定义 a = 分档 年龄: 80 以上 不满 90 → 500 元/月 90 以上 → 600 元/月 否则 0 元/月\ndefine b = tier age: from 80 below 90 -> 1 otherwise 0');
    expect(diagnostics).toEqual([]);
    const a = ast.decls[0]!;
    if (a.kind !== 'Def' || a.body.kind !== 'Expr' || a.body.expr.kind !== 'Tier') throw new Error('shape');
    expect(a.body.expr.brackets.map((b) => [b.lower?.inclusive, b.upper?.inclusive ?? null])).toEqual([[true, false], [true, null]]);
  });
  it('reads aggregates with filters and member definitions', () => {
    const { ast, diagnostics } = parse('成员定义 老人 = 年龄 ≥ 60\nmember define kid = age < 18\n定义 n = 人数(成员 其中 老人) + count(kid) + 合计(成员.income_monthly)');
    expect(diagnostics).toEqual([]);
    expect(ast.decls.map((d) => d.kind === 'Def' && d.member)).toEqual([true, true, false]);
  });
  it('reads a schema', () => {
    const { ast, diagnostics } = parse('模式 member「成员」\n id「编号」: 文本\n level: 整数 范围 [0, 4] = 0\n care: 枚举(independent「自理」, total_loss) = independent\n income: 金额/月 = 0 元/月\n模式 household\n members: 列表(member) 范围 [1, 50]\n tags: 文本列表 = []');
    expect(diagnostics).toEqual([]);
    expect(ast.schemas.map((s) => s.fields.map((f) => f.type.kind))).toEqual([['text', 'integer', 'enum', 'money'], ['list', 'textlist']]);
  });
  it('recovers after a typo and reports where it is', () => {
    const { ast, diagnostics } = parse('定义 a = 1 +\n定义 b = 2\n定义 c = 3');
    // one error, just after the `+` that has no right operand (line 1, column 11)
    expect(diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.column])).toEqual([['syntax.grammar', 1, 11]]);
    expect(ast.decls.map((d) => d.name.text)).toEqual(expect.arrayContaining(['b', 'c']));
  });
  it('keeps the header and every complete declaration when the file ends mid-expression', () => {
    const { ast, diagnostics } = parse('政策 a「b」\n使用「common/household」\n定义 x = 1\n定义 t = household.dibao.');
    expect(diagnostics).toHaveLength(1);
    expect(ast.header!.id.text).toBe('a');
    expect(ast.uses).toHaveLength(1);
    expect(ast.decls.map((d) => d.name.text)).toContain('x');
  });
});
