// The built runtime (which serves the built studio at `/`) on a free port with a fresh data
// directory, and Debian Chromium through playwright-core: one copy for the browser tests
// (test/e2e/harness.ts), the screenshots (scripts/screenshots.mjs) and the studio-load bench.
import { spawn, type ChildProcess } from 'node:child_process';
import { serverCommand } from './server-node.js';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => ok(port));
    });
  });
}

export interface RunningServer { url: string; dataDir: string; log: string[]; stop(): Promise<void> }

export interface StartOptions {
  /** The project folder (dist/ and studio/dist/ under it); the current directory by default. */
  root?: string;
  /** The compiled server; `dist/runtime/server.js` under root by default. */
  serverJs?: string;
  timeoutMs?: number;
}

/** Starts `node dist/runtime/server.js` (built by `npm run build`) with a fresh DATA_DIR, embedded
 *  mode: a shared DATABASE_URL would mix the stores of tests running side by side. */
export async function startServer(env: Record<string, string> = {}, opts: StartOptions = {}): Promise<RunningServer> {
  const root = opts.root ?? process.cwd();
  const serverJs = resolve(root, opts.serverJs ?? 'dist/runtime/server.js');
  for (const f of [serverJs, resolve(root, 'studio/dist/index.html')]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first (npm test does)`);
  }
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'studio-run-'));
  const log: string[] = [];
  const childEnv = { ...process.env, DATABASE_URL: undefined, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, API_KEYS: '', LOG: 'warn', ...env };
  const server = serverCommand(serverJs, { env: childEnv });
  const child: ChildProcess = spawn(server.command, server.args, {
    cwd: root,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => log.push(String(d)));
  child.stderr!.on('data', (d) => log.push(String(d)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 90_000);   // a loaded machine: PGlite, migrations and the seed take time
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${log.join('')}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${log.join('')}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url, dataDir, log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless, with the flags the project's machines need. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
}
