// Entry point: reads the environment (PORT, HOST, DATA_DIR, DATABASE_URL, API_KEYS, POLICIES_DIR,
// LOG, SIMULATION_WARM, STUDIO_ADMIN and STUDIO_ADMIN_PASSWORD: the first admin account), opens the stores (seeding them from policies/ on first start), listens, and shuts down
// gracefully on SIGTERM/SIGINT (stop accepting, finish in-flight requests and writes, exit).
// Two modes: embedded (no DATABASE_URL: policy documents in DATA_DIR's lowdb file, one process
// per DATA_DIR by its lock file, decisions in PGlite under DATA_DIR/sql), and served (all state
// in the PostgreSQL server of DATABASE_URL; any number of instances, no lock file).
import type { Server } from 'node:http';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApp } from './app.js';
import { createHttpServer } from './http-server.js';
import { simulationService } from './routes/simulations.js';
import { parseApiKeys } from './auth.js';
import type { Logger } from './errors.js';
import { createLogger } from './log.js';
import { gcMode, runningGcMode } from './gc-mode.js';
import type { UserService } from './services/users.js';
import { policiesDir as defaultPoliciesDir } from './paths.js';
import { Language, loadModules, type ModuleSources } from './services/language.js';
import { LowdbStore } from './store/lowdb-store.js';
import { seedStore, type SeedResult } from './store/seed.js';
import { SqlPolicyStore } from './store/sql-store.js';
import type { Store } from './store/types.js';
import { openSqlStore, sqlOptionsFromEnv } from './sql/open.js';
import { parseMonitorCron } from './services/monitor/schedule.js';
import { monitorThreads, wholeNumberSetting } from './services/monitor/worker.js';
import type { SqlStore } from './sql/types.js';

export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** Opens DATA_DIR's store; when it was empty, seeds it from policies/. */
export async function openStore(dataDir: string, policiesDir: string, modules: ModuleSources): Promise<{ store: LowdbStore; seeded?: SeedResult }> {
  const store = await LowdbStore.open(dataDir);
  return { store, seeded: await seedIfFresh(store, policiesDir, modules) };
}

/** Seeds an empty store from policies/ (undefined when it was not empty). */
export async function seedIfFresh(store: Store, policiesDir: string, modules: ModuleSources): Promise<SeedResult | undefined> {
  if (!store.fresh) return undefined;
  const lang = new Language(modules);
  return seedStore(store, policiesDir, (source, file) => {
    const info = lang.analyze(source, file).info;
    return { id: info?.id ?? null, effective: info?.effective ?? null, note: info?.note ?? null };
  });
}

export interface Stores { store: Store; sql: SqlStore; seeded?: SeedResult }

/**
 * The stores of this process: with DATABASE_URL, the server holds everything (migrations are
 * applied on start, under an advisory lock); without it, lowdb in DATA_DIR and PGlite under it.
 */
export async function openStores(env: NodeJS.ProcessEnv, dataDir: string, policiesDir: string, modules: ModuleSources, log: Logger): Promise<Stores> {
  let store: Store | undefined;
  let sql: SqlStore | undefined;
  try {
    if (env.DATABASE_URL) {
      sql = await openSqlStore(sqlOptionsFromEnv(env, dataDir));
      store = await SqlPolicyStore.open(sql, log);
    } else {
      // the lock first: PGlite's folder under DATA_DIR must not be opened by a second process
      store = await LowdbStore.open(dataDir);
      sql = await openSqlStore(sqlOptionsFromEnv(env, dataDir));
    }
    return { store, sql, seeded: await seedIfFresh(store, policiesDir, modules) };
  } catch (e) {
    await store?.close().catch(() => undefined);
    await sql?.close().catch(() => undefined);
    throw e;
  }
}

export interface Running { server: Server; store: Store; sql: SqlStore; url: string; close(): Promise<void> }

/** Creates the first admin from STUDIO_ADMIN / STUDIO_ADMIN_PASSWORD while there are no accounts;
 *  then refuses local open mode (no keys, no accounts) on a non-loopback address. */
