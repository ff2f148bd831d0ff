// Where the language worker's code is. Built (dist/): the compiled language-worker.js next to
// this file. Run from the TypeScript sources (the tests, through vitest), a worker thread cannot
// load .ts files, so the worker entry is bundled once per process with rolldown (a dev
// dependency, via vite) into a temporary .mjs.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundled = new Map<string, URL>();

export function workerScript(): URL {
  return threadScript(new URL('./language-worker.js', import.meta.url));
}

/**
 * A worker's compiled entry as a path (`js`: the built file's URL, next to its caller): itself
 * when running built; from the TypeScript sources, the same file under dist/ (null when not
 * built). For workers whose code must be the build (no bundling from source).
 */
export function builtScript(js: URL): string | null {
  const file = fileURLToPath(js);
  if (import.meta.url.endsWith('.js')) return existsSync(file) ? file : null;
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const built = join(root, 'dist', relative(root, file));
  return existsSync(built) ? built : null;
}

/** A worker thread's entry (`js`: the built file's URL): itself when built, else bundled from its .ts once per process. */
export function threadScript(js: URL): URL {
  if (import.meta.url.endsWith('.js')) return js;
  const input = fileURLToPath(js).replace(/\.js$/, '.ts');
  let url = bundled.get(input);
  if (!url) { url = bundleFromSource(input); bundled.set(input, url); }
  return url;
}

function bundleFromSource(input: string): URL {
  const here = dirname(fileURLToPath(import.meta.url));
  const out = join(tmpdir(), `policy-studio-${input.split(/[\\/]/).pop()!.replace(/\.ts$/, '')}-${process.pid}-${Date.now()}.mjs`);
  const code = `import('rolldown').then(({ build }) => build({ input: ${JSON.stringify(input)}, platform: 'node', logLevel: 'silent',
    resolve: { extensionAlias: { '.js': ['.ts', '.js'] } }, output: { file: ${JSON.stringify(out)}, format: 'esm', inlineDynamicImports: true }, write: true }))
    .catch((e) => { console.error(e); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: join(here, '..', '..'), encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(out)) throw new Error(`cannot bundle the worker ${input}: ${r.stderr || r.error?.message}`);
  process.once('exit', () => rmSync(out, { force: true }));
  return pathToFileURL(out);
}
