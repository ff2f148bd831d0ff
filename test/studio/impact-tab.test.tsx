// @vitest-environment happy-dom
// The Impact tab (issue 7) rendering a fixture job: the request it sends, the progress bar and
// cancel, the before/after cost and the 2% services budget as the API sends them, the changes
// histogram, the changed-households table, and a household's explanation (regenerated from
// the population's seed and evaluated under both versions). fetch is mocked; the real data flow
// is covered by test/e2e/impact.test.ts. Plus the exact money helpers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ImpactTab, impactTabLabel } from '../../studio/src/impact/ImpactTab';
import { cmpYuan, fenToYuan, groupDigits, ratio, signed, subYuan, toFen } from '../../studio/src/impact/money';
import type { JobView, SimulationResult } from '../../studio/src/impact/types';
import { I18nProvider, translate } from '../../studio/src/i18n/i18n';
import { dict } from '../../studio/src/i18n/dict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trace } from './fixtures';

vi.mock('../../studio/src/impact/draftEval', () => ({
  evaluateDraft: vi.fn(async () => ({ ok: true, outputs: { eligible: true, monthly_amount: '1085.00' }, trace })),
  disposeDraftEvaluator: vi.fn(),
  DraftNotCompilable: class extends Error {},
}));
import { evaluateDraft } from '../../studio/src/impact/draftEval';

const POLICY = 'dawukou-dibao';

const result: SimulationResult = {
  as_of: '2025-06-01',
  baseline: { label: 'dawukou-dibao v2', policy: POLICY, version: 2, effective_from: '2022-01-01', title: '大武口区城乡最低生活保障' },
  candidate: { label: 'dawukou-dibao 草稿 draft r3', policy: POLICY, version: 'draft', effective_from: null, title: '大武口区城乡最低生活保障' },
  population: { source: 'generated: dawukou ×2000 (seed 7)', households: 2000, persons: 5312, invalid: 0, errors: [] },
  totals: {
    baseline: { eligible_households: 301, eligible_persons: 598, recipient_households: 305, recipient_persons: 602, single_person_units: 4, gradual_exit_households: 4, monthly_cost: '203456.10', yearly_cost: '2441473.20', services_budget_2pct: '48829.46' },
    candidate: { eligible_households: 330, eligible_persons: 660, recipient_households: 334, recipient_persons: 664, single_person_units: 4, gradual_exit_households: 4, monthly_cost: '231789.30', yearly_cost: '2781471.60', services_budget_2pct: '55629.43' },
    change: { recipient_households: 29, recipient_persons: 62, monthly_cost: '28333.20', yearly_cost: '339998.40', services_budget_2pct: '6799.97' },
  },
  by_area: {
    rural: { baseline: { households: 40, persons: 90, monthly_cost: '12000.00' }, candidate: { households: 40, persons: 90, monthly_cost: '12000.00' }, change_monthly: '0.00' },
    urban: { baseline: { households: 265, persons: 512, monthly_cost: '191456.10' }, candidate: { households: 294, persons: 574, monthly_cost: '219789.30' }, change_monthly: '28333.20' },
  },
  by_county: {},
  by_category: {
    elderly: { baseline: { households: 80, persons: 100, monthly_cost: '50000.00' }, candidate: { households: 85, persons: 106, monthly_cost: '55000.50' }, change_monthly: '5000.50' },
  },
  changes: {
    entered: { households: 29, persons: 62, monthly_change: '2100.50', average_change: '72.43', largest_change: '150.00' },
    left: { households: 0, persons: 0, monthly_change: '0.00', average_change: '0.00', largest_change: '0.00' },
    gained: { households: 270, persons: 540, monthly_change: '26232.70', average_change: '97.16', largest_change: '250.00' },
    lost: { households: 1, persons: 1, monthly_change: '-0.00', average_change: '0.00', largest_change: '0.00' },
    unchanged: 5, neither: 1695,
    histogram: [
      { from: null, to: '-500.00', households: 0 }, { from: '-500.00', to: '-200.00', households: 0 },
      { from: '-200.00', to: '-100.00', households: 0 }, { from: '-100.00', to: '-50.00', households: 0 },
      { from: '-50.00', to: '0.00', households: 1 }, { from: '0.00', to: '50.00', households: 40 },
      { from: '50.00', to: '100.00', households: 180 }, { from: '100.00', to: '200.00', households: 70 },
      { from: '200.00', to: '500.00', households: 9 }, { from: '500.00', to: null, households: 0 },
    ],
  },
  distribution: { buckets: [{ from: '0.00', to: '100.00', baseline: 20, candidate: 18 }, { from: '100.00', to: null, baseline: 285, candidate: 316 }] },
  samples: {
    entered: [{ index: 11, id: 'DWK0000012', baseline: '0.00', candidate: '35.50', change: '35.50' }],
    left: [],
    gained: [
      { index: 3, id: 'DWK0000004', baseline: '650.00', candidate: '700.00', change: '50.00' },
      { index: 8, id: 'DWK0000009', baseline: '1210.40', candidate: '1310.40', change: '100.00' },
    ],
    // no `change`: the table computes it exactly from the two amounts
    lost: [{ index: 20, id: 'DWK0000021', baseline: '0.30', candidate: '0.10' }],
  },
  run: { elapsed_ms: 812, households_per_second: 2463, threads: 2 },
};

