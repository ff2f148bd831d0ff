// The real server, compiled by the TypeScript compiler and run by node: killed with SIGKILL again and again during
// a stream of writes, restarted, and checked (the store always loads, no acknowledged write is
// lost). Also: graceful SIGTERM, JSON request logs, refusing a public HOST in open mode.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DB_FILE } from '../../runtime/store/lowdb-store.js';
import { household, tempDir } from './helpers.js';
import { api, ROOT, sleep, startServer, useServerBuild } from './server-process.js';

useServerBuild();

describe('crash safety (SIGKILL during writes)', () => {
  it('the store always loads after a kill and no acknowledged write is lost', async () => {
    const dataDir = tempDir('crash-');
    const ackedPolicies: string[] = [];
    let acked = { revision: 1, scenarios: '' };
    let counter = 0;

    for (let round = 0; round < 3; round++) {   // three kills: each a fresh start, storm and check
      const s = await startServer(dataDir);
      // Everything acknowledged before the previous kill is there.
      const list = await api(s.url, 'GET', '/api/policies');
      expect(list.status).toBe(200);
      const ids = new Set(list.body.policies.map((p: { id: string }) => p.id));
      for (const id of ackedPolicies) expect(ids.has(id), `acknowledged ${id} survived`).toBe(true);
      const d = await api(s.url, 'GET', '/api/policies/fx-dibao/draft');
      expect(d.body.revision).toBeGreaterThanOrEqual(acked.revision);
      if (d.body.revision === acked.revision && acked.scenarios) expect(d.body.scenarios).toBe(acked.scenarios);

      // A stream of writes from 4 concurrent writers, then SIGKILL at a random moment.
      let stop = false;
      const writer = async (w: number) => {
        while (!stop) {
          try {
            if (w % 2 === 0) {
              const id = `crash-${round}-${w}-${counter++}`;
              const r = await api(s.url, 'POST', '/api/policies', { id });
              if (r.status === 201) ackedPolicies.push(id);
            } else {
              const cur = await api(s.url, 'GET', '/api/policies/fx-dibao/draft');
              const scenarios = `# write ${counter++}\n`;
              const r = await api(s.url, 'PUT', '/api/policies/fx-dibao/draft', { scenarios }, { 'If-Match': cur.headers.get('etag')! });
              if (r.status === 200 && r.body.revision > acked.revision) acked = { revision: r.body.revision, scenarios };
            }
          } catch { return; /* connection reset by the kill: not acknowledged */ }
        }
      };
      const writers = [0, 1, 2, 3].map(writer);
      // Kill at a random moment once this round has some acknowledged writes (a time-only
      // trigger would make the test depend on how loaded the machine is).
      const startAcks = ackedPolicies.length, startRev = acked.revision;
      for (let waited = 0; waited < 15_000 && (ackedPolicies.length - startAcks < 5 || acked.revision - startRev < 2); waited += 20) await sleep(20);
      await sleep(Math.floor(Math.random() * 200));
      s.proc.kill('SIGKILL');
      stop = true;
      await Promise.all(writers);
      await s.exited;
      // The file on disk is whole JSON at every kill.
      expect(() => JSON.parse(readFileSync(join(dataDir, DB_FILE), 'utf8'))).not.toThrow();
    }
    expect(ackedPolicies.length).toBeGreaterThanOrEqual(15);
    expect(acked.revision).toBeGreaterThanOrEqual(7);

    const last = await startServer(dataDir);
    const audit = await api(last.url, 'GET', '/api/audit');
    const seqs = audit.body.entries.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual(seqs.map((_: number, i: number) => i + 1)); // gap-free, append-only
    last.proc.kill('SIGKILL');
    await last.exited;
  }, 150_000);
});

