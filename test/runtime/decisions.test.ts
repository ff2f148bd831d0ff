// Decision records (issue 15) over HTTP, against every SQL mode (PGlite always; the PostgreSQL
// server too when DATABASE_URL is set, in a fresh schema): recorded before the answer (body and
// header), read back, listed with filters and pages, replayed identically, re-assessed under a
// newer version, visible by role, dry runs for testers only, nothing recorded for a bad request,
// and no household contents in the request log. Expected amounts are worked out by hand from
// the fixture fx-dibao: v2 (from 2023-01-01) urban standard 650 元/月; v3 here 700 元/月.
import { createHash } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type StudioApp } from '../../runtime/app.js';
import { openStore } from '../../runtime/server.js';
import type { SqlStore } from '../../runtime/sql/types.js';
import type { LowdbStore } from '../../runtime/store/lowdb-store.js';
import { SQL_MODES } from '../sql/modes.js';
import { bearer, editedSource, FIXTURE_POLICIES, household, modules, tempDir } from './helpers.js';

const KEYS = 'admin-key:admin,editor-key:editor,tester-key:tester,client-key:client,other=client2-key:client';
/** The same keys and a reviewer (two-step publishing, but only reading is tested with it). */
const KEYS_WITH_REVIEWER = `${KEYS},reviewer-key:reviewer`;

/** An unnamed key is named by its role and the first 8 hex digits of its sha256 (runtime/auth.ts). */
const CLIENT_NAME = `client-${createHash('sha256').update('client-key').digest('hex').slice(0, 8)}`;

interface Harness { app: StudioApp; store: LowdbStore; logs: Record<string, unknown>[] }