function jobView(status: JobView['status'], over: Partial<JobView> = {}): JobView {
  return {
    id: 'job-1', policy: POLICY, status,
    request: { as_of: '2025-06-01', baseline: { version: 2, effective_from: '2022-01-01' }, candidate: { version: 'draft', revision: 3 }, population: { generate: { preset: 'dawukou', households: 2000, seed: 7 } } },
    progress: status === 'done' ? { done: 2000, total: 2000, fraction: 1, elapsed_ms: 812 } : { done: 500, total: 2000, fraction: 0.25, elapsed_ms: 200 },
    result: status === 'done' ? result : null, error: null,
    ...over,
  };
}

interface Call { method: string; url: string; body: unknown }

/** A fake runtime: versions, the job API (running for `runningPolls` polls, then done), evaluate, draft. */
function fakeApi(opts: { runningPolls?: number; candidate?: number | 'draft' } = {}) {
  const calls: Call[] = [];
  let polls = 0;
  let cancelled = false;
  const candidate = opts.candidate ?? 'draft';
  const view = (s: JobView['status']) => {
    const j = jobView(s);
    j.request.candidate = candidate === 'draft' ? { version: 'draft', revision: 3 } : { version: candidate };
    return j;
  };
  const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method, url, body });
    const json = (status: number, b: unknown, headers: Record<string, string> = {}) =>
      new Response(JSON.stringify(b), { status, headers: { 'content-type': 'application/json', ...headers } });
    if (url === `/api/policies/${POLICY}/versions`) {
      return json(200, { versions: [
        { version: 1, effective_from: '2016-01-01', note: 'v1', hash: 'a' },
        { version: 2, effective_from: '2022-01-01', note: 'v2', hash: 'b' },
      ] });
    }
    if (url === `/api/policies/${POLICY}/simulations` && method === 'POST') return json(202, view('queued'), { Location: '/api/simulations/job-1' });
    if (url === '/api/simulations/job-1' && method === 'GET') {
      if (cancelled) return json(200, view('cancelled'));
      polls++;
      return json(200, polls <= (opts.runningPolls ?? 1) ? view('running') : view('done'));
    }
    if (url === '/api/simulations/job-1' && method === 'DELETE') { cancelled = true; return json(200, view('cancelled')); }
    if (url === `/api/policies/${POLICY}/evaluate` && method === 'POST') {
      const v = (body as { version: number }).version;
      return json(200, { policy: POLICY, version: v, effective_from: '2022-01-01', as_of: '2025-06-01', outputs: { eligible: true, monthly_amount: v === 2 ? '650.00' : '700.00' }, trace });
    }
    if (url === `/api/policies/${POLICY}/draft`) return json(200, { source: 'DRAFT SOURCE', scenarios: '', revision: 3 }, { ETag: '"3"' });
    return json(404, { error: { code: 'not_found', message: `no route ${method} ${url}` } });
  });
  return { calls, fetchMock };
}

