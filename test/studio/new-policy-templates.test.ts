import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileSource, parseScenarios, runScenarios } from '../../dsl/index.js';
import { policyFromTemplate, templateKinds } from '../../studio/src/newpolicy/templates.js';

const household = readFileSync(new URL('../../policies/common/household.policy', import.meta.url), 'utf8');

describe('new-policy templates', () => {
  for (const kind of templateKinds) {
    it(`${kind}: checks without errors, and its starter scenario passes`, () => {
      const p = policyFromTemplate(kind, { id: `new-${kind}`, title: '新政策', jurisdiction: '大武口区', effective: '2025-07-01' });
      const r = compileSource(p.source, { file: 'policy.policy', modules: { 'common/household': household } });
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const suite = parseScenarios(p.scenarios, 'scenarios.yaml');
      expect(suite.diagnostics).toEqual([]);
      const report = runScenarios(r.compiled!, suite.suite!);
      expect(report.results.map((x) => [x.name, x.ok, x.error ?? null, x.outputs.filter((o) => !o.ok)])).toEqual([[suite.suite!.scenarios[0]!.name, true, null, []]]);
    });
  }
});
