// Browser tests of the forms and the English mode: the household form of dawukou-dibao shows only
// the fields the policy reads, with units, takes full-width digits and thousand separators as
// exact money, and its member table is not clipped at a narrow width; in English mode every
// screen's chrome (headings, buttons, labels, tabs, table heads) has no Chinese characters, the
// page title is English, a syntax error reads in English, and axe-core finds no serious or
// critical violation on any screen of the walk; the favicon is served.
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { parse as parseYaml } from 'yaml';
import { collectErrors, shot, useStudio } from './harness';
import { axeViolations } from './axe';

const POLICY = 'dawukou-dibao';
const ADMIN = { name: 'boss', password: 'boss-password-1' };

const studio = useStudio({ STUDIO_ADMIN: ADMIN.name, STUDIO_ADMIN_PASSWORD: ADMIN.password });

async function signIn(page: Page) {
  await page.waitForSelector('[data-testid=signin-screen]', { timeout: 30_000 });
  await page.fill('[data-testid=signin-name]', ADMIN.name);
  await page.fill('[data-testid=signin-password]', ADMIN.password);
  await page.click('[data-testid=signin-submit]');
  await page.waitForSelector(`[data-testid=account-name]:text-is("${ADMIN.name}")`, { timeout: 30_000 });
}

async function waitAnalysed(page: Page, pred = 'true') {
  await page.waitForFunction(`(() => { const el = document.querySelector('[data-testid=summary-bar]'); if (!el || el.dataset.pending !== 'false') return false;
    const s = { passed: +el.dataset.passed, failed: +el.dataset.failed, total: +el.dataset.total, errors: +el.dataset.errors }; return ${pred}; })()`, null, { timeout: 60_000 });
}

async function step<T>(page: Page, name: string, body: () => Promise<T>): Promise<T> {
  try { return await body(); } catch (e) {
    await shot(page, `failed-forms-${name.replace(/\W+/g, '_')}`).catch(() => {});
    throw new Error(`[forms] failed at "${name}": ${e instanceof Error ? e.message : String(e)}`);
  }
}

// The UI chrome of the screen as it is: headings, buttons, tabs, labels, table heads, legends,
// navigation. User data is left out: the editor's text, policy and scenario names (links and
// scenario buttons), the explanation's values; the language switch names the other language.
const CHROME = 'h1, h2, h3, h4, nav, button, [role=tab], th, legend, .field-label, .panel-header, .notice, [role=alert], label';
const DATA = '.monaco-editor, [data-testid^=scenario-select-], [data-testid^=policy-link-], [data-testid^=policy-row-], [data-testid=policy-title], [data-testid^=param-jump-], [data-testid=trace-tree], [data-testid=lang-switch], [data-testid=account-name], [data-testid^=user-row-], option, select, code, pre, [data-user-data]';
async function chineseInChrome(page: Page): Promise<string[]> {
  return page.evaluate(({ chrome, data }) => {
    const found = new Set<string>();
    // scenario names inside chrome sentences ("Explanation: <name>") are user data too
    const names = Array.from(document.querySelectorAll('.scenario-name')).map((e) => e.textContent ?? '').filter(Boolean);
    for (const el of Array.from(document.querySelectorAll<HTMLElement>(chrome))) {
      if (el.closest(data) || el.offsetParent === null) continue;
      // the element's own text, without the user data inside it
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll(data).forEach((d) => d.remove());
      let text = (copy.textContent ?? '').trim();
      for (const n of names) text = text.split(n).join('');
      if (/[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]/.test(text)) found.add(`${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : ''}: ${text.slice(0, 80)}`);
    }
    return [...found];
  }, { chrome: CHROME, data: DATA });
}

