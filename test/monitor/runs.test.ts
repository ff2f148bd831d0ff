// Runs over HTTP: progress at once, paging, CSV and XLSX exports (the XLSX read back by
// exceljs), cancel, errors, and a chunk taken over from an instance whose lease ran out.
import ExcelJS from 'exceljs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryRepository } from '../../runtime/store/registry.js';
import { RunRepository } from '../../runtime/store/registry-runs.js';
import { decisionBase, outcomeLine } from '../../runtime/store/monitor-results.js';
import { parseMonitorCron, firesAt } from '../../runtime/services/monitor/schedule.js';
import { csvCell } from '../../runtime/services/monitor/export.js';
import { bearer, importJsonl, monitorApp, runFor, type MonitorApp } from './helpers.js';

// Each household: two 40-year-olds with income 1000, not enrolled → newly eligible for dawukou-dibao at 300.00.
const eligible = (id: string) => ({ id, area: 'urban', county: '大武口区', members: [{ id: 'a', birth_date: '1984-01-01', income_monthly: 1000 }, { id: 'b', birth_date: '1984-01-01' }] });

let t: MonitorApp;
let run: Record<string, any>;
beforeAll(async () => {
  t = await monitorApp({ chunkSize: 2 });
  expect((await importJsonl(t.app, ['E1', 'E2', 'E3', 'E4', 'E5'].map(eligible), '2024-01-01')).status).toBe(200);
  run = await runFor(t.app, '2024-07-01');
}, 60_000);
afterAll(async () => { await t.close(); });

const binary = (res: any, cb: (e: Error | null, b: Buffer) => void) => { const parts: Buffer[] = []; res.on('data', (c: Buffer) => parts.push(c)); res.on('end', () => cb(null, Buffer.concat(parts))); };

describe('lists', () => {
  it('pages through a list with next_cursor', async () => {
    const first = await request(t.app).get(`/api/monitor/runs/${run.id}/lists/newly_eligible?policy=dawukou-dibao&limit=2`).set(bearer());
    expect(first.body.rows.map((r: { household_id: string }) => r.household_id)).toEqual(['E1', 'E2']);
    const second = await request(t.app).get(`/api/monitor/runs/${run.id}/lists/newly_eligible?policy=dawukou-dibao&limit=2&cursor=${first.body.next_cursor}`).set(bearer());
    expect(second.body.rows.map((r: { household_id: string }) => r.household_id)).toEqual(['E3', 'E4']);
    const third = await request(t.app).get(`/api/monitor/runs/${run.id}/lists/newly_eligible?policy=dawukou-dibao&limit=2&cursor=${second.body.next_cursor}`).set(bearer());
    expect(third.body.rows.map((r: { household_id: string }) => r.household_id)).toEqual(['E5']);
    expect(third.body.next_cursor).toBeNull();
  });

  it('filters by county (nobody in 红寺堡区) and names an unknown list', async () => {
    const none = await request(t.app).get(`/api/monitor/runs/${run.id}/lists/newly_eligible?county=红寺堡区`).set(bearer());
    expect(none.body.rows).toEqual([]);
    const bad = await request(t.app).get(`/api/monitor/runs/${run.id}/lists/newly`).set(bearer());
    expect(bad.status).toBe(404);
    expect(bad.body.error.code).toBe('monitor.list_not_found');
    expect((await request(t.app).get('/api/monitor/runs/0190f000-0000-7000-8000-000000000000').set(bearer())).status).toBe(404);
  });

  it('exports CSV: BOM, header, one row per household, each with its explanation link', async () => {
    const r = await request(t.app).get(`/api/monitor/runs/${run.id}/lists/newly_eligible/export?format=csv&policy=dawukou-dibao`).set(bearer()).buffer(true).parse(binary);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain('text/csv');
    const text = (r.body as Buffer).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trim().split('\r\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe('家庭编号 household_id,县区 county,政策 policy,详情 detail,决定记录 decision_id,解释（重算） explanation');
    expect(lines[1]).toMatch(/^E1,大武口区,dawukou-dibao,"\{""amount"":""300.00""\}",[0-9a-f-]{36},\/api\/decisions\/[0-9a-f-]{36}\/replay$/);
  });

  it('exports XLSX that exceljs reads back', async () => {
    const r = await request(t.app).get(`/api/monitor/runs/${run.id}/lists/newly_eligible/export?format=xlsx&policy=dawukou-dibao`).set(bearer()).buffer(true).parse(binary);
    expect(r.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(r.body as Buffer);
    const sheet = book.getWorksheet('newly_eligible')!;
    expect(sheet.rowCount).toBe(6);
    expect(sheet.getRow(1).getCell(1).value).toBe('家庭编号 household_id');
    expect([2, 3, 4, 5, 6].map((i) => sheet.getRow(i).getCell(1).value)).toEqual(['E1', 'E2', 'E3', 'E4', 'E5']);
    expect(sheet.getRow(2).getCell(4).value).toBe('{"amount":"300.00"}');
  });

  it('keeps spreadsheet formulas out of CSV cells', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('plain')).toBe('plain');
  });
});