function renderTab(lang: 'zh' | 'en' = 'zh') {
  return render(<I18nProvider lang={lang}><ImpactTab policyId={POLICY} /></I18nProvider>);
}

async function runToResults() {
  fireEvent.change(screen.getByTestId('impact-households'), { target: { value: '2000' } });
  fireEvent.change(screen.getByTestId('impact-seed'), { target: { value: '7' } });
  fireEvent.click(screen.getByTestId('impact-run'));
  await screen.findByTestId('impact-results', {}, { timeout: 5000 });
}

describe('ImpactTab', () => {
  let api: ReturnType<typeof fakeApi>;
  beforeEach(() => { sessionStorage.clear(); });
  afterEach(() => { cleanup(); vi.unstubAllGlobals(); vi.mocked(evaluateDraft).mockClear(); });

  it('sends the job request, shows progress, then the before/after cost and the 2% budget as given', async () => {
    api = fakeApi({ runningPolls: 1 });
    vi.stubGlobal('fetch', api.fetchMock);
    renderTab();
    expect(screen.getByTestId('impact-tab')).toBeTruthy();
    // versions fill both choices; the preset follows the policy id
    await waitFor(() => expect(screen.getByTestId('impact-baseline').querySelectorAll('option').length).toBe(3));
    expect((screen.getByTestId('impact-preset') as HTMLSelectElement).value).toBe('dawukou');
    fireEvent.change(screen.getByTestId('impact-households'), { target: { value: '2000' } });
    fireEvent.change(screen.getByTestId('impact-seed'), { target: { value: '7' } });
    fireEvent.click(screen.getByTestId('impact-run'));

    const progress = await screen.findByTestId('impact-progress');
    expect(progress.getAttribute('max')).toBe('100');
    await waitFor(() => expect(screen.getByTestId('impact-progress-text').textContent).toContain('500 / 2,000'), { timeout: 3000 });
    expect(screen.getByTestId('impact-cancel')).toBeTruthy();

    await screen.findByTestId('impact-results', {}, { timeout: 5000 });
    const post = api.calls.find((c) => c.method === 'POST' && c.url.endsWith('/simulations'))!;
    expect(post.body).toEqual({ baseline: 'in-force', candidate: 'draft', population: { generate: { preset: 'dawukou', households: 2000, seed: 7 } }, samples: 50 });
    expect(screen.queryByTestId('impact-progress')).toBeNull();
    expect(screen.getByTestId('impact-status').dataset.status).toBe('done');

    // yearly cost before / after / change: the API's exact text (digits grouped for reading)
    expect(screen.getByTestId('impact-cost-before').dataset.value).toBe('2441473.20');
    expect(screen.getByTestId('impact-cost-before').textContent).toBe('2,441,473.20');
    expect(screen.getByTestId('impact-cost-after').dataset.value).toBe('2781471.60');
    expect(screen.getByTestId('impact-cost-after').textContent).toBe('2,781,471.60');
    expect(screen.getByTestId('impact-cost-change').textContent).toBe('+339,998.40');
    expect(screen.getByTestId('impact-monthly-before').textContent).toBe('203,456.10');
    expect(screen.getByTestId('impact-monthly-after').textContent).toBe('231,789.30');
    expect(screen.getByTestId('impact-services-before').textContent).toBe('48,829.46');
    expect(screen.getByTestId('impact-services-after').textContent).toBe('55,629.43');
    expect(screen.getByTestId('impact-services-change').textContent).toBe('+6,799.97');
    expect(screen.getByTestId('impact-households-before').textContent).toBe('305');
    expect(screen.getByTestId('impact-households-after').textContent).toBe('334');
    expect(screen.getByTestId('impact-households-change').textContent).toBe('+29');
    expect(screen.getByTestId('impact-persons-change').textContent).toBe('+62');
    expect(screen.getByTestId('impact-compare').textContent).toContain('v2');
    expect(screen.getByTestId('impact-compare').textContent).toContain('草稿（修订 3）');
    expect(screen.getByTestId('impact-summary').textContent).toContain('2,000 户');

    // the bars: after is longer than before (cost went up)
    const wBefore = Number(screen.getByTestId('impact-cost-bar-before').getAttribute('width'));
    const wAfter = Number(screen.getByTestId('impact-cost-bar-after').getAttribute('width'));
    expect(wAfter).toBeGreaterThan(wBefore);
    expect(screen.getByTestId('impact-kind-gained').dataset.households).toBe('270');
    expect(screen.getByTestId('impact-unchanged').textContent).toContain('5 户金额不变');
    // by area and category
    const urban = screen.getByTestId('impact-group-urban');
    expect(urban.textContent).toContain('城市');
    expect(urban.textContent).toContain('219,789.30');
    expect(urban.textContent).toContain('+28,333.20');
    expect(screen.getByTestId('impact-group-elderly').textContent).toContain('老年人');
  });

  it('draws the histogram of changes with one bar per band', async () => {
    api = fakeApi({ runningPolls: 0 });
    vi.stubGlobal('fetch', api.fetchMock);
    renderTab();
    await runToResults();
    const svg = screen.getByTestId('impact-histogram');
    expect(svg.tagName.toLowerCase()).toBe('svg');
    const bars = svg.querySelectorAll('[data-testid^=impact-histogram-bar-]');
    expect(bars.length).toBe(10);
    expect([...bars].map((b) => Number(b.getAttribute('data-households')))).toEqual([0, 0, 0, 0, 1, 40, 180, 70, 9, 0]);
    const h = (i: number) => Number(screen.getByTestId(`impact-histogram-bar-${i}`).querySelector('rect')!.getAttribute('height'));
    expect(h(6)).toBeGreaterThan(h(7));
    expect(h(7)).toBeGreaterThan(h(8));
    expect(h(0)).toBe(0);
    expect(screen.getByTestId('impact-histogram-bar-6').textContent).toContain('50 ~ 100');
    expect(screen.getByTestId('impact-histogram-bar-0').textContent).toContain('< -500');
    expect(screen.getByTestId('impact-histogram-bar-9').textContent).toContain('≥ 500');
    expect(screen.getByTestId('impact-distribution').querySelectorAll('rect').length).toBeGreaterThanOrEqual(4);
  });

  it('lists the changed households in population order with before, after and change', async () => {
    api = fakeApi({ runningPolls: 0 });
    vi.stubGlobal('fetch', api.fetchMock);
    renderTab();
    await runToResults();
    const table = screen.getByTestId('impact-changed-table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-testid'))).toEqual([
      'impact-changed-row-DWK0000004', 'impact-changed-row-DWK0000009', 'impact-changed-row-DWK0000012', 'impact-changed-row-DWK0000021',
    ]);
    const cells = (id: string) => {
      const row = screen.getByTestId(`impact-changed-row-${id}`);
      return ['impact-row-before', 'impact-row-after', 'impact-row-change'].map((t) => within(row).getByTestId(t).textContent);
    };
    expect(cells('DWK0000004')).toEqual(['650.00', '700.00', '+50.00']);
    expect(cells('DWK0000009')).toEqual(['1,210.40', '1,310.40', '+100.00']);
    expect(cells('DWK0000012')).toEqual(['0.00', '35.50', '+35.50']);
    // computed exactly in fen when the API leaves it out (0.10 − 0.30, not -0.19999999999999998)
    expect(cells('DWK0000021')).toEqual(['0.30', '0.10', '-0.20']);
    expect(screen.getByTestId('impact-changed-row-DWK0000012').dataset.kind).toBe('entered');
    expect(screen.getByTestId('impact-changed-row-DWK0000021').dataset.kind).toBe('lost');
  });

  it('explains a clicked household: regenerated from the seed, evaluated under both published versions', async () => {
    api = fakeApi({ runningPolls: 0, candidate: 1 });
    vi.stubGlobal('fetch', api.fetchMock);
    renderTab();
    await waitFor(() => expect(screen.getByTestId('impact-candidate').querySelectorAll('option').length).toBe(3));
    fireEvent.change(screen.getByTestId('impact-candidate'), { target: { value: '1' } });
    await runToResults();
    expect(api.calls.find((c) => c.method === 'POST' && c.url.endsWith('/simulations'))!.body).toMatchObject({ candidate: 1 });
    fireEvent.click(screen.getByTestId('impact-changed-row-DWK0000004'));
    const panel = await screen.findByTestId('impact-explain');
    expect(panel.dataset.household).toBe('DWK0000004');
    await waitFor(() => expect(within(screen.getByTestId('impact-explain-candidate')).getByTestId('trace-tree')).toBeTruthy());
    await waitFor(() => expect(within(screen.getByTestId('impact-explain-baseline')).getByTestId('trace-tree')).toBeTruthy());
    const evals = api.calls.filter((c) => c.url.endsWith('/evaluate'));
    expect(evals.map((c) => (c.body as { version: number }).version).sort()).toEqual([1, 2]);
    for (const c of evals) {
      const b = c.body as { household: { id: string; members: unknown[] }; as_of: string };
      expect(b.household.id).toBe('DWK0000004');        // household index 3 of (dawukou, seed 7)
      expect(b.household.members.length).toBeGreaterThan(0);
      expect(b.as_of).toBe('2025-06-01');
    }
    expect(screen.getByTestId('impact-explain-baseline-amount').textContent).toContain('650.00');
    expect(screen.getByTestId('impact-explain-candidate-amount').textContent).toContain('700.00');
    expect(screen.getByTestId('impact-explain-household').textContent).toContain('DWK0000004');
    fireEvent.click(screen.getByTestId('impact-explain-close'));
    expect(screen.queryByTestId('impact-explain')).toBeNull();
  });

  it('explains a household under the draft in the browser (the API evaluates published versions only)', async () => {
    api = fakeApi({ runningPolls: 0 });
    vi.stubGlobal('fetch', api.fetchMock);
    renderTab();
    await runToResults();
    fireEvent.click(screen.getByTestId('impact-explain-DWK0000009'));
    await waitFor(() => expect(within(screen.getByTestId('impact-explain-candidate')).getByTestId('trace-tree')).toBeTruthy());
    expect(vi.mocked(evaluateDraft)).toHaveBeenCalledTimes(1);
    const [source, household, asOf] = vi.mocked(evaluateDraft).mock.calls[0]!;
    expect(source).toBe('DRAFT SOURCE');
    expect((household as { id: string }).id).toBe('DWK0000009');
    expect(asOf).toBe('2025-06-01');
    expect(screen.getByTestId('impact-explain-candidate-amount').textContent).toContain('1085.00');
    expect(api.calls.filter((c) => c.url.endsWith('/evaluate')).map((c) => (c.body as { version: number }).version)).toEqual([2]);
  });

  it('cancels a running job with DELETE', async () => {
    api = fakeApi({ runningPolls: 1000 });
    vi.stubGlobal('fetch', api.fetchMock);
    renderTab();
    fireEvent.click(screen.getByTestId('impact-run'));
    fireEvent.click(await screen.findByTestId('impact-cancel'));
    await screen.findByTestId('impact-cancelled');
    expect(api.calls.some((c) => c.method === 'DELETE' && c.url === '/api/simulations/job-1')).toBe(true);
    expect(screen.queryByTestId('impact-progress')).toBeNull();
    expect(screen.queryByTestId('impact-cancel')).toBeNull();
    expect((screen.getByTestId('impact-run') as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows a refused request with its field paths, and speaks English', async () => {
    const fetchMock = vi.fn(async (url: string) => new Response(JSON.stringify(url.endsWith('/versions') ? { versions: [] }
      : { error: { code: 'request.invalid', message: 'The request is invalid', details: [{ path: 'population.generate.preset', message: 'must be one of: zhongwei, dawukou, xpcc' }] } }),
    { status: url.endsWith('/versions') ? 200 : 400, headers: { 'content-type': 'application/json' } }));
    vi.stubGlobal('fetch', fetchMock);
    renderTab('en');
    expect(screen.getByTestId('impact-run').textContent).toBe('Run simulation');
    expect(impactTabLabel('en')).toBe('Impact');
    expect(impactTabLabel('zh')).toBe('影响分析');
    fireEvent.click(screen.getByTestId('impact-run'));
    const err = await screen.findByTestId('error-state');
    expect(err.textContent).toContain('population.generate.preset');
  });
});