describe('forms and the English mode in the browser', () => {
  it('serves the favicon as SVG, linked from the page', async () => {
    const r = await fetch(`${studio.server.url}/favicon.svg`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await r.text()).toContain('<svg');
    const index = await (await fetch(`${studio.server.url}/`)).text();
    expect(index).toContain('<link rel="icon" type="image/svg+xml" href="/favicon.svg"');
  });

  it('the household form shows the fields the policy reads, with units; money takes full-width digits; the member table scrolls', async () => {
    const page = await studio.browser.newPage({ viewport: { width: 820, height: 900 } });
    const errors = collectErrors(page);
    try {
      await step(page, 'open the form', async () => {
        await page.goto(`${studio.server.url}/#/p/${POLICY}/editor`);
        await signIn(page);
        await page.waitForSelector('.monaco-editor .view-lines', { timeout: 60_000, state: 'attached' });
        await waitAnalysed(page, 's.total > 0');
        await page.click('[data-testid=new-scenario]');
        await page.waitForSelector('[data-testid=household-form]');
      });
      await step(page, 'only the fields dawukou-dibao reads (and the required ones)', async () => {
        // read by the policy: area, rigid expenditure, dibao status, single-person applications;
        // per member income, excluded income, disability level, serious illness, 特困
        for (const id of ['hh-area', 'hh-rigid_expenditure_monthly', 'hh-dibao-enrolled', 'hh-dibao-monthly_amount', 'hh-applies_single_person',
          'hh-members-0-id', 'hh-members-0-birth_date', 'hh-members-0-income_monthly', 'hh-members-0-excluded_income_monthly',
          'hh-members-0-disability_level', 'hh-members-0-serious_illness', 'hh-members-0-tekun']) {
          await page.waitForSelector(`[data-testid=${id}]`, { state: 'attached', timeout: 15_000 });
        }
        // other programmes' fields (XPCC distance, border regiment, orphans, residence permit…) are not asked
        for (const id of ['hh-distance_to_hq_km', 'hh-border_regiment', 'hh-residence_permit', 'hh-county', 'hh-members-0-orphan',
          'hh-members-0-self_care', 'hh-members-0-employment_cost_monthly', 'hh-members-0-institutional_care']) {
          expect(await page.locator(`[data-testid=${id}]`).count(), id).toBe(0);
        }
      });
      await step(page, 'units beside money', async () => {
        expect(await page.textContent('[data-testid=hh-members-0-income_monthly-unit]')).toBe('元/月');
        expect(await page.textContent('[data-testid=hh-rigid_expenditure_monthly-unit]')).toBe('元/月');
      });
      await step(page, 'full-width digits and thousand separators become the exact amount', async () => {
        await page.fill('[data-testid=hh-members-0-income_monthly]', '１，２３４．５');
        expect(await page.inputValue('[data-testid=hh-members-0-income_monthly]')).toBe('1234.5');
        await page.fill('[data-testid=hh-members-0-income_monthly]', '１２３．４５');
        expect(await page.inputValue('[data-testid=hh-members-0-income_monthly]')).toBe('123.45');
        await page.fill('[data-testid=scenario-as-of]', '2024-06-01');
        await page.selectOption('[data-testid=hh-area]', 'urban');
        await page.fill('[data-testid=hh-members-0-birth_date]', '1980-01-01');
        await page.click('[data-testid=fill-expected]');
        // one urban adult of 44, 123.45 元 a month: 650 − 123.45 = 526.55, no special member
        await page.waitForFunction(() => (document.querySelector('[data-testid=expect-monthly_amount]') as HTMLInputElement | null)?.value === '526.55', null, { timeout: 30_000 });
      });
      await step(page, 'the member table is not clipped at 820 px', async () => {
        await page.click('[data-testid=hh-members-add]');
        const remove = page.locator('[data-testid=hh-members-remove-1]');
        await remove.scrollIntoViewIfNeeded();
        const box = (await remove.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(820);
        // the page itself does not overflow sideways: the table scrolls in its own box
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820);
        await shot(page, 'forms-household-narrow');
      });
      await step(page, 'an absent or empty expected value is an empty field that says so; saves round-trip', async () => {
        // the draft's scenarios as the server has them (the studio autosaves after a pause)
        const draft = () => page.evaluate(async (p) => ((await (await fetch(`/api/policies/${p}/draft`)).json()) as { scenarios: string }).scenarios, POLICY);
        const draftWhen = async (ok: (text: string) => boolean) => {
          await page.click('[data-testid=save-button]');                 // now, not after the autosave's pause
          for (const until = Date.now() + 30_000; Date.now() < until; await page.waitForTimeout(150)) { const text = await draft(); if (ok(text)) return text; }
          throw new Error('the draft did not change as expected');
        };
        const field = (name: string) => page.locator(`[data-testid=expect-${name}]`);
        // dawukou-dibao's first scenario expects single_person_members: [] and gradual_exit_until: null
        const editFirst = async () => {
          // selecting is a toggle, and saving selects the scenario saved
          if (!(await page.locator('[data-testid=scenario-0].selected').count())) await page.click('[data-testid=scenario-select-0]');
          await page.click('[data-testid=scenario-edit]');
          await page.waitForSelector('[data-testid=household-form]');
        };
        const saveForm = async () => {
          await page.click('[data-testid=save-scenario]');
          await page.waitForSelector('[data-testid=editor-screen]:not(.is-hidden)');
        };
        await page.click('[data-testid=cancel-scenario]');
        await page.waitForSelector('[data-testid=editor-screen]:not(.is-hidden)');
        const before = await draft();
        await editFirst();
        expect(await field('single_person_members').inputValue()).toBe('');
        expect(await field('single_person_members').getAttribute('placeholder')).toBe('无（空列表）');
        expect(await field('gradual_exit_until').inputValue()).toBe('');
        expect(await field('gradual_exit_until').getAttribute('placeholder')).toBe('无（空值）');
        expect(await page.isChecked('[data-testid=expect-check-single_person_members]')).toBe(true);
        expect(await page.isChecked('[data-testid=expect-check-gradual_exit_until]')).toBe(true);
        expect(await field('monthly_amount').inputValue()).toBe('950.00');
        await saveForm();                                                   // untouched
        await editFirst();
        await field('single_person_members').fill('m1，m3');
        await field('gradual_exit_until').fill('2025-01-01');
        await saveForm();
        const after = await draftWhen((text) => text !== before);
        // one line changed, the scenario's expect (the untouched save changed nothing), with typed values
        const [was, now] = [before.split('\n'), after.split('\n')];
        expect(now.length).toBe(was.length);
        expect(now.filter((line, i) => line !== was[i])).toHaveLength(1);
        const scenarios = (text: string) => (parseYaml(text) as { scenarios: { expect: Record<string, unknown> }[] }).scenarios;
        expect(scenarios(after)[0]!.expect).toEqual({ eligible: true, monthly_amount: '950.00', single_person_members: ['m1', 'm3'], gradual_exit: false, gradual_exit_until: '2025-01-01' });
        // emptied, then checked again: [] and null, and the suite is as it was, to the byte
        await editFirst();
        for (const name of ['single_person_members', 'gradual_exit_until']) {
          await field(name).fill('');
          expect(await page.isChecked(`[data-testid=expect-check-${name}]`)).toBe(false);
          await page.check(`[data-testid=expect-check-${name}]`);
        }
        await saveForm();
        expect(await draftWhen((text) => text === before)).toBe(before);
      });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 180_000);

  it('English mode is English throughout (every screen\'s chrome, the page title, a syntax error), and every screen is axe-clean', async () => {
    const page = await studio.browser.newPage({ viewport: { width: 1400, height: 950 } });
    const errors = collectErrors(page);
    await page.addInitScript(() => localStorage.setItem('studio.lang', 'en'));
    const found: string[] = [];
    // every screen on the way is also judged by axe-core (no serious or critical violations)
    const inaccessible: string[] = [];
    const check = async (screen: string) => {
      for (const f of await chineseInChrome(page)) found.push(`${screen} → ${f}`);
      for (const v of await axeViolations(page)) inaccessible.push(`${screen} → ${v}`);
    };
    try {
      await step(page, 'sign-in', async () => {
        await page.goto(`${studio.server.url}/`);
        await page.waitForSelector('[data-testid=signin-screen]', { timeout: 30_000 });
        expect(await page.title()).toBe('Policy Studio');
        await check('sign-in');
        await page.fill('[data-testid=signin-name]', ADMIN.name);
        await page.fill('[data-testid=signin-password]', 'not-the-password');
        await page.click('[data-testid=signin-submit]');
        const refused = (await (await page.waitForSelector('[data-testid=signin-error]')).textContent())!;
        expect(refused).not.toMatch(/[\u4e00-\u9fff]/);
        await signIn(page);
      });
      await step(page, 'policy list and users', async () => {
        await page.waitForSelector(`[data-testid=policy-row-${POLICY}]`, { timeout: 30_000 });
        await check('policy list');
        await page.click('[data-testid=nav-users]');
        await page.waitForSelector(`[data-testid=user-row-${ADMIN.name}]`, { timeout: 30_000 });
        await check('users');
      });
      await step(page, 'workspace tabs', async () => {
        await page.goto(`${studio.server.url}/#/p/${POLICY}/editor`);
        await page.waitForSelector('.monaco-editor .view-lines', { timeout: 60_000, state: 'attached' });
        await waitAnalysed(page, 's.total > 0');
        await check('editor');
        await page.click('[data-testid=tab-parameters]');
        const input = page.locator('[data-testid="param-value-城市低保标准"]');
        await input.fill('700');
        await input.press('Enter');
        await waitAnalysed(page, 's.failed > 0');
        await check('parameters');
        await page.click('[data-testid=tab-editor]');
        await page.waitForSelector('[data-testid^=scenario-failure-]');
        await check('scenarios with failures');
        await page.click('[data-testid=scenario-select-0]');
        await page.waitForSelector('[data-testid=trace-tree]', { timeout: 30_000 });
        await check('explanation');
        for (const tab of ['versions', 'tryit', 'household', 'impact']) {
          await page.click(`[data-testid=tab-${tab}]`);
          await page.waitForTimeout(1500);
          await check(tab);
        }
        // back to 650 (every test passes, so publishing is open) for the confirmation's chrome
        await page.click('[data-testid=tab-parameters]');
        await input.fill('650');
        await input.press('Enter');
        await waitAnalysed(page, 's.failed === 0');
        await page.click('[data-testid=tab-versions]');
        await page.waitForSelector('[data-testid=publish-open]:not([disabled])', { timeout: 60_000 });
        await page.click('[data-testid=publish-open]');
        await page.waitForSelector('[data-testid=publish-tests]', { timeout: 60_000 });
        await check('publish confirmation');
        await page.keyboard.press('Escape');
      });
      await step(page, 'a syntax error reads in English', async () => {
        await page.click('[data-testid=tab-editor]');
        await page.click('.monaco-editor .view-lines');
        await page.keyboard.press('Control+End');
        await page.keyboard.press('Enter');
        await page.keyboard.type('输出 x = 如果 1 > 0 1', { delay: 5 });
        await waitAnalysed(page, 's.errors > 0');
        const problems = (await page.textContent('[data-testid=problems]'))!;
        expect(problems).toMatch(/expected/i);
        expect(problems).not.toMatch(/应为|错误|未定义/);
        await page.keyboard.press('Escape');
        await page.keyboard.press('Control+Z');
      });
      await step(page, 'one-window entitlements and the monitor', async () => {
        await page.click('[data-testid=nav-entitlements]');
        await page.waitForSelector('[data-testid=entitlements-screen]', { timeout: 30_000 });
        await check('entitlements');
        await page.click('[data-testid=nav-monitor]');
        await page.waitForSelector('[data-testid=monitor-screen]', { timeout: 30_000 });
        await page.waitForTimeout(1000);
        await check('monitor');
      });
      expect(await page.title()).toBe('Policy Studio');
      expect(found).toEqual([]);
      expect(inaccessible).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 240_000);
});
