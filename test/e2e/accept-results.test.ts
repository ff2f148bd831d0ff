// Browser test: accepting changed results after a deliberate change. In dawukou-dibao the urban
// standard goes 650 → 700 in the draft; the scenarios that now compute other amounts show each
// changed expected value as old → new (labels and 元, not raw names); one scenario is accepted,
// then all the rest; the acceptance is written into the draft's scenarios file (who, when,
// old → new) and saved to the server, and the accepted scenarios pass.
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectErrors, shot, useStudio } from './harness';

const POLICY = 'dawukou-dibao';

const studio = useStudio();

interface Summary { passed: number; failed: number; total: number; errors: number }
async function waitSummary(page: Page, pred: string, timeout = 30_000): Promise<Summary> {
  await page.waitForFunction(`(() => { const el = document.querySelector('[data-testid=summary-bar]'); if (!el || el.dataset.pending !== 'false') return false;
    const s = { passed: +el.dataset.passed, failed: +el.dataset.failed, total: +el.dataset.total, errors: +el.dataset.errors }; return ${pred}; })()`, null, { timeout });
  return page.$eval('[data-testid=summary-bar]', (el) => {
    const d = (el as HTMLElement).dataset;
    return { passed: Number(d.passed), failed: Number(d.failed), total: Number(d.total), errors: Number(d.errors) };
  });
}

/** The index of the scenario with this name in the panel. */
async function scenarioIndex(page: Page, name: string): Promise<number> {
  const id = await page.locator('[data-testid^=scenario-select-]', { hasText: name }).first().getAttribute('data-testid');
  return Number(id!.replace('scenario-select-', ''));
}

// Two scenarios of the draft, worked out by hand from the policy (差额补助: 舍入到分(人均补差 ×
// 人数 + 10% × 人均补差 × 特殊成员数), 人均补差 = 标准 − 人均收入; incomes 600 + 400 + 0 over 3):
// 城市三口之家，收入不能整除: 650 → (650 − 1000/3) × 3 = 950.00; 700 → (700 − 1000/3) × 3 = 1100.00
// 含一名未成年人: 650 → 950/3 × 3.1 = 981.666… → 981.67; 700 → 1100/3 × 3.1 = 3410/3 = 1136.666… → 1136.67
const PLAIN = '城市三口之家，收入不能整除（三分之一）';
const MINOR = '城市三口之家含一名未成年人（三分之一，需舍入）';

describe('accepting changed results in the browser', () => {
  it('shows old → new after 650 → 700, accepts one scenario then all, and records it in the draft', async () => {
    const page = await studio.browser.newPage({ viewport: { width: 1500, height: 950 } });
    const errors = collectErrors(page);
    let step = 'open';
    try {
      await page.goto(`${studio.server.url}/#/p/${POLICY}/editor`);
      await page.waitForSelector('.monaco-editor .view-lines', { timeout: 30_000, state: 'attached' });
      const base = await waitSummary(page, 's.total > 0 && s.errors === 0');
      expect(base.failed).toBe(0);

      step = 'raise the urban standard 650 → 700';
      await page.click('[data-testid=tab-parameters]');
      const input = page.locator('[data-testid="param-value-城市低保标准"]');
      await input.fill('700');
      await input.press('Enter');
      const after = await waitSummary(page, 's.failed > 0');
      expect(after.errors).toBe(0);
      await page.click('[data-testid=tab-editor]');

      step = 'old → new, with labels and 元';
      const plain = await scenarioIndex(page, PLAIN);
      const minor = await scenarioIndex(page, MINOR);
      const row = (i: number) => page.locator(`[data-testid="scenario-diff-${i}-monthly_amount"]`);
      await row(plain).waitFor();
      expect(await row(plain).locator('td').nth(0).textContent()).toBe('月保障金额');
      expect(await row(plain).locator('td.expected').textContent()).toBe('950.00 元/月 →');
      expect(await row(plain).locator('td.actual').textContent()).toBe('1,100.00 元/月');
      expect(await row(minor).locator('td.expected').textContent()).toBe('981.67 元/月 →');
      expect(await row(minor).locator('td.actual').textContent()).toBe('1,136.67 元/月');
      // no raw true/false anywhere in the comparisons
      expect(await page.locator('[data-testid^=scenario-failure-]').allTextContents()).not.toContainEqual(expect.stringMatching(/\b(true|false)\b/));
      await shot(page, 'accept-01-changed');

      step = 'accept one scenario';
      const allButton = page.locator('[data-testid=accept-all]');
      const acceptable = Number(/(\d+)/.exec((await allButton.textContent())!)![1]);
      expect(acceptable).toBeGreaterThan(1);
      await page.click(`[data-testid=accept-${plain}]`);
      await page.waitForSelector(`[data-testid=scenario-${plain}][data-state=pass]`, { timeout: 30_000 });
      await page.waitForSelector(`[data-testid=scenario-${minor}][data-state=fail]`);
      expect(await page.textContent('[data-testid=accept-all]')).toBe(`全部接受新结果（${acceptable - 1}）`);
      const one = await waitSummary(page, `s.failed === ${after.failed - 1}`);
      expect(one.passed).toBe(after.passed + 1);

      step = 'accept all the rest';
      await allButton.click();
      const all = await waitSummary(page, `s.failed === ${after.failed - acceptable}`);
      expect(all.passed).toBe(after.passed + acceptable);
      await page.waitForSelector(`[data-testid=scenario-${minor}][data-state=pass]`);
      await page.waitForSelector('[data-testid=accept-all]', { state: 'detached' });
      // what remains failing (if anything) is a changed deciding rule, which is not a value to accept
      for (const text of await page.locator('[data-testid^=scenario-failure-]').allTextContents()) expect(text).toMatch(/决定规则|decided/i);
      await shot(page, 'accept-02-accepted');

      step = 'the acceptance is in the draft: the scenarios file notes old → new, and the server has it';
      await page.click('[data-testid=file-scenarios]');
      await page.waitForFunction(() => (document.querySelector('.monaco-editor .view-lines')?.textContent ?? '').includes('接受新结果'), null, { timeout: 15_000 });
      await page.waitForSelector('[data-testid=save-status][data-state=saved]', { timeout: 30_000 });
      const draft = await (await fetch(`${studio.server.url}/api/policies/${POLICY}/draft`)).json() as { scenarios: string };
      const notes = draft.scenarios.split('\n').filter((l) => l.includes('接受新结果'));
      expect(notes).toHaveLength(acceptable);
      expect(notes.some((l) => l.includes('monthly_amount 950.00 → 1100.00'))).toBe(true);
      expect(notes.some((l) => l.includes('monthly_amount 981.67 → 1136.67'))).toBe(true);
      expect(draft.scenarios).toMatch(/monthly_amount: "?1100\.00"?/);
      await shot(page, 'accept-03-recorded');
      expect(errors).toEqual([]);
    } catch (e) {
      await shot(page, `failed-accept-${step.replace(/\W+/g, '_')}`).catch(() => {});
      throw new Error(`[accept] failed at step "${step}": ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      await page.close();
    }
  }, 180_000);
});
