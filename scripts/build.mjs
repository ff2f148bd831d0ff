#!/usr/bin/env node
// Builds what `npm start`, the CLI and the browser tests run: TypeScript to dist/ and the
// studio bundle to studio/dist/.
import { spawnSync } from 'node:child_process';
import { existsSync, chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative } from 'node:path';
import { createRequire } from 'node:module';
import zlib, { brotliCompressSync, gzipSync } from 'node:zlib';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
run('npx', ['tsc', '-p', 'tsconfig.build.json']);
chevrotainBundle();
// the CLI runs as ./dist/cli/main.js too, not only through npx
if (existsSync('dist/cli/main.js')) chmodSync('dist/cli/main.js', 0o755);
if (existsSync('studio/vite.config.ts')) run('npx', ['vite', 'build', '--config', 'studio/vite.config.ts', '--logLevel', 'warn']);

// Precompress the studio's text assets once here (brotli at max quality, gzip at 9), so the
// runtime sends .br/.gz by Accept-Encoding without compressing per request (runtime/static.ts).
precompress('studio/dist/assets');

function precompress(dir) {
  if (!existsSync(dir)) return;
  const compressible = new Set(['.js', '.mjs', '.css', '.json', '.svg', '.map', '.html', '.wasm', '.ttf']);
  let raw = 0, br = 0;
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (!compressible.has(extname(name)) || !statSync(file).isFile()) continue;
    const data = readFileSync(file);
    if (data.length < 1024) continue; // not worth a second request-path branch
    const b = brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } });
    writeFileSync(file + '.br', b);
    writeFileSync(file + '.gz', gzipSync(data, { level: 9 }));
    raw += data.length; br += b.length;
  }
  console.log(`studio assets precompressed: ${(raw / 1e6).toFixed(2)} MB → ${(br / 1e6).toFixed(2)} MB brotli`);
}

// Chevrotain's package entry is its module tree, which imports lodash-es file by file (≈650
// modules, 0.3–0.6 s of CPU at every process and worker start that loads the language). The
// package ships the same version as one ES module too (lib/chevrotain.mjs, lodash inlined): the
// compiled language imports that copy, put at dist/vendor/chevrotain.mjs. The tests do the same
// through vitest.config.ts's alias.
function chevrotainBundle() {
  const entry = createRequire(import.meta.url).resolve('chevrotain'); // …/chevrotain/lib/src/api.js
  const vendored = 'dist/vendor/chevrotain.mjs';
  mkdirSync(dirname(vendored), { recursive: true });
  copyFileSync(join(dirname(entry), '..', 'chevrotain.mjs'), vendored);
  for (const file of ['dist/dsl/syntax/lexer.js', 'dist/dsl/syntax/parser.js']) {
    const text = readFileSync(file, 'utf8');
    const rewritten = text.replace(/ from 'chevrotain';/g, ` from '${relative(dirname(file), vendored)}';`);
    if (rewritten === text) throw new Error(`${file}: no import from 'chevrotain' to point at ${vendored}`);
    writeFileSync(file, rewritten);
  }
}
