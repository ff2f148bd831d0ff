// Issue 20, contract: a client key may list and read published policies and versions (published
// rules are public), never drafts or publish requests; PUT …/draft accepts the body GET …/draft
// returned (read-only fields ignored when unchanged, named when contradicting).
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_KEYS, bearer, editedSource, makeApp, type TestApp } from '../runtime/helpers.js';

let t: TestApp;
beforeEach(async () => { t = await makeApp({ keys: ALL_KEYS }); });
afterEach(async () => { await t.cleanup(); });

const client = (path: string) => request(t.app).get(path).set(bearer('client-key'));

describe('a client reads what is published, nothing else', () => {
  it('lists published policies without draft fields; an unpublished policy does not exist for it', async () => {
    expect((await request(t.app).post('/api/policies').set(bearer('editor-key')).send({ id: 'only-draft' })).status).toBe(201);
    const list = await client('/api/policies');
    expect(list.status).toBe(200);
    expect(list.body.policies.map((p: { id: string }) => p.id)).toEqual(['fx-dibao', 'fx-elderly']);
    expect(list.body.policies[0]).toEqual({
      id: 'fx-dibao', title: '测试区城乡最低生活保障', program: '最低生活保障', jurisdiction: '测试区',
      latest_version: 2, latest_effective_from: '2023-01-01', assumed_parameters: 1, retired: false,
    });
    // An editor still sees the draft side (and the unpublished policy).
    const full = await request(t.app).get('/api/policies').set(bearer('tester-key'));
    expect(full.body.policies.map((p: { id: string }) => p.id)).toEqual(['fx-dibao', 'fx-elderly', 'only-draft']);
    expect(full.body.policies[0]).toMatchObject({ draft_revision: 1, draft_status: 'unchanged', pending_requests: 0 });

    for (const path of ['/api/policies/only-draft', '/api/policies/only-draft/versions']) {
      const r = await client(path);
      expect(r.status, path).toBe(404);
      expect(r.body.error.code).toBe('policy.not_found');
    }
  });

  it('reads a policy, its versions and a version\'s source; never the draft, a diff or publish requests', async () => {
    // A draft and a pending request that the client must not see.
    const d = await request(t.app).get('/api/policies/fx-dibao/draft').set(bearer('editor-key'));
    await request(t.app).put('/api/policies/fx-dibao/draft').set(bearer('editor-key')).set('If-Match', d.headers.etag!)
      .send({ source: editedSource(d.body.source, 777).replace('生效 2023-01-01', '生效 2025-01-01'), scenarios: d.body.scenarios.replace('"1050.00"', '"1431.00"') });
    expect((await request(t.app).post('/api/policies/fx-dibao/publish').set(bearer('editor-key')).send({})).status).toBe(202);

    const one = await client('/api/policies/fx-dibao');
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: 'fx-dibao', latest_version: 2 });
    expect(one.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(one.body).not.toHaveProperty('publish_requests');
    expect(one.body).not.toHaveProperty('draft_status');
    expect(JSON.stringify(one.body)).not.toContain('777');
    const v1 = await client('/api/policies/fx-dibao/versions/1');
    expect(v1.status).toBe(200);
    expect(v1.body.source).toContain('= 600 元/月');
    for (const path of ['/api/policies/fx-dibao/draft', '/api/policies/fx-dibao/diff?from=1&to=2', '/api/policies/fx-dibao/publish-requests', '/api/policies/fx-dibao/publish-requests/pr-1']) {
      const r = await client(path);
      expect(r.status, path).toBe(403);
      expect(r.body.error.code).toBe('auth.forbidden');
    }
    for (const path of ['/api/policies/fx-dibao/draft/check', '/api/policies/fx-dibao/draft/test']) {
      expect((await request(t.app).post(path).set(bearer('client-key')).send({})).status, path).toBe(403);
    }
  });
});

describe('PUT …/draft accepts the body GET …/draft returned', () => {
  it('echoed read-only fields are ignored when unchanged', async () => {
    const d = await request(t.app).get('/api/policies/fx-dibao/draft').set(bearer('editor-key'));
    expect(Object.keys(d.body).sort()).toEqual(['base_version', 'policy', 'revision', 'scenarios', 'source', 'status', 'updated_at', 'updated_by']);
    const body = { ...d.body, source: editedSource(d.body.source, 700) };
    const r = await request(t.app).put('/api/policies/fx-dibao/draft').set(bearer('editor-key')).set('If-Match', d.headers.etag!).send(body);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ revision: 2, status: 'changed', source: body.source, policy: 'fx-dibao' });
    // GET again, PUT it back unchanged as a whole.
    const d2 = await request(t.app).get('/api/policies/fx-dibao/draft').set(bearer('editor-key'));
    const r2 = await request(t.app).put('/api/policies/fx-dibao/draft').set(bearer('editor-key')).set('If-Match', d2.headers.etag!).send(d2.body);
    expect(r2.status).toBe(200);
    expect(r2.body.revision).toBe(3);
  });

  it('read-only fields that contradict the stored draft are named (400), and nothing is saved', async () => {
    const d = await request(t.app).get('/api/policies/fx-dibao/draft').set(bearer('editor-key'));
    const r = await request(t.app).put('/api/policies/fx-dibao/draft').set(bearer('editor-key')).set('If-Match', '*')
      .send({ ...d.body, source: 'x', revision: 7, updated_by: 'mallory', policy: 'fx-elderly' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('draft.read_only');
    expect(r.body.error.message).toMatch(/只读.* \/ Read-only/);
    expect(r.body.error.details.map((x: { path: string }) => x.path)).toEqual(['policy', 'revision', 'updated_by']);
    expect(r.body.error.details[1].message).toContain('the stored draft has 1, the body 7');
    expect((await request(t.app).get('/api/policies/fx-dibao/draft').set(bearer('editor-key'))).body).toEqual(d.body);
    // Unknown fields are still refused by the schema, with their path.
    const unknown = await request(t.app).put('/api/policies/fx-dibao/draft').set(bearer('editor-key')).set('If-Match', d.headers.etag!).send({ source: 'x', revison: 1 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].path).toBe('revison');
  });
});
