import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileSource, parseScenarios, runScenarios } from '../../dsl/index.js';

const modules = { 'common/household': readFileSync('policies/common/household.policy', 'utf8') };
const example = readFileSync('examples/dibao/policy.policy', 'utf8');

function compiled(src = example) {
  const r = compileSource(src, { modules });
  if (!r.compiled) throw new Error(JSON.stringify(r.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code} ${d.message.zh}`)));
  return r.compiled;
}

describe('evaluator', () => {
  it('compiles the example with no diagnostics at all', () => {
    const r = compileSource(example, { modules });
    expect(r.diagnostics.map((d) => `${d.range.start.line} ${d.code}`)).toEqual([]);
  });

  it('computes thirds exactly and rounds half-up once at the end', () => {
    const r = compiled().evaluate({ id: 'h', area: 'urban', members: [
      { id: 'a', birth_date: '1980-01-01', income_monthly: 1000 },
      { id: 'b', birth_date: '1980-01-01' },
      { id: 'c', birth_date: '2015-01-01' },
    ] }, '2024-06-01');
    expect(r).toMatchObject({ ok: true, outputs: { eligible: true, monthly_amount: '981.67' } });
  });

  it('computes an age on the birthday and the day before', () => {
    const h = (birth: string) => ({ id: 'h', area: 'urban', members: [{ id: 'a', birth_date: birth, income_monthly: 550 }] });
    // 650 − 550 = 100; a special member (60 or older) adds 10 → 110
    expect(compiled().evaluate(h('1964-06-01'), '2024-06-01')).toMatchObject({ outputs: { monthly_amount: '110.00' } });
    expect(compiled().evaluate(h('1964-06-02'), '2024-06-01')).toMatchObject({ outputs: { monthly_amount: '100.00' } });
  });

  it('reports every bad field with its JSON path and never throws', () => {
    const r = compiled().evaluate({ id: 'h', area: 'city', members: [{ id: 'a', birth_date: '2023-02-30', income_monthly: -5 }, { id: 'a', birth_date: '2000-01-01', income_monthly: '1.234' }] }, '2024-06-01');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path).sort()).toEqual([
      'household.area', 'household.members[0].birth_date', 'household.members[0].income_monthly',
      'household.members[1].id', 'household.members[1].income_monthly',
    ]);
    const empty = compiled().evaluate({ id: 'h', area: 'urban', members: [] }, '2024-06-01');
    expect(empty.ok ? [] : empty.errors.map((e) => e.path)).toEqual(['household.members']);
    expect(compiled().evaluate('nonsense', '2024-06-01').ok).toBe(false);
    expect(compiled().evaluate({}, 'yesterday').ok).toBe(false);
  });

  it('explains each output with the deciding rule, its citation and the values used', () => {
    const r = compiled().evaluate({ id: 'h', area: 'urban', dibao: { enrolled: true, monthly_amount: 500, income_exceeded_since: '2024-01-15' }, members: [{ id: 'a', birth_date: '1980-01-01', income_monthly: 2000 }] }, '2024-06-01', { trace: true });
    if (!r.ok) throw new Error('failed');
    const amount = r.trace!.find((t) => t.output === 'monthly_amount')!;
    expect(amount.value).toBe('500.00');
    expect(amount.decided_by).toMatchObject({ kind: 'exception', name: '渐退期', sources: ['002 第一条'] });
    expect(amount.definitions).toContainEqual(expect.objectContaining({ name: '人均收入', value: '2000.00' }));
    expect(amount.inputs).toContainEqual({ path: 'household.dibao.income_exceeded_since', value: '2024-01-15' });
    const eligible = r.trace!.find((t) => t.output === 'eligible')!;
    expect(eligible.decided_by).toMatchObject({ kind: 'expression', sources: ['001 第一章第一节'] });
  });

  it('ends the gradual exit twelve months after income first exceeded the standard', () => {
    const h = { id: 'h', area: 'urban', dibao: { enrolled: true, monthly_amount: 500, income_exceeded_since: '2024-01-15' }, members: [{ id: 'a', birth_date: '1980-01-01', income_monthly: 2000 }] };
    expect(compiled().evaluate(h, '2025-01-14')).toMatchObject({ outputs: { monthly_amount: '500.00' } });
    expect(compiled().evaluate(h, '2025-01-15')).toMatchObject({ outputs: { monthly_amount: '0.00' } });
  });

  it('runs the example scenario suite', () => {
    const { suite, diagnostics } = parseScenarios(readFileSync('examples/dibao/scenarios.yaml', 'utf8'));
    expect(diagnostics).toEqual([]);
    const report = runScenarios(compiled(), suite!);
    expect(report.results.filter((r) => !r.ok)).toEqual([]);
    expect(report.passed).toBe(4);
  });

  it('multiplies an amount per month or year by a duration, and adds a rate to a number', () => {
    const src = readFileSync('test/dsl/golden/good-gaps.policy', 'utf8');
    const r = compiled(src).evaluate({ id: 'h', area: 'urban', members: [{ id: 'a', birth_date: '1980-01-01' }] }, '2024-06-01');
    // 500 × 3 = 1500; 5520 / 12 × 6 = 2760 → 4260
    expect(r).toMatchObject({ ok: true, outputs: { lump: '4260.00', factor: '1.1', by_expense: 1, until: '2025-06-01' } });
  });
});

describe('household schema', () => {
  it('is exposed as JSON Schema with Chinese and English labels, enum labels and defaults', async () => {
    const { householdJsonSchema } = await import('../../dsl/index.js');
    const s = householdJsonSchema(modules) as { properties: Record<string, Record<string, unknown>>; required: string[] };
    expect(s.required).toEqual(['id', 'area', 'members']);
    expect(s.properties['area']).toMatchObject({ title: '城乡类别', 'x-label-en': 'Urban or rural', enum: ['urban', 'rural'], 'x-enum-labels': { urban: '城市', rural: '农村' }, 'x-enum-labels-en': { urban: 'urban', rural: 'rural' } });
    expect(s.properties['members']).toMatchObject({ type: 'array', minItems: 1, maxItems: 50 });
    const member = (s.properties['members']!['items'] as { properties: Record<string, Record<string, unknown>>; required: string[] });
    expect(member.required).toEqual(['id', 'birth_date']);
    expect(member.properties['income_monthly']).toMatchObject({ 'x-money': 'month', default: '0.00' });
    expect(member.properties['disability_type']!['type']).toEqual(['string', 'null']);
    expect(s.properties['hukou_county']).toMatchObject({ 'x-default-from': 'county' });
  });
  it('names every contract field, and only those', async () => {
    const { householdJsonSchema } = await import('../../dsl/index.js');
    const s = householdJsonSchema(modules) as { properties: Record<string, Record<string, unknown>> };
    expect(Object.keys(s.properties)).toEqual(['id', 'area', 'county', 'hukou_county', 'hukou_province', 'residence_code', 'hukou_code', 'residence_permit', 'distance_to_hq_km', 'border_regiment', 'rigid_expenditure_monthly', 'dibao', 'applies_single_person', 'members']);
    const member = s.properties['members']!['items'] as { properties: Record<string, unknown> };
    expect(Object.keys(member.properties)).toEqual(['id', 'birth_date', 'disability_level', 'disability_type', 'serious_illness', 'self_care', 'labor_capacity', 'income_monthly', 'income_previous_monthly', 'excluded_income_monthly', 'employment_cost_monthly', 'orphan', 'de_facto_unsupported', 'has_capable_supporter', 'institutional_care', 'tekun']);
    expect(Object.keys((s.properties['dibao']! as { properties: Record<string, unknown> }).properties)).toEqual(['enrolled', 'monthly_amount', 'income_exceeded_since']);
  });
});

describe('a policy that declares fields of its own', () => {
  it('validates and documents them with the common ones', async () => {
    const { policyJsonSchema } = await import('../../dsl/index.js');
    const src = readFileSync('policies/temporary-assistance/v1/policy.policy', 'utf8');
    const s = policyJsonSchema(src, modules) as { properties: Record<string, Record<string, unknown>> };
    expect(s.properties['incident_type']).toMatchObject({ enum: expect.arrayContaining(['emergency', 'expenditure']) });
    expect(s.properties['area']).toMatchObject({ enum: ['urban', 'rural'] });
    const c = compiled(src);
    const bad = c.evaluate({ id: 'h', area: 'urban', incident_type: 'flood', members: [{ id: 'a', birth_date: '1980-01-01' }] }, '2024-06-01');
    expect(bad.ok ? [] : bad.errors.map((e) => e.path)).toEqual(['household.incident_type']);
  });
});
