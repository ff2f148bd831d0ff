// @vitest-environment happy-dom
// The explanation tree: outputs with their values, the deciding rule and its citations, the
// values used, and the jump to the rule's range.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { TraceTree, showValue } from '../../studio/src/explain/TraceTree';
import { I18nProvider } from '../../studio/src/i18n/i18n';
import { trace } from './fixtures';

afterEach(cleanup);

describe('TraceTree', () => {
  it('shows each output with its label and value', () => {
    render(<I18nProvider lang="zh"><TraceTree trace={trace} /></I18nProvider>);
    expect(screen.getByTestId('trace-output-eligible').textContent).toContain('是否符合');
    expect(screen.getByTestId('trace-value-monthly_amount').textContent).toBe('1085.00');
    expect(screen.getByTestId('trace-value-gradual_exit').textContent).toBe('false');
  });

  it('names the rule that decided, its citations, the values and inputs used', () => {
    render(<I18nProvider lang="zh"><TraceTree trace={trace} expanded={['monthly_amount']} /></I18nProvider>);
    const node = screen.getByTestId('trace-output-monthly_amount');
    expect(node.textContent).toContain('由规则「差额补助」决定');
    expect(screen.getByTestId('trace-sources-monthly_amount').textContent).toContain('001 第一章第一节');
    expect(screen.getByTestId('trace-sources-monthly_amount').textContent).toContain('国家规定');
    const defs = screen.getByTestId('trace-defs-monthly_amount').textContent!;
    expect(defs).toContain('人数');
    expect(defs).toContain('成员 m3');
    expect(screen.getByTestId('trace-inputs-monthly_amount').textContent).toContain('household.members[0].income_monthly = 900.00');
  });

  it('collapses and expands a node', () => {
    render(<I18nProvider lang="zh"><TraceTree trace={trace} expanded={[]} /></I18nProvider>);
    expect(screen.queryByTestId('trace-defs-eligible')).toBeNull();
    fireEvent.click(screen.getByTestId('trace-toggle-eligible'));
    expect(screen.getByTestId('trace-defs-eligible').textContent).toContain('低保标准');
    fireEvent.click(screen.getByTestId('trace-toggle-eligible'));
    expect(screen.queryByTestId('trace-defs-eligible')).toBeNull();
  });

  it('jumps to the deciding rule\'s range on click', () => {
    const onJump = vi.fn();
    render(<I18nProvider lang="zh"><TraceTree trace={trace} onJump={onJump} expanded={['monthly_amount']} /></I18nProvider>);
    fireEvent.click(screen.getByTestId('trace-jump-monthly_amount'));
    expect(onJump).toHaveBeenCalledWith(trace[1]!.decided_by.range);
  });

  it('speaks English when switched', () => {
    render(<I18nProvider lang="en"><TraceTree trace={trace} expanded={['monthly_amount']} /></I18nProvider>);
    expect(screen.getByTestId('trace-output-monthly_amount').textContent).toContain('Decided by rule "差额补助"');
    expect(screen.getByTestId('trace-output-monthly_amount').textContent).toContain('monthly_amount');
  });

  it('lists the assumptions the answer rests on above the tree, in both languages; none without assumptions', () => {
    const assumptions = [{ version: '2016-01-01', text: '生效日为约定' }, { parameter: '城市低保标准', text: '440 元沿用为假定' }];
    render(<I18nProvider lang="zh"><TraceTree trace={trace} assumptions={assumptions} /></I18nProvider>);
    const box = screen.getByTestId('trace-assumptions');
    expect(box.textContent).toContain('本结果依据的假定');
    expect(screen.getAllByTestId('trace-assumptions-item').map((e) => e.textContent)).toEqual(['生效日 2016-01-01：生效日为约定', '参数「城市低保标准」：440 元沿用为假定']);
    cleanup();
    render(<I18nProvider lang="en"><TraceTree trace={trace} assumptions={assumptions} /></I18nProvider>);
    expect(screen.getAllByTestId('trace-assumptions-item')[0]!.textContent).toBe('effective date 2016-01-01：生效日为约定');
    cleanup();
    render(<I18nProvider lang="zh"><TraceTree trace={trace} assumptions={[]} /></I18nProvider>);
    expect(screen.queryByTestId('trace-assumptions')).toBeNull();
  });

  it('shows an empty state without a trace, and formats values', () => {
    render(<I18nProvider lang="zh"><TraceTree trace={[]} /></I18nProvider>);
    expect(screen.getByTestId('trace-empty')).toBeTruthy();
    expect(showValue(null)).toBe('—');
    expect(showValue(['m1', 'm2'])).toBe('["m1","m2"]');
    expect(showValue({ m1: '10.00' })).toBe('{"m1":"10.00"}');
  });
});
