// The policy lifecycle over HTTP: list, create, draft with ETag/If-Match, check, test,
// publish (direct and two-step), versions, diff, retire, audit, modules and schema.
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentHash } from '../../runtime/store/hash.js';
import { ALL_KEYS, bearer, editedSource, household, makeApp, modules, NO_REVIEW_KEYS, type TestApp } from './helpers.js';

let t: TestApp;
afterEach(async () => { await t?.cleanup(); });

async function draft(app: TestApp['app'], id: string, key = 'editor-key') {
  const r = await request(app).get(`/api/policies/${id}/draft`).set(bearer(key));
  expect(r.status).toBe(200);
  return r;
}

async function putDraft(app: TestApp['app'], id: string, body: object, key = 'editor-key') {
  const d = await draft(app, id, key);
  return request(app).put(`/api/policies/${id}/draft`).set(bearer(key)).set('If-Match', d.headers.etag!).send(body);
}

describe('reading policies', () => {
  beforeEach(async () => { t = await makeApp({ keys: NO_REVIEW_KEYS }); });

  it('GET /api/policies lists every policy with header info, latest version and draft status', async () => {
    const r = await request(t.app).get('/api/policies').set(bearer('tester-key'));
    expect(r.status).toBe(200);
    const dibao = r.body.policies.find((p: { id: string }) => p.id === 'fx-dibao');
    expect(dibao).toEqual({
      id: 'fx-dibao', title: '测试区城乡最低生活保障', program: '最低生活保障', jurisdiction: '测试区',
      latest_version: 2, latest_effective_from: '2023-01-01', draft_revision: 1, draft_status: 'unchanged',
      assumed_parameters: 1, pending_requests: 0, retired: false,
    });
    expect(r.body.policies.map((p: { id: string }) => p.id)).toEqual(['fx-dibao', 'fx-elderly']);
  });

  it('GET /api/policies/{id} gives the summary, header info and versions; 404 when unknown', async () => {
    const r = await request(t.app).get('/api/policies/fx-dibao').set(bearer('tester-key'));
    expect(r.status).toBe(200);
    expect(r.body.info.parameters.map((p: { name: string }) => p.name)).toEqual(['城市低保标准', '农村低保标准', '低收入倍数']);
    expect(r.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const missing = await request(t.app).get('/api/policies/nope').set(bearer('tester-key'));
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('policy.not_found');
  });

  it('GET versions lists version, effective_from, note, hash, author, published_at; GET versions/{n} has the source', async () => {
    const r = await request(t.app).get('/api/policies/fx-dibao/versions').set(bearer('tester-key'));
    expect(r.status).toBe(200);
    expect(r.body.versions).toHaveLength(2);
    const [v1, v2] = r.body.versions;
    expect(v1).toMatchObject({ version: 1, effective_from: '2022-01-01', note: '初始版本：城市 600 元/月', author: 'seed' });
    expect(v2).toMatchObject({ version: 2, effective_from: '2023-01-01', note: '城市标准提高到 650 元/月' });
    expect(typeof v1.published_at).toBe('string');
    const one = await request(t.app).get('/api/policies/fx-dibao/versions/1').set(bearer('tester-key'));
    expect(one.status).toBe(200);
    expect(one.body.source).toContain('= 600 元/月');
    expect(one.body.hash).toBe(contentHash(one.body.source, one.body.scenarios));
    expect(v1.hash).toBe(one.body.hash);
    expect((await request(t.app).get('/api/policies/fx-dibao/versions/3').set(bearer('tester-key'))).status).toBe(404);
    expect((await request(t.app).get('/api/policies/fx-dibao/versions/abc').set(bearer('tester-key'))).status).toBe(400);
  });

  it('GET diff compares two versions, or a version and the draft, line by line', async () => {
    const r = await request(t.app).get('/api/policies/fx-dibao/diff?from=1&to=2').set(bearer('tester-key'));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ from: 1, to: 2 });
    const changed = r.body.source.lines.filter((l: { op: string }) => l.op !== 'equal');
    expect(changed.map((l: { op: string; text: string }) => `${l.op} ${l.text.trim().slice(0, 8)}`)).toEqual([
      'remove 生效 2022-', 'remove 说明「初始版本：', 'add 生效 2023-', 'add 说明「城市标准提', 'remove 参数 城市低保标',
      'add 参数 城市低保标',
    ]);
    expect(r.body.source).toMatchObject({ added: 3, removed: 3 });
    expect(r.body.source.unified).toContain('+参数 城市低保标准「城市低保标准」 = 650 元/月');
    const toDraft = await request(t.app).get('/api/policies/fx-dibao/diff?from=2&to=draft').set(bearer('tester-key'));
    expect(toDraft.body.source).toMatchObject({ added: 0, removed: 0 });
    const defaults = await request(t.app).get('/api/policies/fx-dibao/diff').set(bearer('tester-key'));
    expect(defaults.body).toMatchObject({ from: 2, to: 'draft' });
    expect((await request(t.app).get('/api/policies/fx-dibao/diff?from=x').set(bearer('tester-key'))).status).toBe(400);
    expect((await request(t.app).get('/api/policies/fx-dibao/diff?from=7').set(bearer('tester-key'))).status).toBe(404);
  });

  it('GET /api/modules and /api/modules/common/household give the schema module; /api/schema/household its JSON Schema', async () => {
    const list = await request(t.app).get('/api/modules').set(bearer('client-key'));
    expect(list.body.modules).toEqual(['common/household']);
    const m = await request(t.app).get('/api/modules/common/household').set(bearer('client-key'));
    expect(m.status).toBe(200);
    expect(m.body).toEqual({ name: 'common/household', source: modules['common/household'] });
    expect((await request(t.app).get('/api/modules/common/nope').set(bearer('client-key'))).status).toBe(404);
    expect((await request(t.app).get('/api/modules/..%2F..%2Fpackage.json').set(bearer('client-key'))).status).toBe(404);
    const s = await request(t.app).get('/api/schema/household').set(bearer('client-key'));
    expect(s.status).toBe(200);
    expect(s.body.type).toBe('object');
    expect(s.body.required).toEqual(expect.arrayContaining(['id', 'area', 'members']));
  });

  it('POST /api/check analyses any source', async () => {
    const ok = await request(t.app).post('/api/check').set(bearer('tester-key')).send({ source: modules['common/household'] ? '政策 a「a」\n  使用「common/household」\n输出 x = 真\n' : '' });
    expect(ok.status).toBe(200);
    expect(ok.body.has_errors).toBe(false);
    const bad = await request(t.app).post('/api/check').set(bearer('tester-key')).send({ source: '政策 a「a」\n输出 x = 未知名字 +\n' });
    expect(bad.status).toBe(200);
    expect(bad.body.has_errors).toBe(true);
    expect(bad.body.diagnostics[0]).toMatchObject({ severity: 'error', range: { start: { line: expect.any(Number) } } });
    expect(bad.body.diagnostics[0].message).toEqual({ zh: expect.any(String), en: expect.any(String) });
  });

  it('GET /api/health answers without a key', async () => {
    const r = await request(t.app).get('/api/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', policies: 2, auth: 'keys', review_required: false });
  });
});

