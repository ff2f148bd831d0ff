// Issue 21 B2–B5: checking and compiling requested over HTTP run in the worker pool, within a
// time and memory budget; past it the answer is 422 policy.too_complex naming the limit, and
// nothing is stored. The event loop stays free: /api/health answers while a job runs.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { doublingChain, largeSource, longChain } from '../../bench/hostile.js';
import { createApp } from '../../runtime/app.js';
import { contentHash } from '../../runtime/store/hash.js';
import { BudgetExceeded, LanguagePool } from '../../runtime/workers/pool.js';
import { modules } from '../runtime/helpers.js';
import { BUDGET, boundedApp, costly, dbFile, until, type BoundedApp } from './bounded-helpers.js';

let t: BoundedApp;
beforeAll(async () => { t = await boundedApp(); });

function expectTooComplex(r: request.Response, limit: string) {
  expect(r.status, r.text.slice(0, 300)).toBe(422);
  expect(r.body.error.code).toBe('policy.too_complex');
  expect(r.body.error.limit.name).toBe(limit);
  expect(r.body.error.message_zh).toMatch(/政策过于复杂/);
  expect(r.body.error.message_en).toMatch(/too complex/);
  expect(r.body.error.details[0].path).toBe('source');
}

describe('POST /api/check', () => {
  it('a source past the time budget: 422 policy.too_complex naming the time limit', async () => {
    const r = await request(t.app).post('/api/check').send({ source: costly('b3') });
    expectTooComplex(r, 'time_ms');
    expect(r.body.error.limit.value).toBe(BUDGET.timeMs);
    expect(r.body.error.message_en).toContain(`${BUDGET.timeMs} ms`);
  });

  it('a refused source is answered again without new work (the refusal is remembered)', async () => {
    const before = t.pool.load;
    const pending = request(t.app).post('/api/check').send({ source: costly('b3') });
    const r = await pending;
    expectTooComplex(r, 'time_ms');
    expect(t.pool.load).toEqual(before);
  });

  it('an ordinary source still gets its diagnostics', async () => {
    const r = await request(t.app).post('/api/check').send({ source: doublingChain(40, 'b2') });
    expect(r.status).toBe(200);
    expect(r.body.has_errors).toBe(false);
    expect(r.body.info.id).toBe('b2');
  });
});