describe('impact money helpers (exact, in fen)', () => {
  it('parses and subtracts yuan text without floats', () => {
    expect(toFen('650.00')).toBe(65000n);
    expect(toFen('-0.5')).toBe(-50n);
    expect(toFen('1.234')).toBeNull();
    expect(toFen('abc')).toBeNull();
    expect(subYuan('0.10', '0.30')).toBe('-0.20');
    expect(subYuan('90071992547409.93', '0.01')).toBe('90071992547409.92');   // beyond float precision
    expect(fenToYuan(-5n)).toBe('-0.05');
    expect(cmpYuan('2781471.60', '2441473.20')).toBe(1);
    expect(groupDigits('-1234567.80')).toBe('-1,234,567.80');
    expect(signed('50.00')).toBe('+50.00');
    expect(signed('-3.00')).toBe('-3.00');
    expect(ratio('50.00', '200.00')).toBe(0.25);
  });
});

describe('impact strings: the studio\'s one dictionary', () => {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '../../studio/src/impact'); // (happy-dom's URL is not file: aware)
  const sources = readdirSync(dir).filter((f) => /\.tsx?$/.test(f)).map((f) => ({ f, text: readFileSync(join(dir, f), 'utf8') }));

  it('has no dictionary of its own: every impact.* key is in studio/src/i18n/dict.ts', () => {
    expect(existsSync(join(dir, 'dict.ts'))).toBe(false);
    for (const { f, text } of sources) expect(text, f).not.toMatch(/from '\.\/dict'|useImpactT|impactText/);
    const used = new Set(sources.flatMap(({ text }) => [...text.matchAll(/'(impact\.[\w.]+)'/g)].map((m) => m[1]!)));
    for (const kind of ['entered', 'left', 'gained', 'lost']) used.add(`impact.kind.${kind}`);
    for (const status of ['queued', 'running', 'done', 'failed', 'cancelled']) used.add(`impact.status.${status}`);
    expect(used.size).toBeGreaterThan(50);
    for (const key of used) expect(Object.hasOwn(dict, key), key).toBe(true);
  });

  it('reads them through the shared translate()', () => {
    expect(translate('zh', 'impact.tab')).toBe('影响分析');
    expect(translate('en', 'impact.progress', { done: 5, total: 10 })).toBe('5 of 10 households');
    expect(translate('zh', 'impact.version', { n: 2 })).toBe('第 2 版');
  });
});
