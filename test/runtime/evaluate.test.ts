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
    expect(Object.keys(r.body).sort()).toEqual(['as_of', 'assumptions', 'decision_id', 'effective_from', 'outputs', 'policy', 'recorded', 'trace', 'version']);
    expect(r.body).toMatchObject({ policy: 'fx-dibao', version: 2, effective_from: '2023-01-01', as_of: '2024-06-01' });
    // (650 − 900/3) × 3 = 1050.00
    expect(r.body.outputs).toEqual({ eligible: true, monthly_amount: '1050.00' });
    const amount = r.body.trace.find((e: { output: string }) => e.output === 'monthly_amount');
    expect(amount.decided_by).toMatchObject({ kind: 'rule', name: '差额补助', sources: ['测试文件 第二条'] });
  });

  it('names every field of the answer and its trace in snake_case, like the rest of the API', async () => {
    const r = await evaluate('fx-dibao', { household: household(), as_of: '2024-06-01' });
    const keys = new Set<string>();
    const walk = (v: unknown, inValues: boolean): void => {
      if (Array.isArray(v)) { for (const x of v) walk(x, inValues); return; }
      if (!v || typeof v !== 'object') return;
      for (const [k, x] of Object.entries(v)) {
        // the keys of `outputs` and of a `value` are the policy's own names, not the API's
        if (!inValues) keys.add(k);
        walk(x, inValues || k === 'outputs' || k === 'value');
      }
    };
    walk(r.body, false);
    expect(keys).toContain('decided_by');
    expect([...keys].filter((k) => !/^[a-z][a-z0-9_]*$/.test(k))).toEqual([]);
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
    expect(r.body.results[0]).toEqual({ decision_id: expect.any(String), id: 'a', outputs: { eligible: true, monthly_amount: '1050.00' } });
    expect(r.body.results[1].id).toBe('b');
    expect(r.body.results[1].error.code).toBe('household.invalid');
    expect(r.body.results[1].error.details[0].path).toBe('household.members');
    expect(r.body.results[2].id).toBeNull();
    expect(r.body.results[2].error.code).toBe('household.invalid');
    expect(r.body.results[3]).toEqual({ decision_id: expect.any(String), id: 'c', outputs: { eligible: false, monthly_amount: '0.00' } });
  });

  it('evaluates 10,000 households in one call, and refuses 10,001 with 413', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => household({ id: `h${i}` }));
    const ok = await request(t.app).post('/api/policies/fx-dibao/evaluate/batch').set(bearer('client-key')).send({ as_of: '2024-06-01', households: many });
    expect(ok.status).toBe(200);
    expect(ok.body.results).toHaveLength(10_000);
    expect(ok.body.results[9_999]).toEqual({ decision_id: expect.any(String), id: 'h9999', outputs: { eligible: true, monthly_amount: '1050.00' } });
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

describe('"trace": false (body) and ?trace=false (query): outputs only', () => {
  const body = { household: household(), as_of: '2024-06-01' };
  const keys = (o: object) => Object.keys(o).sort();

  it('the body flag drops the trace and changes nothing else', async () => {
    const full = await evaluate('fx-dibao', body);
    const lean = await evaluate('fx-dibao', { ...body, trace: false });
    expect(lean.status).toBe(200);
    expect(keys(lean.body)).toEqual(['as_of', 'assumptions', 'decision_id', 'effective_from', 'outputs', 'policy', 'recorded', 'version']);
    const { trace, ...rest } = full.body;
    rest.decision_id = lean.body.decision_id;   // each call is its own decision
    expect(trace.length).toBeGreaterThan(0);
    expect(lean.body).toEqual(rest);
    expect(lean.text.length).toBeLessThan(full.text.length / 4);
    // the answer keeps the field order of the full answer
    expect(Object.keys(lean.body)).toEqual(Object.keys(rest));
  });

  it('"trace": true is the default answer', async () => {
    const r = await evaluate('fx-dibao', { ...body, trace: true });
    expect(r.status).toBe(200);
    expect(keys(r.body)).toEqual(['as_of', 'assumptions', 'decision_id', 'effective_from', 'outputs', 'policy', 'recorded', 'trace', 'version']);
  });

  it('the query parameter does the same; either one set to false turns the trace off', async () => {
    const q = (qs: string, b: object = body) => request(t.app).post(`/api/policies/fx-dibao/evaluate${qs}`).set(bearer('client-key')).send(b);
    expect((await q('?trace=false')).body.trace).toBeUndefined();
    expect((await q('?trace=false')).body.outputs).toEqual({ eligible: true, monthly_amount: '1050.00' });
    expect((await q('?trace=true')).body.trace.length).toBeGreaterThan(0);
    expect((await q('?trace=true', { ...body, trace: false })).body.trace).toBeUndefined();
    expect((await q('?trace=false', { ...body, trace: true })).body.trace).toBeUndefined();
  });

  it('a bad value is a 400 naming the field, in the body or in the query', async () => {
    const b = await evaluate('fx-dibao', { ...body, trace: 'no' });
    expect(b.status).toBe(400);
    expect(b.body.error.details.map((d: { path: string }) => d.path)).toEqual(['trace']);
    const q = await request(t.app).post('/api/policies/fx-dibao/evaluate?trace=no').set(bearer('client-key')).send(body);
    expect(q.status).toBe(400);
    expect(q.body.error.details.map((d: { path: string }) => d.path)).toEqual(['trace']);
    const twice = await request(t.app).post('/api/policies/fx-dibao/evaluate?trace=false&trace=false').set(bearer('client-key')).send(body);
    expect(twice.status).toBe(400);
  });

  it('an invalid household still gets every bad field\'s JSON path', async () => {
    const r = await evaluate('fx-dibao', { household: household({ area: 'moon' }), as_of: '2024-06-01', trace: false });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { path: string }) => d.path)).toContain('household.area');
  });

  it('the batch endpoint has no trace and refuses the flag', async () => {
    const r = await request(t.app).post('/api/policies/fx-dibao/evaluate/batch').set(bearer('client-key')).send({ households: [household()], trace: false });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { path: string }) => d.path)).toEqual(['trace']);
  });

  it('is documented in the OpenAPI request schema and as a query parameter', async () => {
    const doc = (await request(t.app).get('/api/openapi.json')).body;
    expect(doc.components.schemas.EvaluateRequest.properties.trace).toMatchObject({ type: 'boolean', default: true });
    const op = doc.paths['/api/policies/{policyId}/evaluate'].post;
    expect(op.parameters).toContainEqual(expect.objectContaining({ name: 'trace', in: 'query', schema: expect.objectContaining({ enum: ['true', 'false'] }) }));
    expect(doc.components.schemas.EvaluateResponse.required).not.toContain('trace');
  });
});

