// Throws thousands of malformed requests (random JSON, broken bodies, odd content types, random
// paths, keys and headers) at the real HTTP server: the status is never 500, every error body
// has error.code, and the store file is byte-for-byte unchanged.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../runtime/store/lowdb-store.js';
import { household, makeApp, NO_REVIEW_KEYS, type TestApp } from './helpers.js';

let t: TestApp;
let server: http.Server;
let port: number;
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

beforeAll(async () => {
  t = await makeApp({ keys: NO_REVIEW_KEYS, today: '2024-06-01' });
  server = await new Promise<http.Server>((ok) => { const s = t.app.listen(0, '127.0.0.1', () => ok(s)); });
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  agent.destroy();
  await new Promise((ok) => server.close(ok));
  await t.cleanup();
});

interface Req { method: string; path: string; headers: Record<string, string>; body?: string }
interface Res { status: number; contentType: string; text: string }

function send(r: Req): Promise<Res> {
  if (r.body !== undefined) r.headers['Content-Length'] = String(Buffer.byteLength(r.body));
  return new Promise((ok, fail) => {
    const req = http.request({ host: '127.0.0.1', port, method: r.method, path: r.path, headers: r.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode!, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', fail);
    });
    req.on('error', fail);
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}

const IDS = ['fx-dibao', 'fx-elderly', 'nope', 'FX', '..', '%2e%2e', '%E0%A4%A', '%00', 'a%2Fb', '-', '1', 'x'.repeat(300)];
const TAILS = ['', '/evaluate', '/evaluate/batch', '/draft', '/draft/check', '/draft/test', '/publish', '/versions', '/versions/1',
  '/versions/0', '/versions/-1', '/versions/9999999999', '/versions/abc', '/diff', '/diff?from=abc&to=%', '/diff?from=1&from=2',
  '/publish-requests', '/publish-requests/pr-1/approve', '/publish-requests/../approve', '/retire', '/simulations', '/unknown'];
const OTHER = ['/api/policies', '/api/health', '/api/check', '/api/audit?limit=0', '/api/audit?after=x&policy[]=1', '/api/modules',
  '/api/modules/common/household', '/api/modules/../../package.json', '/api/schema/household', '/api/openapi.json', '/api/docs', '/api',
  '/api/', '/api//policies', '/', '/index.html', '/%', '/api/%', '/api/policies/?x=%zz', '/api/simulations', '/api/simulations/job-1', '/api/simulations/%zz'];

const segment = fc.oneof(fc.constantFrom(...IDS), fc.string({ maxLength: 12 }).map(encodeURIComponent));
const path = fc.oneof(
  fc.tuple(segment, fc.constantFrom(...TAILS)).map(([id, tail]) => `/api/policies/${id}${tail}`),
  fc.constantFrom(...OTHER),
  fc.array(segment, { maxLength: 5 }).map((s) => `/api/${s.join('/')}`),
);

const validEval = () => ({ household: household(), as_of: '2024-06-01' });

/** Replaces one place in a valid body with a random JSON value (or deletes it). */
const mutatedEval = fc.tuple(
  fc.constantFrom('household', 'as_of', 'version', 'household.id', 'household.area', 'household.members', 'household.members.0',
    'household.members.0.birth_date', 'household.members.0.income_monthly', 'household.members.0.disability_level', 'household.dibao',
    'household.dibao.income_exceeded_since', 'household.applies_single_person', 'household.rigid_expenditure_monthly', 'household.__proto__',
    'households', 'extra'),
  fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(undefined), fc.constantFrom(-1, 1e308, -0.001, '2023-02-30', '9999-99-99', '', 'NaN', '1e3', '0.001', [], {}, null)),
).map(([where, value]) => {
  const body: any = validEval();
  const keys = where.split('.');
  let o = body;
  for (const k of keys.slice(0, -1)) o = o[k] ?? (o[k] = {});
  if (value === undefined) delete o[keys[keys.length - 1]!];
  else o[keys[keys.length - 1]!] = value;
  return JSON.stringify(body);
});

const body = fc.oneof(
  fc.json({ maxDepth: 4 }),                                   // valid JSON, any shape
  fc.string({ maxLength: 200 }),                              // mostly not JSON
  mutatedEval,
  mutatedEval.map((s) => s.slice(0, Math.max(1, Math.floor(s.length / 2)))), // truncated
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ households: [v, household()], as_of: '2024-06-01' })),
  fc.constantFrom('', '{', '}', '[', 'null', 'true', '0', '"x"', '{"household":', '\u0000', '{"a":1}{"b":2}', '[' .repeat(5000) + ']'.repeat(5000),
    `{"households": ${JSON.stringify(Array.from({ length: 3 }, () => '[]'))}}`, '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}',
    JSON.stringify({ id: 'Bad Id' }), JSON.stringify({ id: 'fx-dibao' }), JSON.stringify({ id: 7 })),
);

const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded',
  'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/vnd.api+json', 'multipart/form-data; boundary=x', '', 'json');
const key = fc.constantFrom('admin-key', 'editor-key', 'tester-key', 'client-key', '', 'wrong', 'admin-key extra');
const ifMatch = fc.oneof(fc.constant(undefined), fc.string({ maxLength: 10 }).map((s) => `x${s}`.replace(/[^\x20-\x7e]/g, '')), fc.constantFrom('"999"', 'W/"abc"', '""'));