describe('creating and editing drafts', () => {
  beforeEach(async () => { t = await makeApp({ keys: NO_REVIEW_KEYS }); });

  it('POST /api/policies creates a policy with a template draft that checks clean; duplicates → 409, bad ids → 400', async () => {
    const r = await request(t.app).post('/api/policies').set(bearer('editor-key')).send({ id: 'new-policy' });
    expect(r.status).toBe(201);
    expect(r.headers.location).toBe('/api/policies/new-policy');
    expect(r.body).toMatchObject({ id: 'new-policy', latest_version: null, draft_status: 'new', draft_revision: 1 });
    const check = await request(t.app).post('/api/policies/new-policy/draft/check').set(bearer('editor-key')).send({});
    expect(check.body.has_errors).toBe(false);
    const dup = await request(t.app).post('/api/policies').set(bearer('editor-key')).send({ id: 'new-policy' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('policy.exists');
    for (const id of ['Bad', '-x', 'a b', '', 'x'.repeat(65), 3]) {
      const bad = await request(t.app).post('/api/policies').set(bearer('editor-key')).send({ id });
      expect(bad.status, JSON.stringify(id)).toBe(400);
      expect(bad.body.error.details[0].path).toBe('id');
    }
    const withSource = await request(t.app).post('/api/policies').set(bearer('editor-key')).send({ id: 'with-src', source: '政策 with-src「x」\n', scenarios: 'scenarios: []\n' });
    expect(withSource.status).toBe(201);
    expect((await draft(t.app, 'with-src')).body.source).toBe('政策 with-src「x」\n');
  });

  it('GET draft carries an ETag; PUT with If-Match saves and bumps it; stale → 409 with the current revision; none → 428', async () => {
    const d = await draft(t.app, 'fx-dibao');
    expect(d.headers.etag).toBe('"1"');
    expect(d.body).toMatchObject({ policy: 'fx-dibao', revision: 1, base_version: 2, status: 'unchanged' });
    const source = editedSource(d.body.source, 700);

    const saved = await request(t.app).put('/api/policies/fx-dibao/draft').set(bearer('editor-key')).set('If-Match', '"1"').send({ source });
    expect(saved.status).toBe(200);
    expect(saved.headers.etag).toBe('"2"');
    expect(saved.body).toMatchObject({ revision: 2, status: 'changed', has_errors: false, updated_by: 'editor-' + saved.body.updated_by.split('-')[1] });
    expect(saved.body.source).toBe(source);
    expect(saved.body.scenarios).toBe(d.body.scenarios);

    const stale = await request(t.app).put('/api/policies/fx-dibao/draft').set(bearer('editor-key')).set('If-Match', '"1"').send({ source: 'x' });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'draft.stale', current_revision: 2 });
    expect((await draft(t.app, 'fx-dibao')).body.source).toBe(source);

    const none = await request(t.app).put('/api/policies/fx-dibao/draft').set(bearer('editor-key')).send({ source: 'x' });
    expect(none.status).toBe(428);
    expect(none.body.error.code).toBe('draft.if_match_required');
    const garbage = await request(t.app).put('/api/policies/fx-dibao/draft').set(bearer('editor-key')).set('If-Match', 'nonsense').send({ source: 'x' });
    expect(garbage.status).toBe(400);
    const empty = await request(t.app).put('/api/policies/fx-dibao/draft').set(bearer('editor-key')).set('If-Match', '"2"').send({});
    expect(empty.status).toBe(400);
    const weak = await request(t.app).put('/api/policies/fx-dibao/draft').set(bearer('editor-key')).set('If-Match', 'W/"2"').send({ scenarios: d.body.scenarios });
    expect(weak.status).toBe(200);
    expect(weak.body.revision).toBe(3);
    const list = await request(t.app).get('/api/policies').set(bearer('editor-key'));
    expect(list.body.policies.find((p: { id: string }) => p.id === 'fx-dibao').draft_status).toBe('changed');
  });

  it('concurrent saves with the same If-Match: exactly one wins, the others get 409', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) =>
      request(t.app).put('/api/policies/fx-elderly/draft').set(bearer('editor-key')).set('If-Match', '"1"').send({ scenarios: `# ${i}\n` })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    expect((await draft(t.app, 'fx-elderly')).body.revision).toBe(2);
  });

  it('POST draft/check returns diagnostics; draft/test runs the scenarios (expected vs actual)', async () => {
    const ok = await request(t.app).post('/api/policies/fx-dibao/draft/test').set(bearer('tester-key')).send({});
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, compiled: true, passed: 2, failed: 0, revision: 1 });
    expect(ok.body.results[0].outputs).toEqual(expect.arrayContaining([{ name: 'monthly_amount', expected: '1050.00', actual: '1050.00', ok: true }]));

    await putDraft(t.app, 'fx-dibao', { source: editedSource((await draft(t.app, 'fx-dibao')).body.source, 700) });
    const failing = await request(t.app).post('/api/policies/fx-dibao/draft/test').set(bearer('tester-key')).send({});
    expect(failing.body).toMatchObject({ ok: false, passed: 1, failed: 1 });
    const miss = failing.body.results.find((r: { ok: boolean }) => !r.ok);
    expect(miss.outputs.find((o: { name: string }) => o.name === 'monthly_amount')).toEqual({ name: 'monthly_amount', expected: '1050.00', actual: '1200.00', ok: false });

    const check = await request(t.app).post('/api/policies/fx-dibao/draft/check').set(bearer('tester-key')).send({});
    expect(check.body).toMatchObject({ has_errors: false, errors: 0, warnings: 1 });
    expect(check.body.diagnostics[0].code).toBe('check.unused-parameter');
    const unsaved = await request(t.app).post('/api/policies/fx-dibao/draft/check').set(bearer('tester-key')).send({ source: '政策 fx-dibao「x」\n输出 y = 1 +\n' });
    expect(unsaved.body.has_errors).toBe(true);
    const broken = await request(t.app).post('/api/policies/fx-dibao/draft/test').set(bearer('tester-key')).send({ source: '政策 fx-dibao「x」\n输出 y = 1 +\n' });
    expect(broken.body).toMatchObject({ ok: false, compiled: false, passed: 0 });
    const badYaml = await request(t.app).post('/api/policies/fx-dibao/draft/test').set(bearer('tester-key')).send({ scenarios: 'scenarios: [\n' });
    expect(badYaml.body.ok).toBe(false);
    expect(badYaml.body.scenario_diagnostics.length).toBeGreaterThan(0);
  });
});

