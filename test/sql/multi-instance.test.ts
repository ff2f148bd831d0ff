// Several server processes on one PostgreSQL database (DATABASE_URL): they give the same
// answers. A version published through one is served by the other within 1 s; If-Match on
// drafts, two concurrent publishes and the four-eyes rule hold across them, through the
// database. Without DATABASE_URL there is no server to share, and this file has only the
// statement of which mode ran (no skipped test: the server cases are not built at all).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editedSource, FIXTURE_POLICIES, household, tempDir } from '../runtime/helpers.js';
import { api, startServer, stop, useServerBuild, type Child } from '../runtime/server-process.js';
import { freshDatabase, SQL_MODE_NAMES } from './modes.js';

const url = process.env.DATABASE_URL;

describe('multi-instance mode', () => {
  it(url ? 'runs against the PostgreSQL server of DATABASE_URL' : 'has no server to run against (DATABASE_URL unset): embedded only', () => {
    expect(SQL_MODE_NAMES).toEqual(url ? ['pglite', 'postgres'] : ['pglite']);
  });
});

const V2 = join(FIXTURE_POLICIES, 'fx-dibao', 'v2');
/** fx-dibao v2 with another urban standard, effective date, and scenarios that pass: (standard − 300) × 3. */
function edited(standard: number, effective: string) {
  const source = editedSource(readFileSync(join(V2, 'policy.policy'), 'utf8'), standard).replace(/生效 \d{4}-\d{2}-\d{2}/, `生效 ${effective}`);
  const scenarios = readFileSync(join(V2, 'scenarios.yaml'), 'utf8').replace(/"1050.00"/, `"${((standard - 300) * 3).toFixed(2)}"`);
  return { source, scenarios };
}
const json = (key: string) => ({ Authorization: `Bearer ${key}` });

