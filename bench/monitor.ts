// Issue 16: a monitoring run over a generated registry.
//
// 1. embedded (in process, PGlite in a fresh folder): import N generated Dawukou households
//    (--households, default 100,000; --households 1000000 for the issue's target) through the
//    registry service, then one run over all of them: elapsed, households/s, and the process's
//    RSS sampled every 250 ms during the run (flat = the run holds one chunk at a time).
// 2. --pg (needs DATABASE_URL and the built runtime): the same registry on a fresh PostgreSQL
//    database, one run with 1 server instance, then one with 2 (both started with the same
//    settings, the run started on the first; the second claims chunks by polling).
//
//   node dist/bench/monitor.js [--households N] [--chunk N] [--pg] [--no-thread] [--threads N] [--pg-threads N] [--no-embedded]
//   (--no-thread: the embedded run evaluates on the main thread, as on a 1-core machine;
//    --threads N: N evaluation threads; --pg-threads N: each server's MONITOR_THREADS, default 0:
//    one core per instance, so 1 vs 2 instances compares one core with two)
import { spawn, type ChildProcess } from 'node:child_process';
import { serverCommand } from './lib/server-node.js';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createApp } from '../runtime/app.js';
import { policiesDir } from '../runtime/paths.js';
import { openStore } from '../runtime/server.js';
import { loadModules } from '../runtime/services/language.js';
import { openSqlStore, sqlOptionsFromEnv } from '../runtime/sql/open.js';
import { DEFAULT_CHUNK_SIZE } from '../runtime/services/monitor/runs.js';
import type { QueryOptions, SqlExecutor, SqlStore } from '../runtime/sql/types.js';
import { generatePopulation } from '../simulation/generator.js';
import { freePort, waitHealthy } from './http.js';
import { repoRoot } from '../base/repo-root.js';
import { now, setupLine } from './lib/system.js';

const AS_OF = '2024-07-01';

/** CPU ms so far per thread of this process (Linux /proc; empty elsewhere): which thread a run's CPU is spent on. */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    const tick = 10;   // USER_HZ = 100 on Linux
    for (const t of readdirSync('/proc/self/task')) {
      const st = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      out.set(t, (Number(f[11]) + Number(f[12])) * tick);
    }
  } catch { /* not Linux */ }
  return out;
}
/** Main thread's CPU and the busiest other threads' during a run, from two threadCpu() readings. */
function threadCpuText(before: Map<string, number>, after: Map<string, number>): string {
  const d = [...after].map(([t, ms]) => [t, ms - (before.get(t) ?? 0)] as const);
  const main = d.find(([t]) => t === String(process.pid))?.[1] ?? 0;
  const others = d.filter(([t]) => t !== String(process.pid)).map(([, ms]) => ms).sort((a, b) => b - a).slice(0, 3);
  return `main ${main}, others ${others.join(', ')}`;
}
const mb = (b: number) => Math.round(b / 1048576);

/** Generated households as JSON Lines, produced as the reader asks (never all in memory). */
function registryStream(n: number): Readable {
  const gen = generatePopulation({ preset: 'dawukou', households: n, seed: 16, asOf: AS_OF });
  return Readable.from((function* () { let batch = ''; let i = 0; for (const h of gen) { batch += JSON.stringify(h) + '\n'; if (++i % 500 === 0) { yield batch; batch = ''; } } if (batch) yield batch; })());
}

