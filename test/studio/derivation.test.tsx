// @vitest-environment happy-dom
// The derivation in the explanation panel: the formula with the numbers, names that expand, and
// citations that jump to the clause that cites them. The trace is computed by the language from
// policies/dawukou-dibao/v2 for a couple aged 74 and 9 with 768.45 元 (584.71 by hand:
// 768.45 ÷ 2 = 384.225; (650 − 384.225) × 2 × 1.1 = 584.705 → 584.71).
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { compileSource } from '../../dsl/index.js';
import { TraceTree } from '../../studio/src/explain/TraceTree';
import { I18nProvider } from '../../studio/src/i18n/i18n';
import { householdModule } from './fixtures';

afterEach(cleanup);

function coupleTrace() {
  const c = compileSource(readFileSync('policies/dawukou-dibao/v2/policy.policy', 'utf8'), { modules: { 'common/household': householdModule } }).compiled!;
  const r = c.evaluate({ id: 'h', area: 'urban', members: [
    { id: 'm1', birth_date: '1950-03-01', income_monthly: '768.45' }, { id: 'm2', birth_date: '2015-01-01' },
  ] }, '2024-06-01', { trace: true });
  if (!r.ok) throw new Error('not evaluated');
  return r.trace!;
}

describe('Derivation in the explanation panel', () => {
  it('shows the formula with the numbers; a name expands; a citation jumps to the rule', () => {
    const onJump = vi.fn();
    const trace = coupleTrace();
    render(<I18nProvider lang="zh"><TraceTree trace={trace} onJump={onJump} expanded={['monthly_amount']} /></I18nProvider>);
    expect(screen.getByTestId('derivation-text-monthly_amount').textContent).toBe('月保障金额 = 舍入到分(265.775 × 2 + 10% × 265.775 × 2) = 584.71 元');
    expect(screen.queryByTestId('derivation-text-monthly_amount.人均补差.本地低保标准')).toBeNull();
    fireEvent.click(screen.getByTestId('derivation-toggle-monthly_amount.人均补差'));
    expect(screen.getByTestId('derivation-text-monthly_amount.人均补差.低保标准').textContent).toBe('本地低保标准（月） = 650 元（见上）');
    // 「001 第一章第一节」 is cited by the rule 差额补助: the jump goes to that clause
    const rule = trace.find((e) => e.output === 'monthly_amount')!.derivation!.rule!;
    fireEvent.click(screen.getByTestId('derivation-sources-monthly_amount').querySelectorAll('button')[1]!);
    expect(onJump).toHaveBeenCalledWith(rule.range);
    expect(rule.range.start.line).toBe(76);
  });

  it('keeps every value in the flat lists, folded beneath the derivation', () => {
    render(<I18nProvider lang="en"><TraceTree trace={coupleTrace()} expanded={['monthly_amount']} /></I18nProvider>);
    expect(screen.getByTestId('derivation-text-monthly_amount').textContent).toBe('月保障金额 = round(265.775 × 2 + 10% × 265.775 × 2) = 584.71 yuan');
    expect(screen.getByText('All values and household data used')).toBeTruthy();
    expect(screen.getByTestId('trace-defs-monthly_amount').textContent).toContain('人均补差');
  });
});
