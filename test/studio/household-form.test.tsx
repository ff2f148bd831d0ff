// @vitest-environment happy-dom
// The schema-generated household form: fields and labels from the real household schema,
// enums as selects, member table add/remove, "fill expected from current result", and saving
// the scenario into the suite's YAML.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { parse as parseYaml } from 'yaml';
import { I18nProvider } from '../../studio/src/i18n/i18n';
import { ScenarioForm } from '../../studio/src/household/ScenarioForm';
import { householdFields, newHousehold, pruneDefaults, type FieldSpec } from '../../studio/src/household/schemaForm';
import { readScenarios, upsertScenario } from '../../studio/src/scenarios/yamlSuite';
import type { EvalResult, OutputInfo } from '../../studio/src/language/types';
import { realSchema } from './fixtures';

afterEach(cleanup);

const fields = householdFields(realSchema);
const byName = (fs: FieldSpec[], n: string) => fs.find((f) => f.name === n)!;
const outputs: OutputInfo[] = [
  { name: 'eligible', label: '是否符合', labelEn: null, type: '布尔', perMember: false },
  { name: 'monthly_amount', label: '月保障金额', labelEn: null, type: '金额/月', perMember: false },
  { name: 'single_person_members', label: null, labelEn: null, type: '文本列表 text list', perMember: false },
  { name: 'gradual_exit_until', label: '渐退期截止日', labelEn: null, type: '日期 date', perMember: false },
];

describe('household schema → form fields', () => {
  it('reads kinds, Chinese labels, enum labels, defaults and nesting from the JSON Schema', () => {
    expect(byName(fields, 'area')).toMatchObject({ kind: 'enum', label: '城乡类别', required: true });
    expect(byName(fields, 'area').enumValues).toEqual([
      { value: 'urban', label: '城市', labelEn: 'urban' }, { value: 'rural', label: '农村', labelEn: 'rural' },
    ]);
    expect(byName(fields, 'rigid_expenditure_monthly')).toMatchObject({ kind: 'money', required: false });
    expect(byName(fields, 'residence_permit')).toMatchObject({ kind: 'bool', default: false });
    expect(byName(fields, 'applies_single_person').kind).toBe('textlist');
    const dibao = byName(fields, 'dibao');
    expect(dibao.kind).toBe('object');
    expect(byName(dibao.fields, 'income_exceeded_since')).toMatchObject({ kind: 'date', nullable: true });
    const members = byName(fields, 'members');
    expect(members).toMatchObject({ kind: 'list', min: 1, max: 50, label: '家庭成员' });
    expect(byName(members.fields, 'birth_date')).toMatchObject({ kind: 'date', required: true, label: '出生日期' });
    expect(byName(members.fields, 'disability_type')).toMatchObject({ kind: 'enum', nullable: true });
    expect(byName(members.fields, 'disability_level')).toMatchObject({ kind: 'integer', min: 0, max: 4 });
  });

  it('starts a household with the required fields and prunes defaults when saving', () => {
    const h = newHousehold(fields);
    expect(h).toMatchObject({ id: 'h1', area: 'urban', members: [{ id: 'm1', birth_date: '1980-01-01' }] });
    const pruned = pruneDefaults(fields, { ...h, residence_permit: false, county: '', members: [{ id: 'm1', birth_date: '1980-01-01', income_monthly: '0.00', serious_illness: true }] });
    expect(pruned).toEqual({ id: 'h1', area: 'urban', members: [{ id: 'm1', birth_date: '1980-01-01', serious_illness: true }] });
  });

  it('also understands x-label-en, $ref and nullable anyOf schemas', () => {
    const fs = householdFields({
      type: 'object', required: ['kind'],
      properties: {
        kind: { $ref: '#/$defs/kind' },
        since: { anyOf: [{ type: 'string', format: 'date' }, { type: 'null' }], title: '起始日' },
      },
      $defs: { kind: { type: 'string', enum: ['a', 'b'], title: '类别', 'x-label-en': 'Kind', 'x-enum-labels': { a: { zh: '甲', en: 'A' }, b: '乙' } } },
    });
    expect(fs[0]).toMatchObject({ kind: 'enum', label: '类别', labelEn: 'Kind' });
    expect(fs[0]!.enumValues).toEqual([{ value: 'a', label: '甲', labelEn: 'A' }, { value: 'b', label: '乙', labelEn: 'b' }]);
    expect(fs[1]).toMatchObject({ kind: 'date', nullable: true, label: '起始日' });
  });
});

