import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileSource, parseScenarios, runScenarios } from '../../dsl/index.js';

const modules = { 'common/household': readFileSync('policies/common/household.policy', 'utf8') };
const compiled = compileSource(readFileSync('examples/dibao/policy.policy', 'utf8'), { modules }).compiled!;
const household = '{ id: h, area: urban, members: [{ id: a, birth_date: 1980-01-01, income_monthly: 500 }] }';

describe('scenario suites', () => {
  it('reports expected vs actual per output for a failing scenario', () => {
    const { suite } = parseScenarios(`scenarios:\n  - name: 错的预期\n    as_of: 2024-06-01\n    household: ${household}\n    expect: { eligible: true, monthly_amount: "151.00" }\n    decided_by: { monthly_amount: 渐退期 }\n`);
    const report = runScenarios(compiled, suite!);
    expect(report).toMatchObject({ passed: 0, failed: 1 });
    const r = report.results[0]!;
    expect(r.outputs).toEqual([
      { name: 'eligible', expected: true, actual: true, ok: true },
      { name: 'monthly_amount', expected: '151.00', actual: '150.00', ok: false },
    ]);
    expect(r.decided_by).toEqual([{ output: 'monthly_amount', expected: '渐退期', actual: '差额补助', ok: false }]);
    expect(r.range.start.line).toBe(2);
  });
  it('compares money by value, so 150 and "150.00" agree', () => {
    const { suite } = parseScenarios(`scenarios:\n  - name: 数值\n    as_of: 2024-06-01\n    household: ${household}\n    expect: { monthly_amount: 150 }\n`);
    expect(runScenarios(compiled, suite!).passed).toBe(1);
  });
  it('fails a scenario whose household is invalid, naming the field', () => {
    const { suite } = parseScenarios('scenarios:\n  - name: 坏数据\n    as_of: 2024-06-01\n    household: { id: h, area: town, members: [] }\n    expect: { eligible: false }\n');
    const r = runScenarios(compiled, suite!).results[0]!;
    expect(r.ok).toBe(false);
    expect(r.error?.en).toContain('household.area');
    expect(r.error?.en).toContain('household.members');
  });
  it('names the place of a malformed suite', () => {
    expect(parseScenarios('scenarios: [').diagnostics[0]!.code).toBe('scenario.yaml');
    const d = parseScenarios('scenarios:\n  - name: 无日期\n    household: {}\n    expect: {}\n').diagnostics;
    expect(d[0]).toMatchObject({ code: 'scenario.shape' });
    expect(d[0]!.message.en).toContain('scenarios[0].as_of');
  });
});
