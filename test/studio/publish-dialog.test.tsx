// @vitest-environment happy-dom
// The publish confirmation against a fake runtime: it summarises 650 → 700 (parameters, rules
// diff, the server's scenario results), proposes the note and a date after the latest version's,
// refuses an equal date with the reason, and publishes with what it showed.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nProvider } from '../../studio/src/i18n/i18n';
import { PublishDialog } from '../../studio/src/versions/PublishDialog';
import type { Analysis } from '../../studio/src/language/protocol';
import type { PublishResult } from '../../studio/src/api/client';
import { params } from './fixtures';

const raised = params.map((p) => (p.name === '城市低保标准' ? { ...p, value: '700' } : p));
const analysis = {
  version: 1, source: '', scenariosText: '', diagnostics: [], hasErrors: false, compiled: true, scenarioDiagnostics: [],
  info: { id: 'p', title: 'x', program: '', jurisdiction: '', effective: '2022-01-01', note: 'old', sources: [], parameters: raised, outputs: [] },
  scenarios: [{ name: 's', as_of: '2024-06-01', household: {}, expect: {}, range: params[0]!.range }],
  report: { passed: 2, failed: 0, results: [] }, ms: 1,
} as unknown as Analysis;

const job = (id: string, revision: number, finished: string | null) => ({
  id, policy: 'p', status: 'done', finished_at: finished, progress: {}, result: null, error: null,
  request: { as_of: '2024-06-01', baseline: { version: 2 }, candidate: { version: 'draft', revision }, population: {} },
});
const group = (n: number) => ({ households: n, persons: 0, monthly_change: '0.00', average_change: '0.00', largest_change: '0.00' });
const totals = (recipients: number, monthly: string) => ({ eligible_households: 0, eligible_persons: 0, recipient_households: recipients, recipient_persons: 0, monthly_cost: monthly, yearly_cost: '0.00', services_budget_2pct: '0.00' });
const simResult = {
  population: { households: 10000 },
  totals: { baseline: totals(1200, '612345.50'), candidate: totals(1290, '690000.00'), change: { monthly_cost: '77654.50' } },
  changes: { lost: group(21), left: group(0), gained: group(1100), entered: group(90), unchanged: 0, neither: 0, histogram: [] },
};

let published: unknown[];
beforeEach(() => {
  published = [];
  vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
    const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    if (url === '/api/policies/p') return json({ id: 'p', info: { parameters: params } });
    if (url === '/api/policies/p/diff') {
      return json({ from: 2, to: 'draft', scenarios: { added: 0, removed: 0, lines: [] }, source: { added: 1, removed: 1, lines: [
        { op: 'remove', text: '参数 城市低保标准 = 650 元/月', from_line: 13, to_line: null },
        { op: 'add', text: '参数 城市低保标准 = 700 元/月', from_line: null, to_line: 13 },
      ] } });
    }
    if (url === '/api/policies/p/draft') return json({ source: '', scenarios: '', revision: 5 });
    if (url === '/api/simulations') return json({ jobs: [job('sim-old', 4, '2026-12-06T09:00:00Z'), job('sim-1', 5, '2026-12-06T09:30:00Z'), { ...job('sim-run', 5, null), status: 'running' }] });
    if (url === '/api/simulations/sim-1') return json({ ...job('sim-1', 5, '2026-12-06T09:30:00Z'), result: simResult });
    if (url === '/api/policies/p/draft/test') return json({ passed: 2, failed: 0, results: [{ name: 'a', ok: true, outputs: [] }, { name: 'b', ok: true, outputs: [] }] });
    if (url === '/api/policies/p/publish' && init?.method === 'POST') {
      published.push(JSON.parse(String(init.body)));
      return json({ status: 'published', version: { version: 3 } }, 201);
    }
    return json({ error: { code: 'route.not_found', message: url } }, 404);
  }));
});
afterEach(() => { cleanup(); vi.unstubAllGlobals(); });