describe('starting, watching and cancelling', () => {
  it('shows progress in the first answer, and a cancelled run takes no more chunks', async () => {
    const started = await request(t.app).post('/api/monitor/runs').set(bearer()).send({ as_of: '2024-09-01' });
    expect(started.status).toBe(202);
    expect(started.headers.location).toBe(`/api/monitor/runs/${started.body.id}`);
    expect(started.body.progress).toMatchObject({ households_total: 5, chunks_total: 3 });
    const cancelled = await request(t.app).delete(`/api/monitor/runs/${started.body.id}`).set(bearer());
    // it may have finished already on a fast machine: then the answer is 409, never a 500
    expect([200, 409]).toContain(cancelled.status);
    if (cancelled.status === 200) {
      expect(cancelled.body.status).toBe('cancelled');
      await new Promise((ok) => setTimeout(ok, 300));
      const after = await request(t.app).get(`/api/monitor/runs/${started.body.id}`).set(bearer());
      expect(after.body.status).toBe('cancelled');
      // a chunk in flight when it was cancelled is not stored: progress stands where the cancel left it
      expect(after.body.progress.households_done).toBe(cancelled.body.progress.households_done);
    }
    const again = await request(t.app).delete(`/api/monitor/runs/${started.body.id}`).set(bearer());
    expect(again.status).toBe(409);
  });

  it('refuses a bad date and a tester', async () => {
    const bad = await request(t.app).post('/api/monitor/runs').set(bearer()).send({ as_of: '2024-02-30' });
    expect(bad.status).toBe(400);
    expect((await request(t.app).post('/api/monitor/runs').set(bearer('tester-key')).send({ as_of: '2024-07-01' })).status).toBe(403);
    expect((await request(t.app).get('/api/monitor/runs').set(bearer('client-key'))).status).toBe(403);
  });
});

describe('chunks', () => {
  it('a chunk whose claimer stopped is retaken after the lease; its results count once', async () => {
    const runs = new RunRepository(() => Promise.resolve(t.sql));
    const registry = new RegistryRepository(() => Promise.resolve(t.sql));
    const id = '0190f000-0000-7000-8000-0000000000aa';
    await runs.create({ id, as_of: '2024-07-01', created_at: new Date().toISOString(), started_by: 'test', caller_role: 'admin', caller_key: 'test',
      registry_seq: await registry.maxSeq(), previous_run: null, total: 5 }, await registry.boundaries(5));
    const dead = await runs.claim('dead-instance', 60_000);
    expect(dead).toMatchObject({ run_id: id, seq: 0, size: 5 });
    expect(await runs.claim('live-instance', 60_000)).toBeNull();   // held, lease not run out
    await new Promise((ok) => setTimeout(ok, 30));
    const taken = await runs.claim('live-instance', 10);            // a 10 ms lease has run out
    expect(taken).toMatchObject({ run_id: id, seq: 0, attempts: 2 });
    const row = { rows: 1, households: JSON.stringify([{ h: 'E1', c: null, s: null, b: decisionBase(Date.now()) }]),
      outcomes: outcomeLine('p', 1, true, 1, null, null), outputs: '{"eligible":true}', lists: '[]' };
    // the dead instance wakes up and tries to store: refused, nothing written
    expect(await runs.complete(dead!, 'dead-instance', 5, 0, row)).toBe(false);
    expect(await runs.complete(taken!, 'live-instance', 5, 0, row)).toBe(true);
    expect(await runs.complete(taken!, 'live-instance', 5, 0, row)).toBe(false);
    const r = await runs.get(id);
    expect(r).toMatchObject({ status: 'done', done: 5 });
    expect((await runs.results(id, '', null))).toEqual([{ household_id: 'E1', outcomes: outcomeLine('p', 1, true, 1, null, null) }]);
  });
});