describe('/api/health while a hostile job runs', () => {
  it('answers before the hostile check does (the job is off the event loop)', async () => {
    const server = await new Promise<http.Server>((ok) => { const s = t.app.listen(0, '127.0.0.1', () => ok(s)); });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const order: string[] = [];
      const check = fetch(`${base}/api/check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source: costly('health') }) })
        .then(async (r) => { order.push(`check ${r.status}`); return r.json(); });
      await until(() => t.pool.load.running === 1);
      const health = await fetch(`${base}/api/health`);
      order.push(`health ${health.status}`);
      expect(t.pool.load.running).toBe(1);   // the hostile job was still running when health answered
      await check;
      expect(order).toEqual(['health 200', 'check 422']);
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  });
});

describe('drafts', () => {
  it('saving a draft too complex to analyse is refused before anything is stored', async () => {
    const before = readFileSync(dbFile(t.dir));
    const r = await request(t.app).put('/api/policies/fx-dibao/draft').set('If-Match', '*').send({ source: costly('fx-dibao') });
    expectTooComplex(r, 'time_ms');
    expect(readFileSync(dbFile(t.dir)).equals(before)).toBe(true);
    expect((await request(t.app).get('/api/policies/fx-dibao/draft')).body.revision).toBe(1);
  });

  it('the doubling chain (B2) saves and its scenarios run within the budget (compiling it is linear now)', async () => {
    const saved = await request(t.app).put('/api/policies/fx-elderly/draft').set('If-Match', '*').send({ source: doublingChain(40, 'fx-elderly') });
    expect(saved.status).toBe(200);
    const test = await request(t.app).post('/api/policies/fx-elderly/draft/test').send({});
    expect(test.status, test.text.slice(0, 300)).toBe(200);
    expect(test.body.compiled).toBe(true);
  });

  it('a draft past the budget is refused by test and publish (422), and nothing is published', async () => {
    const versions = t.store.data.policies['fx-elderly']!.versions.length;
    const test = await request(t.app).post('/api/policies/fx-elderly/draft/test').send({ source: costly('fx-elderly') });
    expectTooComplex(test, 'time_ms');
    await t.store.mutate((data) => { data.policies['fx-elderly']!.draft.source = costly('fx-elderly'); });
    const pub = await request(t.app).post('/api/policies/fx-elderly/publish').send({ effective_from: '2030-01-01', note: 'x' });
    expectTooComplex(pub, 'time_ms');
    expect(t.store.data.policies['fx-elderly']!.versions.length).toBe(versions);
  });

  it('5,000 chained definitions (B5) run as scenarios: a depth diagnostic, not a 500', async () => {
    const r = await request(t.app).post('/api/policies/fx-dibao/draft/test').send({ source: longChain(5000, 'fx-dibao') });
    expect(r.status, r.text.slice(0, 300)).toBe(200);
    expect(r.body.compiled).toBe(false);
    expect(r.body.diagnostics.map((d: { code: string }) => d.code)).toContain('check.too-deep');
  });
});

describe('evaluation of a published version', () => {
  it('a version too costly to compile (stored before the budget existed) is 422, and health answers meanwhile', async () => {
    const b = await boundedApp();
    await b.store.mutate((data) => {
      const p = data.policies['fx-dibao']!;
      const last = p.versions[p.versions.length - 1]!;
      const source = costly('fx-dibao');
      p.versions.push({ ...last, version: last.version + 1, effective_from: '2030-01-01', source, hash: contentHash(source, last.scenarios) });
    });
    const evaluation = request(b.app).post('/api/policies/fx-dibao/evaluate').send({ household: { id: 'h', area: 'urban', members: [{ id: 'a', birth_date: '1980-01-01' }] }, as_of: '2030-06-01' });
    const done = evaluation.then((r) => r);
    await until(() => b.pool.load.running === 1);
    const health = await request(b.app).get('/api/health');
    expect(health.status).toBe(200);
    expectTooComplex(await done, 'time_ms');
    // the version in force before it still evaluates
    const older = await request(b.app).post('/api/policies/fx-dibao/evaluate').send({ household: { id: 'h', area: 'urban', members: [{ id: 'a', birth_date: '1980-01-01' }] }, as_of: '2024-06-01' });
    expect(older.status).toBe(200);
  });
});

describe('a full queue', () => {
  it('is 503 language.busy with Retry-After, not an unbounded wait', async () => {
    const pool = new LanguagePool(BUDGET, 1, 0);   // no room in the queue at all
    try {
      const app = createApp({ store: t.store, modules, pool, studioDir: null, log: () => undefined });
      const r = await request(app).post('/api/check').send({ source: doublingChain(2, 'busy') });
      expect(r.status).toBe(503);
      expect(r.body.error.code).toBe('language.busy');
      expect(r.headers['retry-after']).toBe('1');
      expect(r.body.error.message_en).toBe('Too many checks in progress; try again shortly');
    } finally { await pool.close(); }
  });
});

describe('the memory budget', () => {
  it('a job past the heap limit ends its worker, not the process, and the pool goes on', async () => {
    const pool = new LanguagePool({ timeMs: 60_000, memoryMb: 16 }, 1);
    try {
      // a 1 MB source: its tokens, syntax tree and checked program take far more than 16 MB
      const err = await pool.run({ kind: 'analyze', source: largeSource(1 << 20, 'mem'), modules }).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(BudgetExceeded);
      expect((err as BudgetExceeded).limit).toBe('memory');
      const ok = await pool.run({ kind: 'analyze', source: doublingChain(3, 'small'), modules });
      expect(ok.analysis.hasErrors).toBe(false);
    } finally { await pool.close(); }
  });
});