describe('publishing', () => {
  beforeEach(async () => { t = await makeApp({ keys: NO_REVIEW_KEYS, today: '2025-06-01' }); });

  /** Sets the draft to v2 with another standard, date and note, and scenarios that pass. */
  async function prepare(standard: number, effective: string, note = '测试调整') {
    const d = await draft(t.app, 'fx-dibao');
    const v2 = await request(t.app).get('/api/policies/fx-dibao/versions/2').set(bearer('editor-key'));
    const source = editedSource(v2.body.source, standard).replace(/生效 \d{4}-\d{2}-\d{2}/, `生效 ${effective}`).replace(/说明「[^」]*」/, `说明「${note}」`);
    const amount = ((standard - 300) * 3).toFixed(2);
    const scenarios = v2.body.scenarios.replace(/"1050.00"/, `"${amount}"`);
    const r = await request(t.app).put('/api/policies/fx-dibao/draft').set(bearer('editor-key')).set('If-Match', d.headers.etag!).send({ source, scenarios });
    expect(r.status).toBe(200);
    return { source, scenarios };
  }

  it('publishes a checked, passing draft as the next version; evaluation then uses it from its date', async () => {
    const { source, scenarios } = await prepare(700, '2025-01-01');
    const r = await request(t.app).post('/api/policies/fx-dibao/publish').set(bearer('editor-key')).send({ effective_from: '2025-01-01', note: '标准提高到 700 元' });
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('published');
    expect(r.body.version).toMatchObject({ version: 3, effective_from: '2025-01-01', note: '标准提高到 700 元', hash: contentHash(source, scenarios) });
    expect(r.headers.location).toBe('/api/policies/fx-dibao/versions/3');

    const now = await request(t.app).post('/api/policies/fx-dibao/evaluate').set(bearer('client-key')).send({ household: household(), as_of: '2025-03-01' });
    expect(now.body).toMatchObject({ version: 3, outputs: { monthly_amount: '1200.00' } });
    const before = await request(t.app).post('/api/policies/fx-dibao/evaluate').set(bearer('client-key')).send({ household: household(), as_of: '2024-12-31' });
    expect(before.body.version).toBe(2);

    const list = await request(t.app).get('/api/policies').set(bearer('editor-key'));
    expect(list.body.policies.find((p: { id: string }) => p.id === 'fx-dibao')).toMatchObject({ latest_version: 3, latest_effective_from: '2025-01-01', draft_status: 'unchanged' });
    const again = await request(t.app).post('/api/policies/fx-dibao/publish').set(bearer('editor-key')).send({ effective_from: '2025-01-01', note: 'x' });
    expect(again.status).toBe(422);
    expect(again.body.error.details.map((d: { path: string }) => d.path)).toContain('draft');
  });

  it('a new policy goes from template to published version 1 and can be evaluated', async () => {
    expect((await request(t.app).post('/api/policies').set(bearer('editor-key')).send({ id: 'brand-new' })).status).toBe(201);
    const early = await request(t.app).post('/api/policies/brand-new/evaluate').set(bearer('client-key')).send({ household: household() });
    expect(early.status).toBe(404);
    expect(early.body.error.code).toBe('version.not_in_force');
    const noDate = await request(t.app).post('/api/policies/brand-new/publish').set(bearer('editor-key')).send({});
    expect(noDate.status).toBe(422);
    expect(noDate.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['effective_from', 'note']);
    const r = await request(t.app).post('/api/policies/brand-new/publish').set(bearer('editor-key')).send({ effective_from: '2024-01-01', note: '首版' });
    expect(r.status).toBe(201);
    expect(r.body.version).toMatchObject({ version: 1, effective_from: '2024-01-01', note: '首版' });
    const e = await request(t.app).post('/api/policies/brand-new/evaluate').set(bearer('client-key')).send({ household: household(), as_of: '2024-06-01' });
    expect(e.status).toBe(200);
    expect(e.body).toMatchObject({ version: 1, outputs: { eligible: false } });
  });

  it('effective_from and note default to the header\'s 生效 and 说明', async () => {
    await prepare(680, '2024-07-01', '头部说明');
    const r = await request(t.app).post('/api/policies/fx-dibao/publish').set(bearer('admin-key')).send({});
    expect(r.status).toBe(201);
    expect(r.body.version).toMatchObject({ version: 3, effective_from: '2024-07-01', note: '头部说明' });
  });

  it('refuses (422, with reasons) errors, failing scenarios, missing date, missing note, earlier date', async () => {
    const d = await draft(t.app, 'fx-dibao');
    // A failing scenario: the standard changes but the expected amount does not.
    const failing = editedSource(d.body.source, 700).replace('生效 2023-01-01', '生效 2025-01-01');
    await request(t.app).put('/api/policies/fx-dibao/draft').set(bearer('editor-key')).set('If-Match', '"1"').send({ source: failing });
    let r = await request(t.app).post('/api/policies/fx-dibao/publish').set(bearer('editor-key')).send({ effective_from: '2025-01-01', note: 'x' });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('publish.refused');
    expect(r.body.error.details).toEqual([{ path: 'scenarios["城市三口之家，人均收入 300 元"]', message: expect.stringContaining('monthly_amount: expected "1050.00", got "1200.00"') }]);

    // A compile error, no date and no note anywhere.
    const broken = '政策 fx-dibao「x」\n  使用「common/household」\n输出 eligible = 没有这个名字\n';
    await request(t.app).put('/api/policies/fx-dibao/draft').set(bearer('editor-key')).set('If-Match', '"2"').send({ source: broken });
    r = await request(t.app).post('/api/policies/fx-dibao/publish').set(bearer('editor-key')).send({});
    expect(r.status).toBe(422);
    const paths = r.body.error.details.map((x: { path: string }) => x.path);
    expect(paths).toEqual(expect.arrayContaining(['policy.policy:3:15', 'effective_from', 'note']));

    // Date before the previous version's, and a date that differs from the header.
    await prepare(700, '2022-06-01');
    r = await request(t.app).post('/api/policies/fx-dibao/publish').set(bearer('editor-key')).send({ note: 'x' });
    expect(r.status).toBe(422);
    expect(r.body.error.details).toEqual([{ path: 'effective_from', message: expect.stringContaining('2023-01-01') }]);
    // Impossible date / empty note are schema errors (400).
    r = await request(t.app).post('/api/policies/fx-dibao/publish').set(bearer('editor-key')).send({ effective_from: '2025-02-30', note: '' });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((x: { path: string }) => x.path).sort()).toEqual(['effective_from', 'note']);
    expect((await request(t.app).get('/api/policies/fx-dibao/versions').set(bearer('editor-key'))).body.versions).toHaveLength(2);
  });

  it('a date that differs from the header\'s 生效 is used, with a warning', async () => {
    await prepare(700, '2025-01-01');
    const r = await request(t.app).post('/api/policies/fx-dibao/publish').set(bearer('editor-key')).send({ effective_from: '2025-02-01', note: 'x' });
    expect(r.status).toBe(201);
    expect(r.body.version.effective_from).toBe('2025-02-01');
    expect(r.body.warnings).toEqual([{ path: 'effective_from', message: expect.stringContaining('2025-01-01') }]);
    const plain = await request(t.app).get('/api/policies/fx-dibao/versions').set(bearer('editor-key'));
    expect(plain.body.versions[2].effective_from).toBe('2025-02-01');
  });

  it('retire (admin): evaluation then answers 410, edits and publishing 409; retiring twice 409', async () => {
    const r = await request(t.app).post('/api/policies/fx-elderly/retire').set(bearer('admin-key')).send({ reason: '政策废止' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ retired: true, retired_reason: '政策废止' });
    const e = await request(t.app).post('/api/policies/fx-elderly/evaluate').set(bearer('client-key')).send({ household: household(), as_of: '2024-01-01' });
    expect(e.status).toBe(410);
    expect(e.body.error.code).toBe('policy.retired');
    const b = await request(t.app).post('/api/policies/fx-elderly/evaluate/batch').set(bearer('client-key')).send({ households: [household()] });
    expect(b.status).toBe(410);
    expect((await putDraft(t.app, 'fx-elderly', { scenarios: '' })).status).toBe(409);
    expect((await request(t.app).post('/api/policies/fx-elderly/publish').set(bearer('admin-key')).send({})).status).toBe(409);
    expect((await request(t.app).post('/api/policies/fx-elderly/retire').set(bearer('admin-key')).send({})).status).toBe(409);
    const list = await request(t.app).get('/api/policies').set(bearer('tester-key'));
    expect(list.body.policies.find((p: { id: string }) => p.id === 'fx-elderly').retired).toBe(true);
    expect((await request(t.app).get('/api/policies/fx-elderly/versions/1').set(bearer('tester-key'))).status).toBe(200);
  });

  it('GET /api/audit (admin) records who, what, when, policy and revision, append-only', async () => {
    await prepare(700, '2025-01-01');
    await request(t.app).post('/api/policies/fx-dibao/publish').set(bearer('editor-key')).send({ note: 'x' });
    await request(t.app).post('/api/policies').set(bearer('admin-key')).send({ id: 'audited' });
    const r = await request(t.app).get('/api/audit').set(bearer('admin-key'));
    expect(r.status).toBe(200);
    const actions = r.body.entries.map((e: { action: string; policy: string }) => `${e.action} ${e.policy}`);
    expect(actions).toEqual(['seed fx-dibao', 'seed fx-elderly', 'draft.update fx-dibao', 'publish fx-dibao', 'policy.create audited']);
    const publish = r.body.entries[3];
    expect(publish).toMatchObject({ role: 'editor', revision: 2, version: 3, who: expect.stringMatching(/^editor-[0-9a-f]{8}$/) });
    expect(new Date(publish.at).toString()).not.toBe('Invalid Date');
    const seqs = r.body.entries.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
    const filtered = await request(t.app).get('/api/audit?policy=audited').set(bearer('admin-key'));
    expect(filtered.body.entries).toHaveLength(1);
    const tail = await request(t.app).get('/api/audit?after=3&limit=1').set(bearer('admin-key'));
    expect(tail.body.entries.map((e: { seq: number }) => e.seq)).toEqual([5]);
    expect((await request(t.app).get('/api/audit?limit=abc').set(bearer('admin-key'))).status).toBe(400);
  });
});

