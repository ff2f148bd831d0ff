// Browser test of the Impact tab (issue 7) against the real compiled server and its simulation
// job API: the draft of dawukou-dibao raises the urban standard 650 → 700 (PUT with If-Match),
// a large job shows its progress bar and is cancelled (DELETE), then a generated population is
// simulated and the yearly cost goes up; a changed household opens its explanation, whose
// amounts (evaluate API for the baseline, the draft evaluated in the browser) match the table.
//
// Where the tab lives: when the shell mounts it (a tab-impact tab on #/p/<id>/…) the test uses
// the real app; until then it builds test/e2e/impact-harness (the same ImpactTab component in
// the studio's I18nProvider) with Vite and serves it with /api proxied to the same server
// (IMPACT_E2E_HARNESS=1 forces the harness page).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { collectErrors, freePort, root, shot, useStudio } from './harness';

const POLICY = 'dawukou-dibao';
let harness: { url: string; close(): Promise<void>; dir: string } | null = null;

// simulations from the first test on: the workers load at start-up, as in production
const studio = useStudio({ SIMULATION_WARM: 'start' }, {
  after: async () => {
    await harness?.close().catch(() => {});
    if (harness) rmSync(harness.dir, { recursive: true, force: true });
  },
});

/** Builds the harness page and serves it (vite preview) with /api proxied to the test server. */
async function startHarness(apiUrl: string) {
  const { build, preview } = await import('vite');
  const react = (await import('@vitejs/plugin-react')).default;
  const dir = mkdtempSync(join(tmpdir(), 'impact-harness-'));
  const config = {
    configFile: false as const,
    root: resolve(root, 'test/e2e/impact-harness'),
    base: '/',
    logLevel: 'warn' as const,
    plugins: [react()],
    worker: { format: 'es' as const },
    build: { outDir: dir, emptyOutDir: true, chunkSizeWarningLimit: 4000, sourcemap: false },
    preview: { host: '127.0.0.1', port: await freePort(), strictPort: true, proxy: { '/api': apiUrl } },
  };
  await build(config);
  const srv = await preview(config);
  const url = srv.resolvedUrls?.local[0]?.replace(/\/$/, '') ?? `http://127.0.0.1:${config.preview.port}`;
  return { url, dir, close: () => srv.close() };
}

/** Yuan text → fen, exactly. */
function fen(yuan: string): bigint {
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(yuan);
  if (!m) throw new Error(`not money: ${yuan}`);
  const v = BigInt(m[2]!) * 100n + BigInt(m[3]!);
  return m[1] ? -v : v;
}

async function raiseUrbanStandard(): Promise<number> {
  const res = await fetch(`${studio.server.url}/api/policies/${POLICY}/draft`);
  expect(res.status).toBe(200);
  const etag = res.headers.get('etag')!;
  const draft = await res.json() as { source: string; scenarios: string };
  const line = /(参数 城市低保标准「城市低保标准」 = )650( 元\/月)/;
  expect(draft.source).toMatch(line);
  const put = await fetch(`${studio.server.url}/api/policies/${POLICY}/draft`, {
    method: 'PUT', headers: { 'Content-Type': 'application/json', 'If-Match': etag },
    body: JSON.stringify({ source: draft.source.replace(line, '$1700$2') }),
  });
  expect(put.status).toBe(200);
  const saved = await put.json() as { revision: number };
  return saved.revision;
}

/** Opens the Impact tab: in the app when it is mounted there, else on the harness page. */
async function openImpact(page: Page): Promise<'app' | 'harness'> {
  if (process.env.IMPACT_E2E_HARNESS === '1') return openHarness(page);   // force the harness page
  await page.goto(`${studio.server.url}/#/p/${POLICY}/impact`);
  await page.waitForSelector('[data-testid=workspace]', { timeout: 30_000 });
  if (await page.locator('[data-testid=tab-impact]').count()) {
    if (!(await page.locator('[data-testid=impact-tab]').count())) await page.click('[data-testid=tab-impact]');
    await page.waitForSelector('[data-testid=impact-tab]', { timeout: 30_000 });
    return 'app';
  }
  return openHarness(page);
}

async function openHarness(page: Page): Promise<'harness'> {
  harness ??= await startHarness(studio.server.url);
  await page.goto(`${harness.url}/?policy=${POLICY}`);
  await page.waitForSelector('[data-testid=impact-tab]', { timeout: 30_000 });
  return 'harness';
}

const status = (page: Page) => page.getAttribute('[data-testid=impact-tab]', 'data-status');

