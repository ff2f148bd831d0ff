// B10 (issue 21): review bypass. An editor files a publish request at 6600 元/月, then puts the
// draft back to 660; a reviewer who looks at the draft diff sees 650 → 660. The reviewer must
// see the request's own snapshot (and its hash), and an approval that does not name that hash
// is refused, so 6600 cannot be published by someone who was shown 660.
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentHash } from '../../runtime/store/hash.js';
import { ALL_KEYS, bearer, editedSource, makeApp, type TestApp } from '../runtime/helpers.js';

let t: TestApp;
beforeEach(async () => { t = await makeApp({ keys: ALL_KEYS }); });
afterEach(async () => { await t.cleanup(); });

/** One urban member with no income: the amount is the whole urban standard. */
const alone = { id: 'h-alone', area: 'urban', members: [{ id: 'm1', birth_date: '1980-05-01' }] };

/**
 * fx-dibao v2 with another urban standard, dated 2025-01-01, and scenarios worked out by hand:
 * three people with 900 in all → (standard − 300) × 3; one person earning 800 → standard − 800
 * when below the standard, else not eligible.
 */
async function saveDraft(standard: number) {
  const d = await request(t.app).get('/api/policies/fx-dibao/draft').set(bearer('editor-key'));
  const v2 = await request(t.app).get('/api/policies/fx-dibao/versions/2').set(bearer('editor-key'));
  const source = editedSource(v2.body.source, standard).replace('生效 2023-01-01', '生效 2025-01-01').replace(/说明「[^」]*」/, `说明「标准 ${standard}」`);
  const single = standard > 800 ? `eligible: true\n      monthly_amount: "${standard - 800}.00"` : 'eligible: false\n      monthly_amount: "0.00"';
  const scenarios = v2.body.scenarios
    .replace('"1050.00"', `"${(standard - 300) * 3}.00"`)
    .replace('eligible: false\n      monthly_amount: "0.00"', single);
  const r = await request(t.app).put('/api/policies/fx-dibao/draft').set(bearer('editor-key')).set('If-Match', d.headers.etag!).send({ source, scenarios });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return { source, scenarios, hash: contentHash(source, scenarios) };
}

const pay = async () => (await request(t.app).post('/api/policies/fx-dibao/evaluate').set(bearer('client-key'))
  .send({ household: alone, as_of: '2025-06-01' })).body;