const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
  path,
  body: fc.option(body, { nil: undefined }),
  contentType,
  key,
  ifMatch,
  encoding: fc.constantFrom(undefined, undefined, undefined, 'gzip', 'identity', 'br', 'bogus'),
});

/** Requests that could legitimately change data are not "malformed": keep them out. */
function legitimateWrite(r: { method: string; path: string; body?: string; key: string }): boolean {
  if (r.method === 'POST' && /\/retire$/.test(r.path) && r.key === 'admin-key') return true;
  if (r.method === 'POST' && /^\/api\/policies\/?$/.test(r.path) && r.body) {
    try {
      const b = JSON.parse(r.body);
      if (b && typeof b.id === 'string' && /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/.test(b.id) && !['fx-dibao', 'fx-elderly'].includes(b.id)) return true;
    } catch { /* malformed */ }
  }
  return false;
}

describe('malformed-input fuzz', () => {
  it('2,500 random malformed requests: never 500, always error.code, store unchanged', async () => {
    const file = join(t.dir, DB_FILE);
    const before = readFileSync(file);
    const statuses = new Map<number, number>();
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        if (legitimateWrite(r)) return;
        const headers: Record<string, string> = {};
        if (r.contentType) headers['Content-Type'] = r.contentType;
        if (r.key) headers.Authorization = `Bearer ${r.key}`;
        if (r.ifMatch !== undefined) headers['If-Match'] = r.ifMatch;
        if (r.encoding) headers['Content-Encoding'] = r.encoding;
        const res = await send({ method: r.method, path: r.path, headers, body: r.body });
        sent++;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status, `${r.method} ${r.path} ${r.body?.slice(0, 200)}`).toBeLessThan(500);
        if (res.status >= 400 && r.method !== 'HEAD') {
          expect(res.contentType).toMatch(/application\/json/);
          const parsed = JSON.parse(res.text);
          expect(typeof parsed.error.code).toBe('string');
          expect(Array.isArray(parsed.error.details)).toBe(true);
          expect(res.text).not.toMatch(/\n\s+at /);
        }
      }),
      { numRuns: 2500, seed: Number(process.env.FUZZ_SEED ?? 20241125) },
    );
    expect(sent).toBeGreaterThanOrEqual(2000);
    expect(readFileSync(file).equals(before)).toBe(true);
    // The spread of answers shows the fuzz reached past auth and parsing.
    for (const s of [200, 400, 401, 403, 404]) expect(statuses.get(s) ?? 0, `status ${s}: ${JSON.stringify([...statuses])}`).toBeGreaterThan(0);
  }, 120_000);

  it('a burst of nasty bodies on evaluate: never 500', async () => {
    const nasty = [
      { household: { ...household(), members: Array.from({ length: 51 }, (_, i) => ({ id: `m${i}`, birth_date: '1990-01-01' })) } },
      { household: { ...household(), members: [{ id: 'a', birth_date: '1990-01-01' }, { id: 'a', birth_date: '1990-01-01' }] } },
      { household: { ...household(), members: [{ id: 'a', birth_date: '2030-01-01' }] } },
      { household: { ...household(), members: [{ id: 'a', birth_date: '0000-01-01', income_monthly: '99999999999999999999.99' }] } },
      { household: { ...household(), members: [{ id: 'a', birth_date: '1990-01-01', income_monthly: 1e308 }] } },
      { household: { ...household(), dibao: { enrolled: true, income_exceeded_since: '2024-02-30' } } },
      { household: { ...household(), applies_single_person: ['nobody', 3] } },
      { household: household(), as_of: '0001-01-01' },
      { household: household(), as_of: '9999-12-31' },
      { household: household(), version: 1e20 },
    ];
    for (const b of nasty) {
      const res = await send({ method: 'POST', path: '/api/policies/fx-dibao/evaluate', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer client-key' }, body: JSON.stringify(b) });
      expect(res.status, JSON.stringify(b).slice(0, 200) + res.text.slice(0, 300)).toBeLessThan(500);
      if (res.status >= 400) expect(JSON.parse(res.text).error.code).toEqual(expect.any(String));
    }
  });

  it('deeply nested JSON (100,000 levels) anywhere in a body: never 500', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const hh = JSON.stringify(household());
    const bodies = [
      `{"household": ${hh.slice(0, -1)}, "extra": ${deep}}, "as_of": "2024-06-01"}`,
      `{"household": {"id": ${deep}, "area": "urban", "members": [{"id": "a", "birth_date": "1990-01-01"}]}}`,
      `{"household": {"id": "x", "area": "urban", "members": [{"id": "a", "birth_date": "1990-01-01", "zz": ${deep}}]}}`,
      `{"household": {"id": "x", "area": "urban", "members": ${deep}}}`,
      `{"households": [${deep}]}`,
      `{"id": ${deep}, "source": ${deep}}`,
      deep,
    ];
    for (const b of bodies) {
      for (const p of ['/api/policies/fx-dibao/evaluate', '/api/policies/fx-dibao/evaluate/batch', '/api/policies', '/api/check', '/api/policies/fx-dibao/publish']) {
        const res = await send({ method: 'POST', path: p, headers: { 'Content-Type': 'application/json', Authorization: 'Bearer editor-key' }, body: b });
        expect(res.status, `${p} ${res.text.slice(0, 200)}`).toBeLessThan(500);
        if (res.status >= 400) expect(JSON.parse(res.text).error.code).toEqual(expect.any(String));
      }
    }
  });
});