describe('Impact tab in the browser', () => {
  it('simulates the 650 → 700 draft on a generated population: cost goes up; progress, cancel, explanation', async () => {
    const revision = await raiseUrbanStandard();
    const page = await studio.browser.newPage({ viewport: { width: 1500, height: 1000 } });
    const errors = collectErrors(page);
    let step = 'open';
    try {
      const where = await openImpact(page);
      console.log(`[impact e2e] Impact tab opened in the ${where}`);
      // the version list arrived (v1, v2) and the preset follows the policy
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=impact-baseline] option').length >= 3, null, { timeout: 15_000 });
      expect(await page.inputValue('[data-testid=impact-preset]')).toBe('dawukou');
      await shot(page, 'impact-01-form');

      step = 'progress and cancel';
      await page.fill('[data-testid=impact-households]', '2000000');
      await page.click('[data-testid=impact-run]');
      await page.waitForSelector('[data-testid=impact-progress]', { timeout: 15_000 });
      await page.waitForFunction(() => Number(document.querySelector('[data-testid=impact-progress]')?.getAttribute('data-done') ?? 0) > 0, null, { timeout: 30_000 });
      await shot(page, 'impact-02-progress');
      await page.click('[data-testid=impact-cancel]');
      await page.waitForSelector('[data-testid=impact-cancelled]', { timeout: 15_000 });
      expect(await status(page)).toBe('cancelled');
      const cancelledJob = (await page.getAttribute('[data-testid=impact-tab]', 'data-job'))!;
      const jobs = await (await fetch(`${studio.server.url}/api/simulations`)).json() as { jobs: { id: string; status: string }[] };
      expect(jobs.jobs.find((j) => j.id === cancelledJob)?.status).toBe('cancelled');

      step = 'run';
      await page.fill('[data-testid=impact-households]', '5000');
      await page.fill('[data-testid=impact-seed]', '7');
      await page.click('[data-testid=impact-run]');
      await page.waitForFunction((old) => { const el = document.querySelector('[data-testid=impact-tab]'); return !!el && el.getAttribute('data-job') !== '' && el.getAttribute('data-job') !== old; }, cancelledJob, { timeout: 15_000 });
      await page.waitForFunction(() => ['done', 'failed', 'cancelled'].includes(document.querySelector('[data-testid=impact-tab]')?.getAttribute('data-status') ?? ''), null, { timeout: 120_000 });
      if ((await status(page)) !== 'done') throw new Error(`job ended ${await status(page)}: ${await page.textContent('[data-testid=impact-tab]')}`);
      await page.waitForSelector('[data-testid=impact-results]');
      await shot(page, 'impact-03-results');

      step = 'cost';
      const value = async (id: string) => (await page.getAttribute(`[data-testid=${id}]`, 'data-value'))!;
      const before = await value('impact-cost-before'), after = await value('impact-cost-after'), change = await value('impact-cost-change');
      console.log(`[impact e2e] yearly cost ${before} → ${after} (${change}); services 2%: ${await value('impact-services-before')} → ${await value('impact-services-after')}`);
      expect(fen(after)).toBeGreaterThan(fen(before));
      expect(fen(change)).toBe(fen(after) - fen(before));
      expect(fen(await value('impact-services-after'))).toBeGreaterThan(fen(await value('impact-services-before')));
      expect(Number(await value('impact-households-after'))).toBeGreaterThanOrEqual(Number(await value('impact-households-before')));
      expect(await page.textContent('[data-testid=impact-compare]')).toContain(`修订 ${revision}`);
      expect(await page.textContent('[data-testid=impact-summary]')).toContain('5,000 户');
      expect(Number(await page.getAttribute('[data-testid=impact-kind-gained]', 'data-households'))).toBeGreaterThan(0);
      const bars = await page.$$eval('[data-testid=impact-histogram] [data-households]', (els) => els.map((e) => Number(e.getAttribute('data-households'))));
      expect(bars.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

      step = 'benefit cliffs flagged';
      // 650 → 700 raises spending, yet makes some households worse off: a whole family now
      // qualifies and a member's single-person unit lapses (the 21 households of 10,000)
      const kind = async (k: string) => Number(await page.getAttribute(`[data-testid=impact-kind-${k}]`, 'data-households'));
      const losers = (await kind('left')) + (await kind('lost'));
      expect(losers).toBeGreaterThan(0);
      expect(Number(await page.getAttribute('[data-testid=impact-cliffs]', 'data-households'))).toBe(losers);
      expect(Number(await page.getAttribute('[data-testid=impact-losers]', 'data-households'))).toBe(losers);
      await page.locator('[data-testid=impact-cliff-row]').first().click();
      await page.waitForSelector('[data-testid=impact-explain-candidate] [data-testid=trace-tree]', { timeout: 30_000 });
      const cliffBefore = (await page.textContent('[data-testid=impact-explain-baseline-amount] code'))!;
      const cliffAfter = (await page.textContent('[data-testid=impact-explain-candidate-amount] code'))!;
      expect(fen(cliffAfter)).toBeLessThan(fen(cliffBefore));
      await shot(page, 'impact-03b-cliffs');

      step = 'explain a household';
      const row = page.locator('[data-testid=impact-changed-table] tr[data-kind=gained]').first();
      const rowBefore = (await row.locator('[data-testid=impact-row-before]').getAttribute('data-value'))!;
      const rowAfter = (await row.locator('[data-testid=impact-row-after]').getAttribute('data-value'))!;
      expect(fen(rowAfter)).toBeGreaterThan(fen(rowBefore));
      await row.click();
      await page.waitForSelector('[data-testid=impact-explain-baseline] [data-testid=trace-tree]', { timeout: 30_000 });
      await page.waitForSelector('[data-testid=impact-explain-candidate] [data-testid=trace-tree]', { timeout: 30_000 });
      // the regenerated household, evaluated outside the simulation, gives the simulated amounts
      expect(await page.textContent('[data-testid=impact-explain-baseline-amount] code')).toBe(rowBefore);
      expect(await page.textContent('[data-testid=impact-explain-candidate-amount] code')).toBe(rowAfter);
      await shot(page, 'impact-04-explain');
      expect(errors).toEqual([]);
    } catch (e) {
      await shot(page, `impact-failed-${step.replace(/\W+/g, '_')}`).catch(() => {});
      throw new Error(`[impact] failed at step "${step}": ${e instanceof Error ? e.message : String(e)}\nserver log:\n${studio.server.log.join('').slice(-2000)}`);
    } finally {
      await page.close();
    }
  }, 240_000);
});