async function openModeCheck(users: UserService, keys: Map<string, unknown>, host: string, env: NodeJS.ProcessEnv, log: Logger): Promise<void> {
  if (env.STUDIO_ADMIN) {
    if (!env.STUDIO_ADMIN_PASSWORD) throw new Error('STUDIO_ADMIN is set without STUDIO_ADMIN_PASSWORD');
    const made = await users.bootstrap(env.STUDIO_ADMIN, env.STUDIO_ADMIN_PASSWORD);
    if (made) log({ msg: 'first admin account created', name: made.name });
  }
  await users.refresh(true);
  if (keys.size > 0 || users.anyUsers) return;
  if (!isLoopback(host)) {
    throw new Error(`API_KEYS is not set and there are no accounts (local open mode, everyone is admin): refusing to bind to non-loopback HOST=${host}. Set API_KEYS or STUDIO_ADMIN, or use HOST=127.0.0.1.`);
  }
  log({ level: 'warn', msg: 'API_KEYS not set and no accounts: local open mode, every caller is admin; bound to loopback only', host });
}


/** SIMULATION_WARM: `start` (the default) or `lazy`; anything else stops the server at start-up
 *  (a misspelt value would otherwise fall back to the default unnoticed). */
export function simulationWarm(text: string | undefined): 'start' | 'lazy' {
  const v = (text ?? 'start').trim();
  if (v === 'start' || v === 'lazy') return v;
  throw new Error(`SIMULATION_WARM "${v.slice(0, 20)}": expected start (load the simulation workers after start-up) or lazy (at the first simulation)`);
}

