// policy users against the real runtime: the first admin from STUDIO_ADMIN, then accounts added,
// listed, disabled and given a new password through the CLI (signed in as that admin).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, requireBuild, startServer, type Server } from './helpers.js';

let server: Server;
const admin = { POLICY_PASSWORD: 'first-admin-pass' };

beforeAll(async () => {
  requireBuild();
  server = await startServer({ DATABASE_URL: '', STUDIO_ADMIN: 'boss', STUDIO_ADMIN_PASSWORD: 'first-admin-pass' });
}, 60_000);
afterAll(async () => { await server?.stop(); });

const signInAs = (name: string, password: string) => fetch(`${server.url}/api/session`, {
  method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Studio-Request': '1' }, body: JSON.stringify({ name, password }),
});

describe('policy users', () => {
  it('adds an editor (password on stdin), lists, disables, re-enables and sets a password', async () => {
    const add = await cli(['users', 'add', 'eve', '--role', 'editor', '--server', server.url, '--user', 'boss'], { input: 'eve-password-1\n', env: admin });
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.stdout.trim()).toBe('eve\teditor\t启用 enabled');
    expect((await signInAs('eve', 'eve-password-1')).status).toBe(200);

    const list = await cli(['users', 'list', '--server', server.url, '--user', 'boss'], { env: admin });
    expect(list.code).toBe(0);
    expect(list.stdout.trim().split('\n').map((l) => l.split('\t').slice(0, 3).join(' '))).toEqual(['boss admin 启用 enabled', 'eve editor 启用 enabled']);

    expect((await cli(['users', 'disable', 'eve', '--server', server.url, '--user', 'boss'], { env: admin })).code).toBe(0);
    expect((await signInAs('eve', 'eve-password-1')).status).toBe(401);
    expect((await cli(['users', 'enable', 'eve', '--server', server.url, '--user', 'boss'], { env: admin })).code).toBe(0);
    const passwd = await cli(['users', 'passwd', 'eve', '--server', server.url, '--user', 'boss'], { env: { ...admin, POLICY_NEW_PASSWORD: 'eve-password-2' } });
    expect(passwd.code).toBe(0);
    expect((await signInAs('eve', 'eve-password-1')).status).toBe(401);
    expect((await signInAs('eve', 'eve-password-2')).status).toBe(200);
  }, 60_000);

  it('an editor may not manage accounts (exit 1, 403); wrong usage is exit 2', async () => {
    const r = await cli(['users', 'list', '--server', server.url, '--user', 'eve'], { env: { POLICY_PASSWORD: 'eve-password-2' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('HTTP 403 auth.forbidden');
    expect((await cli(['users', 'add', 'x', '--server', server.url, '--user', 'boss'], { env: admin })).code).toBe(2);   // no --role
    expect((await cli(['users', 'frobnicate', '--server', server.url])).code).toBe(2);
  }, 30_000);
});