describe('the server process', () => {
  it('shuts down gracefully on SIGTERM: in-flight writes finish, exit code 0, data kept', async () => {
    const dataDir = tempDir('term-');
    const s = await startServer(dataDir);
    const writes = Array.from({ length: 10 }, (_, i) => api(s.url, 'POST', '/api/policies', { id: `term-${i}` }).catch(() => null));
    await sleep(5);
    s.proc.kill('SIGTERM');
    const results = await Promise.all(writes);
    expect(await s.exited).toBe(0);
    const ok = results.filter((r) => r?.status === 201).map((r) => r!.body.id);
    const data = JSON.parse(readFileSync(join(dataDir, DB_FILE), 'utf8'));
    for (const id of ok) expect(data.policies[id]).toBeDefined();
    expect(s.lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
  }, 30_000);

  it('logs one JSON line per request, seeds on first start, and evaluates over real HTTP', async () => {
    const s = await startServer(tempDir('log-'), { API_KEYS: 'k1:admin,k2:client' });
    try {
      expect(s.lines.some((l) => /"msg":"seeded store/.test(l) && l.includes('fx-dibao'))).toBe(true);
      const r = await api(s.url, 'POST', '/api/policies/fx-dibao/evaluate', { household: household(), as_of: '2024-06-01' }, { Authorization: 'Bearer k2' });
      expect(r.status).toBe(200);
      expect(r.body.outputs.monthly_amount).toBe('1050.00');
      expect((await api(s.url, 'GET', '/api/audit', undefined, { Authorization: 'Bearer k2' })).status).toBe(403);
      await sleep(50);
      const logs = s.lines.map((l) => JSON.parse(l)).filter((j) => j.msg === 'request');
      expect(logs).toHaveLength(2);
      expect(logs[0]).toMatchObject({ method: 'POST', path: '/api/policies/fx-dibao/evaluate', status: 200, role: 'client', ms: expect.any(Number), id: expect.any(String) });
      expect(logs[1]).toMatchObject({ path: '/api/audit', status: 403 });
      // A request the HTTP parser rejects still gets the JSON error shape.
      const { port } = new URL(s.url);
      const raw = await new Promise<string>((ok) => {
        const sock = net.connect(Number(port), '127.0.0.1', () => sock.write('GARBAGE / HTTP/1.1\r\n\r\n'));
        let got = '';
        sock.on('data', (c) => { got += c.toString(); });
        sock.on('close', () => ok(got));
      });
      expect(raw).toMatch(/^HTTP\/1\.1 400/);
      expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)).error.code).toBe('request.malformed_http');
    } finally {
      s.proc.kill('SIGTERM');
      await s.exited;
    }
  }, 30_000);

  it('in local open mode (no API_KEYS) refuses a non-loopback HOST, and says so', async () => {
    await expect(startServer(tempDir('open-'), { HOST: '0.0.0.0' })).rejects.toThrow(/refusing to bind to non-loopback HOST=0\.0\.0\.0/);
  }, 30_000);

  it('a second server on the same DATA_DIR refuses to start', async () => {
    const dataDir = tempDir('twice-');
    const first = await startServer(dataDir);
    try {
      await expect(startServer(dataDir)).rejects.toThrow(/another server uses this DATA_DIR/);
    } finally {
      first.proc.kill('SIGTERM');
      await first.exited;
    }
  }, 30_000);

  it('refuses to start with a malformed API_KEYS', async () => {
    await expect(startServer(tempDir('keys-'), { API_KEYS: 'k1:superuser' })).rejects.toThrow(/unknown role "superuser"/);
  }, 30_000);
});

