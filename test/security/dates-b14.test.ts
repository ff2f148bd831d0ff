// B14 (issue 21): effective dates. A version dated the same day as the latest one silently
// rewrote past results; a version dated 9999-12-31 blocked every later publish. Now a new
// version's date must be after the latest's; equal only as an explicit correction (the
// corrected version stays stored and pinnable, so old decisions replay); more than 10 years
// ahead of today needs "confirm_far_future": true.
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type StudioApp } from '../../runtime/app.js';
import { openStore } from '../../runtime/server.js';
import type { LowdbStore } from '../../runtime/store/lowdb-store.js';
import { ALL_KEYS, bearer, editedSource, FIXTURE_POLICIES, household, modules, NO_REVIEW_KEYS, tempDir } from '../runtime/helpers.js';

// "Today" is 2025-06-01 in China: ten years ahead is 2035-06-01.
const NOW = new Date('2025-06-01T04:00:00Z');
let app: StudioApp;
let store: LowdbStore;

async function open(keys: string) {
  ({ store } = await openStore(tempDir('b14-'), FIXTURE_POLICIES, modules));
  app = createApp({ store, keys, modules, log: () => undefined, studioDir: null, now: () => NOW, today: () => '2025-06-01' });
}
afterEach(async () => { await store.close(); });

/** The draft: fx-dibao v2 with another urban standard; the family of three gets (standard − 300) × 3. */
async function prepare(standard: number, effective: string) {
  const d = await request(app).get('/api/policies/fx-dibao/draft').set(bearer('editor-key'));
  const v2 = await request(app).get('/api/policies/fx-dibao/versions/2').set(bearer('editor-key'));
  const source = editedSource(v2.body.source, standard).replace('生效 2023-01-01', `生效 ${effective}`);
  const scenarios = v2.body.scenarios.replace('"1050.00"', `"${(standard - 300) * 3}.00"`);
  const r = await request(app).put('/api/policies/fx-dibao/draft').set(bearer('editor-key')).set('If-Match', d.headers.etag!).send({ source, scenarios });
  expect(r.status).toBe(200);
}

const publish = (body: object, key = 'editor-key') => request(app).post('/api/policies/fx-dibao/publish').set(bearer(key)).send({ note: '测试', ...body });
/** The answer without its decision id (each evaluation is a decision of its own). */
const evaluate = async (body: object) => {
  const { decision_id: _id, ...answer } = (await request(app).post('/api/policies/fx-dibao/evaluate').set(bearer('client-key')).send({ household: household(), ...body })).body;
  return answer;
};
const paths = (r: request.Response) => r.body.error.details.map((d: { path: string }) => d.path);