describe('B10: the reviewer sees and approves exactly the snapshot of the request', () => {
  it('6600 filed, draft put back to 660: the request shows 6600; approving with the draft\'s hash or none is refused', async () => {
    const filed = await saveDraft(6600);
    const pub = await request(t.app).post('/api/policies/fx-dibao/publish').set(bearer('editor-key')).send({});
    expect(pub.status).toBe(202);
    const rid = pub.body.request.id as string;
    const shown = await saveDraft(660);

    // What the old review screen showed: the draft against v2, 650 → 660.
    const draftDiff = await request(t.app).get('/api/policies/fx-dibao/diff').set(bearer('reviewer-key'));
    expect(draftDiff.body.source.unified).toContain('+参数 城市低保标准「城市低保标准」 = 660 元/月');

    // The request itself shows its snapshot: 650 → 6600, its hash, its scenario results.
    const review = await request(t.app).get(`/api/policies/fx-dibao/publish-requests/${rid}`).set(bearer('reviewer-key'));
    expect(review.status).toBe(200);
    expect(review.body).toMatchObject({ id: rid, status: 'pending', hash: filed.hash, source: filed.source, scenarios: filed.scenarios, base_version: 2 });
    expect(review.body.base).toMatchObject({ version: 2, effective_from: '2023-01-01' });
    expect(review.body.diff.from).toBe(2);
    expect(review.body.diff.source.unified).toContain('-参数 城市低保标准「城市低保标准」 = 650 元/月');
    expect(review.body.diff.source.unified).toContain('+参数 城市低保标准「城市低保标准」 = 6600 元/月');
    expect(review.body.diff.source.unified).not.toContain('= 660 元/月');
    expect(review.body.test).toMatchObject({ ok: true, passed: 2, failed: 0 });
    expect(review.body.test.results[0].outputs).toContainEqual({ name: 'monthly_amount', expected: '18900.00', actual: '18900.00', ok: true });
    // The listing names the same hash.
    const list = await request(t.app).get('/api/policies/fx-dibao/publish-requests').set(bearer('reviewer-key'));
    expect(list.body.requests).toEqual([expect.objectContaining({ id: rid, hash: filed.hash })]);

    // Approving what was shown on the old screen (the draft, 660) is refused; so is approving blind.
    const mismatch = await request(t.app).post(`/api/policies/fx-dibao/publish-requests/${rid}/approve`).set(bearer('reviewer-key')).send({ hash: shown.hash });
    expect(mismatch.status).toBe(409);
    expect(mismatch.body.error.code).toBe('publish_request.hash_mismatch');
    expect(mismatch.body.error.message_zh).toMatch(/哈希/);
    expect(mismatch.body.error.message_en).toMatch(/hash/);
    expect(mismatch.body.error.details[0].path).toBe('hash');
    const blind = await request(t.app).post(`/api/policies/fx-dibao/publish-requests/${rid}/approve`).set(bearer('reviewer-key')).send({ note: '同意' });
    expect(blind.status).toBe(422);
    expect(blind.body.error.code).toBe('publish_request.hash_required');
    expect(blind.body.error.details).toEqual([{ path: 'hash', message: 'required' }]);
    expect((await request(t.app).get('/api/policies/fx-dibao/versions').set(bearer('tester-key'))).body.versions).toHaveLength(2);
    expect(await pay()).toMatchObject({ version: 2, outputs: { monthly_amount: '650.00' } });

    // Its impact: a simulation of exactly the snapshot against v2 (one person, no income: 650 → 6600).
    expect(review.body.impact).toEqual({ method: 'POST', path: '/api/policies/fx-dibao/simulations', body: { candidate: rid, baseline: 2 } });
    const job = await request(t.app).post(review.body.impact.path).set(bearer('reviewer-key'))
      .send({ ...review.body.impact.body, population: { households: [alone] }, as_of: '2025-06-01' });
    expect(job.status).toBe(202);
    expect(job.body.request.candidate).toEqual({ version: null, request: rid, hash: filed.hash });
    let done = job;
    for (let i = 0; i < 500 && /queued|running/.test(done.body.status); i++) {
      await new Promise((ok) => setTimeout(ok, 20));
      done = await request(t.app).get(`/api/simulations/${job.body.id}`).set(bearer('reviewer-key'));
    }
    expect(done.body.status).toBe('done');
    expect(done.body.result.totals.baseline.monthly_cost).toBe('650.00');
    expect(done.body.result.totals.candidate.monthly_cost).toBe('6600.00');

    // The reviewer, now shown 6600, rejects; the editor files 660; the reviewer approves what it saw.
    const rej = await request(t.app).post(`/api/policies/fx-dibao/publish-requests/${rid}/reject`).set(bearer('reviewer-key')).send({ note: '6600 有误' });
    expect(rej.status).toBe(200);
    const again = await request(t.app).post('/api/policies/fx-dibao/publish').set(bearer('editor-key')).send({});
    expect(again.status).toBe(202);
    const second = await request(t.app).get(`/api/policies/fx-dibao/publish-requests/${again.body.request.id}`).set(bearer('reviewer-key'));
    expect(second.body.hash).toBe(shown.hash);
    expect(second.body.diff.source.unified).toContain('+参数 城市低保标准「城市低保标准」 = 660 元/月');
    const ok = await request(t.app).post(`/api/policies/fx-dibao/publish-requests/${again.body.request.id}/approve`).set(bearer('reviewer-key')).send({ hash: second.body.hash });
    expect(ok.status).toBe(201);
    expect(ok.body.version).toMatchObject({ version: 3, hash: shown.hash });
    expect(await pay()).toMatchObject({ version: 3, outputs: { monthly_amount: '660.00' } });
  });

  it('an unknown request is 404; a malformed hash is 400', async () => {
    expect((await request(t.app).get('/api/policies/fx-dibao/publish-requests/pr-9').set(bearer('reviewer-key'))).status).toBe(404);
    await saveDraft(700);
    const pub = await request(t.app).post('/api/policies/fx-dibao/publish').set(bearer('editor-key')).send({});
    const bad = await request(t.app).post(`/api/policies/fx-dibao/publish-requests/${pub.body.request.id}/approve`).set(bearer('reviewer-key')).send({ hash: 'abc' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('hash');
  });
});