export async function start(env: NodeJS.ProcessEnv = process.env, log: Logger = createLogger(env)): Promise<Running> {
  const warm = simulationWarm(env.SIMULATION_WARM);
  // POLICY_SERVER_GC is applied by the launcher (start.ts), which node's flags must come from:
  // checked here too, so a misspelt value stops a server started without it as well
  const gc = gcMode(env.POLICY_SERVER_GC, availableParallelism());
  // monitoring settings are checked before any store opens: a misspelt one stops the server here
  const monitorSettings = {
    pollMs: env.MONITOR_POLL_MS ? wholeNumberSetting('MONITOR_POLL_MS', env.MONITOR_POLL_MS, 0, 3_600_000) : undefined,
    leaseMs: env.MONITOR_LEASE_MS ? wholeNumberSetting('MONITOR_LEASE_MS', env.MONITOR_LEASE_MS, 100, 3_600_000) : undefined,
    chunkSize: env.MONITOR_CHUNK_SIZE ? wholeNumberSetting('MONITOR_CHUNK_SIZE', env.MONITOR_CHUNK_SIZE, 1, 100_000) : undefined,
    threads: env.MONITOR_THREADS ? monitorThreads(env.MONITOR_THREADS) : undefined,
  };
  const schedule = env.MONITOR_CRON ? parseMonitorCron(env.MONITOR_CRON) : undefined;
  const port = Number(env.PORT ?? 3000);
  const host = env.HOST ?? '127.0.0.1';
  const dataDir = resolve(env.DATA_DIR ?? './data');
  const keys = parseApiKeys(env.API_KEYS);
  const policies = defaultPoliciesDir(env);
  const modules = loadModules(policies);
  const { store, sql, seeded } = await openStores(env, dataDir, policies, modules, log);
  if (seeded) log({ msg: 'seeded store from policies/', dir: policies, policies: seeded.policies, versions: seeded.versions, warnings: seeded.warnings });
  log({ msg: 'sql store open', mode: sql.kind, policy_store: store instanceof SqlPolicyStore ? 'sql' : 'lowdb' });
  // monitoring runs: resumed after a restart, shared with other instances on the same database
  // (MONITOR_POLL_MS, MONITOR_LEASE_MS, MONITOR_CHUNK_SIZE, MONITOR_THREADS, MONITOR_CRON: docs/monitoring.md)
  // embedded (PGlite in DATA_DIR, one process per folder by the lock): decisions through a journal beside it
  const decisionJournal = sql.kind === 'pglite' ? join(dataDir, 'sql-journal') : undefined;
  const app = createApp({ store, sql, keys, modules, log, decisionJournal, monitor: {
    ...monitorSettings, pollMs: monitorSettings.pollMs ?? (sql.kind === 'postgres' ? 2000 : 0),
  } });
  try {
    await openModeCheck(app.locals.ctx.users, keys, host, env, log);
  } catch (e) {
    await sql.close();
    await store.close();
    throw e;
  }
  // the language workers start now, not on the first check, and analyse the stored policies
  // in the background (the first listing after a restart then does not analyse on the event loop)
  app.locals.ctx.lang.pool.warm();
  void app.locals.ctx.lang.prefetch(Object.values(store.data.policies).map((p) => p.versions[p.versions.length - 1]?.source ?? p.draft.source));
  const server = await new Promise<Server>((ok, fail) => {
    const s = createHttpServer(app).listen(port, host, () => ok(s));
    s.once('error', fail);
  }).catch(async (e: unknown) => { await store.close(); await sql.close(); throw e; });
  // A request the HTTP parser rejects (bad framing, oversized headers) still gets the JSON error shape.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) { socket.destroy(); return; }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify({ error: {
      code: tooLarge ? 'request.headers_too_large' : 'request.malformed_http',
      message: tooLarge ? '请求头过大 / Request headers too large' : 'HTTP 请求格式错误 / Malformed HTTP request',
      details: [],
    } });
    socket.end(`HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  const addr = server.address();
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${typeof addr === 'object' && addr ? addr.port : port}`;
  app.locals.monitoring.monitor.worker.startPolling();
  // the simulation workers: loading them takes seconds, so they are started once, once listening
  // (not competing with the start-up for the cores), and kept warm from job to job; with
  // SIMULATION_WARM=lazy at the first simulation instead (a server that may never run one)
  if (warm === 'start') simulationService(app.locals.ctx).warm();
  if (schedule) app.locals.monitoring.monitor.schedule(schedule);
  if (env.POLICY_SERVER_GC && gc !== runningGcMode()) log({ level: 'warn', msg: `POLICY_SERVER_GC wants the ${gc} collector, node runs the ${runningGcMode()} one: start with node dist/runtime/start.js (npm start) for the flags` });
  log({ msg: 'listening', url, data: store instanceof SqlPolicyStore ? null : dataDir, mode: keys.size || app.locals.ctx.users.anyUsers ? 'keys' : 'open', sql: sql.kind,
        store: store instanceof SqlPolicyStore ? 'postgres' : 'lowdb', review_required: app.locals.ctx.reviewRequired, gc: runningGcMode() });
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= (async () => {
    await new Promise<void>((ok) => {
      server.close(() => ok());
      // Keep-alive connections close as soon as their in-flight request is answered.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      server.once('close', () => clearInterval(sweep));
      server.closeIdleConnections();
    });
    await app.locals.monitoring.monitor.stop();
    await simulationService(app.locals.ctx).close();
    await app.locals.ctx.decisions.repo.flushed();
    await store.close();
    await sql.close();
  })());
  return { server, store, sql, url, close };
}

/** Starts the server from the environment and stops it on SIGTERM or SIGINT (runtime/start.ts, or node dist/runtime/server.js). */
export async function main(): Promise<void> {
  const log = createLogger();
  let running: Running;
  try {
    running = await start(process.env, log);
  } catch (e) {
    log({ level: 'error', msg: 'cannot start', error: (e as Error).message });
    process.stderr.write(`cannot start: ${(e as Error).message}\n`);
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    // a second signal while stopping is ignored, not fatal: under the launcher (runtime/start.ts)
    // a signal sent to the whole group (Ctrl-C, systemd) arrives once directly and once forwarded;
    // the 10 s limit below still bounds the stop
    if (stopping) { log({ msg: 'already shutting down', signal }); return; }
    stopping = true;
    log({ msg: 'shutting down', signal });
    const force = setTimeout(() => { log({ level: 'error', msg: 'forced exit after 10 s' }); process.exit(1); }, 10_000);
    force.unref();
    running.close().then(() => { log({ msg: 'stopped' }); process.exit(0); }, (e) => { log({ level: 'error', msg: 'shutdown failed', error: String(e) }); process.exit(1); });
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => shutdown(signal));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  void main();
}
