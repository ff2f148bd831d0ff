// Role × action → allowed / denied, for every endpoint. Allowed means the request got past
// authentication and authorisation (any status but 401/403); denied means 403 (401 without a key).
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_KEYS, bearer, household, makeApp, type TestApp } from './helpers.js';

type Role = 'admin' | 'editor' | 'reviewer' | 'tester' | 'client';
const ROLES: Role[] = ['admin', 'editor', 'reviewer', 'tester', 'client'];
const KEY: Record<Role, string> = { admin: 'admin-key', editor: 'editor-key', reviewer: 'reviewer-key', tester: 'tester-key', client: 'client-key' };

interface Row { name: string; method: 'get' | 'post' | 'put' | 'delete'; path: string; body?: object; headers?: Record<string, string>; roles: Role[] | 'public' }

const READERS: Role[] = ['admin', 'editor', 'reviewer', 'tester'];
const EVERYONE: Role[] = ['admin', 'editor', 'reviewer', 'tester', 'client'];

const TABLE: Row[] = [
  { name: 'health', method: 'get', path: '/api/health', roles: 'public' },
  { name: 'openapi', method: 'get', path: '/api/openapi.json', roles: 'public' },
  { name: 'docs', method: 'get', path: '/api/docs', roles: 'public' },
  { name: 'who am I', method: 'get', path: '/api/me', roles: EVERYONE },
  { name: 'list policies', method: 'get', path: '/api/policies', roles: EVERYONE },
  { name: 'create policy', method: 'post', path: '/api/policies', body: { id: 'role-test' }, roles: ['admin', 'editor'] },
  { name: 'read policy', method: 'get', path: '/api/policies/fx-dibao', roles: EVERYONE },
  { name: 'read draft', method: 'get', path: '/api/policies/fx-dibao/draft', roles: READERS },
  { name: 'save draft', method: 'put', path: '/api/policies/fx-dibao/draft', body: { scenarios: '' }, headers: { 'If-Match': '"1"' }, roles: ['admin', 'editor'] },
  { name: 'check draft', method: 'post', path: '/api/policies/fx-dibao/draft/check', body: {}, roles: READERS },
  { name: 'run scenarios', method: 'post', path: '/api/policies/fx-dibao/draft/test', body: {}, roles: READERS },
  { name: 'list versions', method: 'get', path: '/api/policies/fx-dibao/versions', roles: EVERYONE },
  { name: 'read version', method: 'get', path: '/api/policies/fx-dibao/versions/1', roles: EVERYONE },
  { name: 'diff', method: 'get', path: '/api/policies/fx-dibao/diff?from=1&to=2', roles: READERS },
  { name: 'publish', method: 'post', path: '/api/policies/fx-dibao/publish', body: { note: 'x' }, roles: ['admin', 'editor'] },
  { name: 'list publish requests', method: 'get', path: '/api/policies/fx-dibao/publish-requests', roles: READERS },
  { name: 'read a publish request', method: 'get', path: '/api/policies/fx-dibao/publish-requests/pr-1', roles: READERS },
  { name: 'approve', method: 'post', path: '/api/policies/fx-dibao/publish-requests/pr-1/approve', body: {}, roles: ['admin', 'reviewer'] },
  { name: 'reject', method: 'post', path: '/api/policies/fx-dibao/publish-requests/pr-1/reject', body: {}, roles: ['admin', 'reviewer'] },
  { name: 'retire', method: 'post', path: '/api/policies/fx-elderly/retire', body: {}, roles: ['admin'] },
  { name: 'evaluate', method: 'post', path: '/api/policies/fx-dibao/evaluate', body: { household: household(), as_of: '2024-01-01' }, roles: EVERYONE },
  { name: 'evaluate batch', method: 'post', path: '/api/policies/fx-dibao/evaluate/batch', body: { households: [household()], as_of: '2024-01-01' }, roles: EVERYONE },
  { name: 'list modules', method: 'get', path: '/api/modules', roles: EVERYONE },
  { name: 'read module', method: 'get', path: '/api/modules/common/household', roles: EVERYONE },
  { name: 'household schema', method: 'get', path: '/api/schema/household', roles: EVERYONE },
  { name: 'check any source', method: 'post', path: '/api/check', body: { source: '政策 x「x」\n' }, roles: READERS },
  { name: 'audit log', method: 'get', path: '/api/audit', roles: ['admin'] },
  { name: 'start a simulation', method: 'post', path: '/api/policies/fx-dibao/simulations', body: { baseline: 1, candidate: 2, population: { households: [household()] }, as_of: '2024-01-01' }, roles: READERS },
  { name: 'list simulations (own; admin all)', method: 'get', path: '/api/simulations', roles: READERS },
  { name: 'read a simulation (own; admin all)', method: 'get', path: '/api/simulations/none', roles: READERS },
  { name: 'cancel a simulation (own; admin all)', method: 'delete', path: '/api/simulations/none', roles: READERS },
  { name: 'evaluate without recording', method: 'post', path: '/api/policies/fx-dibao/evaluate', body: { household: household(), as_of: '2024-01-01', record: false }, roles: ['admin', 'tester'] },
  { name: 'list decisions (own; admin and reviewer all)', method: 'get', path: '/api/decisions', roles: EVERYONE },
  { name: 'read a decision (own; admin and reviewer all)', method: 'get', path: '/api/decisions/0190a000-0000-7000-8000-000000000000', roles: EVERYONE },
  // a weak password: the admin gets past the role check (400) without an account being made
  { name: 'add an account', method: 'post', path: '/api/users', body: { name: 'role-test', role: 'tester', password: 'short' }, roles: ['admin'] },
  { name: 'list accounts', method: 'get', path: '/api/users', roles: ['admin'] },
  { name: 'change an account', method: 'put', path: '/api/users/nobody', body: { role: 'tester', password: 'short' }, roles: ['admin'] },
  { name: 'replay a decision (own; admin and reviewer all)', method: 'post', path: '/api/decisions/0190a000-0000-7000-8000-000000000000/replay', roles: EVERYONE },
];

