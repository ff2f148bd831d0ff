// Issue 15: what recording decisions costs, and how a large decision store answers.
//
// 1. recording (HTTP, the real server): single-household evaluate unthrottled with the decision
//    recorded (the default) and with `"record": false`, alternated; throughput and the server's
//    CPU per request (from schedstat: what the neighbours do not change). Target: recorded
//    ≥ 80 % of not recorded. Then POST …/evaluate/batch of 10,000 households, recorded and not:
//    target, recorded in under 1 s.
// 2. lookup (in process, on the SQL store): a decisions table filled with --rows rows (default
//    10,000,000; generated in SQL by generate_series, in chunks), then lookups by id (target
//    < 5 ms) and by household, newest 100 (target < 50 ms), through DecisionRepository.
//
// Both in the embedded mode (PGlite; the server with a fresh DATA_DIR) and, with DATABASE_URL,
// on that PostgreSQL server (a fresh database made for the run and dropped after it).
//
//   node dist/bench/decisions.js [recording] [lookup] [--rows N] [--duration S] [--runs N] [--connections N] [--mode embedded|server|both]
//   (BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR": options for the server's node, to profile it)
import { spawn } from 'node:child_process';
import { flagsFrom, serverCommand } from './lib/server-node.js';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { openSqlStore } from '../runtime/sql/open.js';
import type { SqlStore } from '../runtime/sql/types.js';
import { DecisionRepository } from '../runtime/store/decisions.js';
import { cannon, freePort, schedstat, waitHealthy } from './http.js';
import { AS_OF, generateHouseholds } from './lib/households.js';
import { repoRoot } from '../base/repo-root.js';
import { median, now, percentile, setupLine } from './lib/system.js';

const POLICY = 'dawukou-dibao';
const load1 = () => loadavg()[0]!.toFixed(2);

export type Mode = 'embedded' | 'server';

/** A fresh database on the server of DATABASE_URL, dropped by drop(). */
export async function freshDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `bench_decisions_${Date.now().toString(36)}_${process.pid}`;
  const admin = async (text: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try { await c.query(text); } finally { await c.end(); }
  };
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

// ── 1. the cost of recording, over HTTP ─────────────────────────────────────────────────────

export interface RecordingResult {
  mode: Mode;
  recordedReqPerSec: number; unrecordedReqPerSec: number;
  recordedCpuUs: number; unrecordedCpuUs: number;
  /** recorded ÷ unrecorded throughput; and the same judged by server CPU per request. */
  ratio: number; cpuRatio: number;
  batchRecordedMs: number; batchUnrecordedMs: number;
  batchRecordedCpuMs: number; batchUnrecordedCpuMs: number;
}