describe('docs/api.md curl examples', () => {
  /** The ```sh blocks of docs/api.md (or another markdown file), in order. */
  function blocks(file = join(ROOT, 'docs', 'api.md')): string[] {
    const md = readFileSync(file, 'utf8');
    return [...md.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  }
  function run(script: string, url: string, apiKey: string, cwd: string) {
    const r = spawnSync('bash', ['-eo', 'pipefail', '-c', script.replaceAll('http://127.0.0.1:3000', url)], {
      cwd, env: { PATH: process.env.PATH, API_KEY: apiKey }, encoding: 'utf8', timeout: 20_000,
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  }

  it('evaluate, batch and publish work as printed (open mode, fresh DATA_DIR, shipped policies)', async () => {
    const [evaluate, batch, publish] = blocks();
    const s = await startServer(tempDir('docs-'), { POLICIES_DIR: join(ROOT, 'policies') });
    try {
      const cwd = tempDir('docs-cwd-');
      const e = run(evaluate!, s.url, '', cwd);
      expect(e.code, e.out + e.err).toBe(0);
      expect(JSON.parse(e.out)).toMatchObject({ policy: 'dawukou-dibao', as_of: '2024-06-01', outputs: { eligible: expect.any(Boolean) } });
      const b = run(batch!, s.url, '', cwd);
      expect(b.code, b.out + b.err).toBe(0);
      const results = JSON.parse(b.out).results;
      expect(results[0].outputs).toBeDefined();
      expect(results[1].error.code).toBe('household.invalid');
      const p = run(publish!, s.url, '', cwd);
      expect(p.code, p.out + p.err).toBe(0);
      expect(p.out).toContain('"status":"published"');
      expect(p.out).toContain('"effective_from":"2025-01-01"');
      // the JSON Lines batch: header, one result (900 ÷ 1 < 650? no: not eligible), trailer
      const n = run(blocks()[4]!, s.url, '', cwd);
      expect(n.code, n.out + n.err).toBe(0);
      const lines = n.out.trim().split('\n').map((l) => JSON.parse(l));
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatchObject({ policy: 'dawukou-dibao', version: 2, as_of: '2024-06-01' });
      expect(lines[1]).toMatchObject({ line: 1, id: 'h1', outputs: { eligible: false, monthly_amount: '0.00' } });
      expect(lines[2]).toEqual({ done: true, lines: 1, results: 1, error_count: 0 });
    } finally {
      s.proc.kill('SIGTERM');
      await s.exited;
    }
  }, 60_000);

  it('with a reviewer key, publish files a request and the printed approve call publishes it', async () => {
    const blocksList = blocks();
    const s = await startServer(tempDir('docs2-'), { POLICIES_DIR: join(ROOT, 'policies'), API_KEYS: 'ed-key:editor,rv-key:reviewer' });
    try {
      const cwd = tempDir('docs2-cwd-');
      const p = run(blocksList[2]!, s.url, 'ed-key', cwd);
      expect(p.code, p.out + p.err).toBe(0);
      expect(p.out).toContain('"status":"pending"');
      expect(p.out).toContain('"id":"pr-1"');
      const a = run(blocksList[3]!, s.url, 'rv-key', cwd);
      expect(a.code, a.out + a.err).toBe(0);
      expect(JSON.parse(a.out)).toMatchObject({ status: 'published', version: { version: 3, effective_from: '2025-01-01', approved_by: expect.stringMatching(/^reviewer-/) } });
    } finally {
      s.proc.kill('SIGTERM');
      await s.exited;
    }
  }, 60_000);

  it("the README's evaluate and publish calls work as printed", async () => {
    const [evaluate, publish] = blocks(join(ROOT, 'README.md'));
    const s = await startServer(tempDir('readme-'), { POLICIES_DIR: join(ROOT, 'policies') });
    try {
      const cwd = tempDir('readme-cwd-');
      const e = run(evaluate!, s.url, '', cwd);
      expect(e.code, e.out + e.err).toBe(0);
      // 900 / 3 = 300 per head; (650 − 300) × 3 = 1050; the child (born 2015) adds 10% × 350 = 35
      expect(JSON.parse(e.out)).toMatchObject({ policy: 'dawukou-dibao', version: 2, outputs: { eligible: true, monthly_amount: '1085.00' } });
      const p = run(publish!, s.url, '', cwd);
      expect(p.code, p.out + p.err).toBe(0);
      expect(p.out).toContain('"status":"published"');
    } finally {
      s.proc.kill('SIGTERM');
      await s.exited;
    }
  }, 60_000);
});
