// The evaluation contract (shared/contract.md): evaluate and batch, version in force on as_of,
// pinned versions, JSON paths of invalid fields, limits.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bearer, household, makeApp, NO_REVIEW_KEYS, type TestApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => { t = await makeApp({ keys: NO_REVIEW_KEYS, today: '2024-06-01' }); });
afterAll(async () => { await t.cleanup(); });

const evaluate = (id: string, body: unknown, key = 'client-key') =>
  request(t.app).post(`/api/policies/${id}/evaluate`).set(bearer(key)).send(body as object);

describe('POST /api/policies/{id}/evaluate', () => {
  it('answers policy, version, effective_from, as_of, outputs and trace', async () => {
    const r = await evaluate('fx-dibao', { household: household(), as_of: '2024-06-01' });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['as_of', 'effective_from', 'outputs', 'policy', 'trace', 'version']);
    expect(r.body).toMatchObject({ policy: 'fx-dibao', version: 2, effective_from: '2023-01-01', as_of: '2024-06-01' });
    // (650 − 900/3) × 3 = 1050.00
    expect(r.body.outputs).toEqual({ eligible: true, monthly_amount: '1050.00' });
    const amount = r.body.trace.find((e: { output: string }) => e.output === 'monthly_amount');
    expect(amount.decidedBy).toMatchObject({ kind: 'rule', name: '差额补助', sources: ['测试文件 第二条'] });
  });

  it('uses the version in force on as_of', async () => {
    const v1 = await evaluate('fx-dibao', { household: household(), as_of: '2022-12-31' });
    expect(v1.body).toMatchObject({ version: 1, effective_from: '2022-01-01' });
    expect(v1.body.outputs.monthly_amount).toBe('900.00'); // (600 − 300) × 3
    const first = await evaluate('fx-dibao', { household: household(), as_of: '2023-01-01' });
    expect(first.body.version).toBe(2);
  });

  it('a pinned version wins over as_of', async () => {
    const r = await evaluate('fx-dibao', { household: household(), as_of: '2024-06-01', version: 1 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ version: 1, outputs: { monthly_amount: '900.00' } });
  });

  it('as_of defaults to today (China time)', async () => {
    const r = await evaluate('fx-dibao', { household: household() });
    expect(r.status).toBe(200);
    expect(r.body.as_of).toBe('2024-06-01');
    expect(r.body.version).toBe(2);
  });

  it('money may be sent as a number or a decimal string', async () => {
    const r = await evaluate('fx-dibao', { household: household({ members: [{ id: 'a', birth_date: '1990-01-01', income_monthly: 100.5 }] }), as_of: '2024-06-01' });
    expect(r.status).toBe(200);
    expect(r.body.outputs).toEqual({ eligible: true, monthly_amount: '549.50' });
  });

  it('per-member outputs come back keyed by member id', async () => {
    const r = await evaluate('fx-elderly', {
      household: household({ members: [{ id: 'old', birth_date: '1930-01-01' }, { id: 'mid', birth_date: '1940-01-01' }, { id: 'kid', birth_date: '2010-01-01' }] }),
      as_of: '2024-06-01',
    });
    expect(r.status).toBe(200);
    expect(r.body.outputs).toEqual({ allowance: { old: '600.00', mid: '500.00', kid: '0.00' }, monthly_amount: '1100.00' });
  });

  it('404 for an unknown policy and for no version in force; 404 for an unknown pinned version', async () => {
    const unknown = await evaluate('no-such-policy', { household: household() });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('policy.not_found');
    const early = await evaluate('fx-dibao', { household: household(), as_of: '2021-12-31' });
    expect(early.status).toBe(404);
    expect(early.body.error.code).toBe('version.not_in_force');
    expect(early.body.error.details[0].path).toBe('as_of');
    const pinned = await evaluate('fx-dibao', { household: household(), version: 9 });
    expect(pinned.status).toBe(404);
    expect(pinned.body.error.code).toBe('version.not_found');
  });

  it('400 with the JSON path of every bad household field', async () => {
    const r = await evaluate('fx-dibao', {
      as_of: '2024-06-01',
      household: { id: 7, area: 'suburb', members: [{ id: 'a', birth_date: '2023-02-30', income_monthly: '-5.00' }, { id: 'b', birth_date: '1990-01-01', disability_level: 9 }] },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('household.invalid');
    const paths = r.body.error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual([
      'household.area', 'household.id', 'household.members[0].birth_date', 'household.members[0].income_monthly',
      'household.members[1].disability_level',
    ]);
    for (const d of r.body.error.details) expect(typeof d.message).toBe('string');
  });

  it('400 for an empty member list and for a household that is not an object', async () => {
    const empty = await evaluate('fx-dibao', { household: household({ members: [] }), as_of: '2024-06-01' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details.map((d: { path: string }) => d.path)).toEqual(['household.members']);
    const notObject = await evaluate('fx-dibao', { household: [1, 2], as_of: '2024-06-01' });
    expect(notObject.status).toBe(400);
    expect(notObject.body.error.details[0].path).toBe('household');
  });

  it('400 for a bad as_of, version or unknown top-level field; the request body schema is enforced', async () => {
    const bad = await evaluate('fx-dibao', { household: household(), as_of: '2023-02-30', version: 0, extra: true });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('request.invalid');
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['as_of', 'extra', 'version']);
    const missing = await evaluate('fx-dibao', { as_of: '2024-06-01' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0].path).toBe('household');
  });
});

describe('compiled versions are cached', () => {
  it('compiles a published version once, however many evaluations use it', async () => {
    const fresh = await makeApp({ keys: NO_REVIEW_KEYS });
    try {
      const spy = vi.spyOn(fresh.app.locals.ctx.lang, 'compile');
      for (let i = 0; i < 5; i++) {
        const r = await request(fresh.app).post('/api/policies/fx-dibao/evaluate').set(bearer('client-key')).send({ household: household(), as_of: '2024-06-01' });
        expect(r.status).toBe(200);
      }
      await request(fresh.app).post('/api/policies/fx-dibao/evaluate/batch').set(bearer('client-key')).send({ households: [household()], as_of: '2024-06-01' });
      expect(spy).toHaveBeenCalledTimes(1);
      await request(fresh.app).post('/api/policies/fx-dibao/evaluate').set(bearer('client-key')).send({ household: household(), as_of: '2022-06-01' });
      expect(spy).toHaveBeenCalledTimes(2); // v1 is another version
    } finally { await fresh.cleanup(); }
  });
});

describe('POST /api/policies/{id}/evaluate/batch', () => {
  it('answers one result per household, in order; one bad household does not sink the others', async () => {
    const r = await request(t.app).post('/api/policies/fx-dibao/evaluate/batch').set(bearer('client-key')).send({
      as_of: '2024-06-01',
      households: [
        household({ id: 'a' }),
        household({ id: 'b', members: [] }),
        'not a household',
        household({ id: 'c', members: [{ id: 'x', birth_date: '1990-01-01', income_monthly: '1000.00' }] }),
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ policy: 'fx-dibao', version: 2 });
    expect(r.body.results).toHaveLength(4);
    expect(r.body.results[0]).toEqual({ id: 'a', outputs: { eligible: true, monthly_amount: '1050.00' } });
    expect(r.body.results[1].id).toBe('b');
    expect(r.body.results[1].error.code).toBe('household.invalid');
    expect(r.body.results[1].error.details[0].path).toBe('household.members');
    expect(r.body.results[2].id).toBeNull();
    expect(r.body.results[2].error.code).toBe('household.invalid');
    expect(r.body.results[3]).toEqual({ id: 'c', outputs: { eligible: false, monthly_amount: '0.00' } });
  });

  it('evaluates 10,000 households in one call, and refuses 10,001 with 413', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => household({ id: `h${i}` }));
    const ok = await request(t.app).post('/api/policies/fx-dibao/evaluate/batch').set(bearer('client-key')).send({ as_of: '2024-06-01', households: many });
    expect(ok.status).toBe(200);
    expect(ok.body.results).toHaveLength(10_000);
    expect(ok.body.results[9_999]).toEqual({ id: 'h9999', outputs: { eligible: true, monthly_amount: '1050.00' } });
    many.push(household({ id: 'one-too-many' }));
    const tooMany = await request(t.app).post('/api/policies/fx-dibao/evaluate/batch').set(bearer('client-key')).send({ as_of: '2024-06-01', households: many });
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error.code).toBe('batch.too_large');
  }, 60_000);

  it('400 when households is not a list; 404 with no version in force', async () => {
    const r = await request(t.app).post('/api/policies/fx-dibao/evaluate/batch').set(bearer('client-key')).send({ households: { a: 1 } });
    expect(r.status).toBe(400);
    expect(r.body.error.details[0].path).toBe('households');
    const early = await request(t.app).post('/api/policies/fx-dibao/evaluate/batch').set(bearer('client-key')).send({ households: [household()], as_of: '2000-01-01' });
    expect(early.status).toBe(404);
    expect(early.body.error.code).toBe('version.not_in_force');
  });
});
