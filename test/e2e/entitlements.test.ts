// Browser test of the 一门受理 screen (built studio, compiled server, shipped policies): a
// household living in 红寺堡区 with hukou in 同心县 is routed by the Hongsibu pilot (000 §1) and
// sees Hongsibu's programmes; amounts, 是/否, the total, one explanation and the printable summary.
// Figures by hand: rural standard 5520 ÷ 12 = 460 元/月; income 200 over 2 persons = 100 < 460;
// 差额补助 (460 − 100) × 2 = 720.00 元/月, × 12 = 8640.00 元/年.
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { collectErrors, shot, useStudio } from './harness';

const studio = useStudio();

describe('一门受理 screen', () => {
  it('routes, decides every programme, explains one and prints the decision summary', async () => {
    const page = await studio.browser.newPage();
    const errors = collectErrors(page);
    try {
      await page.goto(`${studio.server.url}/#/`);
      await page.click('[data-testid=nav-entitlements]');
      await page.waitForSelector('[data-testid=entitlements-screen]');
      await page.fill('[data-testid=ent-residence]', '红寺堡区');
      await page.fill('[data-testid=ent-hukou]', '同心县');
      await page.fill('[data-testid=ent-as-of]', '2024-06-01');
      await page.selectOption('[data-testid=ent-hh-area]', 'rural');
      await page.fill('[data-testid=ent-hh-members-0-birth_date]', '1980-03-01');
      await page.fill('[data-testid=ent-hh-members-0-income_monthly]', '200');
      await page.click('[data-testid=ent-hh-members-add]');
      await page.fill('[data-testid=ent-hh-members-1-birth_date]', '2015-07-01');
      await page.fill('[data-testid=ent-hh-members-1-disability_level]', '2');
      await page.selectOption('[data-testid=ent-hh-members-1-disability_type]', 'physical');
      await page.click('[data-testid=ent-run]');
      await page.waitForSelector('[data-testid=ent-programmes]', { timeout: 60_000 });

      expect(await page.textContent('[data-testid=ent-routed]')).toContain('宁夏回族自治区吴忠市红寺堡区（640303）');
      expect(await page.textContent('[data-testid=ent-routed]')).toContain('000 第1条');
      const rows = await page.$$eval('[data-testid^=ent-row-]', (els) => els.map((e) => e.getAttribute('data-testid')));
      expect(rows.sort()).toEqual(['ent-row-hongsibu-dibao', 'ent-row-hongsibu-services']);
      expect(await page.textContent('[data-testid=ent-granted-hongsibu-dibao]')).toBe('是');
      expect(await page.textContent('[data-testid=ent-amount-hongsibu-dibao]')).toBe('720.00 元/月');
      // b (8, disabled) in a low-income family: free rehabilitation and paid care (000 §13, §3)
      expect(await page.textContent('[data-testid=ent-granted-hongsibu-services]')).toBe('是');
      expect(await page.textContent('[data-testid=ent-total]')).toBe('合计：720.00 元/月，8640.00 元/年');

      // the explanation is one click away
      await page.click('[data-testid=ent-explain-hongsibu-dibao]');
      await page.waitForSelector('[data-testid=trace-tree]');
      expect(await page.textContent('[data-testid=trace-tree]')).toContain('差额补助');

      // the form now shows only the fields the decided programmes read (no XPCC distance)
      expect(await page.$('[data-testid=ent-hh-distance_to_hq_km]')).toBeNull();
      expect(await page.$('[data-testid=ent-hh-members-0-income_monthly]')).not.toBeNull();

      // the printable summary: what is granted, under which version, citing the articles
      const summary = await page.textContent('[data-testid=ent-summary-hongsibu-dibao]');
      expect(summary).toContain('720.00 元/月');
      expect(summary).toContain('依据 hongsibu-dibao 第 1 版（自 2022-01-01 起施行）');
      expect(summary).toContain('000 第1条');
      await page.emulateMedia({ media: 'print' });
      expect(await page.isVisible('[data-testid=ent-summary]')).toBe(true);
      expect(await page.isVisible('[data-testid=ent-programmes]')).toBe(false);
      expect(await page.isVisible('[data-testid=nav-entitlements]')).toBe(false);
      await shot(page, 'entitlements-print');
      expect(errors).toEqual([]);
    } catch (e) {
      await shot(page, 'failed-entitlements').catch(() => {});
      throw e;
    } finally {
      await page.close();
    }
  }, 120_000);
});
