// docs/language.md's examples run: every ```policy block is analysed (no errors, no warnings),
// and a ```yaml block right after it is run as that policy's scenarios, each of which must pass.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { analyze, compileSource, parseScenarios, runScenarios } from '../../dsl/index.js';

const modules = { 'common/household': readFileSync('policies/common/household.policy', 'utf8') };
const md = readFileSync('docs/language.md', 'utf8');
const examples = [...md.matchAll(/```policy\n([\s\S]*?)```\s*(?:```yaml\n([\s\S]*?)```)?/g)].map((m) => ({ policy: m[1]!, scenarios: m[2] }));

// a policy that reads another (引用) reads the example of that id printed in the same document
const byId = new Map(examples.map((e) => [/^(?:政策|policy) ([a-z0-9-]+)/m.exec(e.policy)?.[1] ?? '?', e.policy]));
const linked = (id: string) => (byId.has(id) ? { version: 2, source: byId.get(id)! } : undefined);

describe('docs/language.md examples', () => {
  it('has policy examples with scenarios (tables and the date and rounding operations)', () => {
    expect(examples.filter((e) => e.scenarios).length).toBeGreaterThanOrEqual(3);
    expect(examples.some((e) => e.policy.includes('决策表'))).toBe(true);
    expect(examples.some((e) => e.policy.includes('table first'))).toBe(true);
    expect(examples.some((e) => e.policy.includes('舍入('))).toBe(true);
  });
  for (const e of examples) {
    const id = /^(?:政策|policy) ([a-z0-9-]+)/m.exec(e.policy)?.[1] ?? '?';
    it(`${id}: checks clean${e.scenarios ? ' and its scenarios pass' : ''}`, () => {
      const a = analyze(e.policy, { modules, linked });
      expect(a.diagnostics.filter((d) => d.severity !== 'info').map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code} ${d.message.en}`)).toEqual([]);
      if (!e.scenarios) return;
      const { suite, diagnostics } = parseScenarios(e.scenarios);
      expect(diagnostics).toEqual([]);
      for (const mode of ['closures', 'codegen'] as const) {
        const report = runScenarios(compileSource(e.policy, { modules, mode, linked }).compiled!, suite!);
        expect(report.results.filter((r) => !r.ok)).toEqual([]);
        expect(report.passed).toBe(suite!.scenarios.length);
      }
    });
  }
});