function send(app: TestApp['app'], row: Row, key?: string) {
  let r = request(app)[row.method](row.path);
  if (key) r = r.set(bearer(key));
  for (const [k, v] of Object.entries(row.headers ?? {})) r = r.set(k, v);
  return row.body ? r.send(row.body) : r;
}

const apps = new Map<Role, TestApp>();
beforeAll(async () => { for (const role of ROLES) apps.set(role, await makeApp({ keys: ALL_KEYS })); });
afterAll(async () => { for (const a of apps.values()) await a.cleanup(); });

describe('role × action', () => {
  for (const row of TABLE) {
    for (const role of ROLES) {
      const allowed = row.roles === 'public' || row.roles.includes(role);
      it(`${role} ${allowed ? 'may' : 'may not'} ${row.name}`, async () => {
        const r = await send(apps.get(role)!.app, row, KEY[role]);
        if (allowed) {
          expect([401, 403], `${r.status} ${JSON.stringify(r.body).slice(0, 200)}`).not.toContain(r.status);
          expect(r.status).toBeLessThan(500);
        } else {
          expect(r.status).toBe(403);
          expect(r.body.error).toMatchObject({ code: 'auth.forbidden', role });
        }
      });
    }
    it(`without a key: ${row.roles === 'public' ? 'allowed' : '401'} for ${row.name}`, async () => {
      const r = await send(apps.get('admin')!.app, row);
      if (row.roles === 'public') expect(r.status).toBe(200);
      else {
        expect(r.status).toBe(401);
        expect(r.body.error.code).toBe('auth.missing_key');
        expect(r.headers['www-authenticate']).toBe('Bearer');
      }
    });
  }

  it('an unknown key or a malformed Authorization header → 401', async () => {
    const app = apps.get('admin')!.app;
    const unknown = await request(app).get('/api/policies').set(bearer('not-a-key'));
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('auth.invalid_key');
    const basic = await request(app).get('/api/policies').set('Authorization', 'Basic YWRtaW4=');
    expect(basic.status).toBe(401);
  });

  it('a client reads published policies and versions, never drafts, diffs or publish requests, and evaluates published versions', async () => {
    const app = apps.get('client')!.app;
    for (const path of ['/api/policies/fx-dibao/draft', '/api/policies/fx-dibao/diff', '/api/policies/fx-dibao/publish-requests', '/api/simulations']) {
      expect((await request(app).get(path).set(bearer('client-key'))).status, path).toBe(403);
    }
    for (const path of ['/api/policies', '/api/policies/fx-dibao', '/api/policies/fx-dibao/versions', '/api/policies/fx-dibao/versions/1']) {
      expect((await request(app).get(path).set(bearer('client-key'))).status, path).toBe(200);
    }
    const r = await request(app).post('/api/policies/fx-dibao/evaluate').set(bearer('client-key')).send({ household: household(), as_of: '2024-01-01' });
    expect(r.status).toBe(200);
  });
});

describe('local open mode (no API_KEYS)', () => {
  it('everyone is admin, no key needed', async () => {
    const t = await makeApp({ keys: '' });
    try {
      expect((await request(t.app).get('/api/audit')).status).toBe(200);
      expect((await request(t.app).get('/api/health')).body.auth).toBe('open');
      const created = await request(t.app).post('/api/policies').send({ id: 'open-mode' });
      expect(created.status).toBe(201);
      const audit = await request(t.app).get('/api/audit?policy=open-mode');
      expect(audit.body.entries[0]).toMatchObject({ who: 'local', role: 'admin' });
    } finally { await t.cleanup(); }
  });
});
