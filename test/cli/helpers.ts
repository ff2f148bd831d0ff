// Runs the compiled CLI (dist/cli/main.js) as a subprocess, and starts the compiled runtime for
// the --server tests. `npm test` builds first; in a loop: npx tsc -p tsconfig.build.json.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
export const main = join(root, 'dist/cli/main.js');
export const fixtures = 'test/cli/fixtures';

export function requireBuild(): void {
  if (!existsSync(main)) throw new Error(`${main} is missing: run "npm run build" (or npx tsc -p tsconfig.build.json) first`);
}

export interface Run { code: number | null; stdout: string; stderr: string }

export function cli(args: string[], opts: { input?: string; env?: Record<string, string | undefined>; cwd?: string } = {}): Promise<Run> {
  return new Promise((ok, fail) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, POLICY_SERVER: undefined, POLICY_API_KEY: undefined };
    for (const [k, v] of Object.entries(opts.env ?? {})) env[k] = v;
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    const child = spawn(process.execPath, [main, ...args], { cwd: opts.cwd ?? root, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', fail);
    child.on('close', (code) => ok({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

export function tempDir(prefix = 'policy-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface Server { url: string; proc: ChildProcess; stop(): Promise<void>; dir: string }

/**
 * Starts `node dist/runtime/server.js` on a free port with an empty store (POLICIES_DIR holds
 * only common/, so nothing is seeded) and waits for /api/health. The CLI tests run no
 * simulation: its workers are not loaded at start-up (SIMULATION_WARM=lazy).
 */
export async function startServer(env: Record<string, string> = {}, opts: { timeoutMs?: number } = {}): Promise<Server> {
  const serverJs = join(root, 'dist/runtime/server.js');
  if (!existsSync(serverJs)) throw new Error(`${serverJs} is missing: the runtime is not built`);
  const dir = tempDir('policy-cli-server-');
  mkdirSync(join(dir, 'policies'));
  cpSync(join(root, 'policies/common'), join(dir, 'policies/common'), { recursive: true });
  const proc = spawn(process.execPath, [serverJs], {
    cwd: root,
    // embedded mode, its own DATA_DIR: the run's DATABASE_URL (one shared database) would mix the stores of parallel tests
    env: { ...process.env, DATABASE_URL: undefined, PORT: '0', HOST: '127.0.0.1', DATA_DIR: join(dir, 'data'), POLICIES_DIR: join(dir, 'policies'), LOG: 'on', NODE_ENV: 'production', SIMULATION_WARM: 'lazy', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise<string>((ok, fail) => {
    const ms = opts.timeoutMs ?? 20_000;
    const timer = setTimeout(() => fail(new Error(`server did not start in ${ms / 1000} s:\n${log}`)), ms);
    const onData = (d: Buffer) => {
      log += d.toString();
      const m = /"msg":"listening","url":"([^"]+)"/.exec(log);
      if (m) { clearTimeout(timer); ok(m[1]!); }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
    proc.on('exit', (code) => { clearTimeout(timer); fail(new Error(`server exited (${code}):\n${log}`)); });
  });
  proc.removeAllListeners('exit');
  for (let i = 0; i < 50; i++) {
    const r = await fetch(`${url}/api/health`).catch(() => undefined);
    if (r?.ok) break;
    await new Promise((r2) => setTimeout(r2, 100));
  }
  return {
    url, proc, dir,
    stop: () => new Promise<void>((ok) => {
      if (proc.exitCode !== null) { rmSync(dir, { recursive: true, force: true }); ok(); return; }
      proc.once('exit', () => { rmSync(dir, { recursive: true, force: true }); ok(); });
      proc.kill('SIGTERM');
    }),
  };
}