export async function runRecording(mode: Mode, databaseUrl: string | undefined, durationS: number, runs: number, connections: number): Promise<RecordingResult | string> {
  const root = repoRoot();
  const serverJs = join(root, 'dist', 'runtime', 'server.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-decisions-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG: 'silent' };
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  // BENCH_NODE_ARGS: options for the server's node (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof")
  const server = serverCommand(serverJs, { env, extra: flagsFrom(process.env.BENCH_NODE_ARGS) });
  const child = spawn(server.command, server.args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += String(d); });
  try {
    const bad = await waitHealthy(url, child, 60_000);
    if (bad) return `SKIPPED: ${bad} ${stderr.slice(0, 300)}`;
    const hs = generateHouseholds(1000, 4242);
    const bodies = (record: boolean) => hs.map((h) => JSON.stringify({ household: h, as_of: AS_OF, trace: false, record }));
    const recorded = bodies(true), unrecorded = bodies(false);
    const run = async (list: string[], seconds: number) => {
      let k = 0;
      const before = schedstat(child.pid);
      const r = await cannon({
        url: `${url}/api/policies/${POLICY}/evaluate`, method: 'POST', connections, duration: seconds, headers: { 'content-type': 'application/json' },
        requests: [{ setupRequest: (q: object) => ({ ...q, body: list[k++ % list.length] }) }],
      } as never);
      const after = schedstat(child.pid);
      const total = (r.requests as unknown as { total: number }).total;
      if (r.non2xx || r.errors) throw new Error(`evaluate: ${r.non2xx} non-2xx, ${r.errors} errors`);
      return { reqPerSec: r.requests.average, cpuUs: before && after && total ? (after[0] - before[0]) / 1e3 / total : NaN };
    };
    await run(unrecorded, 2);
    await run(recorded, 2);
    const rec: { reqPerSec: number; cpuUs: number }[] = [], unrec: typeof rec = [];
    for (let i = 0; i < runs; i++) {
      // alternated, so a change in the machine's load falls on both alike
      unrec.push(await run(unrecorded, durationS));
      rec.push(await run(recorded, durationS));
      console.log(`  run ${i + 1}: recorded ${rec[i]!.reqPerSec.toFixed(0)} req/s (${rec[i]!.cpuUs.toFixed(0)} µs CPU/request), not recorded ${unrec[i]!.reqPerSec.toFixed(0)} req/s (${unrec[i]!.cpuUs.toFixed(0)} µs), load ${load1()}`);
    }
    const batchHs = generateHouseholds(10_000);
    const batch = async (record: boolean) => {
      const body = JSON.stringify({ households: batchHs, as_of: AS_OF, record });
      const ms: number[] = [], cpu: number[] = [];
      for (let i = 0; i < 4; i++) {
        const before = schedstat(child.pid);
        const t = now();
        const r = await fetch(`${url}/api/policies/${POLICY}/evaluate/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const j = await r.json() as { results?: { decision_id?: string }[] };
        const dt = now() - t;
        const after = schedstat(child.pid);
        if (!r.ok || j.results?.length !== batchHs.length) throw new Error(`batch answered ${r.status}`);
        if (record && j.results.some((x) => !x.decision_id)) throw new Error('a batch result without decision_id');
        if (i > 0) { ms.push(dt); if (before && after) cpu.push((after[0] - before[0]) / 1e6); }   // the first is warm-up
      }
      return { ms: median(ms), cpuMs: cpu.length ? median(cpu) : NaN };
    };
    const bu = await batch(false), br = await batch(true);
    const r: RecordingResult = {
      mode,
      recordedReqPerSec: median(rec.map((x) => x.reqPerSec)), unrecordedReqPerSec: median(unrec.map((x) => x.reqPerSec)),
      recordedCpuUs: median(rec.map((x) => x.cpuUs)), unrecordedCpuUs: median(unrec.map((x) => x.cpuUs)),
      ratio: 0, cpuRatio: 0,
      batchRecordedMs: br.ms, batchUnrecordedMs: bu.ms, batchRecordedCpuMs: br.cpuMs, batchUnrecordedCpuMs: bu.cpuMs,
    };
    r.ratio = r.recordedReqPerSec / r.unrecordedReqPerSec;
    r.cpuRatio = r.unrecordedCpuUs / r.recordedCpuUs;
    return r;
  } finally {
    child.kill('SIGTERM');
    await new Promise((ok) => { if (child.exitCode !== null) ok(null); else child.once('exit', ok); setTimeout(ok, 10_000); });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ── 2. lookups in a large store ─────────────────────────────────────────────────────────────

/** The id of generated row g: a UUIDv7 whose time is BASE_MS + g (ms) and whose random bits are md5(g). */
const BASE_MS = Date.UTC(2025, 0, 1);
const idOf = (g: number) => {
  const hex = (BASE_MS + g).toString(16).padStart(12, '0') + '7000' + '8' + createHash('md5').update(String(g)).digest('hex').slice(0, 15);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
/** Decisions per household: row g belongs to household g % (rows / PER_HOUSEHOLD). */
const PER_HOUSEHOLD = 5;

/** Rows g in [from, to): the same shape the service writes (canonical JSON household and outputs). */
const FILL = `
INSERT INTO decisions (id, at, caller_name, caller_role, caller_key, request_id, policy, version, version_hash, source_hash,
                       effective_from, as_of, household_id, household, outputs, batch_index)
SELECT (lpad(to_hex($3::bigint + g), 12, '0') || '7000' || '8' || substr(md5(g::text), 1, 15))::uuid,
       to_timestamp(($3::bigint + g) / 1000.0), 'client-0a1b2c3d', 'client', '0a1b2c3d4e5f', 'req-' || g,
       'dawukou-dibao', 2, '${'a'.repeat(64)}', '${'b'.repeat(64)}', '2023-01-01', '2024-06-01', 'h' || (g % $4::bigint),
       '{"area":"urban","id":"h' || (g % $4::bigint) || '","members":[{"birth_date":"1980-05-01","id":"m1","income_monthly":"900.00"},{"birth_date":"2015-09-01","id":"m2"}]}',
       '{"eligible":true,"monthly_amount":"' || (g % 1000) || '.00"}', NULL
FROM generate_series($1::bigint, $2::bigint - 1) AS g`;

export interface LookupResult {
  mode: Mode; rows: number; fillS: number; byIdMedianMs: number; byIdP99Ms: number; byHouseholdMedianMs: number; byHouseholdP99Ms: number; dbMB: number;
  /** The database's own planning + execution time (EXPLAIN ANALYZE): what a loaded machine's scheduling does not add to. */
  byIdServerMs: number; byHouseholdServerMs: number;
}

/** Planning + execution time of one statement as the database measures it. */
async function serverMs(sql: SqlStore, text: string, params: unknown[]): Promise<number> {
  const { rows } = await sql.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, params);
  const raw = rows[0]!['QUERY PLAN'];
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { 'Planning Time': number; 'Execution Time': number }[];
  return plan[0]!['Planning Time'] + plan[0]!['Execution Time'];
}

async function lookup(mode: Mode, sql: SqlStore, rows: number): Promise<LookupResult> {
  const households = Math.max(1, Math.floor(rows / PER_HOUSEHOLD));
  const have = Number((await sql.query<{ n: string }>('SELECT count(*)::text AS n FROM decisions')).rows[0]!.n);
  const t0 = now();
  const chunk = mode === 'embedded' ? 200_000 : 1_000_000;
  // A bulk load, as a restore would do it: the secondary indexes are dropped while the rows go in
  // and built again from their own definitions afterwards (one sort each instead of 10M random
  // inserts into four B-trees). The lookups then run on exactly the schema the migrations made.
  const secondary = have < rows
    ? (await sql.query<{ indexname: string; indexdef: string }>("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'decisions' AND indexname <> 'decisions_pkey'")).rows
    : [];
  for (const ix of secondary) await sql.query(`DROP INDEX ${ix.indexname}`);
  for (let from = have; from < rows; from += chunk) {
    await sql.query(FILL, [from, Math.min(rows, from + chunk), BASE_MS, households]);
    process.stdout.write(`\r  filled ${Math.min(rows, from + chunk).toLocaleString('en')} of ${rows.toLocaleString('en')} rows (${((now() - t0) / 1000).toFixed(0)} s)`);
  }
  for (const ix of secondary) {
    await sql.query(ix.indexdef);
    process.stdout.write(`\r  index ${ix.indexname} built (${((now() - t0) / 1000).toFixed(0)} s)                    `);
  }
  await sql.query('ANALYZE decisions');
  const fillS = (now() - t0) / 1000;
  console.log(`\n  ${rows.toLocaleString('en')} rows in ${fillS.toFixed(0)} s (this run added ${(rows - have).toLocaleString('en')})`);
  const repo = new DecisionRepository(async () => sql);
  const rnd = (n: number) => Math.floor(Math.random() * n);
  const byId: number[] = [], byHousehold: number[] = [];
  for (let i = 0; i < 300; i++) {
    const g = rnd(rows);
    let t = now();
    const row = await repo.get(idOf(g));
    byId.push(now() - t);
    if (!row || row.household_id !== `h${g % households}`) throw new Error(`row ${g} not found by id ${idOf(g)}`);
    t = now();
    const list = await repo.list({ household_id: `h${rnd(households)}`, limit: 100 });
    byHousehold.push(now() - t);
    if (list.length === 0) throw new Error('a household without decisions');
  }
  const idServer: number[] = [], householdServer: number[] = [];
  for (let i = 0; i < 100; i++) {
    idServer.push(await serverMs(sql, 'SELECT * FROM decisions WHERE id = $1::uuid', [idOf(rnd(rows))]));
    householdServer.push(await serverMs(sql, 'SELECT * FROM decisions WHERE household_id = $1 ORDER BY id DESC LIMIT 100', [`h${rnd(households)}`]));
  }
  const size = Number((await sql.query<{ b: string }>("SELECT pg_total_relation_size('decisions')::text AS b")).rows[0]!.b) / 2 ** 20;
  return {
    mode, rows, fillS, dbMB: size,
    byIdMedianMs: median(byId), byIdP99Ms: percentile(byId, 99),
    byHouseholdMedianMs: median(byHousehold), byHouseholdP99Ms: percentile(byHousehold, 99),
    byIdServerMs: median(idServer), byHouseholdServerMs: median(householdServer),
  };
}

// ── main ────────────────────────────────────────────────────────────────────────────────────

async function main(argv: string[]): Promise<void> {
  const arg = (name: string, dflt: string) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1]! : dflt; };
  const parts = argv.filter((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--'));
  const want = (p: string) => parts.length === 0 || parts.includes(p);
  const rows = Number(arg('--rows', '10000000'));
  const durationS = Number(arg('--duration', '10'));
  const runs = Number(arg('--runs', '3'));
  // Throughput is what the server sustains with enough requests open to keep it busy. With 10
  // connections the recorded phase is bound by the commit's latency (each connection waits for
  // its group's commit while the CPU idles), not by what recording costs; 10 stays selectable.
  const connections = Number(arg('--connections', '32'));
  const modeArg = arg('--mode', 'both');
  const url = process.env.DATABASE_URL;
  const modes: Mode[] = (['embedded', 'server'] as Mode[]).filter((m) => (modeArg === 'both' || modeArg === m) && (m === 'embedded' || url));
  console.log(`# Decision records (issue 15)\n${setupLine()}\nmodes: ${modes.join(', ')}${url ? '' : ' (no DATABASE_URL: embedded only)'}`);
  let failed = false;
  for (const mode of modes) {
    const db = mode === 'server' ? await freshDatabase(url!) : undefined;
    try {
      if (want('recording')) {
        console.log(`\n## Recording cost, ${mode}: evaluate unthrottled (${connections} connections), "trace": false, recorded vs "record": false, ${runs} × ${durationS} s each, alternated; batches of 10,000`);
        const r = await runRecording(mode, db?.url, durationS, runs, connections);
        if (typeof r === 'string') { console.log(r); failed = true; } else {
          const single = r.ratio >= 0.8, batch = r.batchRecordedMs < 1000;
          console.log(`recorded ${r.recordedReqPerSec.toFixed(0)} req/s vs ${r.unrecordedReqPerSec.toFixed(0)} not recorded = ${(r.ratio * 100).toFixed(0)} % ` +
            `(server CPU ${r.recordedCpuUs.toFixed(0)} vs ${r.unrecordedCpuUs.toFixed(0)} µs per request = ${(r.cpuRatio * 100).toFixed(0)} %); target ≥ 80 %: ${single ? 'met' : 'MISSED'}`);
          console.log(`batch of 10,000: recorded ${r.batchRecordedMs.toFixed(0)} ms (server CPU ${r.batchRecordedCpuMs.toFixed(0)} ms), not recorded ${r.batchUnrecordedMs.toFixed(0)} ms (${r.batchUnrecordedCpuMs.toFixed(0)} ms); target recorded < 1 s: ${batch ? 'met' : 'MISSED'}`);
        }
      }
      if (want('lookup')) {
        console.log(`\n## Lookups in a store of ${rows.toLocaleString('en')} decisions, ${mode}`);
        const dir = mode === 'embedded' ? mkdtempSync(join(tmpdir(), 'bench-decisions-sql-')) : undefined;
        const sql = await openSqlStore(db ? { url: db.url } : { dir });
        try {
          const r = await lookup(mode, sql, rows);
          console.log(`by id: median ${r.byIdMedianMs.toFixed(2)} ms, p99 ${r.byIdP99Ms.toFixed(2)} ms (target < 5 ms: ${r.byIdP99Ms < 5 ? 'met' : r.byIdMedianMs < 5 ? 'met at the median' : 'MISSED'}); ` +
            `by household (newest 100): median ${r.byHouseholdMedianMs.toFixed(2)} ms, p99 ${r.byHouseholdP99Ms.toFixed(2)} ms (target < 50 ms: ${r.byHouseholdP99Ms < 50 ? 'met' : r.byHouseholdMedianMs < 50 ? 'met at the median' : 'MISSED'}); ` +
            `table + indexes ${r.dbMB.toFixed(0)} MB; load ${load1()}`);
          console.log(`inside the database (EXPLAIN ANALYZE, planning + execution, median of 100): by id ${r.byIdServerMs.toFixed(3)} ms, by household ${r.byHouseholdServerMs.toFixed(3)} ms`);
        } finally {
          await sql.close();
          if (dir) rmSync(dir, { recursive: true, force: true });
        }
      }
    } finally {
      await db?.drop();
    }
  }
  if (failed) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e) => { console.error(e); process.exit(1); });
}
