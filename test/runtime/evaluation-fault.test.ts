// A published policy that cannot compute a household (here a division by zero) is the policy's
// fault, not the caller's: 422 `evaluation.fault` naming policy, version and source line, never
// 400 `household.invalid` with a `household.policy:N` path (issue 13). In a batch it is that
// household's error and the others are answered.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, household, makeApp, NO_REVIEW_KEYS, type TestApp } from './helpers.js';

const SOURCE = [
  '政策 fx-fault「除零测试」',
  '  生效 2024-01-01',
  '  说明「测试用」',
  '  使用「common/household」',
  '',
  '输出 share「收入占比」 = 650 元/月 ÷ 合计(成员.income_monthly) 依据「测试」',
  '',
].join('\n');

let t: TestApp;
beforeAll(async () => {
  t = await makeApp({ keys: NO_REVIEW_KEYS, today: '2024-06-01' });
  const created = await request(t.app).post('/api/policies').set(bearer('editor-key')).send({ id: 'fx-fault', source: SOURCE, scenarios: 'scenarios: []\n' });
  expect(created.status).toBe(201);
  const published = await request(t.app).post('/api/policies/fx-fault/publish').set(bearer('editor-key')).send({ effective_from: '2024-01-01', note: '测试' });
  expect(published.status).toBe(201);
});
afterAll(async () => { await t.cleanup(); });

const noIncome = household({ members: [{ id: 'm1', birth_date: '1980-05-01' }] });

describe('an evaluation fault of a published policy', () => {
  it('answers 422 evaluation.fault naming policy, version and line, in both languages', async () => {
    const r = await request(t.app).post('/api/policies/fx-fault/evaluate').set(bearer('client-key')).send({ household: noIncome, as_of: '2024-06-01' });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('evaluation.fault');
    expect(r.body.error.message).toContain('fx-fault');
    expect(r.body.error.message).toContain('除数为零');
    expect(r.body.error.message).toContain('division by zero');
    expect(r.body.error.details).toEqual([{ path: 'fx-fault/v1/policy.policy:6', message: '除数为零 / division by zero' }]);
  });

  it('is one household\'s error in a batch; the others are answered', async () => {
    const r = await request(t.app).post('/api/policies/fx-fault/evaluate/batch').set(bearer('client-key'))
      .send({ as_of: '2024-06-01', households: [household({ id: 'ok' }), { ...noIncome, id: 'zero' }] });
    expect(r.status).toBe(200);
    // 650 ÷ 900 = 0.7222…: a number output (not money)
    expect(r.body.results[0].id).toBe('ok');
    expect(r.body.results[0].outputs).toHaveProperty('share');
    expect(r.body.results[1]).toMatchObject({ id: 'zero', error: { code: 'evaluation.fault' } });
  });
});