describe('B14: effective dates (direct publishing)', () => {
  beforeEach(async () => { await open(NO_REVIEW_KEYS); });

  it('the same date as the latest version is refused, and past results stay as they were', async () => {
    const before = await evaluate({ as_of: '2023-06-01' });
    expect(before).toMatchObject({ version: 2, outputs: { monthly_amount: '1050.00' } });
    await prepare(700, '2023-01-01');
    const r = await publish({ effective_from: '2023-01-01' });
    expect(r.status).toBe(422);
    expect(r.body.error.details).toEqual([{ path: 'effective_from', message: expect.stringContaining('"correction": {"supersedes": 2') }]);
    expect(r.body.error.details[0].message).toMatch(/相同.*\/ equals v2's effective date 2023-01-01/);
    expect(await evaluate({ as_of: '2023-06-01' })).toEqual(before);
  });

  it('an explicit correction replaces the latest version from its date; the corrected one stays pinnable', async () => {
    await prepare(700, '2023-01-01');
    const r = await publish({ effective_from: '2023-01-01', correction: { supersedes: 2, reason: '650 录入错误，应为 700' } });
    expect(r.status).toBe(201);
    expect(r.body.version).toMatchObject({ version: 3, effective_from: '2023-01-01', supersedes: { version: 2, reason: '650 录入错误，应为 700' }, superseded_by: null });
    const versions = (await request(app).get('/api/policies/fx-dibao/versions').set(bearer('tester-key'))).body.versions;
    expect(versions.map((v: { version: number; superseded_by: number | null }) => [v.version, v.superseded_by])).toEqual([[1, null], [2, 3], [3, null]]);
    // (700 − 300) × 3 = 1200 from 2023-01-01 on; pinning v2 replays the earlier decision.
    expect(await evaluate({ as_of: '2023-06-01' })).toMatchObject({ version: 3, outputs: { monthly_amount: '1200.00' } });
    expect(await evaluate({ as_of: '2023-06-01', version: 2 })).toMatchObject({ version: 2, outputs: { monthly_amount: '1050.00' } });
    expect((await request(app).get('/api/policies/fx-dibao/versions/2').set(bearer('tester-key'))).body.source).toContain('= 650 元/月');
    const audit = await request(app).get('/api/audit?action=publish').set(bearer('admin-key'));
    expect(audit.body.entries[0].details).toMatchObject({ supersedes: { supersedes: 2, reason: '650 录入错误，应为 700' } });
  });

  it('a correction must name the latest version, keep its date and give a reason', async () => {
    await prepare(700, '2023-01-01');
    const older = await publish({ effective_from: '2023-01-01', correction: { supersedes: 1, reason: 'x' } });
    expect(older.status).toBe(422);
    expect(paths(older)).toEqual(['correction.supersedes']);
    const later = await publish({ effective_from: '2024-01-01', correction: { supersedes: 2, reason: 'x' } });
    expect(later.status).toBe(422);
    expect(paths(later)).toEqual(['correction']);
    const blank = await publish({ effective_from: '2023-01-01', correction: { supersedes: 2, reason: '  ' } });
    expect(paths(blank)).toEqual(['correction.reason']);
    const missing = await publish({ effective_from: '2023-01-01', correction: { supersedes: 2 } });
    expect(missing.status).toBe(400);
    expect((await request(app).get('/api/policies/fx-dibao/versions').set(bearer('tester-key'))).body.versions).toHaveLength(2);
  });

  it('a date before the latest version\'s is refused, saying why', async () => {
    await prepare(700, '2022-12-31');
    const r = await publish({});
    expect(r.status).toBe(422);
    expect(r.body.error.details).toEqual([{ path: 'effective_from', message: expect.stringContaining('must be after v2\'s effective date 2023-01-01') }]);
  });

  it('9999-12-31 needs confirm_far_future; the limit is today + 10 years', async () => {
    await prepare(700, '9999-12-31');
    const r = await publish({});
    expect(r.status).toBe(422);
    expect(r.body.error.details).toEqual([{ path: 'effective_from', message: expect.stringContaining('"confirm_far_future": true') }]);
    expect(r.body.error.details[0].message).toContain('2025-06-01');
    await prepare(700, '2035-06-02');
    expect(paths(await publish({}))).toEqual(['effective_from']);
    await prepare(700, '2035-06-01');
    expect((await publish({})).status).toBe(201);
    await prepare(710, '9999-12-31');
    const confirmed = await publish({ confirm_far_future: true });
    expect(confirmed.status).toBe(201);
    expect(confirmed.body.version).toMatchObject({ version: 4, effective_from: '9999-12-31' });
  });
});

describe('B14: effective dates through a publish request', () => {
  beforeEach(async () => { await open(ALL_KEYS); });

  it('the correction is filed with the request and recorded when approved', async () => {
    await prepare(700, '2023-01-01');
    expect((await publish({})).status).toBe(422);
    const filed = await publish({ correction: { supersedes: 2, reason: '更正' } });
    expect(filed.status).toBe(202);
    expect(filed.body.request).toMatchObject({ correction: { supersedes: 2, reason: '更正' } });
    const ok = await request(app).post(`/api/policies/fx-dibao/publish-requests/${filed.body.request.id}/approve`).set(bearer('reviewer-key')).send({ hash: filed.body.request.hash });
    expect(ok.status).toBe(201);
    expect(ok.body.version).toMatchObject({ version: 3, effective_from: '2023-01-01', supersedes: { version: 2, reason: '更正' } });
  });
});