async function embedded(n: number, chunk: number, threads: number | undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-monitor-'));
  const modules = loadModules(policiesDir());
  const { store } = await openStore(join(dir, 'store'), policiesDir(), modules);
  // the server's own choice of store (PGLITE_THREAD=1: PGlite on a thread of its own), without DATABASE_URL
  const sql = await openSqlStore(sqlOptionsFromEnv({ ...process.env, DATABASE_URL: undefined }, dir));
  // MONITOR_BENCH_SQL=1: CPU per statement kind (its first words), summed (meaningful with --no-thread: one lane)
  const sqlCpu: Record<string, { n: number; ms: number }> = {};
  if (process.env.MONITOR_BENCH_SQL) {
    const timed = <T extends { query: SqlStore['query'] }>(x: T): T => {
      const q = x.query.bind(x);
      x.query = (async (text: string, params?: unknown[], opts?: QueryOptions) => {
        const c = process.cpuUsage();
        try { return await q(text, params, opts); } finally {
          const d = process.cpuUsage(c); const k = text.replace(/\s+/g, ' ').trim().slice(0, 40);
          const e = (sqlCpu[k] ??= { n: 0, ms: 0 }); e.n++; e.ms += (d.user + d.system) / 1000;
        }
      }) as SqlStore['query'];
      return x;
    };
    timed(sql);
    const tr = sql.transaction.bind(sql);
    sql.transaction = ((fn: (tx: SqlExecutor) => Promise<unknown>) => tr((tx) => fn(timed(tx)))) as SqlStore['transaction'];
  }
  const phases: Record<string, number> = {};
  const log = (e: Record<string, unknown>) => { if (e.level === 'error' || e.level === 'warn') console.error(e); if (e.msg === 'monitor chunk stored') for (const k of ['prepare_ms', 'read_ms', 'evaluate_ms', 'store_ms']) phases[k] = (phases[k] ?? 0) + Number(e[k] ?? 0); };
  const app = createApp({ store, sql, keys: '', modules, log, studioDir: null, monitor: { chunkSize: chunk, threads } });
  const { registry, monitor } = app.locals.monitoring;
  const caller = { name: 'bench', role: 'admin' as const, fingerprint: 'bench', open: false };
  try {
    let t = now();
    const imported = await registry.import(registryStream(n), 'jsonl', '2024-01-01');
    const importMs = now() - t;
    const rss: number[] = [];
    const sample = setInterval(() => rss.push(process.memoryUsage().rss), 250);
    t = now();
    const cpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    const threads0 = monitor.worker.threadUtilization();
    const tcpu0 = threadCpu();
    const run = await monitor.start(AS_OF, caller);
    await monitor.worker.kick();
    const runMs = now() - t;
    const cpu = process.cpuUsage(cpu0);
    const threadCpuMs = threadCpuText(tcpu0, threadCpu());
    // event-loop busy time during the run, main thread and each evaluation thread (wall ms: on a
    // loaded machine it includes time waiting for a core, so it shows balance, not CPU)
    const mainBusyMs = performance.eventLoopUtilization(elu0).active;
    const threadBusyMs = monitor.worker.threadUtilization().map((u, i) => u.active - (threads0[i]?.active ?? 0));
    const cpuMs = (cpu.user + cpu.system) / 1000;
    clearInterval(sample);
    const view = await monitor.view(run.id);
    if (process.env.MONITOR_BENCH_SQL) console.log(Object.entries(sqlCpu).sort((a, b) => b[1].ms - a[1].ms).map(([k, v]) => `${v.ms.toFixed(0).padStart(6)} ms ${String(v.n).padStart(6)}× ${k}`).join('\n'));
    const listRows = Object.fromEntries(Object.entries(view.lists).map(([k, v]) => [k, v.total]));
    // MONITOR_BENCH_DIGEST=1: a digest of every stored result (as the view reads it) and list row, decision ids aside
    // (random per run): two builds store the same when their digests are equal
    if (process.env.MONITOR_BENCH_DIGEST) {
      const digest = async (q: string) => {
        const h = createHash('sha256');
        let n = 0;
        for (let after = ''; ;) {
          const { rows } = await sql.query<Record<string, unknown> & { k: string }>(`SELECT * FROM (${q}) s WHERE k > $2 ORDER BY k LIMIT 5000`, [run.id, after]);
          for (const r of rows) { h.update(JSON.stringify(r)); n++; }
          if (rows.length < 5000) break;
          after = rows[rows.length - 1]!.k;
        }
        return `${n} rows ${h.digest('hex').slice(0, 16)}`;
      };
      console.log(`digest: results ${await digest(`SELECT household_id || '|' || coalesce(policy, '') AS k, version, county, eligible, amount_fen, gradual_exit_until, outputs, error, household_seq, decision_id IS NULL AS no_id FROM monitor_programme_results WHERE run_id = $1`)}; `
        + `lists ${await digest(`SELECT list || '|' || household_id || '|' || policy AS k, county, detail, decision_id IS NULL AS no_id FROM monitor_list_rows WHERE run_id = $1`)}`);
    }
    return { listRows, households: imported.households, importMs, runMs, status: view.status, done: view.progress.households_done, rssMinMb: mb(Math.min(...rss)), rssMaxMb: mb(Math.max(...rss)), rssFirstMb: mb(rss[0] ?? 0), rssLastMb: mb(rss[rss.length - 1] ?? 0), phases, cpuMs, mainBusyMs, threadBusyMs, threadCpuMs };
  } finally {
    await monitor.stop();
    await store.close();
    await sql.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function startServer(url: string, dataDir: string, chunk: number, threads: number): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const env = { PATH: process.env.PATH, NODE_ENV: 'production', LOG: 'silent', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: url,
    POLICIES_DIR: policiesDir(), MONITOR_POLL_MS: '200', MONITOR_CHUNK_SIZE: String(chunk), MONITOR_THREADS: String(threads), POLICY_SERVER_GC: process.env.POLICY_SERVER_GC };
  const server = serverCommand(join(repoRoot(), 'dist/runtime/server.js'), { env });
  const proc = spawn(server.command, server.args, {
    env,
    stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  const failed = await waitHealthy(base, proc, 120_000);
  if (failed) throw new Error(failed);
  return { url: base, proc };
}

async function pgRuns(n: number, chunk: number, threads: number) {
  const base = process.env.DATABASE_URL!;
  const name = `bench_monitor_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(base); u.pathname = `/${name}`;
  const dir = mkdtempSync(join(tmpdir(), 'bench-monitor-pg-'));
  const procs: ChildProcess[] = [];
  try {
    const a = await startServer(u.toString(), join(dir, 'a'), chunk, threads); procs.push(a.proc);
    const imp = await fetch(`${a.url}/api/registry/import?effective_from=2024-01-01`, { method: 'POST', headers: { 'Content-Type': 'application/x-ndjson' }, body: Readable.toWeb(registryStream(n)) as ReadableStream, duplex: 'half' } as RequestInit);
    if (imp.status !== 200) throw new Error(`import: ${imp.status} ${await imp.text()}`);
    const timed = async (instances: number) => {
      const t = now();
      const started = await (await fetch(`${a.url}/api/monitor/runs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ as_of: AS_OF }) })).json() as { id: string };
      for (;;) {
        const r = await (await fetch(`${a.url}/api/monitor/runs/${started.id}`)).json() as { status: string };
        if (r.status !== 'running') return { instances, ms: now() - t, status: r.status };
        await new Promise((ok) => setTimeout(ok, 100));
      }
    };
    // warm-up: a first run compiles the programmes in the instance
    await timed(1);
    const one = await timed(1);
    const b = await startServer(u.toString(), join(dir, 'b'), chunk, threads); procs.push(b.proc);
    await timed(2);   // warm-up of the second instance
    const two = await timed(2);
    return { one, two, speedup: one.ms / two.ms };
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await new Promise((ok) => setTimeout(ok, 500));
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const { values } = parseArgs({ options: { households: { type: 'string' }, chunk: { type: 'string' }, pg: { type: 'boolean' }, 'no-thread': { type: 'boolean' }, threads: { type: 'string' },
    'pg-threads': { type: 'string' }, 'no-embedded': { type: 'boolean' } } });
  const n = Number(values.households ?? 100_000);
  const chunk = Number(values.chunk ?? DEFAULT_CHUNK_SIZE);   // the product's default unless --chunk
  console.log(setupLine({ households: n, chunk, load1: loadavg()[0]!.toFixed(1) }));
  const threads = values['no-thread'] ? 0 : values.threads !== undefined ? Number(values.threads) : undefined;
  if (!values['no-embedded']) {
    const e = await embedded(n, chunk, threads);
    console.log(`embedded: import ${e.households} households ${(e.importMs / 1000).toFixed(1)} s; run ${(e.runMs / 1000).toFixed(1)} s `
      + `(${Math.round(e.done / (e.runMs / 1000))} households/s, ${e.status}; process CPU ${(e.cpuMs / 1000).toFixed(1)} s, all threads); RSS during the run ${e.rssMinMb}–${e.rssMaxMb} MB (first ${e.rssFirstMb}, last ${e.rssLastMb})`);
    console.log(`run phases (ms, summed over chunks): ${JSON.stringify(e.phases)}; list rows ${JSON.stringify(e.listRows)}`);
    console.log(`busy during the run (event loop, ms): main ${Math.round(e.mainBusyMs)}${e.threadBusyMs.map((b, i) => `, thread ${i + 1} ${Math.round(b)}`).join('')} of ${Math.round(e.runMs)}; CPU per household ${Math.round(e.cpuMs * 1000 / Math.max(1, e.done))} µs; CPU by thread (ms) ${e.threadCpuMs}`);
  }
  if (values.pg) {
    if (!process.env.DATABASE_URL) throw new Error('--pg needs DATABASE_URL');
    const pgThreads = Number(values['pg-threads'] ?? 0);
    const r = await pgRuns(n, chunk, pgThreads);
    console.log(`postgres (MONITOR_THREADS=${pgThreads} per instance): 1 instance ${(r.one.ms / 1000).toFixed(1)} s, 2 instances ${(r.two.ms / 1000).toFixed(1)} s — speed-up ×${r.speedup.toFixed(2)}`);
  }
}

// exit when done: an idle language worker's port would otherwise keep the process waiting
main().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
