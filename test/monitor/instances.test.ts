// Several instances on one database. Always: two workers on one store share a run's chunks and
// count every household once. With DATABASE_URL (PostgreSQL): two real servers work on one
// run, one is killed (SIGKILL) mid-run, and the other takes its chunks over after the lease —
// nothing is lost and nothing is counted twice. (Without DATABASE_URL that case does not exist,
// rather than being skipped; it needs the built runtime, as the CLI tests do.)
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePopulation } from '../../simulation/generator.js';
import { MonitorWorker } from '../../runtime/services/monitor/worker.js';
import { RunRepository } from '../../runtime/store/registry-runs.js';
import { RegistryRepository } from '../../runtime/store/registry.js';
import { root, startServer, type Server } from '../cli/helpers.js';
import { SQL_MODES } from '../sql/modes.js';
import { bearer, importJsonl, jsonl, KEYS, monitorApp, type MonitorApp } from './helpers.js';

const population = (n: number) => [...generatePopulation({ preset: 'dawukou', households: n, seed: 16, asOf: '2024-07-01' })];

for (const mode of SQL_MODES) {
  describe(`two workers on one store (${mode.name})`, () => {
    let t: MonitorApp;
    beforeAll(async () => { t = await monitorApp({ sql: await mode.open(), chunkSize: 10 }); }, 60_000);
    afterAll(async () => { await t.close(); await t.sql.close(); });

    it('share the chunks; every household is evaluated once under each programme', async () => {
      expect((await importJsonl(t.app, population(60), '2024-01-01')).status).toBe(200);
      const started = await request(t.app).post('/api/monitor/runs').set(bearer()).send({ as_of: '2024-07-01' });
      // a second worker (another instance's) on the same store, started at the same time as the app's own
      const ctx = t.app.locals.ctx;
      const other = new MonitorWorker(new RunRepository(() => Promise.resolve(t.sql)), new RegistryRepository(() => Promise.resolve(t.sql)),
        t.app.locals.monitoring.evaluator, ctx.decisions, { instance: 'other', thread: false });
      await Promise.all([other.kick(), t.app.locals.monitoring.monitor.worker.kick()]);
      const run = (await request(t.app).get(`/api/monitor/runs/${started.body.id}`).set(bearer())).body;
      expect(run.status).toBe('done');
      expect(run.progress).toMatchObject({ households_total: 60, households_done: 60, chunks_total: 6, chunks_done: 6 });
      // each household under each programme of the county it is routed to, once: no pair twice
      const per = (await t.sql.query<{ n: number; hh: number; pairs: number }>(
        'SELECT count(*)::int AS n, count(DISTINCT household_id)::int AS hh, count(DISTINCT (household_id, policy))::int AS pairs FROM monitor_programme_results WHERE run_id = $1', [run.id])).rows[0]!;
      expect(per.hh).toBe(60);
      expect(per.n).toBe(per.pairs);
    }, 120_000);
  });
}

