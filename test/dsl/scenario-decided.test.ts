// The scenario runner without a trace (the editor's live test cases, the CLI): it asks evaluate()
// for what decided each output (`decided: true`) instead of building the whole trace. The report
// must be the traced runner's report without its `trace`, and `decided` the trace entries' decided_by.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSource, parseScenarios, runScenarios, type CompileMode } from '../../dsl/index.js';
import { versions, modules, linkOptions, resolve } from '../policies/shipped.js';

// Two members, each banded by their own rules; the policy-level record of a member output is the
// first member's (as its trace entry shows it).
const source = `政策 member-rules「成员规则」
  项目「测试」
  辖区「示例区」
  生效 2022-01-01
  说明「测试」
  依据「001」
  使用「common/household」

成员输出 band「收入档」 =
  规则 高 依据「甲」: 当 income_monthly > 1000 元/月 时 2
  规则 低 依据「乙」: 当 income_monthly > 0 元/月 并且 income_monthly ≤ 1000 元/月 时 1
  否则 0

输出 n「人数」 = 人数(成员) 依据「丙」
`;
const member = (id: string, income: number) => ({ id, birth_date: '1980-01-01', income_monthly: income });
// a: income 0 → 否则 (band 0); b: 2000 > 1000 → 规则 高 (band 2)
const household = (first: number, second: number) => ({ id: 'h', area: 'urban', members: [member('a', first), member('b', second)] });

for (const mode of ['codegen', 'closures'] as CompileMode[]) {
  describe(`decided without a trace (${mode})`, () => {
    const compiled = compileSource(source, { modules, mode }).compiled!;

    it('names the first member\'s deciding clause for a member output, the expression for one', () => {
      const r = compileSource(source, { modules, mode }).compiled!.evaluate(household(0, 2000), '2024-06-01', { decided: true });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.outputs).toEqual({ band: { a: 0, b: 2 }, n: 2 });
      expect(r.trace).toBeUndefined();
      expect(r.decided!.map((d) => [d.kind, d.name, d.sources])).toEqual([['otherwise', null, []], ['expression', 'n', ['丙']]]);
      const swapped = compiled.evaluate(household(2000, 0), '2024-06-01', { decided: true });
      expect(swapped.ok && swapped.decided!.map((d) => [d.kind, d.name, d.sources])).toEqual([['rule', '高', ['甲']], ['expression', 'n', ['丙']]]);
    });

    it('gives the very objects the trace entries hold, and nothing unasked', () => {
      const traced = compiled.evaluate(household(500, 2000), '2024-06-01', { trace: true });
      const decided = compiled.evaluate(household(500, 2000), '2024-06-01', { decided: true });
      expect(traced.ok && decided.ok).toBe(true);
      if (!traced.ok || !decided.ok) return;
      expect(decided.decided!.length).toBe(2);
      decided.decided!.forEach((d, i) => expect(d).toBe(traced.trace![i]!.decided_by));
      expect(decided.decided![0]!.name).toBe('低');
      expect('decided' in traced).toBe(false);
      const plain = compiled.evaluate(household(500, 2000), '2024-06-01');
      expect(plain.ok && 'decided' in plain).toBe(false);
    });

    it('a scenario\'s decided_by is checked against it', () => {
      const text = `scenarios:
  - name: 先低后高
    as_of: 2024-06-01
    household: { id: h, area: urban, members: [{ id: a, birth_date: 1980-01-01, income_monthly: 500 }, { id: b, birth_date: 1980-01-01, income_monthly: 2000 }] }
    expect: { n: 2 }
    decided_by: { band: 低 }
  - name: 先高
    as_of: 2024-06-01
    household: { id: h, area: urban, members: [{ id: b, birth_date: 1980-01-01, income_monthly: 2000 }] }
    expect: { n: 1 }
    decided_by: { band: 低 }
  - name: 否则
    as_of: 2024-06-01
    household: { id: h, area: urban, members: [{ id: a, birth_date: 1980-01-01, income_monthly: 0 }] }
    expect: { n: 1 }
    decided_by: { band: otherwise }
`;
      const report = runScenarios(compiled, parseScenarios(text).suite!);
      expect(report.results.map((r) => [r.ok, r.decided_by])).toEqual([
        [true, [{ output: 'band', expected: '低', actual: '低', ok: true }]],
        [false, [{ output: 'band', expected: '低', actual: '高', ok: false }]],
        [true, [{ output: 'band', expected: 'otherwise', actual: '否则', ok: true }]],
      ]);
      expect(report.results.some((r) => 'trace' in r)).toBe(false);
    });
  });
}

describe('every shipped suite: the report without a trace is the traced one without its traces', () => {
  for (const { id, n, dir } of versions) {
    it(`${id} v${n}`, () => {
      const compiled = compileSource(readFileSync(join(dir, 'policy.policy'), 'utf8'), { modules, ...linkOptions(join(dir, 'policy.policy')) }).compiled!;
      const suite = parseScenarios(readFileSync(join(dir, 'scenarios.yaml'), 'utf8')).suite!;
      // and every output named in decided_by (a wrong name for most), so each output's record is compared
      const outputs = compiled.program.outputs.map((o) => o.decl.name.text);
      const everyOutput = { scenarios: suite.scenarios.map((s, i) => ({ ...s, decided_by: Object.fromEntries(outputs.map((o, k) => [o, ['否则', 'otherwise', '—'][(i + k) % 3]!])) })) };
      for (const s of [suite, everyOutput]) {
        const traced = runScenarios(compiled, s, { trace: true, resolve });
        expect(traced.results.every((r) => r.error !== undefined || r.trace !== undefined)).toBe(true);
        for (const r of traced.results) delete r.trace;
        expect(JSON.stringify(runScenarios(compiled, s, { resolve }))).toBe(JSON.stringify(traced));
      }
    });
  }
});
