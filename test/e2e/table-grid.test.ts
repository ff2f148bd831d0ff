// Browser test of the decision-table grid (studio/src/table) on dawukou-disability-subsidies:
// edit a cell, make a gap and see its counterexample, fix it, add a row that overlaps (the row
// is marked) and remove it, edit an interval with an explicit boundary, save, and check over
// the API that the saved draft is exactly the formatter's output of itself.
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectErrors, shot, useStudio } from './harness';
import { format } from '../../dsl/index.js';
import { axeViolations } from './axe';

const POLICY = 'dawukou-disability-subsidies';
const LONG = 60_000;

const studio = useStudio();

/** Waits until the grid lists the checks of the current text (not "checking…"). */
async function gridChecked(page: Page, pred: string): Promise<void> {
  await page.waitForFunction(`(() => { const el = document.querySelector('[data-testid=grid-problems]'); return !!el && (${pred}); })()`, null, { timeout: LONG });
}

async function draftSource(): Promise<string> {
  return ((await (await fetch(`${studio.server.url}/api/policies/${POLICY}/draft`)).json()) as { source: string }).source;
}

describe('decision-table grid editor', () => {
  it('edits the disability tables, shows a gap with its counterexample, and saves canonical text', async () => {
    const page = await studio.browser.newPage({ viewport: { width: 1500, height: 1000 } });
    const errors = collectErrors(page);
    let step = 'open';
    try {
      const before = await draftSource();
      expect(before).toContain('行 非低保家庭         | 假 | —  → 0 元/月');
      await page.goto(`${studio.server.url}/#/p/${POLICY}/editor`);
      await page.waitForSelector('.monaco-editor .view-lines', { timeout: LONG, state: 'attached' });
      await page.waitForSelector('[data-testid=summary-bar][data-pending=false]', { timeout: LONG });

      step = 'open the grid on the living-subsidy table';
      await page.click('[data-testid=grid-open]');
      await page.waitForSelector('[data-testid=grid-pick]', { timeout: LONG });
      await page.selectOption('[data-testid=grid-pick]', '0');
      await page.waitForSelector('[data-testid=grid-row-2]');
      expect(await page.inputValue('[data-testid=grid-name-1]')).toBe('非低保家庭');
      expect(await page.getAttribute('[data-testid=grid-cell-1-1-kind]', 'aria-label')).toBe('第 2 行「残疾人」的格类型');
      await gridChecked(page, `!!el.querySelector('[data-testid=grid-no-problems]')`);

      step = 'make a gap: row 2 asks 残疾人 = 真, so 低保家庭 = 假 with 残疾人 = 假 matches no row';
      await page.selectOption('[data-testid=grid-cell-1-1-kind]', 'values');
      await page.fill('[data-testid=grid-cell-1-1-values]', '真');
      await page.press('[data-testid=grid-cell-1-1-values]', 'Enter');
      await gridChecked(page, `!!el.querySelector('[data-code="check.table-gap"]')`);
      const gap = await page.textContent('[data-code="check.table-gap"]');
      expect(gap).toContain('低保家庭 = 假');
      expect(gap).toContain('残疾人 = 假');
      expect(gap).toContain('没有一行匹配');
      await shot(page, 'grid-01-gap');
      // every control of the grid is labelled: axe-core finds no serious or critical violation
      expect(await axeViolations(page)).toEqual([]);

      step = 'fix the gap: the cell back to any';
      await page.selectOption('[data-testid=grid-cell-1-1-kind]', 'any');
      await gridChecked(page, `!!el.querySelector('[data-testid=grid-no-problems]')`);

      step = 'add a row of any cells: it overlaps row 1 in a unique table and is marked';
      await page.click('[data-testid=grid-add]');
      await page.waitForSelector('[data-testid=grid-row-3]');
      await gridChecked(page, `!!el.querySelector('[data-code="check.table-overlap"]')`);
      await page.waitForSelector('[data-testid=grid-row-3][data-marked=error]', { timeout: LONG });
      expect(await page.textContent('[data-code="check.table-overlap"]')).toContain('第4行');
      await page.click('[data-testid=grid-remove-3]');
      await gridChecked(page, `!!el.querySelector('[data-testid=grid-no-problems]')`);
      expect(await page.locator('[data-testid=grid-row-3]').count()).toBe(0);

      step = 'nursing table: level 1 或 2 becomes the interval (-∞, 2] with an inclusive upper bound';
      await page.selectOption('[data-testid=grid-pick]', '1');
      await page.waitForFunction(`document.querySelector('[data-testid=grid-name-0]')?.value === '重度护理补贴'`, null, { timeout: LONG });
      await page.selectOption('[data-testid=grid-cell-0-0-kind]', 'bounds');
      await page.fill('[data-testid=grid-cell-0-0-upper]', '2');
      await page.press('[data-testid=grid-cell-0-0-upper]', 'Enter');
      await page.waitForFunction(`document.querySelector('[data-testid=grid-cell-0-0-interval]')?.textContent === '(-∞, 2]'`, null, { timeout: LONG });
      expect(await page.inputValue('[data-testid=grid-cell-0-0-upper-incl]')).toBe('in');
      await gridChecked(page, `!!el.querySelector('[data-testid=grid-no-problems]')`);

      step = 'move the last nursing row up and back';
      await page.click('[data-testid=grid-up-2]');
      await page.waitForFunction(`document.querySelector('[data-testid=grid-name-1]')?.value === '无护理补贴'`, null, { timeout: LONG });
      await page.click('[data-testid=grid-down-1]');
      await page.waitForFunction(`document.querySelector('[data-testid=grid-name-2]')?.value === '无护理补贴'`, null, { timeout: LONG });
      await shot(page, 'grid-02-nursing');

      step = 'save and read the draft back';
      await page.click('[data-testid=save-button]');
      await page.waitForSelector('[data-testid=save-status][data-state=saved]', { timeout: LONG });
      const saved = await draftSource();
      expect(saved).not.toBe(before);
      expect(saved).toContain('行 重度护理补贴           | 2 以下 | —            → 重度护理补贴标准');
      expect(saved).toContain('行 非低保家庭         | 假 | —  → 0 元/月');
      expect(format(saved)).toBe(saved);
      expect(errors).toEqual([]);
    } catch (e) {
      await shot(page, `grid-failed-${step.replace(/\W+/g, '_')}`).catch(() => {});
      throw new Error(`[table grid] failed at step "${step}": ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      await page.close();
    }
  }, 300_000);
});
