// People: password sign-in, the session cookie, CSRF, failure limits, accounts an admin manages,
// the audit log naming people, and review turned on by a reviewer account.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type StudioApp } from '../../runtime/app.js';
import { openStore } from '../../runtime/server.js';
import { openSqlStore } from '../../runtime/sql/open.js';
import type { SqlStore } from '../../runtime/sql/types.js';
import { SESSION_COOKIE } from '../../runtime/auth.js';
import { FIXTURE_POLICIES, modules, tempDir } from './helpers.js';

const CSRF = { 'X-Studio-Request': '1' };
let sql: SqlStore;
let app: StudioApp;
let close: () => Promise<void>;

async function freshApp(keys = ''): Promise<{ app: StudioApp; close(): Promise<void> }> {
  const dir = tempDir();
  const { store } = await openStore(dir, FIXTURE_POLICIES, modules);
  const a = createApp({ store, sql, keys, modules, log: () => undefined, studioDir: null });
  return { app: a, close: () => store.close() };
}

/** Signs in; answers the Cookie header value to send on later requests. */
async function signIn(a: StudioApp, name: string, password: string): Promise<string> {
  const r = await request(a).post('/api/session').set(CSRF).send({ name, password });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  const set = String(r.headers['set-cookie']);
  return set.split(';')[0]!;
}

beforeAll(async () => {
  sql = await openSqlStore({});
  ({ app, close } = await freshApp());
  await app.locals.ctx.users.bootstrap('root', 'root-password-1');
}, 30_000);
afterAll(async () => { await close(); await sql.close(); });

