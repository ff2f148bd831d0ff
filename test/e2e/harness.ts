// Browser-test harness: the compiled runtime (which serves the built studio at `/`) on a free
// port with a fresh data directory, and Debian Chromium through playwright-core, started by the
// one launcher the bench and the screenshots use too (bench/lib/studio-server.ts).
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { freePort, launchBrowser, startServer as start, type RunningServer } from '../../bench/lib/studio-server.js';

export { freePort, launchBrowser, type RunningServer };
export const root = process.cwd();
export const screenshotDir = resolve(root, '.test-results/screenshots');

/** Starts `node dist/runtime/server.js` (built by the test command; E2E_SERVER_JS names another) with a fresh DATA_DIR;
 *  its simulation workers load at the first simulation (SIMULATION_WARM=lazy) unless `env` says `start`. */
export function startServer(env: Record<string, string> = {}, opts: { timeoutMs?: number } = {}): Promise<RunningServer> {
  return start({ SIMULATION_WARM: 'lazy', ...env }, { root, serverJs: process.env.E2E_SERVER_JS, timeoutMs: opts.timeoutMs });
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
  // Not errors of the studio, both Monaco's own: it rejects its cancelled requests with
  // "Canceled"; and work it scheduled before an editor was disposed (leaving a screen), when it
  // runs after, throws "InstantiationService has been disposed" (seen once, in the English-mode walk under load:
  // the screen had already changed, nothing was lost or shown wrong)
  page.on('pageerror', (e) => { if (!/^(Canceled|InstantiationService has been disposed)/.test(e.message)) errors.push(e.message); });
  return errors;
}
