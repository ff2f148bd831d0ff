// Every policy version in policies/ against its hand-worked scenario suite: the policy must
// compile with no errors and no warnings, expose the contract's outputs, and pass each scenario
// with a trace in which every output names the rule that decided it and that rule's citation.
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSource, parseScenarios, runScenarios, type CompiledPolicy } from '../../dsl/index.js';
import { linkOptions, resolve } from './shipped.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'policies');
const modules = { 'common/household': readFileSync(join(root, 'common', 'household.policy'), 'utf8') };

const DIBAO_OUTPUTS = ['eligible', 'monthly_amount', 'single_person_members', 'gradual_exit', 'gradual_exit_until'];
/** Outputs each programme must expose (the contract's names; dibao policies all share one set). */
const REQUIRED: Record<string, string[]> = {
  'dawukou-dibao': DIBAO_OUTPUTS,
  'zhongwei-dibao': DIBAO_OUTPUTS,
  'qinghai-dibao': [...DIBAO_OUTPUTS, 'labour_incapable_members'],
  'xpcc-dibao': [...DIBAO_OUTPUTS, 'remote_area', 'apply_at_residence'],
  'hongsibu-dibao': [...DIBAO_OUTPUTS, 'handling_county', 'residence_based'],
  'dawukou-tekun': ['eligible', 'monthly_amount', 'tekun_members', 'care_amount'],
  'dawukou-elderly-allowance': ['eligible', 'monthly_amount', 'recipients'],
  'dawukou-disability-subsidies': ['eligible', 'monthly_amount', 'living_subsidy', 'nursing_subsidy', 'recipients'],
  'dawukou-orphan-allowance': ['eligible', 'monthly_amount', 'recipients'],
  'qinghai-low-income': ['eligible', 'low_income_line', 'dibao_edge', 'refer_to_dibao', 'rigid_expense_hardship', 'monitor', 'single_person_candidates'],
  'temporary-assistance': ['eligible', 'amount', 'approval_level', 'advance_payment'],
  'hongsibu-services': ['eligible', 'home_adaptation', 'home_adaptation_members', 'residential_care_members', 'rehabilitation_members', 'psychiatric_treatment_members'],
  'zhongwei-accident-insurance': ['eligible', 'insured_members', 'annual_premium'],
  'dawukou-low-income': ['eligible', 'low_income_line', 'dibao_edge'],
};

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();
const versions: { id: string; n: number; dir: string }[] = [];
for (const id of readdirSync(root).sort()) {
  if (id === 'common' || !isDir(join(root, id))) continue;
  for (const v of readdirSync(join(root, id))) {
    const m = /^v(\d+)$/.exec(v);
    if (m && isDir(join(root, id, v))) versions.push({ id, n: Number(m[1]), dir: join(root, id, v) });
  }
}
versions.sort((a, b) => a.id.localeCompare(b.id) || a.n - b.n);


describe('policies/ layout', () => {
  it('has every policy of the issue', () => {
    expect([...new Set(versions.map((v) => v.id))].sort()).toEqual(Object.keys(REQUIRED).sort());
  });
});

for (const { id, n, dir } of versions) {
  const file = `policies/${id}/v${n}/policy.policy`;
  const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '');
  const source = read('policy.policy');
  const suiteText = read('scenarios.yaml');
  // a policy that reads others (引用) is checked against the versions in force on its effective date
  const { compiled, diagnostics, info } = compileSource(source, { file, modules, ...linkOptions(join(dir, 'policy.policy')) });
  const parsed = parseScenarios(suiteText, `policies/${id}/v${n}/scenarios.yaml`);

  describe(`${id} v${n}`, () => {
    it(`${id} v${n}: compiles with no errors and no warnings`, () => {
      const shown = diagnostics.filter((d) => d.severity !== 'info').map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code} ${d.message.zh}`);
      expect(shown).toEqual([]);
      expect(compiled).toBeDefined();
    });

    it(`${id} v${n}: header matches its folder, with effective date and note`, () => {
      expect(info?.id).toBe(id);
      expect(info?.effective).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(info?.note).toBeTruthy();
      expect(info?.sources.length).toBeGreaterThan(0);
    });

    it(`${id} v${n}: exposes the contract's outputs`, () => {
      const names = info?.outputs.map((o) => o.name) ?? [];
      for (const o of REQUIRED[id] ?? []) expect(names).toContain(o);
    });

    it(`${id} v${n}: an effective date the note calls a project convention is marked 假定`, () => {
      if (info?.note?.includes('约定')) expect(info.effectiveAssumed, 'write 生效 DATE 假定「…」').toBeTruthy();
    });

    it(`${id} v${n}: every parameter cites a source or is marked assumed`, () => {
      for (const p of info?.parameters ?? []) expect(p.sources.length > 0 || p.assumed !== null, p.name).toBe(true);
    });

    it(`${id} v${n}: scenario file parses and names this policy`, () => {
      expect(parsed.diagnostics.map((d) => d.message.zh)).toEqual([]);
      expect(parsed.suite?.policy).toBe(id);
      expect(parsed.suite?.scenarios.length ?? 0).toBeGreaterThanOrEqual(id.endsWith('-dibao') ? 15 : 8);
    });

    const effective = info?.effective ?? '';
    // The next version's effective date ends this one: a suite's dates fall in its own period.
    const next = versions.find((v) => v.id === id && v.n === n + 1);
    const until = next ? /生效\s+(\d{4}-\d{2}-\d{2})/.exec(existsSync(join(next.dir, 'policy.policy')) ? readFileSync(join(next.dir, 'policy.policy'), 'utf8') : '')?.[1] ?? '9999-12-31' : '9999-12-31';
    for (const s of parsed.suite?.scenarios ?? []) {
      it(`${id} v${n}: ${s.name}`, () => {
        expect(s.as_of >= effective && s.as_of < until, `as_of ${s.as_of} falls outside this version's period [${effective}, ${until})`).toBe(true);
        const report = runScenarios(compiled as CompiledPolicy, { policy: id, scenarios: [s] }, { trace: true, resolve });
        const r = report.results[0]!;
        const detail = r.error ?? JSON.stringify({ outputs: r.outputs.filter((o) => !o.ok), decided_by: r.decided_by?.filter((d) => !d.ok) });
        expect(r.ok, detail).toBe(true);
        for (const t of r.trace ?? []) {
          const entries = t.members ? t.members.map((m) => m.decided_by) : [t.decided_by];
          for (const d of entries) {
            expect(d.name, `${t.output}: decided by an unnamed ${d.kind}`).toBeTruthy();
            expect(d.sources.length, `${t.output}: ${d.name ?? d.kind} cites nothing`).toBeGreaterThan(0);
          }
        }
      });
    }
  });
}