describe('ScenarioForm', () => {
  function setup(onEvaluate = vi.fn(async (): Promise<EvalResult> => ({ ok: true, outputs: { eligible: true, monthly_amount: '700.00', single_person_members: [] } }))) {
    const onSave = vi.fn();
    render(<I18nProvider lang="zh"><ScenarioForm fields={fields} outputs={outputs} defaultAsOf="2024-06-01" onEvaluate={onEvaluate} onSave={onSave} /></I18nProvider>);
    return { onSave, onEvaluate };
  }

  it('renders Chinese labels, enums as selects, dates as date inputs', () => {
    setup();
    expect(screen.getByTestId('household-form').textContent).toContain('城乡类别');
    const area = screen.getByTestId('hh-area') as HTMLSelectElement;
    expect(area.tagName).toBe('SELECT');
    expect([...area.options].map((o) => o.textContent)).toEqual(['城市 (urban)', '农村 (rural)']);
    expect((screen.getByTestId('hh-members-0-birth_date') as HTMLInputElement).type).toBe('date');
    expect((screen.getByTestId('hh-members-0-self_care') as HTMLSelectElement).tagName).toBe('SELECT');
  });

  it('adds and removes members (never below the schema minimum of 1)', () => {
    setup();
    expect(screen.getByTestId('hh-members-remove-0')).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByTestId('hh-members-add'));
    fireEvent.click(screen.getByTestId('hh-members-add'));
    expect((screen.getByTestId('hh-members-2-id') as HTMLInputElement).value).toBe('m3');
    fireEvent.click(screen.getByTestId('hh-members-remove-1'));
    expect(screen.queryByTestId('hh-members-row-2')).toBeNull();
    expect((screen.getByTestId('hh-members-1-id') as HTMLInputElement).value).toBe('m3');
  });

  it('fills expected outputs from the current result and saves the scenario', async () => {
    const { onSave, onEvaluate } = setup();
    fireEvent.change(screen.getByTestId('scenario-name'), { target: { value: '城市单人，月收入 300' } });
    fireEvent.change(screen.getByTestId('hh-area'), { target: { value: 'rural' } });
    fireEvent.change(screen.getByTestId('hh-members-0-income_monthly'), { target: { value: '300' } });
    fireEvent.click(screen.getByTestId('fill-expected'));
    await waitFor(() => expect((screen.getByTestId('expect-monthly_amount') as HTMLInputElement).value).toBe('700.00'));
    expect(onEvaluate).toHaveBeenCalledWith({ id: 'h1', area: 'rural', members: [{ id: 'm1', birth_date: '1980-01-01', income_monthly: '300' }] }, '2024-06-01');
    expect((screen.getByTestId('expect-eligible') as HTMLSelectElement).value).toBe('true');
    // the empty list of the result is an empty field saying so, not a raw "[]"
    expect((screen.getByTestId('expect-single_person_members') as HTMLInputElement).value).toBe('');
    expect((screen.getByTestId('expect-single_person_members') as HTMLInputElement).placeholder).toBe('无（空列表）');
    fireEvent.click(screen.getByTestId('save-scenario'));
    expect(onSave).toHaveBeenCalledWith({
      name: '城市单人，月收入 300', as_of: '2024-06-01',
      household: { id: 'h1', area: 'rural', members: [{ id: 'm1', birth_date: '1980-01-01', income_monthly: '300' }] },
      expect: { eligible: true, monthly_amount: '700.00', single_person_members: [] },
    });
  });

  describe('expected values that are absent or empty lists', () => {
    // as dawukou-dibao v2's first scenario writes them; m3's explicit income 0 is a default
    const initial = {
      name: '城市三口之家', as_of: '2024-06-01',
      household: { id: 'dw2-01', area: 'urban', members: [{ id: 'm1', birth_date: '1985-01-01', income_monthly: 600 }, { id: 'm3', birth_date: '1990-01-01', income_monthly: 0 }] },
      expect: { eligible: true, monthly_amount: '950.00', single_person_members: [], gradual_exit_until: null },
      decided_by: { monthly_amount: '差额补助' },
    };
    function edit(lang: 'zh' | 'en' = 'zh') {
      const onSave = vi.fn();
      render(<I18nProvider lang={lang}><ScenarioForm fields={fields} outputs={outputs} initial={initial} onEvaluate={vi.fn()} onSave={onSave} /></I18nProvider>);
      const input = (n: string) => screen.getByTestId(`expect-${n}`) as HTMLInputElement;
      return { onSave, input };
    }

    it('shows them as empty checked fields whose placeholder names the empty value, in either language', () => {
      const { input } = edit();
      expect(input('single_person_members').value).toBe('');
      expect(input('single_person_members').placeholder).toBe('无（空列表）');
      expect(input('gradual_exit_until').value).toBe('');
      expect(input('gradual_exit_until').placeholder).toBe('无（空值）');
      expect((screen.getByTestId('expect-check-gradual_exit_until') as HTMLInputElement).checked).toBe(true);
      expect(input('monthly_amount').value).toBe('950.00');
      cleanup();
      const en = edit('en');
      expect(en.input('single_person_members').placeholder).toBe('none (empty list)');
      expect(en.input('gradual_exit_until').placeholder).toBe('none (no value)');
    });

    it('saves an untouched form as the scenario was, household included', () => {
      const { onSave } = edit();
      fireEvent.click(screen.getByTestId('save-scenario'));
      expect(onSave).toHaveBeenCalledWith(initial);
    });

    it('saves what is typed as the typed value: member ids as a list, a date as text; an emptied field is no longer checked', () => {
      const { onSave, input } = edit();
      fireEvent.change(input('single_person_members'), { target: { value: 'm1，m3' } });
      fireEvent.change(input('gradual_exit_until'), { target: { value: '2025-01-01' } });
      fireEvent.change(input('monthly_amount'), { target: { value: '' } });
      expect((screen.getByTestId('expect-check-monthly_amount') as HTMLInputElement).checked).toBe(false);
      expect(input('monthly_amount').placeholder).toBe('');
      fireEvent.click(screen.getByTestId('save-scenario'));
      expect(onSave.mock.calls[0]![0].expect).toEqual({ eligible: true, single_person_members: ['m1', 'm3'], gradual_exit_until: '2025-01-01' });
    });

    it('a value cleared and then checked again saves the empty value: [] for a list, null otherwise', () => {
      const { onSave, input } = edit();
      fireEvent.change(input('single_person_members'), { target: { value: 'm1' } });
      fireEvent.change(input('single_person_members'), { target: { value: '' } });
      fireEvent.click(screen.getByTestId('expect-check-single_person_members'));
      fireEvent.change(input('monthly_amount'), { target: { value: '' } });
      fireEvent.click(screen.getByTestId('expect-check-monthly_amount'));
      expect(input('monthly_amount').placeholder).toBe('无（空值）');
      fireEvent.click(screen.getByTestId('save-scenario'));
      expect(onSave.mock.calls[0]![0].expect).toEqual({ eligible: true, monthly_amount: null, single_person_members: [], gradual_exit_until: null });
    });
  });

  it('refuses to save without a name and shows household errors from the evaluation', async () => {
    const { onSave } = setup(vi.fn(async (): Promise<EvalResult> => ({ ok: false, errors: [{ path: 'household.members[0].birth_date', message: { zh: '不是日期', en: 'not a date' } }] })));
    fireEvent.click(screen.getByTestId('fill-expected'));
    await waitFor(() => expect(screen.getByTestId('form-errors').textContent).toContain('household.members[0].birth_date: 不是日期'));
    expect(screen.getByTestId('form-errors').textContent).not.toContain('not a date');
    fireEvent.click(screen.getByTestId('save-scenario'));
    expect(onSave).not.toHaveBeenCalled();
    expect(screen.getByTestId('form-errors').textContent).toContain('请填写用例名称');
  });

  it('shows English labels when switched', () => {
    render(<I18nProvider lang="en"><ScenarioForm fields={fields} outputs={outputs} onEvaluate={vi.fn()} onSave={vi.fn()} /></I18nProvider>);
    expect(screen.getByTestId('household-form').textContent).toContain('Fill expected outputs from current result');
    expect(screen.getByTestId('household-form').textContent).toContain('Monthly income');
    expect(screen.getByTestId('household-form').textContent).toContain('Urban or rural');
  });
});

