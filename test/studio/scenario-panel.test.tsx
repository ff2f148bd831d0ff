// @vitest-environment happy-dom
// The live test panel and summary bar: pass/fail badges, expected vs actual for failures,
// "n/m 通过", the not-run state while the policy has errors; and the policy list screen's
// loading, table and error states.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nProvider } from '../../studio/src/i18n/i18n';
import { ScenarioPanel, SummaryBar } from '../../studio/src/scenarios/ScenarioPanel';
import { PolicyList } from '../../studio/src/policies/PolicyList';
import type { Analysis } from '../../studio/src/language/protocol';
import { range, trace } from './fixtures';

afterEach(() => { cleanup(); vi.unstubAllGlobals(); });

const scen = (name: string) => ({ name, as_of: '2024-06-01', household: {}, expect: {}, range: range(3, 1, 4) });
const analysis: Analysis = {
  version: 1, source: '', scenariosText: '', hasErrors: false, info: null, compiled: true, ms: 3,
  diagnostics: [{ range: range(1, 1, 1), severity: 'warning', code: 'check.unused-definition', message: { zh: '未使用', en: 'unused' } }],
  scenarioDiagnostics: [],
  scenarios: [scen('城市三口之家'), scen('农村独居老人')],
  report: {
    passed: 1, failed: 1, results: [
      { name: '城市三口之家', ok: true, range: range(3, 1, 4), outputs: [{ name: 'eligible', expected: true, actual: true, ok: true }] },
      { name: '农村独居老人', ok: false, range: range(3, 1, 4), outputs: [{ name: 'monthly_amount', expected: '460.00', actual: '506.00', ok: false }, { name: 'eligible', expected: true, actual: true, ok: true }], trace },
    ],
    diagnostics: [],
  },
};

function panel(a: Analysis, selected: number | null = null, extra: Partial<Parameters<typeof ScenarioPanel>[0]> = {}) {
  const props = { analysis: a, selected, onSelect: vi.fn(), onNew: vi.fn(), onEdit: vi.fn(), onJump: vi.fn(), onJumpScenario: vi.fn(), trace: selected != null ? trace : null, ...extra };
  render(<I18nProvider lang="zh"><ScenarioPanel {...props} /></I18nProvider>);
  return props;
}

describe('ScenarioPanel and SummaryBar', () => {
  it('shows n/m passed and the problem counts', () => {
    render(<I18nProvider lang="zh"><SummaryBar analysis={analysis} pending={false} /></I18nProvider>);
    expect(screen.getByTestId('summary-tests').textContent).toBe('1/2 通过');
    expect(screen.getByTestId('summary-errors').textContent).toContain('1 个警告');
    expect(screen.getByTestId('summary-bar').className).toContain('bad');
  });

  it('says the tests did not run while the policy has errors', () => {
    const broken = { ...analysis, hasErrors: true, report: null, diagnostics: [{ ...analysis.diagnostics[0]!, severity: 'error' as const }] };
    render(<I18nProvider lang="zh"><SummaryBar analysis={broken} pending={false} /></I18nProvider>);
    expect(screen.getByTestId('summary-tests').textContent).toContain('未运行');
    expect(screen.getByTestId('summary-errors').textContent).toBe('1 个错误');
  });

  it('badges each scenario and shows expected vs actual for the failing outputs only', () => {
    panel(analysis);
    expect(screen.getByTestId('scenario-0').dataset.state).toBe('pass');
    expect(screen.getByTestId('scenario-1').dataset.state).toBe('fail');
    const row = screen.getByTestId('scenario-diff-1-monthly_amount');
    expect(row.textContent).toBe('monthly_amount460.00 →506.00');   // old → new
    expect(screen.queryByTestId('scenario-diff-1-eligible')).toBeNull();
  });

  it('selecting a scenario shows its explanation; the rule link jumps', () => {
    const p = panel(analysis, 1);
    fireEvent.click(screen.getByTestId('scenario-select-0'));
    expect(p.onSelect).toHaveBeenCalledWith(0);
    expect(screen.getByTestId('explanation').textContent).toContain('农村独居老人');
    fireEvent.click(screen.getByTestId('trace-jump-monthly_amount'));
    expect(p.onJump).toHaveBeenCalledWith(trace[1]!.decided_by.range);
    fireEvent.click(screen.getByTestId('scenario-edit'));
    expect(p.onEdit).toHaveBeenCalledWith(1);
  });
});

describe('PolicyList', () => {
  const policies = [
    { id: 'dawukou-dibao', title: '大武口区城乡最低生活保障', program: '最低生活保障', jurisdiction: '大武口区', latest_version: 2, latest_effective_from: '2022-01-01', draft_status: 'changed', assumed_parameters: 1 },
    { id: 'dawukou-tekun', title: '特困人员救助供养', program: '特困人员救助供养', jurisdiction: '大武口区', latest_version: null, latest_effective_from: null, draft_status: 'new', assumed_parameters: 0 },
  ];

  it('lists policies with version, effective date, draft status and assumed count; search filters', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ policies }), { status: 200, headers: { 'content-type': 'application/json' } })));
    render(<I18nProvider lang="zh"><PolicyList /></I18nProvider>);
    expect(screen.getByTestId('loading')).toBeTruthy();
    await waitFor(() => screen.getByTestId('policy-table'));
    const row = screen.getByTestId('policy-row-dawukou-dibao').textContent!;
    expect(row).toContain('v2');
    expect(row).toContain('2022-01-01');
    expect(row).toContain('有未发布改动');
    expect(screen.getByTestId('policy-assumed-dawukou-dibao').textContent).toBe('1');
    expect(screen.getByTestId('policy-row-dawukou-tekun').textContent).toContain('未发布');
    fireEvent.change(screen.getByTestId('policy-search'), { target: { value: '特困' } });
    expect(screen.queryByTestId('policy-row-dawukou-dibao')).toBeNull();
    fireEvent.change(screen.getByTestId('policy-search'), { target: { value: '没有这个' } });
    expect(screen.getByTestId('policy-list-nomatch')).toBeTruthy();
  });

  it('shows the API error with a retry', async () => {
    const f = vi.fn(async () => new Response(JSON.stringify({ error: { code: 'auth.required', message: '需要 API 密钥', details: [] } }), { status: 401, headers: { 'content-type': 'application/json' } }));
    vi.stubGlobal('fetch', f);
    render(<I18nProvider lang="zh"><PolicyList /></I18nProvider>);
    await waitFor(() => screen.getByTestId('error-state'));
    expect(screen.getByTestId('error-state').textContent).toContain('需要 API 密钥');
    expect(screen.getByTestId('error-state').textContent).toContain('401');
    fireEvent.click(screen.getByText('重试'));
    expect(f).toHaveBeenCalledTimes(2);
  });
});
