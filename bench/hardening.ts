// `npm run bench:hardening` (issue 21): starts the real server (dist/runtime/server.js, its own
// process, fresh DATA_DIR), sends each hostile source (bench/hostile.ts) to POST /api/check and
// to PUT …/draft, and times each answer (target: within 2 s, a result or 422 policy.too_complex)
// while another client polls GET /api/health every 10 ms and keeps the worst latency seen
// during each request (target: under 50 ms). Prints a table with PASS/FAIL per target and a
// verdict per source; writes dist/bench/hardening.json. The exit code is 1 if a target is missed.
// BENCH_SERVER_ARGS passes node options to the server (e.g. --cpu-prof, --trace-gc).
import { spawn, type ChildProcess } from 'node:child_process';
import { flagsFrom, serverCommand } from './lib/server-node.js';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HOSTILE } from './hostile.js';

/** n rules of one output, each on two conditions, all overlapping: ~935 KB for 12,000, which
 *  takes about the whole 1.5 s CPU budget to check here, so the answer is either a result at
 *  about the budget or the refusal at the wall-time cap (the sources of issue 21 are now checked
 *  well within it: conflict checking is an interval sweep). */
function budgetSizedRules(n: number, id = 'hostile'): string {
  const rules: string[] = [];
  for (let i = 1; i <= n; i++) rules.push(`  规则 r${i} 依据「t」: 当 household.distance_to_hq_km >= ${i % 50} 且 人数(成员) > ${i % 7} 时 ${i} 元/月`);
  return `政策 ${id}「压力测试」\n  项目「测试」\n  辖区「测试区」\n  使用「common/household」\n\n输出 amount「金额」 =\n${rules.join('\n')}\n  否则 0 元/月\n`;
}

const SOURCES = [...HOSTILE, { name: '12,000 two-condition rules (the whole budget)', source: (id?: string) => budgetSizedRules(12_000, id) }];
import { defaultBudget } from '../runtime/workers/pool.js';
import { repoRoot } from '../base/repo-root.js';
import { setupLine, table } from './lib/system.js';

export interface HardeningRow {
  source: string; endpoint: string; bytes: number; status: number; code: string | null; ms: number;
  healthPolls: number; healthMaxMs: number;
  /** A result or 422 policy.too_complex within TARGET_MS (null: the control row sends no job). */
  answerOk: boolean | null;
  /** Every health poll during the request under HEALTH_TARGET_MS. */
  healthOk: boolean;
  ok: boolean;
}

const verdict = (ok: boolean | null) => (ok === null ? '—' : ok ? 'PASS' : 'FAIL');

const TARGET_MS = 2000;
const HEALTH_TARGET_MS = 50;
const POLL_MS = 10;

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

function call(url: string, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; ms: number }> {
  const t0 = process.hrtime.bigint();
  return new Promise((ok, fail) => {
    const u = new URL(path, url);
    const req = http.request({ host: u.hostname, port: u.port, method, path: u.pathname, agent,
      headers: { ...(body !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode!, text: Buffer.concat(chunks).toString('utf8'), ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(body);
  });
}

/** Polls /api/health every POLL_MS (one at a time) until stopped; returns each latency. */
function pollHealth(url: string): { stop(): Promise<number[]> } {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const r = await call(url, 'GET', '/api/health');
      if (r.status !== 200) throw new Error(`health answered ${r.status}`);
      latencies.push(r.ms);
      await new Promise((ok) => setTimeout(ok, POLL_MS));
    }
  })();
  return { async stop() { running = false; await loop; return latencies; } };
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => ok(p)); });
    s.once('error', fail);
  });
}

/** Waits until the server answers and its language workers are loaded (health says so). */
async function waitHealthy(url: string, child?: ChildProcess): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    if (child && child.exitCode !== null) throw new Error(`server exited (${child.exitCode})`);
    try {
      const r = await call(url, 'GET', '/api/health');
      const lang = r.status === 200 ? (JSON.parse(r.text) as { language?: { workers: number; ready: number } }).language : undefined;
      if (lang && lang.ready === lang.workers) return;
    } catch { /* not yet */ }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error('server did not become healthy in 30 s');
}

