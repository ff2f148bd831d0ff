// Browser test of the 一门受理 screen for households whose dibao is decided in the same call
// (policies/one-window.yaml ow-01 and ow-05): no dibao status is entered, the programmes that
// read the dibao decision (引用) follow from it, and the explanation names the dibao's decision
// with its articles. Figures by hand (../shared/domain.md §1, §2, §5, §8; dawukou-dibao v2):
// ow-01 (大武口区, urban, 2024-06-01): per capita (0 + 900 + 600) / 3 = 500 < 650 → dibao;
//   top-up 150 × 3 = 450; special members m1 (66, level-1 disability) and m2 (62): 10% × 150 × 2
//   = 30 → 480.00. m1 is disabled in a dibao family → living subsidy 110; level 1 → nursing 120:
//   230.00. Low-income line 2 × 650 = 1300 > 500 → low-income family, on dibao so not an edge
//   family. m1 is entered with a capable supporter (spouse and son earn): no 特困. No one is 80,
//   no minor, no incident. Total 480 + 230 = 710.00 元/月, × 12 = 8520.00 元/年.
// ow-05 (沙坡头区, urban, 2023-06-01): per capita 800 / 3 < 650 → zhongwei dibao
//   650 × 3 − 800 = 1150.00 (no supplements); the whole dibao family is insured (003):
//   30 × 3 = 90.00 元/年, a service, not monthly cash. Total 1150.00 元/月, 13800.00 元/年.
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectErrors, shot, useStudio } from './harness';

const studio = useStudio();

type Member = { birth: string; income?: string; level?: string; type?: string; supporter?: boolean };

async function decide(page: Page, residence: string, asOf: string, members: Member[]): Promise<void> {
  await page.goto(`${studio.server.url}/#/`);
  await page.click('[data-testid=nav-entitlements]');
  await page.waitForSelector('[data-testid=entitlements-screen]');
  await page.fill('[data-testid=ent-residence]', residence);
  await page.fill('[data-testid=ent-as-of]', asOf);
  await page.selectOption('[data-testid=ent-hh-area]', 'urban');
  for (const [i, m] of members.entries()) {
    if (i > 0) await page.click('[data-testid=ent-hh-members-add]');
    const f = (name: string) => `[data-testid=ent-hh-members-${i}-${name}]`;
    await page.fill(f('birth_date'), m.birth);
    if (m.income) await page.fill(f('income_monthly'), m.income);
    if (m.level) await page.fill(f('disability_level'), m.level);
    if (m.type) await page.selectOption(f('disability_type'), m.type);
    if (m.supporter) await page.check(f('has_capable_supporter'));
  }
  await page.click('[data-testid=ent-run]');
  await page.waitForSelector('[data-testid=ent-programmes]', { timeout: 60_000 });
}

const text = (page: Page, id: string) => page.textContent(`[data-testid="${id}"]`);

describe('一门受理: programmes that follow from the dibao decided in the same call', () => {
  it('大武口区 (ow-01): the disability living subsidy and low-income status follow from the dibao decision, explained across the boundary', async () => {
    const page = await studio.browser.newPage();
    const errors = collectErrors(page);
    try {
      await decide(page, '大武口区', '2024-06-01', [
        { birth: '1958-03-01', level: '1', type: 'physical', supporter: true },
        { birth: '1962-05-01', income: '900' },
        { birth: '1990-01-01', income: '600' },
      ]);
      expect(await text(page, 'ent-routed')).toContain('（640202）');
      expect(await text(page, 'ent-granted-dawukou-dibao')).toBe('是');
      expect(await text(page, 'ent-amount-dawukou-dibao')).toBe('480.00 元/月');
      expect(await text(page, 'ent-granted-dawukou-disability-subsidies')).toBe('是');
      expect(await text(page, 'ent-amount-dawukou-disability-subsidies')).toBe('230.00 元/月');
      expect(await text(page, 'ent-row-dawukou-disability-subsidies')).toContain('dawukou-dibao v2');
      expect(await text(page, 'ent-granted-dawukou-low-income')).toBe('是');
      expect(await text(page, 'ent-row-dawukou-low-income')).toContain('dawukou-dibao v2');
      for (const id of ['dawukou-tekun', 'dawukou-elderly-allowance', 'dawukou-orphan-allowance', 'temporary-assistance']) {
        expect(await text(page, `ent-granted-${id}`), id).toBe('否');
      }
      expect(await text(page, 'ent-total')).toBe('合计：710.00 元/月，8520.00 元/年');
      expect(await text(page, 'ent-services')).toContain('大武口区低收入家庭认定');

      // the subsidy's explanation names the dibao's decision, with what decided it there and its article
      await page.click('[data-testid=ent-explain-dawukou-disability-subsidies]');
      await page.waitForSelector('[data-testid=trace-tree]');
      const because = await text(page, 'ent-linked-dawukou-disability-subsidies-dawukou-dibao.household_eligible');
      expect(because).toContain('dawukou-dibao.household_eligible = 是');
      expect(because).toContain('国家规定：家庭人均收入低于当地低保标准');
      // the low-income status reads the dibao's standard (650) and decision
      await page.click('[data-testid=ent-explain-dawukou-low-income]');
      expect(await text(page, 'ent-linked-dawukou-low-income-dawukou-dibao.standard')).toContain('dawukou-dibao.standard = 650.00');
      expect(await page.$('[data-testid=ent-linked-dawukou-disability-subsidies]')).toBeNull();
      await shot(page, 'entitlements-linked-dawukou');
      expect(errors).toEqual([]);
    } catch (e) {
      await shot(page, 'failed-entitlements-linked-dawukou').catch(() => {});
      throw e;
    } finally {
      await page.close();
    }
  }, 120_000);

  it('沙坡头区 (ow-05): accident insurance for the whole family follows from the dibao decided in the same call', async () => {
    const page = await studio.browser.newPage();
    const errors = collectErrors(page);
    try {
      await decide(page, '沙坡头区', '2023-06-01', [
        { birth: '1950-01-01', income: '300' },
        { birth: '1980-01-01', income: '500' },
        { birth: '2015-01-01' },
      ]);
      expect(await text(page, 'ent-routed')).toContain('（640502）');
      const rows = await page.$$eval('[data-testid^=ent-row-]', (els) => els.map((e) => e.getAttribute('data-testid')));
      expect(rows.sort()).toEqual(['ent-row-zhongwei-accident-insurance', 'ent-row-zhongwei-dibao']);
      expect(await text(page, 'ent-amount-zhongwei-dibao')).toBe('1150.00 元/月');
      expect(await text(page, 'ent-granted-zhongwei-accident-insurance')).toBe('是');
      expect(await text(page, 'ent-row-zhongwei-accident-insurance')).toContain('zhongwei-dibao v1');
      expect(await text(page, 'ent-total')).toBe('合计：1150.00 元/月，13800.00 元/年');
      expect(await text(page, 'ent-services')).toContain('意外');

      await page.click('[data-testid=ent-explain-zhongwei-accident-insurance]');
      await page.waitForSelector('[data-testid=trace-tree]');
      expect(await text(page, 'ent-linked-zhongwei-accident-insurance')).toMatch(/zhongwei-dibao\.\w+ = 是/);
      expect(errors).toEqual([]);
    } catch (e) {
      await shot(page, 'failed-entitlements-linked-zhongwei').catch(() => {});
      throw e;
    } finally {
      await page.close();
    }
  }, 120_000);
});
