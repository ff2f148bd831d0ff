// Issue 21 B14: birth dates 0000-01-01 and 9999-12-31 were accepted. A birth date lies between
// 1900-01-01 and as_of; every household date is a real date from 1900 on.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, household, makeApp, NO_REVIEW_KEYS, type TestApp } from '../runtime/helpers.js';

let t: TestApp;
beforeAll(async () => { t = await makeApp({ keys: NO_REVIEW_KEYS, today: '2024-06-01' }); });
afterAll(async () => { await t.cleanup(); });

const evaluate = (h: unknown, asOf = '2024-06-01') =>
  request(t.app).post('/api/policies/fx-dibao/evaluate').set(bearer('client-key')).send({ household: h, as_of: asOf });
const born = (birth: string) => household({ members: [{ id: 'm1', birth_date: birth }] });

describe('birth dates over HTTP', () => {
  it('0000-01-01 is refused with its path: before 1900', async () => {
    const r = await evaluate(born('0000-01-01'));
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([{ path: 'household.members[0].birth_date', message: '日期 0000-01-01 早于 1900-01-01，不合理 / 0000-01-01 is before 1900-01-01, which cannot be right' }]);
  });

  it('9999-12-31 is refused with its path: after as_of', async () => {
    const r = await evaluate(born('9999-12-31'));
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([{ path: 'household.members[0].birth_date', message: '出生日期 9999-12-31 晚于评估日 2024-06-01 / birth date 9999-12-31 is after the evaluation date (as_of) 2024-06-01' }]);
  });

  it('the bounds themselves are accepted: 1900-01-01, and as_of (defaulting to today)', async () => {
    expect((await evaluate(born('1900-01-01'))).status).toBe(200);
    expect((await evaluate(born('2024-06-01'))).status).toBe(200);
    const today = await request(t.app).post('/api/policies/fx-dibao/evaluate').set(bearer('client-key')).send({ household: born('2024-06-02') });
    expect(today.status).toBe(400);
    expect(today.body.error.details[0].message).toContain('(as_of) 2024-06-01');
  });

  it('in a batch, each bad birth date is its household\'s error', async () => {
    const r = await request(t.app).post('/api/policies/fx-dibao/evaluate/batch').set(bearer('client-key'))
      .send({ households: [born('9999-12-31'), born('1990-01-01'), born('0000-01-01')], as_of: '2024-06-01' });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { error?: { details: { path: string }[] } }) => x.error?.details[0]!.path ?? 'ok')).toEqual([
      'household.members[0].birth_date', 'ok', 'household.members[0].birth_date',
    ]);
  });
});