describe('saving into the suite YAML', () => {
  const suite = '# 手写的测试用例\npolicy: p\nscenarios:\n  - name: 已有\n    as_of: 2024-06-01\n    household: { id: h, area: urban, members: [{ id: m1, birth_date: 1980-01-01 }] }\n    expect:\n      eligible: true  # 注释保留\n';
  const s = { name: '新的', as_of: '2024-06-01', household: { id: 'h2', area: 'urban', members: [{ id: 'm1', birth_date: '1990-01-01' }] }, expect: { monthly_amount: '650.00', eligible: true } };

  it('appends a scenario, keeping comments and quoting money', () => {
    const out = upsertScenario(suite, s);
    expect(out).toContain('# 手写的测试用例');
    expect(out).toContain('# 注释保留');
    expect(out).toContain('monthly_amount: "650.00"');
    const data = parseYaml(out) as { scenarios: { name: string; expect: Record<string, unknown> }[] };
    expect(data.scenarios.map((x) => x.name)).toEqual(['已有', '新的']);
    expect(data.scenarios[1]!.expect.monthly_amount).toBe('650.00');
    expect(readScenarios(out)[1]).toMatchObject({ name: '新的', as_of: '2024-06-01' });
  });

  it('edits a scenario in place, keeping the comments of what did not change', () => {
    const withDecided = suite + '    decided_by: { monthly_amount: 差额补助 }\n';
    const [current] = readScenarios(withDecided);
    const out = upsertScenario(withDecided, { ...current!, expect: { eligible: true, monthly_amount: '650.00' } }, { replaceIndex: 0 });
    expect(out).toContain('eligible: true # 注释保留');
    expect(out).toContain('monthly_amount: "650.00"');
    expect(out).toContain('decided_by: { monthly_amount: 差额补助 }');
    const data = parseYaml(out) as { scenarios: { name: string; household: unknown }[] };
    expect(data.scenarios).toHaveLength(1);
    expect(data.scenarios[0]!.household).toEqual(current!.household);
  });

  it('changes nothing else, byte for byte: an untouched save, the other scenarios\' flow lists', () => {
    // hand-written flow lists are [m2]; the yaml package alone would re-print every one as [ m2 ]
    const two = suite + '  - name: 单人户\n    as_of: 2024-06-01\n    household: { id: h3, area: urban, applies_single_person: [m2], members: [{ id: m1, birth_date: 1980-01-01 }] }\n    expect: { eligible: true, single_person_members: [m2] }\n';
    const [first, second] = readScenarios(two);
    expect(upsertScenario(two, first!, { replaceIndex: 0 })).toBe(two);
    expect(upsertScenario(two, second!, { replaceIndex: 1 })).toBe(two);
    const edited = upsertScenario(two, { ...first!, expect: { eligible: false } }, { replaceIndex: 0 });
    // the edited scenario is re-printed; the one after it is as written
    expect(edited.endsWith(two.slice(two.indexOf('  - name: 单人户')))).toBe(true);
    expect(edited.startsWith('# 手写的测试用例\npolicy: p\nscenarios:\n  - name: 已有\n')).toBe(true);
    expect(readScenarios(edited)[0]!.expect).toEqual({ eligible: false });
    const appended = upsertScenario(two, s);
    expect(appended.startsWith(two)).toBe(true);
    expect(readScenarios(appended).map((x) => x.name)).toEqual(['已有', '单人户', '新的']);
  });

  it('replaces a changed household, and starts a suite from empty text', () => {
    const out = upsertScenario(suite, s, { replaceIndex: 0 });
    expect((parseYaml(out) as { scenarios: { name: string }[] }).scenarios.map((x) => x.name)).toEqual(['新的']);
    const fresh = parseYaml(upsertScenario('', s, { policyId: 'p' })) as { policy: string; scenarios: unknown[] };
    expect(fresh.policy).toBe('p');
    expect(fresh.scenarios).toHaveLength(1);
  });
});
