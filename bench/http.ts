// Issue 8: the real HTTP server (`node dist/runtime/server.js`, PORT, DATA_DIR in a temp dir)
// under autocannon on loopback: single-household evaluate at a fixed 1,000 req/s (target
// p99 < 10 ms), the same unthrottled (max req/s), and batches of 10,000 households per request.
// Skips with a message when the runtime is not built or does not start.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import autocannon from 'autocannon';
import { generateHouseholds, AS_OF } from './lib/households.js';
import { median, now, repoRoot, setupLine } from './lib/system.js';

export interface HttpResult {
  skipped?: string;
  fixed?: { rate: number; reqPerSec: number; p50: number; p99: number; p999: number; errors: number; non2xx: number; durationS: number; connections: number };
  max?: { reqPerSec: number; p50: number; p99: number; errors: number; non2xx: number; durationS: number; connections: number };
  batch?: { households: number; runs: number; medianMs: number; householdsPerSec: number; bodyMB: number; ok: boolean };
  policyId: string; pinned: string;
}

const POLICY = 'dawukou-dibao';

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => { const a = s.address(); const p = typeof a === 'object' && a ? a.port : 0; s.close(() => ok(p)); });
  });
}

async function waitHealthy(url: string, child: ChildProcess, ms = 20000): Promise<string | undefined> {
  const t = now();
  while (now() - t < ms) {
    if (child.exitCode !== null) return `server exited with code ${child.exitCode}`;
    try { const r = await fetch(`${url}/api/health`); if (r.ok) return undefined; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  return 'server did not answer /api/health within 20 s';
}

function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((ok, fail) => { autocannon(opts, (err, res) => (err ? fail(err) : ok(res))); });
}

export async function runHttp(opt: { durationS?: number; rate?: number; connections?: number; batchRuns?: number; serverCpu?: string } = {}): Promise<HttpResult> {
  const durationS = opt.durationS ?? 10, rate = opt.rate ?? 1000, connections = opt.connections ?? 10, batchRuns = opt.batchRuns ?? 5;
  const root = repoRoot();
  const serverJs = join(root, 'dist', 'runtime', 'server.js');
  const res: HttpResult = { policyId: POLICY, pinned: opt.serverCpu ? `server on cpu ${opt.serverCpu}` : 'not pinned' };
  console.log(`\n## HTTP benchmark (autocannon, loopback)\n${setupLine({ 'server cpu': opt.serverCpu ?? 'any' })}`);
  if (!existsSync(serverJs)) { res.skipped = `SKIPPED: ${serverJs} does not exist (runtime not built: run npm run build)`; console.log(res.skipped); return res; }
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-data-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const cmd = opt.serverCpu && existsSync('/usr/bin/taskset') ? '/usr/bin/taskset' : process.execPath;
  const args = cmd === process.execPath ? [serverJs] : ['-c', opt.serverCpu!, process.execPath, serverJs];
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG: 'silent' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += String(d); });
  try {
    const bad = await waitHealthy(url, child);
    if (bad) { res.skipped = `SKIPPED: ${bad}${stderr ? `: ${stderr.trim().slice(0, 300)}` : ''}`; console.log(res.skipped); return res; }
    const hs = generateHouseholds(1000, 4242);
    const bodies = hs.map((h) => JSON.stringify({ household: h, as_of: AS_OF }));
    const probe = await fetch(`${url}/api/policies/${POLICY}/evaluate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[0] });
    if (!probe.ok) { res.skipped = `SKIPPED: POST /api/policies/${POLICY}/evaluate answered ${probe.status}: ${(await probe.text()).slice(0, 300)}`; console.log(res.skipped); return res; }
    let k = 0;
    const base: autocannon.Options = {
      url: `${url}/api/policies/${POLICY}/evaluate`, method: 'POST', connections, headers: { 'content-type': 'application/json' },
      requests: [{ setupRequest: (r: autocannon.Request) => ({ ...r, body: bodies[k++ % bodies.length] }) }],
    } as autocannon.Options;
    await cannon({ ...base, duration: 3 });   // warm-up (JIT, compile cache)
    const fixed = await cannon({ ...base, duration: durationS, overallRate: rate });
    res.fixed = { rate, reqPerSec: fixed.requests.average, p50: fixed.latency.p50, p99: fixed.latency.p99, p999: fixed.latency.p99_9, errors: fixed.errors + fixed.timeouts, non2xx: fixed.non2xx, durationS, connections };
    console.log(`fixed ${rate} req/s, ${connections} connections, ${durationS} s: ${fixed.requests.average.toFixed(0)} req/s, latency p50 ${fixed.latency.p50} ms, p99 ${fixed.latency.p99} ms, p99.9 ${fixed.latency.p99_9} ms, errors ${fixed.errors}, non-2xx ${fixed.non2xx} (target p99 < 10 ms: ${fixed.latency.p99 < 10 ? 'met' : 'MISSED'})`);
    const max = await cannon({ ...base, duration: durationS });
    res.max = { reqPerSec: max.requests.average, p50: max.latency.p50, p99: max.latency.p99, errors: max.errors + max.timeouts, non2xx: max.non2xx, durationS, connections };
    console.log(`unthrottled, ${connections} connections, ${durationS} s: ${max.requests.average.toFixed(0)} req/s, latency p50 ${max.latency.p50} ms, p99 ${max.latency.p99} ms, non-2xx ${max.non2xx}`);
    // batch: 10,000 households per request, sequential requests
    const batchHs = generateHouseholds(10_000);
    const body = JSON.stringify({ households: batchHs, as_of: AS_OF });
    const ms: number[] = [];
    let ok = true;
    for (let i = 0; i < batchRuns + 1; i++) {
      const t = now();
      const r = await fetch(`${url}/api/policies/${POLICY}/evaluate/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const j = await r.json() as { results?: unknown[] };
      const dt = now() - t;
      if (!r.ok || j.results?.length !== batchHs.length) { ok = false; console.log(`batch answered ${r.status}`); break; }
      if (i > 0) ms.push(dt);   // the first is warm-up
    }
    const m = median(ms);
    res.batch = { households: batchHs.length, runs: ms.length, medianMs: m, householdsPerSec: (batchHs.length / m) * 1000, bodyMB: body.length / 2 ** 20, ok };
    console.log(`batch of ${batchHs.length} households (${res.batch.bodyMB.toFixed(1)} MB request): median ${m.toFixed(0)} ms per request over ${ms.length} runs = ${res.batch.householdsPerSec.toFixed(0)} households/s`);
    return res;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => { if (child.exitCode !== null) r(null); else child.once('exit', r); setTimeout(r, 5000); });
    rmSync(dataDir, { recursive: true, force: true });
  }
}
