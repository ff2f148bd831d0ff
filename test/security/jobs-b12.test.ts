// B12 (issue 21): simulation jobs. The queue was unbounded, and any tester could list, read and
// delete other people's jobs. Now a job belongs to the key that started it (admins see all;
// another key's job is 404, its existence not revealed), the queue is capped per key and in
// total (429 with Retry-After), and a draft candidate is compiled first in a worker thread
// with a budget.
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApiKeys } from '../../runtime/auth.js';
import { apiNotFound, errorHandler } from '../../runtime/errors.js';
import { simulationsRouter } from '../../runtime/routes/simulations.js';
import type { SimulationServiceOptions } from '../../runtime/services/simulations.js';
import { checkWorkerScript } from '../../runtime/services/draft-check.js';
import type { runSimulation } from '../../simulation/index.js';
import { ALL_KEYS, bearer, household, makeApp, type TestApp } from '../runtime/helpers.js';

/** A run that lasts until it is cancelled: jobs stay queued or running while the test looks. */
const hang: typeof runSimulation = (_req, opts = {}) => new Promise((_ok, fail) => {
  opts.signal?.addEventListener('abort', () => { const e = new Error('cancelled'); e.name = 'AbortError'; fail(e); }, { once: true });
});

let t: TestApp;
beforeAll(async () => { t = await makeApp({ keys: ALL_KEYS, today: '2024-06-01' }); });
afterAll(async () => { await t.cleanup(); });

function jobsApp(options: SimulationServiceOptions) {
  const app = express();
  app.use(simulationsRouter({ ...t.app.locals.ctx, keys: parseApiKeys(ALL_KEYS), options: { run: { threads: 1 }, ...options } }));
  app.use('/api', apiNotFound);
  app.use(errorHandler(() => undefined));
  return app;
}

const body = { baseline: 1, candidate: 2, population: { households: [household()] }, as_of: '2024-06-01' };
const start = (app: express.Express, key: string, b: object = body) => request(app).post('/api/policies/fx-dibao/simulations').set(bearer(key)).send(b);

describe('B12: a job belongs to the key that started it', () => {
  it('another key gets 404 for listing, reading and deleting it; admin sees it; a client may not simulate', async () => {
    const app = jobsApp({ runner: hang });
    const mine = await start(app, 'tester-key');
    expect(mine.status).toBe(202);
    const id = mine.body.id as string;
    expect(mine.body.created_by).toMatch(/^tester-/);
    expect(mine.body).not.toHaveProperty('owner');

    const own = await request(app).get('/api/simulations').set(bearer('tester-key'));
    expect(own.body.jobs.map((j: { id: string }) => j.id)).toEqual([id]);
    for (const other of ['editor-key', 'reviewer-key', 'editor2-key']) {
      expect((await request(app).get('/api/simulations').set(bearer(other))).body.jobs, other).toEqual([]);
      const read = await request(app).get(`/api/simulations/${id}`).set(bearer(other));
      expect(read.status, other).toBe(404);
      expect(read.body.error.code).toBe('simulation.not_found');
      // the same answer as for a job that never existed
      const none = await request(app).get('/api/simulations/00000000-0000-0000-0000-000000000000').set(bearer(other));
      expect(none.body.error.message).toBe(read.body.error.message.replaceAll(id, '00000000-0000-0000-0000-000000000000'));
      expect((await request(app).delete(`/api/simulations/${id}`).set(bearer(other))).status, other).toBe(404);
    }
    expect((await request(app).get(`/api/simulations/${id}`).set(bearer('tester-key'))).body.status).toMatch(/queued|running/);

    const admin = await request(app).get('/api/simulations').set(bearer('admin-key'));
    expect(admin.body.jobs.map((j: { id: string }) => j.id)).toContain(id);
    expect((await request(app).get(`/api/simulations/${id}`).set(bearer('admin-key'))).status).toBe(200);

    expect((await start(app, 'client-key')).status).toBe(403);
    expect((await request(app).get('/api/simulations').set(bearer('client-key'))).status).toBe(403);

    const cancelled = await request(app).delete(`/api/simulations/${id}`).set(bearer('admin-key'));
    expect(cancelled.body.status).toBe('cancelled');
  });
});

