// A scenario that names something the policy does not have is an error, not a silent pass or a
// puzzling "expected x, actual null": expect keys, decided_by outputs and rules, duplicate
// names, unknown keys. Each error points at the line and column and names the nearest known name.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileSource, parseScenarios, runScenarios } from '../../dsl/index.js';
import { editDistance, nearest } from '../../dsl/base/nearest.js';

const modules = { 'common/household': readFileSync('policies/common/household.policy', 'utf8') };
// examples/dibao: outputs eligible (an expression) and monthly_amount (rule 差额补助, exception 渐退期, otherwise)
const compiled = compileSource(readFileSync('examples/dibao/policy.policy', 'utf8'), { modules }).compiled!;
// One urban adult with 500 income: 500 < 650 so eligible; 650 − 500 = 150.00, decided by 差额补助.
const household = '{ id: h, area: urban, members: [{ id: a, birth_date: 1980-01-01, income_monthly: 500 }] }';
const scenario = (name: string, rest: string) => `  - name: ${name}\n    as_of: 2024-06-01\n    household: ${household}\n${rest}`;

describe('scenario checks against the policy', () => {
  it('an expect key that is no output is an error at its line and column, naming the nearest output', () => {
    const text = `scenarios:\n${scenario('拼错的输出', '    expect: { eligble: true, monthly_amount: "150.00" }\n')}`;
    const parsed = parseScenarios(text, 'suite.yaml');
    expect(parsed.diagnostics).toEqual([]);
    const report = runScenarios(compiled, parsed.suite!);
    expect(report).toMatchObject({ passed: 0, failed: 1 });
    const [d] = report.results[0]!.problems!;
    expect(d!.code).toBe('scenario.unknown-output');
    // line 5 is the expect line; "    expect: { " is 14 characters, so the key starts in column 15
    expect(d!.range.start).toMatchObject({ line: 5, column: 15 });
    expect(d!.message.zh).toBe('情景「拼错的输出」的 expect 中「eligble」不是本政策的输出，是否应为「eligible」？');
    expect(d!.message.en).toBe('Scenario "拼错的输出": expect names "eligble", which is not an output of this policy; did you mean "eligible"?');
    expect(report.diagnostics).toEqual([d]);
  });

  it('decided_by: an unknown output, an unknown rule, and a rule name on an output without rules', () => {
    const text = `scenarios:\n${scenario('规则名错', '    expect: { monthly_amount: "150.00" }\n    decided_by: { monthly_amount: 差额补贴 }\n')}`
      + scenario('输出名错', '    expect: { monthly_amount: "150.00" }\n    decided_by: { monthly_amout: 差额补助 }\n')
      + scenario('无规则的输出', '    expect: { eligible: true }\n    decided_by: { eligible: 差额补助 }\n');
    const report = runScenarios(compiled, parseScenarios(text).suite!);
    const [rule, output, expr] = report.results.map((r) => r.problems?.[0]);
    expect(rule).toMatchObject({ code: 'scenario.unknown-rule', range: { start: { line: 6 } } });
    expect(rule!.message.en).toBe('Scenario "规则名错": decided_by monthly_amount: "差额补贴" is no rule or exception of that output; did you mean "差额补助"?');
    expect(rule!.message.zh).toBe('情景「规则名错」的 decided_by：「差额补贴」不是输出 monthly_amount 的规则或例外，是否应为「差额补助」？');
    expect(output).toMatchObject({ code: 'scenario.unknown-output' });
    expect(output!.message.en).toBe('Scenario "输出名错": decided_by names "monthly_amout", which is not an output of this policy; did you mean "monthly_amount"?');
    // eligible has no rules: the trace names it after itself, so that is the only accepted name
    expect(expr!.message.en).toBe('Scenario "无规则的输出": decided_by eligible: "差额补助" is no rule or exception of that output (known: eligible)');
    expect(report.results.map((r) => r.ok)).toEqual([false, false, false]);
  });

  it('accepts every rule, exception and 否则 / otherwise of an output, and an expression output\'s own name', () => {
    const ok = (decided: string) => scenario(`"ok ${decided}"`, `    expect: { monthly_amount: "150.00" }\n    decided_by: ${decided}\n`);
    const text = `scenarios:\n${ok('{ monthly_amount: 差额补助 }')}${ok('{ eligible: eligible }')}`;
    const report = runScenarios(compiled, parseScenarios(text).suite!);
    expect(report.diagnostics).toEqual([]);
    expect(report.passed).toBe(2);
    // 渐退期 and 否则 are names of monthly_amount too: not a problem, just not what decided this household
    const other = runScenarios(compiled, parseScenarios(`scenarios:\n${ok('{ monthly_amount: 渐退期 }')}${ok('{ monthly_amount: otherwise }')}`).suite!);
    expect(other.diagnostics).toEqual([]);
    expect(other.results.map((r) => r.decided_by![0]!.actual)).toEqual(['差额补助', '差额补助']);
  });

  it('a duplicate scenario name is an error at the second name, citing the first line', () => {
    const text = `scenarios:\n${scenario('同名', '    expect: { eligible: true }\n')}${scenario('同名', '    expect: { eligible: true }\n')}`;
    const { diagnostics } = parseScenarios(text, 'dup.yaml');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'scenario.duplicate-name', file: 'dup.yaml', range: { start: { line: 6, column: 11 } } });
    expect(diagnostics[0]!.message).toEqual({ zh: '情景名称「同名」重复（第 2 行已使用）', en: 'Scenario name "同名" is used twice (first on line 2)' });
  });

  it('an unknown key in a scenario or at the top is an error naming the nearest known key', () => {
    const text = `polcy: example-dibao\nscenarios:\n${scenario('键名错', '    expects: { eligible: true }\n')}`;
    const { diagnostics } = parseScenarios(text);
    expect(diagnostics.map((d) => [d.code, d.range.start.line, d.message.en])).toEqual([
      ['scenario.unknown-key', 1, 'There is no key "polcy" in the top level; did you mean "policy"?'],
      ['scenario.unknown-key', 6, 'There is no key "expects" in scenarios[0]; did you mean "expect"?'],
      ['scenario.shape', 3, 'Scenario format error at scenarios[0].expect: needs expected outputs'],
    ]);
  });

  it('reads policy and version, and refuses a version that is not a positive integer', () => {
    expect(parseScenarios(`policy: dawukou-dibao\nversion: 2\nscenarios: []\n`).suite).toMatchObject({ policy: 'dawukou-dibao', version: 2 });
    const bad = parseScenarios(`policy: dawukou-dibao\nversion: v2\nscenarios: []\n`).diagnostics;
    expect(bad.map((d) => [d.code, d.range.start.line])).toEqual([['scenario.shape', 2]]);
  });
});

describe('nearest name', () => {
  it('counts edits by character, Chinese included', () => {
    expect(editDistance('eligble', 'eligible')).toBe(1);
    expect(editDistance('差额补贴', '差额补助')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('tset', 'test')).toBe(1);      // two neighbours swapped: one edit
    expect(editDistance('junti', 'junit')).toBe(1);
    expect(editDistance('ab', 'ba')).toBe(1);
  });

  it('suggests a close name or a longer name it begins, and nothing for a stranger', () => {
    expect(nearest('reportr', ['filter', 'reporter', 'output'])).toBe('reporter');
    expect(nearest('income', ['id', 'income_monthly', 'birth_date'])).toBe('income_monthly');
    expect(nearest('Eligible', ['eligible'])).toBe('eligible');
    expect(nearest('xyz', ['eligible', 'monthly_amount'])).toBeUndefined();
    expect(nearest('差额补助', ['eligible'])).toBeUndefined();
  });
});
