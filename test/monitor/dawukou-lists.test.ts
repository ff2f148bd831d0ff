// Six Dawukou households worked out by hand from policies/dawukou-dibao v2 (in force from
// 2022-01-01): urban standard 650 元/月; per-capita gap × persons, +10% of the gap for each
// special member (none here: every member is 40); 渐退 12 months from income_exceeded_since,
// paying the recorded amount. All are urban, two adults born 1984-01-01.
//   D1 not enrolled, income 1000 → per capita 500 < 650: eligible, (650 − 500) × 2 = 300.00 → newly eligible
//   D2 enrolled at 300.00, income 1000 → eligible, 300.00: unchanged, on no dibao list
//   D3 enrolled at 200.00, income 1000 → eligible, 300.00 → amount changed 200.00 → 300.00 (+100.00)
//   D4 enrolled at 150.00, income 1600 → per capita 800 ≥ 650: not eligible; exceeded 2023-08-15, exit
//      until 2024-08-15 = 45 days after 2024-07-01 → no longer eligible (渐退), exit within 60, not 30
//   D5 as D4 but exceeded 2023-07-20 → until 2024-07-20 = 19 days → within 30 and within 60
//   D6 not enrolled, income 2000 → per capita 1000: not eligible, on no list. From 2024-07-15 (mid-
//      month) its income is 1000 → the August run finds it newly eligible at 300.00; the July run,
//      even run after the change was recorded, still reads July's household.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, importJsonl, listIds, monitorApp, runFor, type MonitorApp } from './helpers.js';

const adults = (income: number) => [
  { id: 'a', birth_date: '1984-01-01', income_monthly: income },
  { id: 'b', birth_date: '1984-01-01' },
];
const hh = (id: string, income: number, dibao?: Record<string, unknown>) =>
  ({ id, area: 'urban', county: '大武口区', members: adults(income), ...(dibao ? { dibao } : {}) });

const REGISTRY = [
  hh('D1', 1000),
  hh('D2', 1000, { enrolled: true, monthly_amount: 300 }),
  hh('D3', 1000, { enrolled: true, monthly_amount: 200 }),
  hh('D4', 1600, { enrolled: true, monthly_amount: 150, income_exceeded_since: '2023-08-15' }),
  hh('D5', 1600, { enrolled: true, monthly_amount: 150, income_exceeded_since: '2023-07-20' }),
  hh('D6', 2000),
];

let t: MonitorApp;
let july: Record<string, any>;
beforeAll(async () => {
  // the hand-worked lists come out of the evaluation thread, as in a built server
  t = await monitorApp({ thread: true });
  const imported = await importJsonl(t.app, REGISTRY, '2024-01-01');
  expect(imported.status, JSON.stringify(imported.body)).toBe(200);
  july = await runFor(t.app, '2024-07-01');
}, 60_000);
afterAll(async () => { await t.close(); });

