// Every error the API promises: always JSON { error: { code, message, details } }, the right
// status, bilingual messages, never a stack trace and never 500 for bad input.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../runtime/app.js';
import type { Store } from '../../runtime/store/types.js';
import { bearer, household, makeApp, modules, NO_REVIEW_KEYS, type TestApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => { t = await makeApp({ keys: NO_REVIEW_KEYS }); });
afterAll(async () => { await t.cleanup(); });

const EVAL = '/api/policies/fx-dibao/evaluate';

function expectError(r: request.Response, status: number, code: string) {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.headers['content-type']).toMatch(/application\/json/);
  expect(r.body.error.code).toBe(code);
  expect(r.body.error.message).toMatch(/ \/ /); // "中文 / English"
  expect(r.body.error.message_zh).toMatch(/[\u4e00-\u9fff]/);
  expect(r.body.error.message_en).toMatch(/[A-Za-z]/);
  expect(Array.isArray(r.body.error.details)).toBe(true);
  expect(JSON.stringify(r.body)).not.toMatch(/at .*\.(ts|js):\d+/);
  return r.body.error as { details: { path: string; message: string }[] };
}

const paths = (e: { details: { path: string }[] }) => e.details.map((d) => d.path).sort();

describe('errors', () => {
  it('malformed JSON → 400 request.malformed_json', async () => {
    const r = await request(t.app).post(EVAL).set(bearer('client-key')).set('Content-Type', 'application/json').send('{"household": {');
    expectError(r, 400, 'request.malformed_json');
  });

  it('JSON that is not an object (a bare string, number, array) → 400', async () => {
    const r1 = await request(t.app).post(EVAL).set(bearer('client-key')).set('Content-Type', 'application/json').send('"text"');
    expectError(r1, 400, 'request.malformed_json'); // strict JSON body: objects and arrays only
    const r2 = await request(t.app).post(EVAL).set(bearer('client-key')).send([1, 2]);
    expect(paths(expectError(r2, 400, 'request.invalid'))).toEqual(['(body)']);
  });

  it('a body that is not JSON → 415; no body → 400', async () => {
    const r = await request(t.app).post(EVAL).set(bearer('client-key')).set('Content-Type', 'text/plain').send('household=1');
    expectError(r, 415, 'request.unsupported_media_type');
    const none = await request(t.app).post(EVAL).set(bearer('client-key'));
    expect(paths(expectError(none, 400, 'request.invalid'))).toEqual(['(body)']);
  });

  it('wrong types in the household → 400 with each JSON path', async () => {
    const r = await request(t.app).post(EVAL).set(bearer('client-key')).send({
      as_of: '2024-01-01',
      household: household({ area: 3, residence_permit: 'yes', members: [{ id: 'a', birth_date: 19900101, serious_illness: 1, income_monthly: 'lots' }] }),
    });
    const e = expectError(r, 400, 'household.invalid');
    expect(paths(e)).toEqual(['household.area', 'household.members[0].birth_date', 'household.members[0].income_monthly', 'household.members[0].serious_illness', 'household.residence_permit']);
  });

  it('negative money → 400 naming the field', async () => {
    const r = await request(t.app).post(EVAL).set(bearer('client-key')).send({
      as_of: '2024-01-01', household: household({ rigid_expenditure_monthly: -1, members: [{ id: 'a', birth_date: '1990-01-01', income_monthly: '-0.01' }] }),
    });
    expect(paths(expectError(r, 400, 'household.invalid'))).toEqual(['household.members[0].income_monthly', 'household.rigid_expenditure_monthly']);
  });

  it('impossible dates (2023-02-30, 2023-13-01) → 400, in the household and in as_of', async () => {
    const r = await request(t.app).post(EVAL).set(bearer('client-key')).send({
      as_of: '2024-01-01', household: household({ members: [{ id: 'a', birth_date: '2023-02-30' }, { id: 'b', birth_date: '2023-13-01' }] }),
    });
    expect(paths(expectError(r, 400, 'household.invalid'))).toEqual(['household.members[0].birth_date', 'household.members[1].birth_date']);
    const asOf = await request(t.app).post(EVAL).set(bearer('client-key')).send({ as_of: '2023-02-29', household: household() });
    expect(paths(expectError(asOf, 400, 'request.invalid'))).toEqual(['as_of']);
  });

  it('empty member list → 400 household.members', async () => {
    const r = await request(t.app).post(EVAL).set(bearer('client-key')).send({ as_of: '2024-01-01', household: household({ members: [] }) });
    expect(paths(expectError(r, 400, 'household.invalid'))).toEqual(['household.members']);
  });

  it('unknown policy → 404; no version in force → 404', async () => {
    expectError(await request(t.app).post('/api/policies/nope/evaluate').set(bearer('client-key')).send({ household: household() }), 404, 'policy.not_found');
    expectError(await request(t.app).post(EVAL).set(bearer('client-key')).send({ household: household(), as_of: '1999-01-01' }), 404, 'version.not_in_force');
  });

  it('a body over 50 MB → 413 request.too_large', async () => {
    const big = JSON.stringify({ household: household(), as_of: '2024-01-01', padding: 'x'.repeat(51 * 1024 * 1024) });
    const r = await request(t.app).post(EVAL).set(bearer('client-key')).set('Content-Type', 'application/json').send(big);
    expectError(r, 413, 'request.too_large');
  });

  it('stale If-Match → 409 draft.stale; missing If-Match → 428', async () => {
    const ok = await request(t.app).put('/api/policies/fx-elderly/draft').set(bearer('editor-key')).set('If-Match', '"1"').send({ scenarios: '# a\n' });
    expect(ok.status).toBe(200);
    const stale = await request(t.app).put('/api/policies/fx-elderly/draft').set(bearer('editor-key')).set('If-Match', '"1"').send({ scenarios: '# b\n' });
    expectError(stale, 409, 'draft.stale');
    expect(stale.body.error.current_revision).toBe(2);
    expectError(await request(t.app).put('/api/policies/fx-elderly/draft').set(bearer('editor-key')).send({ scenarios: '# c\n' }), 428, 'draft.if_match_required');
  });

  it('unknown endpoint → 404; wrong method → 405 with Allow; undecodable URL → 400', async () => {
    expectError(await request(t.app).get('/api/nothing-here').set(bearer('admin-key')), 404, 'route.not_found');
    const m = await request(t.app).delete('/api/policies/fx-dibao').set(bearer('admin-key'));
    expectError(m, 405, 'method.not_allowed');
    expect(m.headers.allow).toBe('GET, HEAD');
    expectError(await request(t.app).get('/api/policies/%E0%A4%A').set(bearer('admin-key')), 400, 'request.bad_url');
  });

  it('wrong field types in other bodies → 400 request.invalid with paths', async () => {
    const r = await request(t.app).post('/api/policies').set(bearer('editor-key')).send({ id: 'ok-id', source: 5, extra: 1 });
    expect(paths(expectError(r, 400, 'request.invalid'))).toEqual(['extra', 'source']);
    const p = await request(t.app).post('/api/policies/fx-dibao/publish').set(bearer('editor-key')).send({ effective_from: 20240101, note: ['x'] });
    expect(paths(expectError(p, 400, 'request.invalid'))).toEqual(['effective_from', 'note']);
    const v = await request(t.app).post(EVAL).set(bearer('client-key')).send({ household: household(), version: '2' });
    expect(paths(expectError(v, 400, 'request.invalid'))).toEqual(['version']);
  });

  it('a bad request never changes stored data', async () => {
    const before = JSON.stringify(t.store.data);
    await request(t.app).post('/api/policies').set(bearer('editor-key')).send({ id: 'Bad Id' });
    await request(t.app).post('/api/policies/fx-dibao/publish').set(bearer('editor-key')).send({ note: 'no change' });
    await request(t.app).put('/api/policies/fx-dibao/draft').set(bearer('editor-key')).set('If-Match', '"9"').send({ source: 'x' });
    expect(JSON.stringify(t.store.data)).toBe(before);
  });

  it('an unexpected failure → 500 internal, with no stack and no internals in the body', async () => {
    const broken: Store = {
      get data(): never { throw new Error('disk on fire at /secret/path'); },
      fresh: false,
      mutate: () => Promise.reject(new Error('boom')),
      close: async () => undefined,
    };
    const logged: Record<string, unknown>[] = [];
    const app = createApp({ store: broken, modules, log: (e) => logged.push(e), studioDir: null });
    const r = await request(app).get('/api/policies');
    expectError(r, 500, 'internal');
    expect(r.text).not.toContain('disk on fire');
    expect(r.text).not.toContain('/secret/path');
    expect(logged.some((e) => e.level === 'error' && String(e.error).includes('disk on fire'))).toBe(true);
  });
});