describe('outputs stored once per chunk (migration 15)', () => {
  it('households with the same outputs name one stored copy; each decision still reads its whole outputs, and the list lookup finds them', async () => {
    // five identical households in chunks of 2: three chunks, each storing each programme's outputs once
    const lines = (await t.sql.query<{ household_id: string; outputs: string }>('SELECT household_id, outputs FROM monitor_households WHERE run_id = $1 ORDER BY household_id', [run.id])).rows;
    expect(lines.map((r) => r.household_id)).toEqual(['E1', 'E2', 'E3', 'E4', 'E5']);
    const programmes = lines[0]!.outputs.split('\n').length;
    expect(programmes).toBeGreaterThan(1);
    for (const r of lines) expect(r.outputs.split('\n').every((l) => /^#\d+$/.test(l))).toBe(true);
    // E1 and E2 share a chunk: the same lines; each chunk stored each distinct text once (two
    // programmes with the same outputs share one too)
    expect(lines[1]!.outputs).toBe(lines[0]!.outputs);
    const distinct = new Set(lines[0]!.outputs.split('\n')).size;
    expect(distinct).toBeLessThanOrEqual(programmes);
    const stored = (await t.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM monitor_outputs WHERE run_id = $1', [run.id])).rows[0]!.n;
    expect(stored).toBe(3 * distinct);
    // E2 (first chunk) and E5 (third) read the same whole outputs, as GET /api/decisions gives them
    const rows = await request(t.app).get(`/api/monitor/runs/${run.id}/lists/newly_eligible?policy=dawukou-dibao`).set(bearer());
    const byHousehold = Object.fromEntries(rows.body.rows.map((r: { household_id: string; decision_id: string }) => [r.household_id, r.decision_id]));
    const e2 = await request(t.app).get(`/api/decisions/${byHousehold.E2}`).set(bearer());
    const e5 = await request(t.app).get(`/api/decisions/${byHousehold.E5}`).set(bearer());
    expect(e2.body).toMatchObject({ household_id: 'E2', policy: 'dawukou-dibao' });
    expect(e2.body.outputs).toMatchObject({ eligible: true, monthly_amount: '300.00' });
    expect(e5.body.outputs).toEqual(e2.body.outputs);
    expect((await request(t.app).post(`/api/decisions/${byHousehold.E5}/replay`).set(bearer())).body.identical).toBe(true);
  });

  it('a row stored by migration 14 (its outputs in the line) still reads whole', async () => {
    const runs = new RunRepository(() => Promise.resolve(t.sql));
    const id = '0190f000-0000-7000-8000-0000000000cc';
    const { started_by, caller_role, caller_key } = (await runs.get(run.id))!;
    await runs.create({ id, as_of: '2024-06-01', created_at: new Date().toISOString(), started_by, caller_role, caller_key,
      registry_seq: 0, previous_run: null, total: 0 }, []);
    const seq = Number((await t.sql.query<{ seq: number }>(`SELECT seq FROM registry_history WHERE household_id = 'E2' ORDER BY seq LIMIT 1`)).rows[0]!.seq);
    await t.sql.query(`INSERT INTO monitor_run_versions VALUES ($1, 'p14', 1, 'vh', 'sh', '2024-01-01')`, [id]);
    const base = '0190f000-0000-7000-8000-00000000ab00';
    await t.sql.query(`INSERT INTO monitor_households VALUES ($1, 'E2', '大武口区', $2, $3, $4, $5)`,
      [id, seq, base, `${outcomeLine('p14', 1, true, 100, null, null)}\n${outcomeLine('p14', 1, false, 0, null, null)}`, '{"eligible":true}\n{"eligible":false}']);
    const first = await request(t.app).get('/api/decisions/0190f000-0000-7000-8000-00000000ab01').set(bearer());
    const second = await request(t.app).get('/api/decisions/0190f000-0000-7000-8000-00000000ab02').set(bearer());
    expect([first.status, first.body.outputs, second.body.outputs]).toEqual([200, { eligible: true }, { eligible: false }]);
  });
});

describe('results stored before migration 14 (a row per programme)', () => {
  it('are still decisions (found by id, listed by household) and what the next run compares with', async () => {
    const runs = new RunRepository(() => Promise.resolve(t.sql));
    const id = '0190f000-0000-7000-8000-0000000000bb';
    const decisionId = '0190f000-0000-7000-8000-00000000c0de';
    // started by the same caller as the run above (a decision is shown to the key that made it)
    const { started_by, caller_role, caller_key } = (await runs.get(run.id))!;
    await runs.create({ id, as_of: '2024-06-01', created_at: new Date().toISOString(), started_by, caller_role, caller_key,
      registry_seq: 0, previous_run: null, total: 0 }, []);
    const seq = Number((await t.sql.query<{ seq: number }>(`SELECT seq FROM registry_history WHERE household_id = 'E1' ORDER BY seq LIMIT 1`)).rows[0]!.seq);
    await t.sql.query(`INSERT INTO monitor_run_versions VALUES ($1, 'legacy-policy', 1, 'vh', 'sh', '2024-01-01')`, [id]);
    await t.sql.query(`INSERT INTO monitor_results (run_id, household_id, policy, version, county, decision_id, eligible, amount_fen, gradual_exit_until, outputs, error, household_seq)
      VALUES ($1, 'E1', 'legacy-policy', 1, '大武口区', $2, true, 30000, NULL, '{"eligible":true}', NULL, $3)`, [id, decisionId, seq]);
    const found = await request(t.app).get(`/api/decisions/${decisionId}`).set(bearer());
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ policy: 'legacy-policy', household_id: 'E1' });
    const listed = await request(t.app).get('/api/decisions?household_id=E1&policy=legacy-policy').set(bearer());
    expect(listed.body.decisions.map((d: { decision_id?: string; id?: string }) => d.decision_id ?? d.id)).toEqual([decisionId]);
    expect(await runs.results(id, '', null)).toEqual([{ household_id: 'E1', outcomes: outcomeLine('legacy-policy', 1, true, 30000, null, null) }]);
  });
});

describe('MONITOR_CRON', () => {
  it('reads "day HH:MM" and the cron subset, in China time', () => {
    const s = parseMonitorCron('1 06:30');
    expect(s).toEqual({ day: 1, hour: 6, minute: 30 });
    expect(parseMonitorCron('30 6 1 * *')).toEqual(s);
    // 2024-06-30T22:30Z is 2024-07-01 06:30 in China
    expect(firesAt(s, new Date('2024-06-30T22:30:10Z'))).toBe('2024-07-01');
    expect(firesAt(s, new Date('2024-07-01T06:30:00Z'))).toBeNull();
    expect(firesAt(parseMonitorCron('* 00:00'), new Date('2024-03-04T16:00:00Z'))).toBe('2024-03-05');
  });

  it('refuses what it cannot run exactly', () => {
    expect(() => parseMonitorCron('31 06:30')).toThrow(/MONITOR_CRON/);
    expect(() => parseMonitorCron('30 6 1 1 *')).toThrow(/expected/);
    expect(() => parseMonitorCron('1 24:00')).toThrow();
  });
});
