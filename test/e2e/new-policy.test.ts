// Browser test of the new-policy flow (studio/src/newpolicy): create a policy from the
// allowance-by-table template in the studio, see its starter scenario pass, publish it and
// evaluate a household over HTTP.
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeViolations } from './axe';
import { collectErrors, shot, useStudio } from './harness';

const ID = 'grid-new-allowance';
const LONG = 60_000;

const studio = useStudio();

const post = (path: string, body: unknown) => fetch(`${studio.server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Studio-Request': '1' }, body: JSON.stringify(body) });

describe('new policy from a template', () => {
  it('creates an allowance-by-table policy in the studio, publishes it and evaluates it over HTTP', async () => {
    const page = await studio.browser.newPage({ viewport: { width: 1400, height: 950 } });
    const errors = collectErrors(page);
    let step = 'policy list';
    try {
      await page.goto(`${studio.server.url}/`);
      await page.click('[data-testid=new-policy]', { timeout: LONG });

      step = 'a bad id is refused before anything is created';
      await page.check('[data-testid=newp-template-table]');
      await page.fill('[data-testid=newp-id]', 'Bad Id');
      await page.fill('[data-testid=newp-title]', '新建高龄津贴');
      await page.fill('[data-testid=newp-jurisdiction]', '宁夏回族自治区石嘴山市大武口区');
      await page.fill('[data-testid=newp-effective]', '2025-01-01');
      await page.click('[data-testid=newp-create]');
      expect(await page.textContent('[data-testid=newp-error]')).toContain('小写字母');
      expect(await axeViolations(page)).toEqual([]);

      step = 'create the draft';
      await page.fill('[data-testid=newp-id]', ID);
      await page.click('[data-testid=newp-create]');
      await page.waitForSelector('.monaco-editor .view-lines', { timeout: LONG, state: 'attached' });
      // the starter scenario passes and the policy has no errors
      await page.waitForSelector('[data-testid=summary-bar][data-pending=false][data-passed="1"][data-failed="0"][data-errors="0"]', { timeout: LONG });
      expect(await page.textContent('[data-testid=policy-title]')).toBe('新建高龄津贴');
      await shot(page, 'new-policy-01-created');

      step = 'publish over HTTP';
      const published = await post(`/api/policies/${ID}/publish`, { note: '首次发布' });
      expect(published.status).toBe(201);

      step = 'evaluate over HTTP: a 90-year-old gets the 90+ band, 200 元/月 (模板的假定值)';
      const res = await post(`/api/policies/${ID}/evaluate`, {
        as_of: '2025-06-01',
        household: { id: 'h1', area: 'urban', members: [{ id: 'm1', birth_date: '1935-01-01' }, { id: 'm2', birth_date: '1960-01-01' }] },
      });
      const body = await res.json() as { outputs: Record<string, unknown> };
      expect(res.status).toBe(200);
      expect(body.outputs.monthly_amount).toBe('200.00');
      expect(body.outputs.eligible).toBe(true);
      expect(errors).toEqual([]);
    } catch (e) {
      await shot(page, `new-policy-failed-${step.replace(/\W+/g, '_')}`).catch(() => {});
      throw new Error(`[new policy] failed at step "${step}": ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      await page.close();
    }
  }, 300_000);
});

