// Durability in both modes (embedded: lowdb + PGlite in DATA_DIR; served: the PostgreSQL server
// of DATABASE_URL, when set): the real server is killed with SIGKILL during a storm of writes
// (single and batch evaluations, each recorded as a decision; draft saves; publishes), again
// and again. After every kill the store opens, every decision id that was answered can be
// read back, and every version that was answered as published is there byte for byte (hash).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../runtime/store/hash.js';
import { editedSource, FIXTURE_POLICIES, household, tempDir } from '../runtime/helpers.js';
import { api, sleep, startServer, stop, useServerBuild, type Child } from '../runtime/server-process.js';
import { freshDatabase } from './modes.js';

useServerBuild();

const V2 = join(FIXTURE_POLICIES, 'fx-dibao', 'v2');
/** fx-dibao v2 with another urban standard and scenarios that pass: (standard − 300) × 3 for 900 / 3 per head. */
function edited(standard: number) {
  return {
    source: editedSource(readFileSync(join(V2, 'policy.policy'), 'utf8'), standard),
    scenarios: readFileSync(join(V2, 'scenarios.yaml'), 'utf8').replace(/"1050.00"/, `"${((standard - 300) * 3).toFixed(2)}"`),
  };
}
/** The k-th day after 2025-01-01: each publish is dated after the one before. */
const day = (k: number) => new Date(Date.UTC(2025, 0, 1 + k)).toISOString().slice(0, 10);

interface Acked { decisions: string[]; versions: { version: number; hash: string; source: string; scenarios: string }[]; saves: number }

/** A storm of writers until `stop` is set; everything answered with success is recorded in `acked`. */
function storm(s: Child, acked: Acked, tag: string, counter: { n: number; published: number }) {
  const state = { stop: false };
  const loop = (body: () => Promise<void>) => (async () => {
    while (!state.stop) { try { await body(); } catch { return; /* the kill reset the connection: not acknowledged */ } }
  })();
  const single = () => loop(async () => {
    const r = await api(s.url, 'POST', '/api/policies/fx-dibao/evaluate', { household: household({ id: `${tag}-${counter.n++}` }), as_of: '2024-06-01' });
    if (r.status === 200) acked.decisions.push(r.body.decision_id);
  });
  const batch = () => loop(async () => {
    const households = Array.from({ length: 10 }, (_, i) => household({ id: `${tag}-b${counter.n}-${i}` }));
    counter.n++;
    const r = await api(s.url, 'POST', '/api/policies/fx-dibao/evaluate/batch', { households, as_of: '2024-06-01' });
    if (r.status === 200) for (const x of r.body.results) acked.decisions.push(x.decision_id);
  });
  const save = () => loop(async () => {
    const d = await api(s.url, 'GET', '/api/policies/fx-elderly/draft');
    const r = await api(s.url, 'PUT', '/api/policies/fx-elderly/draft', { scenarios: `${d.body.scenarios}# ${tag} ${counter.n++}\n` }, { 'If-Match': d.headers.get('etag')! });
    if (r.status === 200) acked.saves++;
  });
  const publish = () => loop(async () => {
    // its own count: the evaluations' ids run into the thousands, and a date more than ten years
    // ahead needs an explicit confirmation (the publish would be refused, not acknowledged)
    const k = counter.published++;
    const content = edited(660 + k);
    const d = await api(s.url, 'GET', '/api/policies/fx-dibao/draft');
    const put = await api(s.url, 'PUT', '/api/policies/fx-dibao/draft', content, { 'If-Match': d.headers.get('etag')! });
    if (put.status !== 200) return;
    const r = await api(s.url, 'POST', '/api/policies/fx-dibao/publish', { effective_from: day(k), note: `${tag} ${k}` });
    if (r.status === 201) acked.versions.push({ version: r.body.version.version, hash: r.body.version.hash, ...content });
  });
  const done = Promise.all([single(), single(), batch(), save(), publish()]);
  return { state, done };
}

/** What was acknowledged is there: the store opened, every decision readable, every version byte-identical. */
async function verify(s: Child, acked: Acked): Promise<void> {
  expect((await api(s.url, 'GET', '/api/health')).status).toBe(200);
  for (let i = 0; i < acked.decisions.length; i += 50) {
    const got = await Promise.all(acked.decisions.slice(i, i + 50).map((id) => api(s.url, 'GET', `/api/decisions/${id}`)));
    for (const [j, r] of got.entries()) expect(r.status, `decision ${acked.decisions[i + j]} is retrievable`).toBe(200);
  }
  for (const v of acked.versions) {
    const r = await api(s.url, 'GET', `/api/policies/fx-dibao/versions/${v.version}`);
    expect(r.status).toBe(200);
    expect(r.body.hash).toBe(v.hash);
    expect(contentHash(r.body.source, r.body.scenarios)).toBe(v.hash);
    expect([r.body.source, r.body.scenarios]).toEqual([v.source, v.scenarios]);
  }
}

const dbs: { drop(): Promise<void> }[] = [];
afterAll(async () => { for (const d of dbs) await d.drop(); });

const MODES: { name: string; env: () => Promise<Record<string, string>> }[] = [
  { name: 'embedded (lowdb + PGlite)', env: async () => ({}) },
  ...(process.env.DATABASE_URL ? [{
    name: 'PostgreSQL server',
    env: async () => { const db = await freshDatabase(process.env.DATABASE_URL!); dbs.push(db); return { DATABASE_URL: db.url }; },
  }] : []),
];

for (const mode of MODES) {
  describe(`durability, ${mode.name}`, () => {
    it('SIGKILL during a write storm, three times: the store opens, and nothing acknowledged is lost or changed', async () => {
      const env = await mode.env();
      const dataDir = tempDir('durable-');
      const acked: Acked = { decisions: [], versions: [], saves: 0 };
      const counter = { n: 0, published: 0 };
      for (let round = 0; round < 3; round++) {
        const s = await startServer(dataDir, env);
        await verify(s, acked);
        const before = { d: acked.decisions.length, v: acked.versions.length, s: acked.saves };
        const { state, done } = storm(s, acked, `r${round}`, counter);
        // kill once this round has acknowledged some of each kind (not after a fixed time: machine load varies)
        for (let waited = 0; waited < 60_000 && (acked.decisions.length - before.d < 30 || acked.versions.length === before.v || acked.saves - before.s < 2); waited += 20) await sleep(20);
        await sleep(Math.floor(Math.random() * 150));
        await stop(s, 'SIGKILL');
        state.stop = true;
        await done;
      }
      expect(acked.versions.length).toBeGreaterThanOrEqual(3);
      expect(acked.decisions.length).toBeGreaterThanOrEqual(90);
      const last = await startServer(dataDir, env);
      try {
        await verify(last, acked);
        // versions are numbered 1, 2, … without a gap: what was acknowledged is exactly what is stored
        const list = await api(last.url, 'GET', '/api/policies/fx-dibao/versions');
        const numbers = list.body.versions.map((v: { version: number }) => v.version);
        expect(numbers).toEqual(numbers.map((_: number, i: number) => i + 1));
      } finally {
        await stop(last, 'SIGTERM');
      }
    }, 600_000);
  });
}