describe('signing in', () => {
  it('sets an httpOnly SameSite=Strict cookie and /api/me names the person', async () => {
    const r = await request(app).post('/api/session').set(CSRF).send({ name: 'Root', password: 'root-password-1' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: 'root', role: 'admin' });
    const set = String(r.headers['set-cookie']);
    expect(set).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200$`));
    const me = await request(app).get('/api/me').set('Cookie', set.split(';')[0]!);
    expect(me.body).toEqual({ name: 'root', role: 'admin', open: false, user: true });
  });

  it('with accounts the server is no longer open: no cookie and no key → 401', async () => {
    const r = await request(app).get('/api/policies');
    expect(r.status).toBe(401);
    const bogus = await request(app).get('/api/policies').set('Cookie', `${SESSION_COOKIE}=made-up`);
    expect(bogus.status).toBe(401);
    expect(bogus.body.error.code).toBe('auth.session_expired');
  });

  it('a wrong password and an unknown name get the same 401', async () => {
    const wrong = await request(app).post('/api/session').set(CSRF).send({ name: 'root', password: 'not-the-password' });
    const unknown = await request(app).post('/api/session').set(CSRF).send({ name: 'nobody', password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.code).toBe('auth.bad_credentials');
    expect(unknown.body.error).toEqual(wrong.body.error);
  });

  it('stores scrypt hashes with a salt per user, never the password', async () => {
    const { rows } = await sql.query<{ password_hash: string }>('SELECT password_hash FROM users');
    for (const r of rows) {
      expect(r.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
      expect(r.password_hash).not.toContain('root-password-1');
    }
    const { rows: tokens } = await sql.query<{ token_hash: string }>('SELECT token_hash FROM sessions');
    for (const t of tokens) expect(t.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('signing out ends the session', async () => {
    const c = await signIn(app, 'root', 'root-password-1');
    expect((await request(app).get('/api/me').set('Cookie', c)).status).toBe(200);
    const out = await request(app).delete('/api/session').set(CSRF).set('Cookie', c);
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await request(app).get('/api/me').set('Cookie', c)).status).toBe(401);
  });
});

describe('CSRF: a cookie request that changes anything needs X-Studio-Request and the same origin', () => {
  it('refuses a state-changing request without the header or from another origin', async () => {
    const c = await signIn(app, 'root', 'root-password-1');
    const noHeader = await request(app).post('/api/policies').set('Cookie', c).send({ id: 'csrf-a' });
    expect(noHeader.status).toBe(403);
    expect(noHeader.body.error.code).toBe('auth.csrf');
    const foreign = await request(app).post('/api/policies').set('Cookie', c).set(CSRF).set('Origin', 'https://evil.example').send({ id: 'csrf-b' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.details[0].path).toBe('Origin');
    const ok = await request(app).post('/api/policies').set('Cookie', c).set(CSRF).send({ id: 'csrf-c' });
    expect(ok.status).toBe(201);
    // reading needs no header
    expect((await request(app).get('/api/policies/csrf-c').set('Cookie', c)).status).toBe(200);
    // signing in needs it too (a cross-site form cannot sign a browser into another account)
    expect((await request(app).post('/api/session').send({ name: 'root', password: 'root-password-1' })).status).toBe(403);
  });
});

describe('accounts an admin manages', () => {
  it('adds an editor and a reviewer; the audit log names the person; publishing now needs review', async () => {
    const admin = await signIn(app, 'root', 'root-password-1');
    for (const [name, role] of [['eve', 'editor'], ['rita', 'reviewer']]) {
      const r = await request(app).post('/api/users').set('Cookie', admin).set(CSRF).send({ name, role, password: `${name}-password-1` });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body).toMatchObject({ name, role, disabled: false, created_by: 'root' });
      expect(r.body.password_hash).toBeUndefined();
    }
    const dup = await request(app).post('/api/users').set('Cookie', admin).set(CSRF).send({ name: 'eve', role: 'tester', password: 'another-password' });
    expect(dup.status).toBe(409);
    const weak = await request(app).post('/api/users').set('Cookie', admin).set(CSRF).send({ name: 'tom', role: 'tester', password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe('user.weak_password');
    const list = await request(app).get('/api/users').set('Cookie', admin);
    expect(list.body.users.map((u: { name: string; role: string }) => `${u.name}:${u.role}`)).toEqual(['eve:editor', 'rita:reviewer', 'root:admin']);

    const eve = await signIn(app, 'eve', 'eve-password-1');
    expect((await request(app).get('/api/users').set('Cookie', eve)).status).toBe(403);
    const draft = await request(app).get('/api/policies/fx-dibao/draft').set('Cookie', eve);
    const saved = await request(app).put('/api/policies/fx-dibao/draft').set('Cookie', eve).set(CSRF).set('If-Match', draft.headers.etag)
      .send({ source: draft.body.source, scenarios: `${draft.body.scenarios}\n` });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const audit = await request(app).get('/api/audit?action=draft.update').set('Cookie', admin);
    expect(audit.body.entries.at(-1)).toMatchObject({ who: 'eve', role: 'editor' });
    // a reviewer account exists: an editor's publish becomes a request
    const pub = await request(app).post('/api/policies/fx-dibao/publish').set('Cookie', eve).set(CSRF).send({ effective_from: '2031-01-01', note: 'x' });
    expect(pub.status, JSON.stringify(pub.body)).toBe(202);
  });

  it('disabling an account ends its sessions; a new password ends them too; an admin cannot disable themself', async () => {
    const admin = await signIn(app, 'root', 'root-password-1');
    const rita = await signIn(app, 'rita', 'rita-password-1');
    const off = await request(app).put('/api/users/rita').set('Cookie', admin).set(CSRF).send({ disabled: true });
    expect(off.status).toBe(200);
    expect(off.body.disabled).toBe(true);
    expect((await request(app).get('/api/me').set('Cookie', rita)).status).toBe(401);
    const again = await request(app).post('/api/session').set(CSRF).send({ name: 'rita', password: 'rita-password-1' });
    expect(again.status).toBe(401);
    await request(app).put('/api/users/rita').set('Cookie', admin).set(CSRF).send({ disabled: false });

    const eve = await signIn(app, 'eve', 'eve-password-1');
    expect((await request(app).put('/api/users/eve').set('Cookie', admin).set(CSRF).send({ password: 'eve-password-2' })).status).toBe(200);
    expect((await request(app).get('/api/me').set('Cookie', eve)).status).toBe(401);
    await signIn(app, 'eve', 'eve-password-2');

    const self = await request(app).put('/api/users/root').set('Cookie', admin).set(CSRF).send({ disabled: true });
    expect(self.status).toBe(409);
    expect(self.body.error.code).toBe('user.self_disable');
    const missing = await request(app).put('/api/users/ghost').set('Cookie', admin).set(CSRF).send({ role: 'tester' });
    expect(missing.status).toBe(404);
    // nothing half-applied: a weak password with a role change changes neither
    const half = await request(app).put('/api/users/eve').set('Cookie', admin).set(CSRF).send({ role: 'tester', password: 'short' });
    expect(half.status).toBe(400);
    const eveNow = (await request(app).get('/api/users').set('Cookie', admin)).body.users.find((u: { name: string }) => u.name === 'eve');
    expect(eveNow.role).toBe('editor');
  });

  it('API keys still work beside accounts, for systems', async () => {
    const t = await freshApp('sys=system-key:client');
    try {
      expect((await request(t.app).get('/api/me').set('Authorization', 'Bearer system-key')).body).toEqual({ name: 'sys', role: 'client', open: false });
      const c = await signIn(t.app, 'root', 'root-password-1');
      expect((await request(t.app).get('/api/me').set('Cookie', c)).body.name).toBe('root');
    } finally { await t.close(); }
  });
});

describe('failed sign-ins are limited', () => {
  it('per account: after 5 failures even the right password waits (429 with Retry-After)', async () => {
    const t = await freshApp();
    try {
      for (let i = 0; i < 5; i++) expect((await request(t.app).post('/api/session').set(CSRF).send({ name: 'eve', password: `wrong-${i}-xxxxx` })).status).toBe(401);
      const r = await request(t.app).post('/api/session').set(CSRF).send({ name: 'eve', password: 'eve-password-2' });
      expect(r.status).toBe(429);
      expect(r.body.error.code).toBe('auth.too_many_attempts');
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(800);   // 15 min window, seconds
      expect(Number(r.headers['retry-after'])).toBeLessThanOrEqual(900);
      // another account from the same address is not locked by it
      expect((await request(t.app).post('/api/session').set(CSRF).send({ name: 'root', password: 'root-password-1' })).status).toBe(200);
    } finally { await t.close(); }
  }, 30_000);

  it('per IP address: 20 failures over many names lock the address out', async () => {
    const t = await freshApp();
    try {
      for (let i = 0; i < 20; i++) expect((await request(t.app).post('/api/session').set(CSRF).send({ name: `guess${i}`, password: 'wrong-password' })).status).toBe(401);
      const r = await request(t.app).post('/api/session').set(CSRF).send({ name: 'root', password: 'root-password-1' });
      expect(r.status).toBe(429);
    } finally { await t.close(); }
  }, 60_000);
});