describe('a run over six hand-worked Dawukou households', () => {
  it('finishes with every household counted once', () => {
    expect(july.status).toBe('done');
    expect(july.progress.households_total).toBe(6);
    expect(july.progress.households_done).toBe(6);
    expect(july.progress.chunks_total).toBe(3);   // chunks of 2
  });

  it('newly eligible (主动发现): D1 at 300.00', async () => {
    expect(await listIds(t.app, july.id, 'newly_eligible')).toEqual({ D1: { amount: '300.00' } });
  });

  it('amount changed: D3 from 200.00 to 300.00', async () => {
    expect(await listIds(t.app, july.id, 'amount_changed')).toEqual({ D3: { before: '200.00', after: '300.00', change: '100.00' } });
  });

  it('no longer eligible: D4 and D5, both in 渐退 at their recorded amount', async () => {
    expect(await listIds(t.app, july.id, 'no_longer_eligible')).toEqual({
      D4: { gradual_exit: true, gradual_exit_until: '2024-08-15', amount: '150.00' },
      D5: { gradual_exit: true, gradual_exit_until: '2024-07-20', amount: '150.00' },
    });
  });

  it('渐退 ending: D5 within 30 days (19), D4 and D5 within 60', async () => {
    expect(Object.keys(await listIds(t.app, july.id, 'exit_within_30'))).toEqual(['D5']);
    expect((await listIds(t.app, july.id, 'exit_within_30')).D5!.days).toBe(19);
    expect(Object.keys(await listIds(t.app, july.id, 'exit_within_60'))).toEqual(['D4', 'D5']);
    expect((await listIds(t.app, july.id, 'exit_within_60')).D4!.days).toBe(45);
  });

  it('counts the lists by programme and county', () => {
    expect(july.lists.newly_eligible.by_policy['dawukou-dibao']).toBe(1);
    expect(july.lists.no_longer_eligible.by_county['大武口区']).toBe(2);
  });

  it('each row links to its recorded decision, which replays identically', async () => {
    const page = await request(t.app).get(`/api/monitor/runs/${july.id}/lists/newly_eligible?policy=dawukou-dibao`).set(bearer());
    const row = page.body.rows[0];
    expect(row.explanation).toBe(`/api/decisions/${row.decision_id}/replay`);
    const decision = await request(t.app).get(`/api/decisions/${row.decision_id}`).set(bearer());
    expect(decision.body.household_id).toBe('D1');
    expect(decision.body.as_of).toBe('2024-07-01');
    expect(decision.body.outputs.monthly_amount).toBe('300.00');
    const replay = await request(t.app).post(row.explanation).set(bearer());
    expect(replay.body.identical).toBe(true);
  });

  it('an income change dated mid-month moves D6 to newly eligible in the next month only', async () => {
    const put = await request(t.app).put('/api/registry/households/D6').set(bearer())
      .send({ effective_from: '2024-07-15', household: hh('D6', 1000) });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const julyAgain = await runFor(t.app, '2024-07-01');
    expect(Object.keys(await listIds(t.app, julyAgain.id, 'newly_eligible'))).toEqual(['D1']);
    const august = await runFor(t.app, '2024-08-01');
    expect(august.previous_run).toBe(julyAgain.id);
    expect(await listIds(t.app, august.id, 'newly_eligible')).toEqual({ D1: { amount: '300.00' }, D6: { amount: '300.00' } });
    // D5's exit ended on 2024-07-20: still not eligible, no longer in 渐退
    expect((await listIds(t.app, august.id, 'no_longer_eligible')).D5).toEqual({ gradual_exit: false, gradual_exit_until: null, amount: '0.00' });
    // August's decision for D6 is the registry version dated 2024-07-15 that the run read, and replays
    const d6 = (await request(t.app).get(`/api/monitor/runs/${august.id}/lists/newly_eligible?household_id=D6`).set(bearer())).body.rows[0];
    const decision = await request(t.app).get(`/api/decisions/${d6.decision_id}`).set(bearer());
    expect(decision.body).toMatchObject({ household_id: 'D6', as_of: '2024-08-01', request_id: `monitor-run:${august.id}`, caller: { role: 'editor' }, household: hh('D6', 1000) });
    expect((await request(t.app).post(d6.explanation).set(bearer())).body.identical).toBe(true);
    // and D6's decisions are listed by household beside any other (an appeal reads them all), newest first
    const listed = await request(t.app).get('/api/decisions?household_id=D6&policy=dawukou-dibao').set(bearer());
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    const ids = listed.body.decisions.map((d: { decision_id?: string; id?: string }) => d.decision_id ?? d.id);
    expect(ids).toContain(d6.decision_id);
    expect(listed.body.decisions.every((d: { household_id: string }) => d.household_id === 'D6')).toBe(true);
    expect([...ids].sort().reverse()).toEqual(ids);
    const paged = await request(t.app).get(`/api/decisions?household_id=D6&limit=1`).set(bearer());
    expect(paged.body.decisions).toHaveLength(1);
    expect(paged.body.next_cursor).toBe(paged.body.decisions[0].decision_id ?? paged.body.decisions[0].id);
    const history = await request(t.app).get('/api/registry/households/D6').set(bearer());
    expect(history.body.versions.map((v: { effective_from: string }) => v.effective_from)).toEqual(['2024-01-01', '2024-07-15']);
  }, 60_000);
});
