// @vitest-environment happy-dom
// The Problems panel (issue 19): every diagnostic listed (none cut off after a fixed number),
// a count, jump on click, and a separator that resizes it with the keyboard within its bounds.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { I18nProvider } from '../../studio/src/i18n/i18n';
import { Problems } from '../../studio/src/editor/Problems';
import type { Analysis } from '../../studio/src/language/protocol';
import { range } from './fixtures';

afterEach(() => { cleanup(); localStorage.clear(); });

function analysisWith(n: number): Analysis {
  const diagnostics = Array.from({ length: n }, (_, i) => ({
    range: range(i + 1, 1, 2), severity: i % 2 ? 'warning' as const : 'error' as const, code: 'check.unknown-name', message: { zh: `错误 ${i + 1}`, en: `error ${i + 1}` },
  }));
  return { version: 1, source: '', scenariosText: '', hasErrors: true, info: null, compiled: false, ms: 1, diagnostics, scenarioDiagnostics: [], scenarios: [], report: null } as unknown as Analysis;
}

describe('Problems panel', () => {
  it('lists every diagnostic with a count, and jumps to one on click', () => {
    const onJump = vi.fn();
    render(<I18nProvider lang="zh"><Problems analysis={analysisWith(60)} onJump={onJump} /></I18nProvider>);
    expect(screen.getAllByRole('listitem')).toHaveLength(60);          // the old panel stopped at 50
    expect(screen.getByTestId('problems-count').textContent).toBe('30 个错误，共 60 条');
    fireEvent.click(screen.getByText('L60:1'));
    expect(onJump).toHaveBeenCalledWith(range(60, 1, 2));
  });

  it('is resized with the arrow keys on its separator, between 48 and 600 px, and remembers the height', () => {
    render(<I18nProvider lang="en"><Problems analysis={analysisWith(1)} onJump={() => {}} /></I18nProvider>);
    const sep = screen.getByRole('separator', { name: 'Resize the Problems panel (Up and Down arrow keys)' });
    const panel = screen.getByTestId('problems');
    expect(panel.style.height).toBe('120px');                             // the default
    fireEvent.keyDown(sep, { key: 'ArrowUp' });
    fireEvent.keyDown(sep, { key: 'ArrowUp' });
    expect(panel.style.height).toBe('168px');                             // 120 + 2 × 24
    expect(sep.getAttribute('aria-valuenow')).toBe('168');
    fireEvent.keyDown(sep, { key: 'PageDown' });
    expect(panel.style.height).toBe('48px');                              // 168 − 120, the minimum
    fireEvent.keyDown(sep, { key: 'Home' });
    expect(panel.style.height).toBe('600px');                             // the maximum
    expect(localStorage.getItem('studio.problemsHeight')).toBe('600');
    cleanup();
    render(<I18nProvider lang="en"><Problems analysis={null} onJump={() => {}} /></I18nProvider>);
    expect(screen.getByTestId('problems').style.height).toBe('600px');
    expect(screen.getByTestId('problems').textContent).toContain('No problems');
  });
});
