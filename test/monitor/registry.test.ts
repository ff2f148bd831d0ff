// The registry over HTTP: imports (JSON Lines and CSV) are all-or-nothing, and every bad row is
// named by its line and field; upserts add dated versions; roles are enforced.
import { PassThrough } from 'node:stream';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, importJsonl, jsonl, monitorApp, type MonitorApp } from './helpers.js';

const good = (id: string, income = 1000) => ({ id, area: 'urban', county: '大武口区', members: [{ id: 'a', birth_date: '1984-01-01', income_monthly: income }] });

let t: MonitorApp;
beforeAll(async () => { t = await monitorApp(); }, 60_000);
afterAll(async () => { await t.close(); });

const count = async () => Number((await t.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM registry_households')).rows[0]!.n);
const versions = async () => Number((await t.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM registry_history')).rows[0]!.n);

describe('POST /api/registry/import', () => {
  it('imports JSON Lines: new ids created, known ids get a new dated version', async () => {
    const first = await importJsonl(t.app, [good('R1'), good('R2')], '2024-01-01');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ effective_from: '2024-01-01', households: 2, created: 2, updated: 0 });
    const second = await importJsonl(t.app, [good('R2', 1200), good('R3')], '2024-03-01');
    expect(second.body).toMatchObject({ households: 2, created: 1, updated: 1 });
    expect(await count()).toBe(3);
    const h = await request(t.app).get('/api/registry/households/R2').set(bearer());
    expect(h.body.versions.map((v: { effective_from: string; household: { members: { income_monthly: number }[] } }) => [v.effective_from, v.household.members[0]!.income_monthly]))
      .toEqual([['2024-01-01', 1000], ['2024-03-01', 1200]]);
  });

  it('refuses the whole import when one row is bad, naming each line and field; nothing is applied', async () => {
    const before = await versions();
    const rows = [good('R10'), { ...good('R11'), members: [{ id: 'a', birth_date: '1984-13-01' }] }, good('R12'), { ...good('R13'), members: [{ id: 'a', birth_date: '1984-01-01', incom_monthly: 5 }] }];
    const r = await importJsonl(t.app, rows, '2024-05-01');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('registry.import_invalid');
    const paths = r.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toContain('line 2: household.members[0].birth_date');
    const typo = r.body.error.details.find((d: { path: string }) => d.path.startsWith('line 4: household.members[0].incom'));
    expect(typo.message).toContain('income_monthly');   // the nearest known name
    expect(await versions()).toBe(before);
    expect((await request(t.app).get('/api/registry/households/R10').set(bearer())).status).toBe(404);
  });

  it('refuses invalid JSON, a missing id and an id given twice, with their lines', async () => {
    const text = `${JSON.stringify(good('R20'))}\n{not json\n${JSON.stringify({ ...good('x'), id: undefined })}\n`;
    const r = await request(t.app).post('/api/registry/import?effective_from=2024-05-01').set(bearer()).set('Content-Type', 'application/x-ndjson').send(text);
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { path: string }) => d.path)).toEqual(['line 2: household', 'line 3: household.id']);
    const twice = await importJsonl(t.app, [good('R21'), good('R22'), good('R21')], '2024-05-01');
    expect(twice.status).toBe(400);
    expect(twice.body.error.details).toEqual([{ path: 'line 3: household.id', message: expect.stringContaining('line 1') }]);
    expect((await request(t.app).get('/api/registry/households/R21').set(bearer())).status).toBe(404);
  });

  it('imports CSV in the simulation loader\'s flat layout (one row per member)', async () => {
    const csv = 'household_id,area,county,member_id,birth_date,income_monthly\nC1,urban,大武口区,a,1984-01-01,800\nC1,urban,大武口区,b,2015-02-01,\nC2,rural,大武口区,a,1950-06-01,100\n';
    const r = await request(t.app).post('/api/registry/import?effective_from=2024-01-01').set(bearer()).set('Content-Type', 'text/csv').send(csv);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.households).toBe(2);
    const h = await request(t.app).get('/api/registry/households/C1').set(bearer());
    expect(h.body.versions[0].household.members).toEqual([{ id: 'a', birth_date: '1984-01-01', income_monthly: 800 }, { id: 'b', birth_date: '2015-02-01' }]);
    const bad = await request(t.app).post('/api/registry/import?effective_from=2024-01-01').set(bearer()).set('Content-Type', 'text/csv')
      .send('household_id,area,member_id,birth_date\nC3,urban,a,1984-01-01\nC4,city,a,1984-01-01\n');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['line 3: household.area']);
  });

  it('keeps a character whole when the body arrives split inside it', async () => {
    const bytes = Buffer.from(JSON.stringify(good('U1')) + '\n', 'utf8');
    const at = bytes.indexOf(Buffer.from('武', 'utf8')) + 1;   // inside the three bytes of 武
    const body = new PassThrough();
    const done = t.app.locals.monitoring.registry.import(body, 'jsonl', '2024-01-01');
    body.write(bytes.subarray(0, at));
    await new Promise((ok) => setTimeout(ok, 20));
    body.end(bytes.subarray(at));
    expect((await done).households).toBe(1);
    const h = await request(t.app).get('/api/registry/households/U1').set(bearer());
    expect(h.body.versions[0].county).toBe('大武口区');
  });

  it('needs effective_from, and a JSON Lines or CSV body', async () => {
    const none = await request(t.app).post('/api/registry/import').set(bearer()).set('Content-Type', 'application/x-ndjson').send(jsonl([good('Z')]));
    expect(none.status).toBe(400);
    expect(none.body.error.details[0].path).toBe('effective_from');
    const json = await request(t.app).post('/api/registry/import?effective_from=2024-01-01').set(bearer()).send([good('Z')]);
    expect(json.status).toBe(415);
  });

  it('is for editors and admins: a tester is refused (403) and nothing is applied', async () => {
    const r = await request(t.app).post('/api/registry/import?effective_from=2024-01-01').set(bearer('tester-key')).set('Content-Type', 'application/x-ndjson').send(jsonl([good('T1')]));
    expect(r.status).toBe(403);
    expect((await request(t.app).get('/api/registry/households/T1').set(bearer('client-key'))).status).toBe(403);
  });
});

describe('PUT /api/registry/households/{id}', () => {
  it('adds a version from effective_from; a bad household is 400 with its field and nothing stored', async () => {
    const ok = await request(t.app).put('/api/registry/households/P1').set(bearer()).send({ effective_from: '2024-02-01', household: good('P1') });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id: 'P1', effective_from: '2024-02-01', created: true });
    const bad = await request(t.app).put('/api/registry/households/P1').set(bearer()).send({ effective_from: '2024-03-01', household: { ...good('P1'), area: 'town' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('household.area');
    const other = await request(t.app).put('/api/registry/households/P1').set(bearer()).send({ effective_from: '2024-03-01', household: good('P2') });
    expect(other.status).toBe(400);
    const day = await request(t.app).put('/api/registry/households/P1').set(bearer()).send({ effective_from: '2024-02-30', household: good('P1') });
    expect(day.status).toBe(400);
    const h = await request(t.app).get('/api/registry/households/P1').set(bearer());
    expect(h.body.versions).toHaveLength(1);
  });
});
