// The derivation in the evaluate endpoint's trace (issue #19): additive, next to the fields the
// trace always had. Expected figures worked out by hand from policies/dawukou-dibao/v2.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, makeApp, NO_REVIEW_KEYS, type TestApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => { t = await makeApp({ keys: NO_REVIEW_KEYS, today: '2024-06-01', policiesDir: 'policies' }); });
afterAll(async () => { await t.cleanup(); });

// both members special (74 and 9); 768.45 ÷ 2 = 384.225; 650 − 384.225 = 265.775;
// 265.775 × 2 + 10% × 265.775 × 2 = 584.705 → 584.71
const couple = { id: 'h', area: 'urban', members: [
  { id: 'm1', birth_date: '1950-03-01', income_monthly: '768.45' },
  { id: 'm2', birth_date: '2015-01-01' },
] };
const evaluate = (body: object, query = '') => request(t.app).post(`/api/policies/dawukou-dibao/evaluate${query}`).set(bearer('client-key')).send(body);

describe('the trace carries each output\'s derivation', () => {
  it('gives the monthly amount\'s rule, formula with the numbers and result, in Chinese and English', async () => {
    const r = await evaluate({ household: couple, as_of: '2024-06-01' });
    expect(r.status).toBe(200);
    expect(r.body.outputs.monthly_amount).toBe('584.71');
    const entry = r.body.trace.find((e: { output: string }) => e.output === 'monthly_amount');
    // the fields the trace always had are still there, unchanged in shape
    expect(entry.decided_by).toMatchObject({ kind: 'rule', name: '差额补助' });
    expect(Array.isArray(entry.definitions) && Array.isArray(entry.inputs)).toBe(true);
    expect(entry.derivation.text).toEqual({
      zh: '月保障金额 = 舍入到分(265.775 × 2 + 10% × 265.775 × 2) = 584.71 元',
      en: '月保障金额 = round(265.775 × 2 + 10% × 265.775 × 2) = 584.71 yuan',
    });
    expect(entry.derivation.rule).toMatchObject({ kind: 'rule', name: '差额补助', text: { zh: '规则「差额补助」' } });
    expect(entry.derivation.sources).toEqual(['国家规定：按人均补差乘以人数发放', '001 第一章第一节']);
    const gap = entry.derivation.uses.find((u: { name: string }) => u.name === '人均补差');
    expect(gap.text.zh).toBe('人均补差（标准 − 人均收入） = 650 − 384.225 = 265.775 元');
  });

  it('leaves it out with the trace (trace=false)', async () => {
    const r = await evaluate({ household: couple, as_of: '2024-06-01' }, '?trace=false');
    expect(r.status).toBe(200);
    expect(r.body).not.toHaveProperty('trace');
  });
});
