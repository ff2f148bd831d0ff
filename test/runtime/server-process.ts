// The real server as a child process (what crash, durability and multi-instance tests need):
// the build in dist/ when it is newer than every source it is made from (`npm test` builds
// first), else runtime/ etc. compiled once per test file by the TypeScript compiler (transpile
// only: type errors are `npm run typecheck`'s job, and a full tsc run costs ~20 s), then run by node.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, expect } from 'vitest';
import { repoRoot } from '../../base/repo-root.js';
import { FIXTURE_POLICIES } from './helpers.js';

export const ROOT = repoRoot();
// one folder per test file: files running in parallel must not rebuild (or remove) each other's
const BUILD = join(ROOT, '.test-results', `runtime-build-${process.pid}-${randomBytes(3).toString('hex')}`);
let SERVER = join(BUILD, 'runtime', 'server.js');

/** The sources `npm run build` compiles (tsconfig.build.json's include), relative to ROOT. */
function sources(): string[] {
  const walk = (dir: string): string[] => readdirSync(join(ROOT, dir), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : []));
  const include = (JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] }).include;
  return include.filter((d) => existsSync(join(ROOT, d))).flatMap(walk);
}

/** dist/ holds every source's output, none older than its source: `npm run build` ran after the last edit. */
function distIsFresh(files: string[]): boolean {
  return files.every((file) => {
    const out = join(ROOT, 'dist', file.replace(/\.ts$/, '.js'));
    return existsSync(out) && statSync(out).mtimeMs >= statSync(join(ROOT, file)).mtimeMs;
  });
}

/** Compiles what `npm run build` compiles to BUILD/, unless dist/ is fresh: then the server is dist's. */
function build(): void {
  const files = sources();
  if (distIsFresh(files)) { SERVER = join(ROOT, 'dist', 'runtime', 'server.js'); return; }
  rmSync(BUILD, { recursive: true, force: true });
  for (const file of files) {
    const out = ts.transpileModule(readFileSync(join(ROOT, file), 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    const target = join(BUILD, file.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, out.outputText);
  }
}

/** Registers the build before, and its removal after, the calling test file. */
export function useServerBuild(): void {
  beforeAll(() => {
    build();
    expect(existsSync(SERVER), 'runtime/server.js was built').toBe(true);
  }, 120_000);
  afterAll(() => {
    // a test that failed half-way must not leave its servers running
    for (const p of live) p.kill('SIGKILL');
    rmSync(BUILD, { recursive: true, force: true });
  });
}

const live = new Set<ChildProcess>();

export interface Child { proc: ChildProcess; url: string; lines: string[]; exited: Promise<number | null> }

/** How a test starts it: another file of the build than server.js (the launcher, start.js), and
 *  a command before node (taskset). */
export interface Launch { script?: string; prefix?: string[] }

/** Starts the server (port 0) and resolves once it logs "listening" (with its URL). */
export function startServer(dataDir: string, env: Record<string, string> = {}, launch: Launch = {}): Promise<Child> {
  const script = launch.script ? join(dirname(SERVER), launch.script) : SERVER;
  const [command, ...args] = [...(launch.prefix ?? []), process.execPath, script];
  const proc = spawn(command!, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, NODE_ENV: 'production', LOG: 'on', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, POLICIES_DIR: FIXTURE_POLICIES, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  live.add(proc);
  const exited = new Promise<number | null>((ok) => proc.on('exit', (code) => { live.delete(proc); ok(code); }));
  return new Promise((ok, fail) => {
    let buf = '';
    // generous: on a loaded machine a first start (PGlite's WebAssembly, seeding) takes tens of seconds
    const timer = setTimeout(() => { proc.kill('SIGKILL'); fail(new Error(`server did not start: ${lines.join('\n')}`)); }, 120_000);
    proc.stdout!.on('data', (c: Buffer) => {
      buf += c.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i); buf = buf.slice(i + 1);
        lines.push(line);
        try {
          const j = JSON.parse(line);
          if (j.msg === 'listening') { clearTimeout(timer); ok({ proc, url: j.url, lines, exited }); }
        } catch { /* not JSON */ }
      }
    });
    proc.stderr!.on('data', (c: Buffer) => lines.push(`stderr: ${c.toString()}`));
    void exited.then((code) => { clearTimeout(timer); fail(new Error(`server exited (${code}): ${lines.join('\n')}`)); });
  });
}

/** Stops a child (SIGKILL by default) and waits for it to exit. */
export async function stop(child: Child, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  child.proc.kill(signal);
  await child.exited;
}

export async function api(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url + path, { method, headers: { 'Content-Type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: await res.json() as any };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