describe('two-step publishing (a reviewer key exists)', () => {
  beforeEach(async () => { t = await makeApp({ keys: ALL_KEYS }); });

  async function readyDraft() {
    const d = await draft(t.app, 'fx-dibao');
    const source = editedSource(d.body.source, 700).replace('生效 2023-01-01', '生效 2025-01-01');
    const scenarios = d.body.scenarios.replace('"1050.00"', '"1200.00"');
    const r = await request(t.app).put('/api/policies/fx-dibao/draft').set(bearer('editor-key')).set('If-Match', d.headers.etag!).send({ source, scenarios });
    expect(r.status).toBe(200);
  }

  it('an editor\'s publish files a request (202); a different reviewer approves and it is published', async () => {
    await readyDraft();
    const r = await request(t.app).post('/api/policies/fx-dibao/publish').set(bearer('editor-key')).send({ note: '提高标准' });
    expect(r.status).toBe(202);
    expect(r.body.status).toBe('pending');
    const rid = r.body.request.id;
    expect(r.body.request).toMatchObject({ status: 'pending', effective_from: '2025-01-01', note: '提高标准', requested_by: 'alice', base_version: 2 });
    expect((await request(t.app).get('/api/policies/fx-dibao/versions').set(bearer('tester-key'))).body.versions).toHaveLength(2);

    // A second request while one is pending → 409; the editor cannot approve (403).
    expect((await request(t.app).post('/api/policies/fx-dibao/publish').set(bearer('editor2-key')).send({ note: 'y' })).status).toBe(409);
    expect((await request(t.app).post(`/api/policies/fx-dibao/publish-requests/${rid}/approve`).set(bearer('editor-key')).send({})).status).toBe(403);

    // Editing the draft after the request does not change what is approved.
    await putDraft(t.app, 'fx-dibao', { scenarios: '# changed later\n' });

    const list = await request(t.app).get('/api/policies/fx-dibao/publish-requests').set(bearer('tester-key'));
    expect(list.body.requests.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual([[rid, 'pending']]);
    const ok = await request(t.app).post(`/api/policies/fx-dibao/publish-requests/${rid}/approve`).set(bearer('reviewer-key')).send({ hash: r.body.request.hash, note: '同意' });
    expect(ok.status).toBe(201);
    expect(ok.body.version).toMatchObject({ version: 3, effective_from: '2025-01-01', author: 'alice', approved_by: expect.stringMatching(/^reviewer-/) });
    expect(ok.body.request).toMatchObject({ status: 'approved', version: 3, decision_note: '同意' });
    const v3 = await request(t.app).get('/api/policies/fx-dibao/versions/3').set(bearer('tester-key'));
    expect(v3.body.scenarios).not.toContain('# changed later');
    expect((await request(t.app).post(`/api/policies/fx-dibao/publish-requests/${rid}/approve`).set(bearer('reviewer2-key')).send({})).status).toBe(409);
    const audit = await request(t.app).get('/api/audit?policy=fx-dibao').set(bearer('admin-key'));
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual(['seed', 'draft.update', 'publish.request', 'draft.update', 'publish.approve']);
  });

  it('the requester cannot approve their own request (an admin filing one needs another key); reject works', async () => {
    await readyDraft();
    const r = await request(t.app).post('/api/policies/fx-dibao/publish').set(bearer('admin-key')).send({ note: 'admin' });
    expect(r.status).toBe(202);
    const self = await request(t.app).post(`/api/policies/fx-dibao/publish-requests/${r.body.request.id}/approve`).set(bearer('admin-key')).send({});
    expect(self.status).toBe(409);
    expect(self.body.error.code).toBe('publish_request.self_approval');
    const rej = await request(t.app).post(`/api/policies/fx-dibao/publish-requests/${r.body.request.id}/reject`).set(bearer('reviewer-key')).send({ note: '不同意' });
    expect(rej.status).toBe(200);
    expect(rej.body.request).toMatchObject({ status: 'rejected', decision_note: '不同意' });
    expect((await request(t.app).post('/api/policies/fx-dibao/publish-requests/pr-99/approve').set(bearer('reviewer-key')).send({})).status).toBe(404);
    // A new request can be filed after the rejection.
    expect((await request(t.app).post('/api/policies/fx-dibao/publish').set(bearer('editor-key')).send({ note: 'again' })).status).toBe(202);
  });

  it('a request whose checks fail is refused at once (422), no request is filed', async () => {
    const r = await request(t.app).post('/api/policies/fx-dibao/publish').set(bearer('editor-key')).send({ note: 'nothing changed' });
    expect(r.status).toBe(422);
    expect((await request(t.app).get('/api/policies/fx-dibao/publish-requests').set(bearer('tester-key'))).body.requests).toEqual([]);
  });
});