if (process.env.DATABASE_URL) {
  describe('PostgreSQL: one of two server instances killed mid-run', () => {
    const dbName = `monitor_kill_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    const url = (() => { const u = new URL(process.env.DATABASE_URL!); u.pathname = `/${dbName}`; return u.toString(); })();
    const servers: Server[] = [];
    const env = { DATABASE_URL: url, API_KEYS: KEYS, POLICIES_DIR: join(root, 'policies'), MONITOR_POLL_MS: '100', MONITOR_LEASE_MS: '1500', MONITOR_CHUNK_SIZE: '50' };
    beforeAll(async () => {
      await admin.connect();
      await admin.query(`CREATE DATABASE ${dbName}`);
      servers.push(await startServer(env, { timeoutMs: 100_000 }));
      servers.push(await startServer(env, { timeoutMs: 100_000 }));
    }, 240_000);
    afterAll(async () => {
      // a killed server has already exited: stop() would wait for an exit that came before
      for (const s of servers) { if (s.proc.signalCode === null && s.proc.exitCode === null) await s.stop(); else rmSync(s.dir, { recursive: true, force: true }); }
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    });

    it('the survivor takes over: every household counted once, nothing lost', async () => {
      const [a, b] = servers as [Server, Server];
      const n = 4000;
      // both instances compile the six programmes first (otherwise the later one may spend the whole run compiling)
      const programmes = ['dawukou-dibao', 'dawukou-disability-subsidies', 'dawukou-elderly-allowance', 'dawukou-orphan-allowance', 'dawukou-tekun', 'temporary-assistance'];
      const sample = population(1)[0];
      for (const s of [a, b]) for (const p of programmes) {
        const r = await fetch(`${s.url}/api/policies/${p}/evaluate`, { method: 'POST', headers: { ...bearer('admin-key'), 'Content-Type': 'application/json' }, body: JSON.stringify({ household: sample, as_of: '2024-07-01', record: false }) });
        expect(r.status).toBe(200);
      }
      const imported = await fetch(`${a.url}/api/registry/import?effective_from=2024-01-01`, { method: 'POST', headers: { ...bearer(), 'Content-Type': 'application/x-ndjson' }, body: jsonl(population(n)) });
      expect(imported.status).toBe(200);
      const started = await (await fetch(`${a.url}/api/monitor/runs`, { method: 'POST', headers: { ...bearer(), 'Content-Type': 'application/json' }, body: JSON.stringify({ as_of: '2024-07-01' }) })).json() as { id: string };
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      try {
        // kill A once both have stored chunks and A holds one
        const pidA = a.proc.pid!;
        for (let i = 0; i < 3000; i++) {
          const { rows } = await db.query<{ a_done: number; b_done: number; a_running: number }>(
            `SELECT count(*) FILTER (WHERE status = 'done' AND claimed_by LIKE $2)::int AS a_done, count(*) FILTER (WHERE status = 'done' AND claimed_by NOT LIKE $2)::int AS b_done,
                    count(*) FILTER (WHERE status = 'running' AND claimed_by LIKE $2)::int AS a_running FROM monitor_chunks WHERE run_id = $1`, [started.id, `%:${pidA}:%`]);
          if (rows[0]!.a_done > 0 && rows[0]!.b_done > 0 && rows[0]!.a_running > 0) break;
          await new Promise((ok) => setTimeout(ok, 20));
        }
        a.proc.kill('SIGKILL');
        let run: { status: string; progress: { households_done: number; households_total: number } } | undefined;
        for (let i = 0; i < 1200; i++) {
          run = await (await fetch(`${b.url}/api/monitor/runs/${started.id}`, { headers: bearer() })).json() as typeof run;
          if (run!.status !== 'running') break;
          await new Promise((ok) => setTimeout(ok, 100));
        }
        expect(run!.status).toBe('done');
        expect(run!.progress).toMatchObject({ households_total: n, households_done: n });
        // each household under each programme of the county it is routed to, once: no pair twice
        const per = (await db.query<{ n: number; hh: number; pairs: number }>(
          'SELECT count(*)::int AS n, count(DISTINCT household_id)::int AS hh, count(DISTINCT (household_id, policy))::int AS pairs FROM monitor_programme_results WHERE run_id = $1', [started.id])).rows[0]!;
        expect(per.hh).toBe(n);
        expect(per.n).toBe(per.pairs);
        // A's chunk was taken over (claimed twice), and both instances did work
        const chunks = (await db.query<{ retaken: number; claimers: number }>(
          `SELECT count(*) FILTER (WHERE attempts > 1)::int AS retaken, count(DISTINCT split_part(claimed_by, ':', 2))::int AS claimers FROM monitor_chunks WHERE run_id = $1`, [started.id])).rows[0]!;
        expect(chunks.retaken).toBeGreaterThanOrEqual(1);
        expect(chunks.claimers).toBe(2);
        // list rows point at recorded results only: none without its result
        const orphans = (await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM monitor_list_rows l WHERE run_id = $1 AND NOT EXISTS (SELECT 1 FROM monitor_programme_results r WHERE r.run_id = l.run_id AND r.household_id = l.household_id AND r.policy = l.policy)`, [started.id])).rows[0]!;
        expect(orphans.n).toBe(0);
      } finally {
        await db.end();
      }
    }, 300_000);
  });
}