function setup(lang: 'zh' | 'en' = 'zh') {
  const done = vi.fn<(r: PublishResult) => void>();
  const prepare = vi.fn(async () => true);
  render(<I18nProvider lang={lang}>
    <PublishDialog policyId="p" analysis={analysis} latest={{ version: 2, effective_from: '2022-01-01', note: null, hash: 'h' }} today="2026-12-06"
      save={async () => true} prepareAndSave={prepare} onDone={done} onClose={() => {}} />
  </I18nProvider>);
  return { done, prepare };
}

describe('PublishDialog', () => {
  it('summarises the raise, proposes the note and the first day of next month', async () => {
    setup();
    await screen.findByTestId('publish-params');
    expect(screen.getByTestId('publish-param-城市低保标准').textContent).toBe('城市低保标准650 元/月→700 元/月');
    expect((screen.getByTestId('publish-note') as HTMLTextAreaElement).value).toBe('城市低保标准 650 元/月 → 700 元/月');
    expect((screen.getByTestId('publish-effective') as HTMLInputElement).value).toBe('2027-01-01');
    expect(screen.getByTestId('publish-diff').textContent).toContain('−参数 城市低保标准 = 650 元/月');
    expect(screen.getByTestId('publish-tests').textContent).toBe('2/2 通过');
  });

  it('shows the figures of the finished simulation of this very draft revision (not an older one)', async () => {
    setup();
    const impact = await screen.findByTestId('publish-impact');
    expect(impact.textContent).toContain('测算 sim-1：10000 户，与第 2 版相比');
    expect(impact.textContent).toContain('每月支出 612,345.50 元 → 690,000.00 元（+77,654.50 元）');
    expect(impact.textContent).toContain('受助家庭 1200 户 → 1290 户');
    expect(impact.textContent).toContain('金额减少 21 户，不再享受 0 户');
  });

  it('refuses the latest version’s date with the reason, then publishes the date and note shown', async () => {
    const { done, prepare } = setup();
    await screen.findByTestId('publish-params');
    fireEvent.change(screen.getByTestId('publish-effective'), { target: { value: '2022-01-01' } });
    expect(screen.getByTestId('publish-date-error').textContent).toBe('不能与第 2 版的生效日期 2022-01-01 相同：那样第 2 版将从未生效，并改写该日起已作出的决定');
    expect((screen.getByTestId('publish-submit') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId('publish-effective'), { target: { value: '2027-03-01' } });
    expect(screen.queryByTestId('publish-date-error')).toBeNull();
    fireEvent.change(screen.getByTestId('publish-note'), { target: { value: '城市低保标准提高到 700 元/月' } });
    fireEvent.click(screen.getByTestId('publish-submit'));
    await waitFor(() => expect(done).toHaveBeenCalledTimes(1));
    expect(prepare).toHaveBeenCalledWith('2027-03-01', '城市低保标准提高到 700 元/月');
    expect(published).toEqual([{ effective_from: '2027-03-01', note: '城市低保标准提高到 700 元/月' }]);
    expect(done.mock.calls[0]![0]).toMatchObject({ kind: 'published', version: 3 });
  });

  it('asks to confirm a date more than 10 years ahead, and says so in English mode', async () => {
    setup('en');
    await screen.findByTestId('publish-params');
    expect(screen.getByTestId('publish-tests').textContent).toBe('2/2 passed');
    fireEvent.change(screen.getByTestId('publish-effective'), { target: { value: '2040-01-01' } });
    expect((screen.getByTestId('publish-submit') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('publish-far-future'));
    expect((screen.getByTestId('publish-submit') as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(screen.getByTestId('publish-submit'));
    await waitFor(() => expect(published).toEqual([{ effective_from: '2040-01-01', note: '城市低保标准 650 元/月 → 700 元/月', confirm_far_future: true }]));
  });
});
