// @vitest-environment happy-dom
// The parameters table: value, unit, citation, legal range, assumed flag; editing a value edits
// the policy text at the value's range, and an out-of-range value is refused with the range.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { I18nProvider } from '../../studio/src/i18n/i18n';
import { ParameterTable } from '../../studio/src/parameters/ParameterTable';
import { compareDecimal, editParameter } from '../../studio/src/parameters/paramEdit';
import { params, paramSource } from './fixtures';

afterEach(cleanup);

function setup(lang: 'zh' | 'en' = 'zh') {
  const onSourceChange = vi.fn();
  render(<I18nProvider lang={lang}><ParameterTable source={paramSource} parameters={params} onSourceChange={onSourceChange} /></I18nProvider>);
  return onSourceChange;
}

describe('ParameterTable', () => {
  it('lists value, unit, citation, legal range and the assumed flag', () => {
    setup();
    expect((screen.getByTestId('param-value-城市低保标准') as HTMLInputElement).value).toBe('650');
    expect(screen.getByTestId('param-unit-城市低保标准').textContent).toBe('元/月');
    expect(screen.getByTestId('param-row-城市低保标准').textContent).toContain('001 第一章第一节');
    expect(screen.getByTestId('param-range-特殊成员加发比例').textContent).toBe('[0%, 100%]');
    expect(screen.getByTestId('param-range-城市低保标准').textContent).toBe('不限');
    expect(screen.getByTestId('param-assumed-低收入倍数').textContent).toContain('种子未给出');
    expect(screen.getByTestId('param-assumed-城市低保标准').textContent).toBe('—');
  });

  it('editing a value splices the new number into the source text', () => {
    const onSourceChange = setup();
    const input = screen.getByTestId('param-value-城市低保标准');
    fireEvent.change(input, { target: { value: '700' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onSourceChange).toHaveBeenCalledTimes(1);
    const [next, edit] = onSourceChange.mock.calls[0]!;
    expect(next).toBe(paramSource.replace('= 650 元/月', '= 700 元/月'));
    expect(edit).toMatchObject({ param: '城市低保标准', literal: '700 元/月' });
  });

  it('refuses an out-of-range value and shows the legal range', () => {
    const onSourceChange = setup();
    const input = screen.getByTestId('param-value-特殊成员加发比例');
    fireEvent.change(input, { target: { value: '150' } });
    fireEvent.blur(input);
    expect(onSourceChange).not.toHaveBeenCalled();
    expect(screen.getByTestId('param-error-特殊成员加发比例').textContent).toBe('值 150 超出法定范围 [0%, 100%]，未修改');
    fireEvent.change(input, { target: { value: '15' } });
    fireEvent.blur(input);
    expect(onSourceChange.mock.calls[0]![0]).toContain('= 15% 范围 [0%, 100%]');
  });

  it('refuses text that is not a number; English messages when switched', () => {
    const onSourceChange = setup('en');
    const input = screen.getByTestId('param-value-低收入倍数');
    fireEvent.change(input, { target: { value: 'abc' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.getByTestId('param-error-低收入倍数').textContent).toBe('Enter a number');
    fireEvent.change(input, { target: { value: '0.5' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.getByTestId('param-error-低收入倍数').textContent).toBe('Value 0.5 is outside the legal range [1, 3]; not changed');
    expect(onSourceChange).not.toHaveBeenCalled();
  });

  it('keeps the typed value when the owner cannot apply the edit yet', () => {
    const onSourceChange = vi.fn(() => false);
    render(<I18nProvider lang="zh"><ParameterTable source={paramSource} parameters={params} onSourceChange={onSourceChange} /></I18nProvider>);
    const input = screen.getByTestId('param-value-城市低保标准') as HTMLInputElement;
    fireEvent.change(input, { target: { value: '700' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onSourceChange).toHaveBeenCalledTimes(1);
    expect(input.value).toBe('700');
    expect(screen.getByTestId('param-error-城市低保标准').textContent).toContain('正在重新分析');
  });

  it('shows empty and no-info states', () => {
    render(<I18nProvider lang="zh"><ParameterTable source="" parameters={[]} onSourceChange={vi.fn()} /></I18nProvider>);
    expect(screen.getByTestId('params-empty')).toBeTruthy();
    cleanup();
    render(<I18nProvider lang="zh"><ParameterTable source="" parameters={null} onSourceChange={vi.fn()} /></I18nProvider>);
    expect(screen.getByTestId('params-noinfo')).toBeTruthy();
  });
});

describe('editParameter', () => {
  it('accepts the bounds themselves and compares decimals exactly', () => {
    expect(editParameter(paramSource, params[2]!, '3')).toMatchObject({ ok: true });
    expect(editParameter(paramSource, params[2]!, '3.000001')).toMatchObject({ ok: false, reason: 'out-of-range', min: '1', max: '3' });
    expect(editParameter(paramSource, params[1]!, '0')).toMatchObject({ ok: true, literal: '0%' });
    expect(compareDecimal('0.1', '0.10')).toBe(0);
    expect(compareDecimal('-2', '1')).toBe(-1);
    expect(compareDecimal('10', '9.99')).toBe(1);
  });
});