describe('the version lookup is cached per store state', () => {
  it('a retirement (a new store state) is seen at once by a cached (policy, as_of)', async () => {
    const own = await makeApp({ keys: NO_REVIEW_KEYS, today: '2024-06-01' });
    try {
      const ev = () => request(own.app).post('/api/policies/fx-dibao/evaluate').set(bearer('client-key')).send({ household: household(), as_of: '2024-06-01', trace: false });
      for (let i = 0; i < 3; i++) expect((await ev()).body.version).toBe(2);
      expect((await request(own.app).post('/api/policies/fx-dibao/retire').set(bearer('admin-key')).send({})).status).toBe(200);
      const after = await ev();
      expect(after.status).toBe(410);
      expect(after.body.error.code).toBe('policy.retired');
    } finally { await own.cleanup(); }
  });
});

describe('assumptions: what an answer rests on that no source gives', () => {
  it('dawukou-dibao in 2019 carries the assumed 2016-01-01 date and the 440/3150 figures; single and batch alike', async () => {
    const shipped = await makeApp({ keys: NO_REVIEW_KEYS, today: '2024-06-01', policiesDir: 'policies' });
    try {
      const h = { id: 'h1', area: 'urban', members: [{ id: 'a', birth_date: '1980-01-01', income_monthly: 300 }] };
      const one = await request(shipped.app).post('/api/policies/dawukou-dibao/evaluate').set(bearer('client-key')).send({ household: h, as_of: '2019-06-01', trace: false });
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ version: 1, outputs: { eligible: true, monthly_amount: '140.00' } }); // 440 − 300
      expect(one.body.assumptions).toContainEqual(expect.objectContaining({ version: '2016-01-01' }));
      expect(one.body.assumptions).toContainEqual(expect.objectContaining({ parameter: '城市低保标准' }));
      for (const a of one.body.assumptions) expect(typeof a.text).toBe('string');
      const batch = await request(shipped.app).post('/api/policies/dawukou-dibao/evaluate/batch').set(bearer('client-key')).send({ households: [h], as_of: '2019-06-01' });
      expect(batch.body.assumptions).toEqual(one.body.assumptions);
      expect(batch.body.results[0]).not.toHaveProperty('assumptions');
    } finally { await shipped.cleanup(); }
  });
});

describe('GET /api/policies/{id}/schema', () => {
  it('gives the household a version reads: the common fields plus the policy\'s own', async () => {
    const shipped = await makeApp({ keys: NO_REVIEW_KEYS, today: '2024-06-01', policiesDir: 'policies' });
    try {
      const r = await request(shipped.app).get('/api/policies/temporary-assistance/schema?as_of=2024-06-01').set(bearer('client-key'));
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ policy: 'temporary-assistance', version: 1, as_of: '2024-06-01' });
      expect(r.body.schema.properties.incident_type.enum).toEqual(expect.arrayContaining(['emergency', 'expenditure']));
      expect(r.body.schema.properties.area.enum).toEqual(['urban', 'rural']);
      const plain = await request(shipped.app).get('/api/policies/dawukou-dibao/schema').set(bearer('client-key'));
      expect(plain.body.schema.properties.incident_type).toBeUndefined();
      expect(plain.body.version).toBe(2);
    } finally { await shipped.cleanup(); }
  });
  it('refuses an impossible date or version, and answers 404 for an unknown policy', async () => {
    const bad = await request(t.app).get('/api/policies/fx-dibao/schema?as_of=2023-02-30').set(bearer('client-key'));
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('as_of');
    const v = await request(t.app).get('/api/policies/fx-dibao/schema?version=zero').set(bearer('client-key'));
    expect(v.status).toBe(400);
    expect((await request(t.app).get('/api/policies/nope/schema').set(bearer('client-key'))).status).toBe(404);
    expect((await request(t.app).get('/api/policies/fx-dibao/schema?version=9').set(bearer('client-key'))).status).toBe(404);
  });
});