/** Sends every hostile source to the check endpoint and the draft save, health polled meanwhile. */
export async function measure(url: string, say: (s: string) => void = console.log, child?: ChildProcess): Promise<HardeningRow[]> {
  const created = await call(url, 'POST', '/api/policies', JSON.stringify({ id: 'hostile' }));
  if (created.status !== 201 && created.status !== 409) throw new Error(`cannot create the policy: ${created.status} ${created.text.slice(0, 200)}`);
  const rows: HardeningRow[] = [];
  // the control: the same polling with no job at all (what the machine's load alone costs health)
  {
    const poll = pollHealth(url);
    await new Promise((ok) => setTimeout(ok, 1500));
    const lat = await poll.stop();
    const healthMaxMs = Math.max(0, ...lat);
    const healthOk = healthMaxMs < HEALTH_TARGET_MS;
    rows.push({ source: 'none (idle server, control)', endpoint: '—', bytes: 0, status: 0, code: null, ms: 0, healthPolls: lat.length, healthMaxMs, answerOk: null, healthOk, ok: healthOk });
    say(`control, no job: health max ${healthMaxMs.toFixed(1)} ms over ${lat.length} polls`);
  }
  for (const h of SOURCES) {
    for (const [endpoint, method, path, extra, id] of [
      ['POST /api/check', 'POST', '/api/check', {}, 'hostile-check'],
      ['PUT …/draft', 'PUT', '/api/policies/hostile/draft', { 'If-Match': '*' }, 'hostile'],
    ] as const) {
      const source = h.source(id);   // a different text per endpoint: no cached answer
      const bytes = Buffer.byteLength(source);
      const payload = JSON.stringify({ source });   // before polling: this client's own work must not delay its polls
      await waitHealthy(url, child);   // the previous job's worker replaced, its spare loaded
      const poll = pollHealth(url);
      await new Promise((ok) => setTimeout(ok, 3 * POLL_MS));
      const r = await call(url, method, path, payload, extra);
      const lat = await poll.stop();
      let code: string | null = null;
      try { code = (JSON.parse(r.text) as { error?: { code?: string } }).error?.code ?? null; } catch { code = 'unparseable'; }
      const healthMaxMs = Math.max(0, ...lat);
      const answerOk = r.ms <= TARGET_MS && (r.status === 200 || (r.status === 422 && code === 'policy.too_complex'));
      const healthOk = healthMaxMs < HEALTH_TARGET_MS;
      rows.push({ source: h.name, endpoint, bytes, status: r.status, code, ms: r.ms, healthPolls: lat.length, healthMaxMs, answerOk, healthOk, ok: answerOk && healthOk });
      say(`${h.name} → ${endpoint}: ${r.status}${code ? ` ${code}` : ''} in ${r.ms.toFixed(0)} ms [${verdict(answerOk)}]; health max ${healthMaxMs.toFixed(1)} ms over ${lat.length} polls [${verdict(healthOk)}]`);
    }
  }
  return rows;
}

export async function runHardening(say: (s: string) => void = console.log): Promise<HardeningRow[]> {
  const root = repoRoot();
  const serverJs = join(root, 'dist', 'runtime', 'server.js');
  if (!existsSync(serverJs)) throw new Error(`${serverJs} does not exist: run npm run build`);
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-hardening-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // BENCH_SERVER_ARGS: extra node options for the server (e.g. --cpu-prof to see what its main thread does)
  const nodeArgs = flagsFrom(process.env.BENCH_SERVER_ARGS);
  const server = serverCommand(serverJs, { extra: nodeArgs });
  const child = spawn(server.command, server.args, { cwd: root, env: { ...process.env, DATABASE_URL: undefined, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG: 'silent', API_KEYS: '' }, stdio: ['ignore', nodeArgs.length ? 'inherit' : 'ignore', 'pipe'] });
  try {
    await waitHealthy(url, child);
    say(`# Hardening bench (issue 21)\n${setupLine()}\nserver: ${serverJs}, budget per job ${defaultBudget().timeMs} ms / ${defaultBudget().memoryMb} MB heap; health polled every ${POLL_MS} ms\n`);
    const rows = await measure(url, say, child);
    say(`\n${table(['source', 'endpoint', 'size', 'answer', 'time', `answer ≤ ${TARGET_MS / 1000} s`, 'health max', `health < ${HEALTH_TARGET_MS} ms`],
      rows.map((r) => [r.source, r.endpoint, `${(r.bytes / 1024).toFixed(0)} KB`, r.status ? `${r.status}${r.code ? ` ${r.code}` : ''}` : '—', r.status ? `${r.ms.toFixed(0)} ms` : '—',
        verdict(r.answerOk), `${r.healthMaxMs.toFixed(1)} ms`, verdict(r.healthOk)]))}`);
    say('');
    for (const name of [...new Set(rows.map((r) => r.source))]) {
      const mine = rows.filter((r) => r.source === name);
      const worst = (f: (r: HardeningRow) => number, digits = 0) => Math.max(...mine.map(f)).toFixed(digits);
      say(`${mine.every((r) => r.ok) ? 'PASS' : 'FAIL'}  ${name}: ${mine[0]!.answerOk === null ? '' : `slowest answer ${worst((r) => r.ms)} ms (target ≤ ${TARGET_MS} ms), `}`
        + `worst health ${worst((r) => r.healthMaxMs, 1)} ms (target < ${HEALTH_TARGET_MS} ms)`);
    }
    say(`load average at the end (1, 5, 15 min): ${loadavg().map((x) => x.toFixed(2)).join(', ')}`);
    const out = join(root, 'dist', 'bench');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'hardening.json'), JSON.stringify({ at: new Date().toISOString(), setup: setupLine(), rows }, null, 2));
    return rows;
  } finally {
    agent.destroy();
    child.kill('SIGTERM');
    await new Promise((ok) => { if (child.exitCode !== null) ok(undefined); else child.once('exit', ok); });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runHardening().then((rows) => { process.exitCode = rows.every((r) => r.ok) ? 0 : 1; }, (e: unknown) => { console.error(e); process.exit(1); });
}
