// @vitest-environment happy-dom
// Accepting changed results after a deliberate change (650 → 700): the panel shows each changed
// expected value as old → new and offers accept per scenario and for all; accepting rewrites the
// scenarios YAML in place (comments kept) with a comment naming who accepted what and when.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { I18nProvider } from '../../studio/src/i18n/i18n';
import { ScenarioPanel } from '../../studio/src/scenarios/ScenarioPanel';
import { acceptResults } from '../../studio/src/scenarios/acceptResults';
import type { Analysis } from '../../studio/src/language/protocol';
import { range } from './fixtures';

afterEach(() => { cleanup(); });

const scen = (name: string) => ({ name, as_of: '2024-06-01', household: {}, expect: {}, range: range(3, 1, 4) });
// three scenarios after 650 → 700: one passes, one only changed its amount, one fails on a rule
const analysis: Analysis = {
  version: 1, source: '', scenariosText: '', hasErrors: false, info: null, compiled: true, ms: 3, diagnostics: [], scenarioDiagnostics: [],
  scenarios: [scen('a'), scen('b'), scen('c')],
  report: {
    passed: 1, failed: 2, diagnostics: [], results: [
      { name: 'a', ok: true, range: range(3, 1, 4), outputs: [{ name: 'eligible', expected: true, actual: true, ok: true }] },
      { name: 'b', ok: false, range: range(3, 1, 4), outputs: [{ name: 'monthly_amount', expected: '584.71', actual: '684.71', ok: false }, { name: 'eligible', expected: true, actual: true, ok: true }] },
      { name: 'c', ok: false, range: range(3, 1, 4), outputs: [{ name: 'eligible', expected: false, actual: true, ok: false }, { name: 'monthly_amount', expected: '0.00', actual: '35.00', ok: false }] },
    ],
  },
};

function panel(extra: Partial<Parameters<typeof ScenarioPanel>[0]> = {}) {
  const props = { analysis, selected: null, onSelect: vi.fn(), onJump: vi.fn(), onJumpScenario: vi.fn(), trace: null, onAccept: vi.fn(), ...extra };
  render(<I18nProvider lang="zh"><ScenarioPanel {...props} /></I18nProvider>);
  return props;
}

describe('accepting changed results in the panel', () => {
  it('shows old → new and accepts one scenario or all of them', () => {
    const p = panel();
    expect(screen.getByTestId('scenario-diff-1-monthly_amount').textContent).toBe('monthly_amount584.71 →684.71');
    expect(screen.getByTestId('accept-all').textContent).toBe('全部接受新结果（2）');
    fireEvent.click(screen.getByTestId('accept-1'));
    expect(p.onAccept).toHaveBeenLastCalledWith([{ index: 1, outputs: [{ name: 'monthly_amount', expected: '584.71', actual: '684.71' }] }]);
    fireEvent.click(screen.getByTestId('accept-all'));
    expect(p.onAccept).toHaveBeenLastCalledWith([
      { index: 1, outputs: [{ name: 'monthly_amount', expected: '584.71', actual: '684.71' }] },
      { index: 2, outputs: [{ name: 'eligible', expected: false, actual: true }, { name: 'monthly_amount', expected: '0.00', actual: '35.00' }] },
    ]);
  });

  it('a role that cannot edit gets no accept buttons', () => {
    panel({ onAccept: undefined });
    expect(screen.queryByTestId('accept-all')).toBeNull();
    expect(screen.queryByTestId('accept-1')).toBeNull();
  });
});

describe('acceptResults rewrites the YAML in place', () => {
  const yaml = [
    'policy: dawukou-dibao',
    '# 城市户，标准 650',
    'scenarios:',
    '  - name: b  # 三口之家',
    '    as_of: 2024-06-01',
    '    household: { id: h1 }',
    '    expect: { eligible: true, monthly_amount: "584.71" }',
    '  - name: c',
    '    as_of: 2024-06-01',
    '    household: { id: h2 }',
    '    expect:',
    '      eligible: false',
    '      monthly_amount: "0.00"  # 不符合',
    '',
  ].join('\n');

  it('sets the new values, keeps the comments and quoting, and notes who accepted what', () => {
    const out = acceptResults(yaml, [
      { index: 0, outputs: [{ name: 'monthly_amount', expected: '584.71', actual: '684.71' }] },
      { index: 1, outputs: [{ name: 'eligible', expected: false, actual: true }, { name: 'monthly_amount', expected: '0.00', actual: '35.00' }] },
    ], { who: 'eve', date: '2026-12-06' });
    expect(out).toBe([
      'policy: dawukou-dibao',
      '# 城市户，标准 650',
      'scenarios:',
      '  - name: b # 三口之家',
      '    as_of: 2024-06-01',
      '    household: { id: h1 }',
      '    # 2026-12-06 eve 接受新结果 / accepted: monthly_amount 584.71 → 684.71',
      '    expect: { eligible: true, monthly_amount: "684.71" }',
      '  - name: c',
      '    as_of: 2024-06-01',
      '    household: { id: h2 }',
      '    # 2026-12-06 eve 接受新结果 / accepted: eligible false → true; monthly_amount 0.00 → 35.00',
      '    expect:',
      '      eligible: true',
      '      monthly_amount: "35.00" # 不符合',
      '',
    ].join('\n'));
  });

  it('refuses a scenario that is no longer there', () => {
    expect(() => acceptResults(yaml, [{ index: 5, outputs: [] }], { who: 'eve', date: '2026-12-06' })).toThrow('scenarios[5]: missing');
  });
});
