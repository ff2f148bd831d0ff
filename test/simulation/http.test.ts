// The HTTP jobs: POST /api/policies/{id}/simulations → 202, GET /api/simulations/{job} polls,
// DELETE cancels. Most cases mount the router on a bare Express app around the app's services
// (the fixture store of test/runtime) with in-thread runs; the last block goes through the app
// itself (createApp mounts the router), where large populations use the worker threads.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import request from 'supertest';
import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWorkerScript } from '../../simulation/index.js';
import { parseApiKeys } from '../../runtime/auth.js';
import { errorHandler, apiNotFound } from '../../runtime/errors.js';
import { simulationsRouter } from '../../runtime/routes/simulations.js';
import { bearer, makeApp, NO_REVIEW_KEYS, type TestApp } from '../runtime/helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const hand = readFileSync(join(here, 'fixtures', 'hand.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);

let t: TestApp;
let app: express.Express;
beforeAll(async () => {
  t = await makeApp({ keys: NO_REVIEW_KEYS, today: '2024-06-01' });
  const ctx = t.app.locals.ctx;
  app = express();
  app.use(simulationsRouter({ ...ctx, keys: parseApiKeys(NO_REVIEW_KEYS), options: { run: { threads: 1 } } }));
  app.use('/api', apiNotFound);
  app.use(errorHandler(() => undefined));
});
afterAll(async () => { await t.cleanup(); });

const key = bearer('tester-key');
async function poll(id: string, on: Parameters<typeof request>[0] = app) {
  for (let i = 0; i < 1500; i++) {
    const r = await request(on).get(`/api/simulations/${id}`).set(key);
    if (r.body.status !== 'queued' && r.body.status !== 'running') return r;
    await new Promise((ok) => setTimeout(ok, 20));
  }
  throw new Error('job did not finish');
}

