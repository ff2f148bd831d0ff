// Issue 21: the hostile sources of the hardening bench (bench/hostile.ts) — the doubling chain,
// 4,000 overlapping rules, a 1 MB source, 5,000 chained definitions — sent to every endpoint
// that analyses or compiles a source answer a result or 422 policy.too_complex, never a 500,
// and the server answers other requests while they are worked on. (The time each takes is the
// bench's to measure: npm run bench:hardening.)
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE } from '../../bench/hostile.js';
import { boundedApp, household, until, type BoundedApp } from './bounded-helpers.js';

let t: BoundedApp;
beforeAll(async () => { t = await boundedApp(); });

const answered = (r: request.Response) => {
  expect([200, 422], `${r.status} ${r.text.slice(0, 200)}`).toContain(r.status);
  if (r.status === 422) expect(r.body.error.code).toBe('policy.too_complex');
};

describe.each(HOSTILE)('$name', ({ source }) => {
  it('POST /api/check: 200 or 422, while an evaluation and health answer', async () => {
    const pending = request(t.app).post('/api/check').send({ source: source('hx-check') }).then((r) => r);
    await until(() => t.pool.load.running === 1);
    const [health, evaluation] = await Promise.all([
      request(t.app).get('/api/health'),
      request(t.app).post('/api/policies/fx-dibao/evaluate').send({ household: household(), as_of: '2024-06-01', trace: false }),
    ]);
    expect(health.status).toBe(200);
    expect(evaluation.status).toBe(200);
    answered(await pending);
  });

  it('PUT …/draft and POST …/draft/test: 200 or 422', async () => {
    answered(await request(t.app).put('/api/policies/fx-elderly/draft').set('If-Match', '*').send({ source: source('fx-elderly') }));
    answered(await request(t.app).post('/api/policies/fx-elderly/draft/test').send({ source: source('fx-elderly') }));
  });
});