if (url) {
  useServerBuild();

  describe('two server processes on one PostgreSQL database', () => {
    let db: Awaited<ReturnType<typeof freshDatabase>>;
    let a: Child;
    let b: Child;
    const KEYS = 'ed-key:editor,ed2-key:editor,rv-key:reviewer,cl-key:client,ad-key:admin';
    beforeAll(async () => {
      db = await freshDatabase(url);
      // started together: migrations and seeding must happen once (advisory lock, row lock)
      const env = { DATABASE_URL: db.url, API_KEYS: KEYS };
      [a, b] = await Promise.all([startServer(tempDir('mi-a-'), env), startServer(tempDir('mi-b-'), env)]);
    }, 60_000);
    afterAll(async () => {
      await Promise.all([a && stop(a, 'SIGTERM'), b && stop(b, 'SIGTERM')]);
      await db?.drop();
    });

    const evaluate = (c: Child) => api(c.url, 'POST', '/api/policies/fx-dibao/evaluate', { household: household(), as_of: '2024-06-01' }, json('cl-key'));

    it('both say they hold their state in PostgreSQL, and see one seeded store', async () => {
      for (const c of [a, b]) {
        const listening = c.lines.map((l) => JSON.parse(l)).find((j) => j.msg === 'listening');
        expect(listening).toMatchObject({ sql: 'postgres', store: 'postgres', data: null });
      }
      const [va, vb] = await Promise.all([a, b].map((c) => api(c.url, 'GET', '/api/policies/fx-dibao/versions', undefined, json('ad-key'))));
      expect(va.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
      expect(vb.body).toEqual(va.body);
      const audit = await api(a.url, 'GET', '/api/audit', undefined, json('ad-key'));
      expect(audit.body.entries.filter((e: { action: string }) => e.action === 'seed').map((e: { policy: string }) => e.policy)).toEqual(['fx-dibao', 'fx-elderly']);
    });

    it('a stale If-Match on one instance after a save on the other is 409', async () => {
      const d = await api(b.url, 'GET', '/api/policies/fx-dibao/draft', undefined, json('ed-key'));
      const etag = d.headers.get('etag')!;
      const saved = await api(a.url, 'PUT', '/api/policies/fx-dibao/draft', { scenarios: d.body.scenarios + '\n# a\n' }, { ...json('ed-key'), 'If-Match': etag });
      expect(saved.status).toBe(200);
      const stale = await api(b.url, 'PUT', '/api/policies/fx-dibao/draft', { scenarios: d.body.scenarios + '\n# b\n' }, { ...json('ed-key'), 'If-Match': etag });
      expect(stale.status).toBe(409);
      expect(stale.body.error.code).toBe('draft.stale');
    });

    it('a version published through one instance (request on A, approval on B) is served by the other within 1 s', async () => {
      // before: v2 in force on 2024-06-01, urban standard 650: (650 − 300) × 3 = 1050
      const before = await evaluate(b);
      expect(before.body).toMatchObject({ version: 2, outputs: { monthly_amount: '1050.00' } });
      const d = await api(a.url, 'GET', '/api/policies/fx-dibao/draft', undefined, json('ed-key'));
      const put = await api(a.url, 'PUT', '/api/policies/fx-dibao/draft', edited(700, '2024-01-01'), { ...json('ed-key'), 'If-Match': d.headers.get('etag')! });
      expect(put.status).toBe(200);
      const req = await api(a.url, 'POST', '/api/policies/fx-dibao/publish', { effective_from: '2024-01-01', note: '标准提高到 700 元' }, json('ad-key'));
      expect(req.status).toBe(202);
      const rid = req.body.request.id;
      // four eyes across instances: the requester's key cannot approve, on the other instance either
      const self = await api(b.url, 'POST', `/api/policies/fx-dibao/publish-requests/${rid}/approve`, { hash: req.body.request.hash }, json('ad-key'));
      expect(self.status).toBe(409);
      expect(self.body.error.code).toBe('publish_request.self_approval');
      const approved = await api(b.url, 'POST', `/api/policies/fx-dibao/publish-requests/${rid}/approve`, { hash: req.body.request.hash }, json('rv-key'));
      expect(approved.status).toBe(201);
      expect(approved.body.version.version).toBe(3);
      const at = Date.now();
      // A did not publish it: it must hear of it. 700: (700 − 300) × 3 = 1200
      let seen: { body: any } | undefined;
      while (Date.now() - at < 1000) {
        const r = await evaluate(a);
        if (r.body.version === 3) { seen = r; break; }
      }
      expect(seen?.body, 'instance A serves v3 within 1 s').toMatchObject({ version: 3, outputs: { monthly_amount: '1200.00' } });
    });

    it('two concurrent publishes through the two instances make exactly one version', async () => {
      const d = await api(a.url, 'GET', '/api/policies/fx-dibao/draft', undefined, json('ed-key'));
      const put = await api(a.url, 'PUT', '/api/policies/fx-dibao/draft', edited(720, '2024-03-01'), { ...json('ed-key'), 'If-Match': d.headers.get('etag')! });
      expect(put.status).toBe(200);
      // both instances hold the new draft before they race
      for (let t = Date.now(); Date.now() - t < 1000;) {
        const bd = await api(b.url, 'GET', '/api/policies/fx-dibao/draft', undefined, json('ed-key'));
        if (bd.body.revision === put.body.revision) break;
      }
      const body = { effective_from: '2024-03-01', note: '标准提高到 720 元' };
      const [ra, rb] = await Promise.all([a, b].map((c) => api(c.url, 'POST', '/api/policies/fx-dibao/publish', body, json('ed2-key'))));
      const statuses = [ra.status, rb.status].sort();
      // with a reviewer key configured, publishing files a request: exactly one is filed, the other is told one is pending
      expect(statuses).toEqual([202, 409]);
      const loser = ra.status === 409 ? ra : rb;
      expect(['publish_request.pending', 'store.conflict', 'draft.stale']).toContain(loser.body.error.code);
      const winner = ra.status === 202 ? ra : rb;
      const rid = winner.body.request.id;
      // two reviewers approving at once on the two instances: one version
      const approve = (c: Child, key: string) => api(c.url, 'POST', `/api/policies/fx-dibao/publish-requests/${rid}/approve`, { hash: winner.body.request.hash }, json(key));
      const [pa, pb] = await Promise.all([approve(a, 'rv-key'), approve(b, 'ad-key')]);
      expect([pa.status, pb.status].sort()).toEqual([201, 409]);
      const versions = await api(b.url, 'GET', '/api/policies/fx-dibao/versions', undefined, json('ad-key'));
      expect(versions.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2, 3, 4]);
    });
  });
}
