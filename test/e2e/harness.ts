// Browser-test harness: starts the compiled runtime (which serves the built studio at `/`) on a
// free port with a fresh data directory, and launches Debian Chromium through playwright-core.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const root = process.cwd();
export const screenshotDir = resolve(root, '.test-results/screenshots');

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

/** Starts `node dist/runtime/server.js` (built by the test command) with a fresh DATA_DIR. */
export async function startServer(env: Record<string, string> = {}, opts: { timeoutMs?: number } = {}): Promise<RunningServer> {
  const serverJs = resolve(root, process.env.E2E_SERVER_JS ?? 'dist/runtime/server.js');
  for (const f of [serverJs, resolve(root, 'studio/dist/index.html')]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first (npm test does)`);
  }
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'studio-e2e-'));
  const log: string[] = [];
  const child: ChildProcess = spawn(process.execPath, [serverJs], {
    cwd: root,
    // embedded mode, its own DATA_DIR: the run's DATABASE_URL (one shared database) would mix the stores of parallel tests
    env: { ...process.env, DATABASE_URL: undefined, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, API_KEYS: '', LOG: 'warn', ...env },
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

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
}

export interface Studio { readonly server: RunningServer; readonly browser: Browser }

/**
 * A test file's studio: before its tests the server (with `env`, computed then when a function)
 * and Chromium start side by side; after them both stop, then `after` runs (a temporary
 * directory to remove). `server` and `browser` are there from the first test on.
 */
export function useStudio(
  env: Record<string, string> | (() => Record<string, string>) = {},
  opts: { timeoutMs?: number; hookMs?: number; after?: () => unknown } = {},
): Studio {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(typeof env === 'function' ? env() : env, { timeoutMs: opts.timeoutMs }), launchBrowser()]);
  }, opts.hookMs);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await opts.after?.();
  });
  const started = <T>(x: T | undefined, what: string): T => { if (x === undefined) throw new Error(`${what} has not started (useStudio's beforeAll failed)`); return x; };
  return { get server() { return started(server, 'the server'); }, get browser() { return started(browser, 'Chromium'); } };
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

/** Page errors collected while a test runs (a crashing screen should fail the test). */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  // Monaco rejects its own cancelled requests with "Canceled": not an error of the studio
  page.on('pageerror', (e) => { if (!/^Canceled/.test(e.message)) errors.push(e.message); });
  return errors;
}