describe('simulation jobs', () => {
  it('runs inline households: fx-dibao v1 → v2, figures by hand', async () => {
    // fx-dibao: countable = Σ income_monthly (no exclusions, no rigid, no supplements, no gradual exit)
    // v1 urban 600 / rural 400; v2 urban 650 / rural 400.
    // H1 urban pc 300: 900 → 1050 (gain +150); H3 urban 620: 0 → 30 (enter); H4 rural pc 1000/4 = 250:
    // 600 → 600 (unchanged); H6 urban pc 500: 200 → 300 (gain +100); H2, H5, H7 neither; H8 invalid.
    const post = await request(app).post('/api/policies/fx-dibao/simulations').set(key)
      .send({ baseline: 1, candidate: 2, population: { households: hand }, as_of: '2024-06-01' });
    expect(post.status).toBe(202);
    expect(post.headers.location).toBe(`/api/simulations/${post.body.id}`);
    expect(post.body).toMatchObject({ policy: 'fx-dibao', status: expect.stringMatching(/queued|running/), request: { as_of: '2024-06-01', baseline: { version: 1 }, candidate: { version: 2 }, population: { households: 8 } } });
    const r = await poll(post.body.id);
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('done');
    expect(r.body.progress.fraction).toBe(1);
    const res = r.body.result;
    // v1: H1, H4, H6 → 3 households, 3+4+2 = 9 persons, 900 + 600 + 200 = 1700.00
    expect(res.totals.baseline).toMatchObject({ recipient_households: 3, recipient_persons: 9, monthly_cost: '1700.00', yearly_cost: '20400.00' });
    // v2: + H3 → 4 households, 10 persons, 1050 + 30 + 600 + 300 = 1980.00
    expect(res.totals.candidate).toMatchObject({ recipient_households: 4, recipient_persons: 10, monthly_cost: '1980.00', yearly_cost: '23760.00', services_budget_2pct: '475.20' });
    expect(res.totals.change).toMatchObject({ monthly_cost: '280.00', yearly_cost: '3360.00' });
    expect(res.changes.entered.households).toBe(1);
    expect(res.changes.gained).toMatchObject({ households: 2, monthly_change: '250.00' });
    expect(res.changes.unchanged).toBe(1);
    expect(res.changes.neither).toBe(3);
    expect(res.population).toMatchObject({ households: 7, invalid: 1, errors: [{ id: 'H8', path: 'household.members[1].birth_date' }] });
    expect(res.baseline).toMatchObject({ policy: 'fx-dibao', version: 1, effective_from: '2022-01-01' });
  });

  it('defaults: candidate = the draft, baseline = the version in force; generated population', async () => {
    const post = await request(app).post('/api/policies/fx-dibao/simulations').set(key)
      .send({ population: { generate: { preset: 'zhongwei', households: 300, seed: 5 } } });
    expect(post.status).toBe(202);
    expect(post.body.request).toMatchObject({ as_of: '2024-06-01', baseline: { version: 2 }, candidate: { version: 'draft' } });
    const r = await poll(post.body.id);
    expect(r.body.status).toBe('done');
    expect(r.body.result.population.households).toBe(300);
    // the draft is v2's source: nothing changes
    expect(r.body.result.totals.change.monthly_cost).toBe('0.00');
    const list = await request(app).get('/api/simulations').set(key);
    expect(list.body.jobs.some((j: { id: string; result?: unknown }) => j.id === post.body.id && j.result === undefined)).toBe(true);
  });

  it('DELETE cancels a running job, then forgets it', async () => {
    const post = await request(app).post('/api/policies/fx-dibao/simulations').set(key)
      .send({ population: { generate: { preset: 'dawukou', households: 2_000_000, seed: 1 } } });
    expect(post.status).toBe(202);
    const del = await request(app).delete(`/api/simulations/${post.body.id}`).set(key);
    expect(del.status).toBe(200);
    expect(del.body.status).toBe('cancelled');
    const again = await request(app).get(`/api/simulations/${post.body.id}`).set(key);
    expect(again.body.status).toBe('cancelled');
    const gone = await request(app).delete(`/api/simulations/${post.body.id}`).set(key);
    expect(gone.body.deleted).toBe(true);
    expect((await request(app).get(`/api/simulations/${post.body.id}`).set(key)).status).toBe(404);
  });

  it('refuses bad requests with field paths; 404 for unknown policy, version or job; 403 for clients', async () => {
    const bad = await request(app).post('/api/policies/fx-dibao/simulations').set(key)
      .send({ candidate: 'latest', population: { generate: { preset: 'mars', households: 0 } }, as_of: '2024-02-30', colour: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(
      ['as_of', 'candidate', 'colour', 'population.generate.households', 'population.generate.preset']);
    const none = await request(app).post('/api/policies/fx-dibao/simulations').set(key).send({});
    expect(none.status).toBe(400);
    expect(none.body.error.details).toEqual([{ path: 'population', message: expect.any(String) }]);
    expect((await request(app).post('/api/policies/nope/simulations').set(key).send({ population: { households: hand } })).status).toBe(404);
    const v9 = await request(app).post('/api/policies/fx-dibao/simulations').set(key).send({ baseline: 9, population: { households: hand } });
    expect(v9.status).toBe(404);
    expect(v9.body.error.code).toBe('version.not_found');
    expect((await request(app).get('/api/simulations/nope').set(key)).status).toBe(404);
    expect((await request(app).post('/api/policies/fx-dibao/simulations').set(bearer('client-key')).send({ population: { households: hand } })).status).toBe(403);
    expect((await request(app).get('/api/simulations/x')).status).toBe(401);
    expect((await request(app).put('/api/simulations/x').set(key)).status).toBe(405);
  });
});

describe('through createApp', () => {
  it('the app serves the jobs; a generated population large enough for the worker threads', async () => {
    const post = await request(t.app).post('/api/policies/fx-dibao/simulations').set(key)
      .send({ baseline: 1, candidate: 2, population: { generate: { preset: 'zhongwei', households: 6000, seed: 11 } }, as_of: '2024-06-01' });
    expect(post.status).toBe(202);
    const r = await poll(post.body.id, t.app);
    expect(r.body.status).toBe('done');
    const res = r.body.result;
    expect(res.population.households).toBe(6000);
    if (defaultWorkerScript() && availableParallelism() > 1) expect(res.run.threads).toBeGreaterThan(1);
    // the same job on the bare app runs in this thread: identical aggregates
    const same = await request(app).post('/api/policies/fx-dibao/simulations').set(key)
      .send({ baseline: 1, candidate: 2, population: { generate: { preset: 'zhongwei', households: 6000, seed: 11 } }, as_of: '2024-06-01' });
    const s = (await poll(same.body.id)).body.result;
    expect(s.run.threads).toBe(1);
    expect({ ...res, run: null }).toEqual({ ...s, run: null });
    // fx-dibao v1 → v2 raises only the urban standard (600 → 650): nobody loses or leaves
    expect(res.changes.lost.households).toBe(0);
    expect(res.changes.left.households).toBe(0);
    expect(res.changes.gained.households).toBeGreaterThan(0);
  });

  it('unknown job through the app: the API\'s JSON 404', async () => {
    const r = await request(t.app).get('/api/simulations/none').set(key);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('simulation.not_found');
  });
});