describe('B12: the queue is capped per key and in total', () => {
  it('a third active job of one key, or one past the total, is 429 with Retry-After; cancelling frees a place', async () => {
    const app = jobsApp({ runner: hang, maxActivePerCaller: 2, maxActiveTotal: 3 });
    const a = await start(app, 'tester-key');
    const b = await start(app, 'tester-key');
    expect([a.status, b.status]).toEqual([202, 202]);
    const third = await start(app, 'tester-key');
    expect(third.status).toBe(429);
    expect(third.headers['retry-after']).toBe('30');
    expect(third.body.error).toMatchObject({ code: 'simulation.queue_full', scope: 'caller', limit: 2 });
    expect(third.body.error.message).toMatch(/已有 2 个.* \/ You already have 2 queued or running/);

    expect((await start(app, 'reviewer-key')).status).toBe(202);
    const full = await start(app, 'editor-key');
    expect(full.status).toBe(429);
    expect(full.body.error).toMatchObject({ code: 'simulation.queue_full', scope: 'total', limit: 3 });
    expect(full.headers['retry-after']).toBe('30');

    expect((await request(app).delete(`/api/simulations/${a.body.id}`).set(bearer('tester-key'))).body.status).toBe('cancelled');
    expect((await start(app, 'editor-key')).status).toBe(202);
    expect((await start(app, 'tester-key')).status).toBe(429);   // total again: b, reviewer's, editor's
  });
});

describe('B12: a draft candidate is compiled in a worker with a budget', () => {
  it('the worker script exists (the build made it), so the check leaves this thread', () => {
    expect(checkWorkerScript()).toMatch(/dist\/runtime\/services\/draft-check-worker\.js$/);
  });

  it('past the budget the job is refused with 422 policy.too_complex, naming the limit', async () => {
    const app = jobsApp({ runner: hang, draftCheck: { ms: 1, mb: 256 } });
    // A valid draft with 400 more definitions: compiling it takes far more than 1 ms.
    const d = await request(t.app).get('/api/policies/fx-dibao/draft').set(bearer('editor-key'));
    const more = Array.from({ length: 400 }, (_, i) => `定义 额外${i} = ${i} 元/月 + 低保标准`).join('\n');
    expect((await request(t.app).put('/api/policies/fx-dibao/draft').set(bearer('editor-key')).set('If-Match', d.headers.etag!).send({ source: `${d.body.source}\n${more}\n` })).status).toBe(200);
    const r = await start(app, 'tester-key', { ...body, candidate: 'draft' });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('policy.too_complex');
    expect(r.body.error.details).toEqual([{ path: 'candidate', message: '1 ms' }]);
    expect((await request(app).get('/api/simulations').set(bearer('tester-key'))).body.jobs).toEqual([]);
  });

  it('a draft that does not compile is refused (422) with its diagnostics; a good draft is queued', async () => {
    const app = jobsApp({ runner: hang });
    const ok = await start(app, 'reviewer2-key', { ...body, candidate: 'draft' });
    expect(ok.status).toBe(202);
    expect(ok.body.request.candidate).toMatchObject({ version: 'draft' });
    const d = await request(t.app).get('/api/policies/fx-elderly/draft').set(bearer('editor-key'));
    const broken = '政策 fx-elderly「x」\n  使用「common/household」\n输出 monthly_amount = 没有这个名字\n';
    expect((await request(t.app).put('/api/policies/fx-elderly/draft').set(bearer('editor-key')).set('If-Match', d.headers.etag!).send({ source: broken })).status).toBe(200);
    const bad = await request(app).post('/api/policies/fx-elderly/simulations').set(bearer('reviewer2-key')).send({ ...body, baseline: 1, candidate: 'draft' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('simulation.not_compilable');
    expect(bad.body.error.details[0].path).toMatch(/^candidate:fx-elderly\/draft\/policy\.policy:3:/);
  });
});
