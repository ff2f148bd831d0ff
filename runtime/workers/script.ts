// Where the language worker's code is. Built (dist/): the compiled language-worker.js next to
// this file. Run from the TypeScript sources (the tests, through vitest), a worker thread cannot
// load .ts files, so the worker entry is bundled once per process with rolldown (a dev
// dependency, via vite) into a temporary .mjs.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

let bundled: URL | undefined;

export function workerScript(): URL {
  if (import.meta.url.endsWith('.js')) return new URL('./language-worker.js', import.meta.url);
  return (bundled ??= bundleFromSource());
}

function bundleFromSource(): URL {
  const here = dirname(fileURLToPath(import.meta.url));
  const input = join(here, 'language-worker.ts');
  const out = join(tmpdir(), `policy-studio-language-worker-${process.pid}-${Date.now()}.mjs`);
  const code = `import('rolldown').then(({ build }) => build({ input: ${JSON.stringify(input)}, platform: 'node', logLevel: 'silent',
    resolve: { extensionAlias: { '.js': ['.ts', '.js'] } }, output: { file: ${JSON.stringify(out)}, format: 'esm', inlineDynamicImports: true }, write: true }))
    .catch((e) => { console.error(e); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: join(here, '..', '..'), encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(out)) throw new Error(`cannot bundle the language worker: ${r.stderr || r.error?.message}`);
  process.once('exit', () => rmSync(out, { force: true }));
  return pathToFileURL(out);
}
