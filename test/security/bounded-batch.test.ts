// Issue 21 B7 and issue 20: a batch answer is bounded — one result per household, in order
// (the contract), but only the first 100 households with an error get it in full; later ones
// carry their code only (`omitted: true`), and `error_count` / `errors_omitted` count them.
// Every household error is bilingual, like every other error.
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_DETAILED_ERRORS } from '../../runtime/services/evaluation.js';
import { MAX_ERROR_DETAILS } from '../../runtime/errors.js';
import { boundedApp, household, type BoundedApp } from './bounded-helpers.js';

let t: BoundedApp;
beforeAll(async () => { t = await boundedApp(); });

const batch = (households: unknown[]) => request(t.app).post('/api/policies/fx-dibao/evaluate/batch').send({ households, as_of: '2024-06-01' });
/** Invalid: a birth date that is no date (one detail). */
const invalid = (id: string) => ({ id, area: 'urban', members: [{ id: 'a', birth_date: 'not-a-date' }] });

describe('batch errors past the first 100', () => {
  it('250 invalid households among 50 valid ones: 300 results in order, 100 errors in full, 150 by code, counted', async () => {
    const hs = Array.from({ length: 300 }, (_, i) => (i % 6 === 0 ? household({ id: `ok${i}` }) : invalid(`bad${i}`)));
    const r = await batch(hs);
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { id: string }) => x.id)).toEqual(hs.map((h) => h.id));
    expect(r.body.error_count).toBe(250);
    expect(r.body.errors_omitted).toBe(150);
    const errors = r.body.results.filter((x: { error?: unknown }) => x.error).map((x: { error: Record<string, unknown> }) => x.error);
    expect(errors).toHaveLength(250);
    expect(MAX_DETAILED_ERRORS).toBe(100);
    for (const e of errors.slice(0, 100)) {
      expect(e.code).toBe('household.invalid');
      expect(e.message_zh).toBe('家庭数据不符合要求');
      expect(e.message_en).toBe('The household is invalid');
      expect(e.message).toBe('家庭数据不符合要求 / The household is invalid');
      expect(e.details).toEqual([{ path: 'household.members[0].birth_date', message: expect.stringContaining('not-a-date') }]);
      expect(e.omitted).toBeUndefined();
    }
    for (const e of errors.slice(100)) {
      expect(e).toEqual({ code: 'household.invalid', message: '详情从略 / details omitted', message_zh: '详情从略', message_en: 'details omitted', details: [], omitted: true });
    }
    // valid households are untouched by the cap
    expect(r.body.results[0]).toEqual({ decision_id: expect.any(String), id: 'ok0', outputs: expect.objectContaining({ eligible: true }) });
  });

  it('an all-invalid batch of 10,000 (B7) answers a bounded body', async () => {
    const bad = { id: 'x', area: 'urban', members: Array.from({ length: 50 }, (_, i) => ({ id: `m${i}`, birth_date: 'nope', income_monthly: 'abc' })) };
    const r = await batch(Array.from({ length: 10_000 }, () => bad));
    expect(r.status).toBe(200);
    expect(r.body.results).toHaveLength(10_000);
    expect(r.body.error_count).toBe(10_000);
    // 100 bad fields per household (50 members, the most allowed): all 100 listed, no count entry; 100 such errors in
    // full, then 9,900 fixed entries of about 170 bytes
    const full = JSON.stringify(r.body.results[0]).length;
    expect(r.text.length).toBeLessThan(100 * full + 9_900 * 200 + 1_000);
    expect(r.body.results[0].error.details).toHaveLength(MAX_ERROR_DETAILS);
  }, 60_000);

  it('a household that is not an object gets a bilingual error too', async () => {
    const r = await batch([42, household()]);
    expect(r.body.results[0]).toEqual({ id: null, error: expect.objectContaining({ code: 'household.invalid', message_zh: '家庭数据应为对象', message_en: 'household must be an object' }) });
    expect(r.body.error_count).toBe(1);
    expect(r.body.errors_omitted).toBe(0);
  });
});
