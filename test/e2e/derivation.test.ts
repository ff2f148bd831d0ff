// Browser test (issue #19, explanations as derivations): Try it on dawukou-dibao v2 with a
// two-person urban household, both members special (74 and 9), 768.45 元 income in all. By hand:
// 768.45 ÷ 2 = 384.225; 650 − 384.225 = 265.775; 265.775 × 2 + 10% × 265.775 × 2 = 584.705 → 584.71.
// The explanation shows the rule and that formula with the numbers; a sub-derivation expands;
// the panel is axe-clean; the English mode shows the same derivation in English.
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectErrors, shot, useStudio } from './harness';
import { axeViolations } from './axe';

const studio = useStudio();

const household = { id: 'h-derive', area: 'urban', members: [
  { id: 'm1', birth_date: '1950-03-01', income_monthly: '768.45' },
  { id: 'm2', birth_date: '2015-01-01' },
] };

async function explain(page: Page): Promise<void> {
  await page.goto(`${studio.server.url}/#/p/dawukou-dibao/tryit`);
  await page.waitForSelector('[data-testid=tryit-version] option[value="2"]', { state: 'attached', timeout: 30_000 });
  await page.selectOption('[data-testid=tryit-version]', '2');
  await page.fill('[data-testid=tryit-as-of]', '2024-06-01');
  await page.click('[data-testid=tryit-json-toggle]');
  await page.fill('[data-testid=tryit-json]', JSON.stringify(household));
  await page.click('[data-testid=tryit-run]');
  await page.waitForSelector('[data-testid=tryit-status]', { timeout: 30_000 });
  await page.click('[data-testid=tryit-trace] > summary');
  await page.click('[data-testid=trace-toggle-monthly_amount]');
  await page.waitForSelector('[data-testid=derivation-monthly_amount]');
}

describe('explanations as derivations', () => {
  it('shows the deciding rule, the formula with the household\'s numbers and the result; sub-derivations expand; axe-clean', async () => {
    const page = await studio.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors = collectErrors(page);
    try {
      await explain(page);
      expect(await page.textContent('[data-testid=tryit-output-monthly_amount]')).toContain('584.71');
      expect(await page.textContent('[data-testid=derivation-text-monthly_amount]'))
        .toBe('月保障金额 = 舍入到分(265.775 × 2 + 10% × 265.775 × 2) = 584.71 元');
      const step = (await page.textContent('[data-testid=derivation-step-monthly_amount]'))!;
      expect(step).toContain('规则「差额补助」 · 当 「整户符合低保条件」 时：是 → 是');
      expect(await page.textContent('[data-testid=derivation-sources-monthly_amount]')).toBe('依据：「国家规定：按人均补差乘以人数发放」「001 第一章第一节」');
      // the names used are listed, collapsed; 人均补差 expands to its own formula and names
      const gap = 'monthly_amount.人均补差';
      expect(await page.textContent(`[data-testid="derivation-text-${gap}"]`)).toBe('人均补差（标准 − 人均收入） = 650 − 384.225 = 265.775 元');
      expect(await page.getAttribute(`[data-testid="derivation-toggle-${gap}"]`, 'aria-expanded')).toBe('false');
      expect(await page.locator(`[data-testid="derivation-text-${gap}.人均收入"]`).count()).toBe(0);
      await page.click(`[data-testid="derivation-toggle-${gap}"]`);
      expect(await page.getAttribute(`[data-testid="derivation-toggle-${gap}"]`, 'aria-expanded')).toBe('true');
      // per capita income was derived in full under the rule's condition: here its line, marked
      expect(await page.textContent(`[data-testid="derivation-text-${gap}.人均收入"]`)).toBe('家庭人均可计收入 = 768.45 ÷ 2 = 384.225 元（见上）');
      await page.click('[data-testid="derivation-toggle-monthly_amount.整户符合"]');
      await page.click('[data-testid="derivation-toggle-monthly_amount.整户符合.人均收入"]');
      expect(await page.textContent('[data-testid="derivation-text-monthly_amount.整户符合.人均收入"]')).toBe('家庭人均可计收入 = 768.45 ÷ 2 = 384.225 元');
      expect(await page.textContent('[data-testid="derivation-step-monthly_amount.整户符合.人均收入"]')).toContain('家庭可计收入（月） = 不低于 0 (768.45 − 0) = 768.45 元');
      await page.locator('[data-testid=derivation-monthly_amount]').scrollIntoViewIfNeeded();
      await shot(page, 'derivation-zh');
      expect(await axeViolations(page, '[data-testid=derivation-monthly_amount]')).toEqual([]);
      expect(errors).toEqual([]);
    } finally { await page.close(); }
  }, 180_000);

  it('shows the derivation in English in the English mode', async () => {
    const page = await studio.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    try {
      await explain(page);
      await page.click('[data-testid=lang-switch]');
      expect(await page.textContent('[data-testid=derivation-text-monthly_amount]'))
        .toBe('月保障金额 = round(265.775 × 2 + 10% × 265.775 × 2) = 584.71 yuan');
      expect(await page.textContent('[data-testid=derivation-step-monthly_amount]')).toContain('rule "差额补助" · when "整户符合低保条件": yes → yes');
      expect(await page.textContent('[data-testid=derivation-sources-monthly_amount]')).toBe('Sources: "国家规定：按人均补差乘以人数发放" "001 第一章第一节" ');
      expect(await axeViolations(page, '[data-testid=derivation-monthly_amount]')).toEqual([]);
      await shot(page, 'derivation-en');
    } finally { await page.close(); }
  }, 180_000);
});
