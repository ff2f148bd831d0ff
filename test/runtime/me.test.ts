// GET /api/me: the studio learns the caller's name and role from its key (to show only what
// the role may do); the server still checks every action.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_KEYS, bearer, makeApp, type TestApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => { t = await makeApp({ keys: ALL_KEYS }); });
afterAll(async () => { await t.cleanup(); });

describe('GET /api/me', () => {
  it('names the key and its role', async () => {
    const editor = await request(t.app).get('/api/me').set(bearer('editor-key'));
    expect(editor.status).toBe(200);
    expect(editor.body).toEqual({ name: 'alice', role: 'editor', open: false });
    const reviewer = await request(t.app).get('/api/me').set(bearer('reviewer-key'));
    expect(reviewer.body).toMatchObject({ role: 'reviewer', open: false });
    expect(reviewer.body.name).toMatch(/^reviewer-[0-9a-f]{8}$/);   // an unnamed key: <role>-<fingerprint>
  });

  it('needs a key (401), and is in the OpenAPI document', async () => {
    const r = await request(t.app).get('/api/me');
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('auth.missing_key');
    const doc = (await request(t.app).get('/api/openapi.json')).body;
    expect(doc.paths['/api/me'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Me' });
    expect(doc.components.schemas.Me.properties.role.enum).toContain('reviewer');
  });

  it('in local open mode the caller is the local admin', async () => {
    const open = await makeApp({ keys: '' });
    try {
      expect((await request(open.app).get('/api/me')).body).toEqual({ name: 'local', role: 'admin', open: true });
    } finally { await open.cleanup(); }
  });
});