for (const mode of SQL_MODES) {
  describe(`decision records (${mode.name})`, () => {
    let sql: SqlStore;
    let t: Harness;
    let reviewerApp: Harness;
    // the clock only moves forward (UUIDv7 ids carry it): 2025-06-01 10:00 China time
    let clock = new Date('2025-06-01T02:00:00Z');
    const today = '2025-06-01';

    async function harness(keys: string): Promise<Harness> {
      const { store } = await openStore(tempDir(), FIXTURE_POLICIES, modules);
      const logs: Record<string, unknown>[] = [];
      // the app's store counts the INSERTs into decisions (one per batch, not one per household)
      const counted: SqlStore = {
        kind: sql.kind,
        query: <R>(text: string, params?: unknown[]) => { if (text.startsWith('INSERT INTO decisions')) inserts++; return sql.query<R>(text, params); },
        transaction: (fn) => sql.transaction(fn),
        close: () => sql.close(),
      };
      const app = createApp({ store, sql: counted, keys, modules, log: (e) => { logs.push(e); }, studioDir: null, today: () => today, now: () => clock });
      return { app, store, logs };
    }

    beforeAll(async () => {
      sql = await mode.open();
      t = await harness(KEYS);
      reviewerApp = await harness(KEYS_WITH_REVIEWER);
    });
    afterAll(async () => {
      await t.store.close();
      await reviewerApp.store.close();
      await sql.close();
    });

    const evaluate = (body: object, key = 'client-key', policy = 'fx-dibao') =>
      request(t.app).post(`/api/policies/${policy}/evaluate`).set(bearer(key)).send(body);
    const get = (path: string, key = 'admin-key', app = t.app) => request(app).get(path).set(bearer(key));
    const count = async () => Number((await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM decisions')).rows[0]!.n);

    let single: string;
    let inserts = 0;

    it('records a single evaluation before answering: decision_id in the body and the Decision-Id header', async () => {
      const before = await count();
      const r = await evaluate({ household: household(), as_of: '2024-06-01' }).set('X-Request-Id', 'req-single-1');
      expect(r.status).toBe(200);
      expect(r.body.recorded).toBe(true);
      expect(r.body.decision_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(r.headers['decision-id']).toBe(r.body.decision_id);
      // (650 − 900/3) × 3 = 1050.00
      expect(r.body.outputs).toEqual({ eligible: true, monthly_amount: '1050.00' });
      expect(await count()).toBe(before + 1);
      single = r.body.decision_id;
    });

    it('GET /api/decisions/{id} shows who, when, the request id, as_of, the household as received, version and hashes, outputs', async () => {
      const r = await get(`/api/decisions/${single}`);
      expect(r.status).toBe(200);
      const versions = await get('/api/policies/fx-dibao/versions');
      const v2 = (versions.body.versions as { version: number; hash: string }[]).find((v) => v.version === 2)!;
      const source = (await get('/api/policies/fx-dibao/versions/2')).body.source as string;
      expect(r.body).toEqual({
        id: single, at: '2025-06-01T02:00:00.000Z', caller: { name: CLIENT_NAME, role: 'client' },
        request_id: 'req-single-1', policy: 'fx-dibao', version: 2, version_hash: v2.hash,
        source_hash: createHash('sha256').update(source).digest('hex'),
        effective_from: '2023-01-01', as_of: '2024-06-01', household_id: 'h1', household: household(),
        outputs: { eligible: true, monthly_amount: '1050.00' }, batch_index: null,
      });
      // stored as canonical JSON: keys sorted at every level
      const stored = (await sql.query<{ household: string }>('SELECT household FROM decisions WHERE id = $1', [single])).rows[0]!.household;
      expect(stored).toBe('{"area":"urban","id":"h1","members":[{"birth_date":"1980-05-01","id":"m1","income_monthly":"900.00"},{"birth_date":"1982-03-01","id":"m2"},{"birth_date":"2015-09-01","id":"m3"}]}');
    });

    it('records each batch household that has outputs (not those with errors), with its id in its result', async () => {
      const before = await count();
      const r = await request(t.app).post('/api/policies/fx-dibao/evaluate/batch').set(bearer('client-key')).send({
        as_of: '2024-06-01',
        households: [household({ id: 'b0' }), household({ id: 'bad', members: [] }), household({ id: 'b2', members: [{ id: 'x', birth_date: '1990-01-01', income_monthly: '1000.00' }] })],
      });
      expect(r.status).toBe(200);
      expect(r.body.recorded).toBe(true);
      const [a, bad, c] = r.body.results;
      expect(a.decision_id).toBeTypeOf('string');
      expect(bad.decision_id).toBeUndefined();
      expect(c.decision_id).toBeTypeOf('string');
      // the answer's bytes say decision_id first, then id and outputs (the contract's order)
      expect(r.text).toContain(`"results":[{"decision_id":"${a.decision_id}","id":"b0","outputs":{`);
      expect(await count()).toBe(before + 2);
      const rec = await get(`/api/decisions/${c.decision_id}`);
      // 1000 > 650: not eligible, 0.00
      expect(rec.body).toMatchObject({ household_id: 'b2', batch_index: 2, outputs: { eligible: false, monthly_amount: '0.00' }, policy: 'fx-dibao', version: 2 });
      expect(a.decision_id < c.decision_id).toBe(true);
    });

    it('a batch is one INSERT, and concurrent single evaluations share INSERTs', async () => {
      let before = inserts;
      const r = await request(t.app).post('/api/policies/fx-dibao/evaluate/batch').set(bearer('client-key'))
        .send({ as_of: '2024-06-01', households: Array.from({ length: 500 }, (_, i) => household({ id: `many-${i}` })) });
      expect(r.status).toBe(200);
      expect(inserts - before).toBe(1);
      expect((await get('/api/decisions?household_id=many-499')).body.decisions).toHaveLength(1);
      before = inserts;
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => evaluate({ household: household({ id: `conc-${i}` }), as_of: '2024-06-01' })));
      expect(answers.every((a) => a.status === 200 && a.body.recorded === true)).toBe(true);
      expect(new Set(answers.map((a) => a.body.decision_id)).size).toBe(20);
      expect(inserts - before).toBeLessThan(20);
      for (const a of answers.slice(0, 3)) expect((await get(`/api/decisions/${a.body.decision_id}`)).status).toBe(200);
    });

    it('a bad request records nothing: an invalid household, an unknown field, no version in force', async () => {
      const before = await count();
      expect((await evaluate({ household: household({ members: [] }), as_of: '2024-06-01' })).status).toBe(400);
      expect((await evaluate({ household: household(), as_of: '2024-06-01', extra: 1 })).status).toBe(400);
      expect((await evaluate({ household: household(), as_of: '2000-01-01' })).status).toBe(404);
      expect(await count()).toBe(before);
    });

    it('record: false is a dry run for a tester (recorded: false, no id); a client asking for it gets 403 and nothing is recorded', async () => {
      const before = await count();
      const dry = await evaluate({ household: household(), as_of: '2024-06-01', record: false }, 'tester-key');
      expect(dry.status).toBe(200);
      expect(dry.body.recorded).toBe(false);
      expect(dry.body.decision_id).toBeUndefined();
      expect(dry.headers['decision-id']).toBeUndefined();
      expect(dry.body.outputs).toEqual({ eligible: true, monthly_amount: '1050.00' });
      const batch = await request(t.app).post('/api/policies/fx-dibao/evaluate/batch').set(bearer('tester-key')).send({ as_of: '2024-06-01', households: [household()], record: false });
      expect(batch.body.recorded).toBe(false);
      expect(batch.body.results[0].decision_id).toBeUndefined();
      const refused = await evaluate({ household: household(), as_of: '2024-06-01', record: false }, 'client-key');
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ code: 'auth.forbidden', action: 'evaluate.unrecorded', role: 'client' });
      const refusedBatch = await request(t.app).post('/api/policies/fx-dibao/evaluate/batch').set(bearer('client-key')).send({ households: [household()], record: false });
      expect(refusedBatch.status).toBe(403);
      expect(await count()).toBe(before);
    });

    it('replay under the same version is identical', async () => {
      const r = await request(t.app).post(`/api/decisions/${single}/replay`).set(bearer('admin-key'));
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        decision_id: single, policy: 'fx-dibao', version: 2, as_of: '2024-06-01', identical: true,
        outputs: { eligible: true, monthly_amount: '1050.00' }, recorded_outputs: { eligible: true, monthly_amount: '1050.00' },
      });
    });

    it('a replay that differs says identical: false and is logged at error level (ids only)', async () => {
      const e = await evaluate({ household: household({ id: 'tampered' }), as_of: '2024-06-01' });
      await sql.query('UPDATE decisions SET outputs = $1 WHERE id = $2', ['{"eligible":true,"monthly_amount":"1.00"}', e.body.decision_id]);
      const r = await request(t.app).post(`/api/decisions/${e.body.decision_id}/replay`).set(bearer('admin-key'));
      expect(r.body).toMatchObject({ identical: false, outputs: { monthly_amount: '1050.00' }, recorded_outputs: { monthly_amount: '1.00' } });
      const line = t.logs.find((l) => l.msg === 'DECISION REPLAY DIFFERS');
      expect(line).toMatchObject({ level: 'error', decision_id: e.body.decision_id, policy: 'fx-dibao', version: 2 });
      expect(JSON.stringify(line)).not.toContain('tampered');
    });

    it('lists with filters, newest first, in pages by cursor; a date in from/to is a China-time day', async () => {
      // a second day: 2025-06-03 04:00 China time
      clock = new Date('2025-06-02T20:00:00Z');
      const late = await evaluate({ household: household({ id: 'h-late' }), as_of: '2024-06-01' });
      const elderly = await evaluate({ household: household({ id: 'h-late' }), as_of: '2024-06-01' }, 'client-key', 'fx-elderly');
      expect(elderly.status).toBe(200);
      const other = await evaluate({ household: household({ id: 'h-other' }), as_of: '2024-06-01' }, 'client2-key');

      const ids = (r: request.Response) => (r.body.decisions as { id: string }[]).map((d) => d.id);
      const byHousehold = await get('/api/decisions?household_id=h-late');
      expect(ids(byHousehold)).toEqual([elderly.body.decision_id, late.body.decision_id]);
      expect(ids(await get('/api/decisions?household_id=h-late&policy=fx-dibao'))).toEqual([late.body.decision_id]);
      expect(ids(await get('/api/decisions?caller=other'))).toEqual([other.body.decision_id]);
      // to=2025-06-02 includes that whole day (China time): not the decisions of 06-03
      const firstDay = ids(await get('/api/decisions?to=2025-06-02&limit=1000'));
      expect(firstDay).toContain(single);
      expect(firstDay).not.toContain(late.body.decision_id);
      expect(ids(await get('/api/decisions?from=2025-06-03'))).toEqual([other.body.decision_id, elderly.body.decision_id, late.body.decision_id]);
      expect(ids(await get('/api/decisions?from=2025-06-02T19:59:59Z&to=2025-06-02T20:00:00Z'))).toEqual([]);

      // pages of 50 walk every decision exactly once, newest first
      const all = ids(await get('/api/decisions?limit=1000'));
      const walked: string[] = [];
      let cursor: string | null = null;
      do {
        const page: request.Response = await get(`/api/decisions?limit=50${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status).toBe(200);
        expect(page.body.decisions.length).toBeLessThanOrEqual(50);
        walked.push(...ids(page));
        cursor = page.body.next_cursor;
      } while (cursor);
      expect(walked).toEqual(all);
      expect([...all].sort().reverse()).toEqual(all);
      expect(all.length).toBe(await count());
      expect(all.length).toBeGreaterThan(500);   // several pages, the last one partial

      for (const bad of ['limit=0', 'limit=1001', 'from=2025-13-01', 'cursor=nope', 'policy=BAD!']) {
        const r = await get(`/api/decisions?${bad}`);
        expect(r.status, bad).toBe(400);
      }
    });

    it('a client reads and replays only the decisions its key made (others: 404); admin and reviewer read any', async () => {
      const mine = await get(`/api/decisions/${single}`, 'client-key');
      expect(mine.status).toBe(200);
      const theirs = await get(`/api/decisions/${single}`, 'client2-key');
      expect(theirs.status).toBe(404);
      expect(theirs.body.error.code).toBe('decision.not_found');
      expect((await request(t.app).post(`/api/decisions/${single}/replay`).set(bearer('client2-key'))).status).toBe(404);
      // the same answer as an id that does not exist: ids cannot be probed
      const unknown = await get('/api/decisions/0190a000-0000-7000-8000-000000000000', 'client2-key');
      expect([unknown.status, unknown.body.error.code]).toEqual([404, 'decision.not_found']);
      expect((await get('/api/decisions/not-a-uuid')).status).toBe(404);
      // a client's listing holds its own decisions only, whatever it filters by
      const list = await get('/api/decisions?limit=1000', 'client2-key');
      expect(list.body.decisions.map((d: { caller: { name: string } }) => d.caller.name)).toEqual(['other']);
      expect((await get(`/api/decisions?caller=${CLIENT_NAME}`, 'client2-key')).body.decisions).toEqual([]);
      expect((await get(`/api/decisions?caller=${CLIENT_NAME}`, 'admin-key')).body.decisions.length).toBeGreaterThan(0);
      // a tester sees none of the clients' decisions (its dry runs were not recorded)
      expect((await get('/api/decisions', 'tester-key')).body.decisions).toEqual([]);
      // a reviewer (another instance of the app on the same SQL store) reads any decision
      expect((await get(`/api/decisions/${single}`, 'reviewer-key', reviewerApp.app)).status).toBe(200);
      expect((await get('/api/decisions?limit=1000', 'reviewer-key', reviewerApp.app)).body.decisions.length).toBe(await count());
      // no key: 401
      expect((await request(t.app).get(`/api/decisions/${single}`)).status).toBe(401);
    });

    it('replay under=current re-assesses under the version in force today, output by output', async () => {
      // publish v3 from 2025-01-01: urban standard 700 元/月 → (700 − 300) × 3 = 1200.00
      const d = await get('/api/policies/fx-dibao/draft', 'editor-key');
      const v2 = await get('/api/policies/fx-dibao/versions/2', 'editor-key');
      const source = editedSource(v2.body.source, 700).replace(/生效 \d{4}-\d{2}-\d{2}/, '生效 2025-01-01');
      const scenarios = v2.body.scenarios.replace(/"1050.00"/, '"1200.00"');
      expect((await request(t.app).put('/api/policies/fx-dibao/draft').set(bearer('editor-key')).set('If-Match', d.headers.etag!).send({ source, scenarios })).status).toBe(200);
      expect((await request(t.app).post('/api/policies/fx-dibao/publish').set(bearer('editor-key')).send({ effective_from: '2025-01-01', note: '700' })).status).toBe(201);

      const r = await request(t.app).post(`/api/decisions/${single}/replay?under=current`).set(bearer('client-key'));
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        decision_id: single, policy: 'fx-dibao', under: 'current',
        before: { version: 2, effective_from: '2023-01-01', as_of: '2024-06-01' },
        after: { version: 3, effective_from: '2025-01-01', as_of: '2025-06-01' },
        outputs: [
          { name: 'eligible', before: true, after: true, changed: false },
          { name: 'monthly_amount', before: '1050.00', after: '1200.00', changed: true },
        ],
      });
      // the same-version replay is still identical (v2 did not change); replays record nothing
      const before = await count();
      expect((await request(t.app).post(`/api/decisions/${single}/replay`).set(bearer('client-key'))).body.identical).toBe(true);
      expect(await count()).toBe(before);
      expect((await request(t.app).post(`/api/decisions/${single}/replay?under=later`).set(bearer('client-key'))).status).toBe(400);
    });

    it('the request log never holds household contents', async () => {
      const lines = JSON.stringify(t.logs);
      expect(t.logs.some((l) => l.msg === 'request')).toBe(true);
      for (const secret of ['900.00', 'birth_date', '1980-05-01', 'h-late', 'urban']) expect(lines, secret).not.toContain(secret);
    });
  });
}
