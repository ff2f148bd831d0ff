// Browser test of the 动态监测 screen (issue 16) against the real compiled server (open mode,
// embedded): three Dawukou households imported over HTTP, a run started from the screen, its
// progress shown until done, the 主动发现 list with its count by programme, and the drill-down
// to a household's explanation (the decision replayed: 300.00, worked out by hand — two
// 40-year-olds with income 1000: (650 − 500) × 2) and its registry history.
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectErrors, root, shot, useStudio } from './harness';

let policies = '';
const studio = useStudio(() => {
  // only the programme these households need: seeding all thirteen can outlast the harness's start-up wait
  policies = mkdtempSync(join(tmpdir(), 'monitor-e2e-policies-'));
  for (const p of ['common', 'dawukou-dibao']) cpSync(join(root, 'policies', p), join(policies, p), { recursive: true });
  return { POLICIES_DIR: policies };
}, { timeoutMs: 100_000, hookMs: 200_000, after: () => policies && rmSync(policies, { recursive: true, force: true }) });

const hh = (id: string, income: number) => ({ id, area: 'urban', county: '大武口区', members: [{ id: 'a', birth_date: '1984-01-01', income_monthly: income }, { id: 'b', birth_date: '1984-01-01' }] });

describe('the monitoring screen', () => {
  it('starts a run, shows its lists and counts, and drills down to a household', async () => {
    const body = [hh('W1', 1000), hh('W2', 2000), hh('W3', 1000)].map((h) => JSON.stringify(h)).join('\n');
    const imported = await fetch(`${studio.server.url}/api/registry/import?effective_from=2024-01-01`, { method: 'POST', headers: { 'Content-Type': 'application/x-ndjson' }, body });
    expect(imported.status).toBe(200);

    const page = await studio.browser.newPage();
    const errors = collectErrors(page);
    await page.goto(`${studio.server.url}/#/`);
    await page.click('[data-testid="nav-monitor"]');
    await page.waitForSelector('[data-testid="monitor-screen"]');
    await page.fill('[data-testid="monitor-as-of"]', '2024-07-01');
    await page.click('[data-testid="monitor-start"]');
    await page.waitForSelector('[data-testid="monitor-run"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="monitor-progress"]')?.textContent === '3 / 3', undefined, { timeout: 90_000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="monitor-row"]').length === 2, undefined, { timeout: 30_000 });
    expect(await page.textContent('[data-testid="monitor-count-dawukou-dibao"]')).toBe('2');
    const ids = await page.$$eval('[data-testid="monitor-row"] td:first-child', (tds) => tds.map((td) => td.textContent));
    expect(ids).toEqual(['W1', 'W3']);
    await page.click('[data-testid="monitor-row"]');
    await page.waitForSelector('[data-testid="monitor-replay"]');
    expect(await page.textContent('[data-testid="monitor-replay"]')).toContain('"monthly_amount": "300.00"');
    await page.waitForFunction(() => (document.querySelector('[data-testid="monitor-history"]')?.textContent ?? '').includes('2024-01-01'));
    await shot(page, 'monitor');
    expect(errors).toEqual([]);
  }, 240_000);
});
