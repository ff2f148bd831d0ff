#!/usr/bin/env node
// Builds what `npm start`, the CLI and the browser tests run: TypeScript to dist/ and the
// studio bundle to studio/dist/.
import { spawn } from 'node:child_process';
import { existsSync, chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import zlib, { brotliCompress, gzip } from 'node:zlib';

function run(cmd, args) {
  return new Promise((ok) => {
    spawn(cmd, args, { stdio: 'inherit' }).on('close', (status) => { if (status !== 0) process.exit(status ?? 1); ok(); });
  });
}
// tsc (dist/) and vite (studio/dist/, from the sources) need nothing of each other: side by side,
// the studio's precompression (below) running while tsc still does.
await Promise.all([
  run('npx', ['tsc', '-p', 'tsconfig.build.json']).then(() => {
    chevrotainBundle();
    // the CLI runs as ./dist/cli/main.js too, not only through npx
    if (existsSync('dist/cli/main.js')) chmodSync('dist/cli/main.js', 0o755);
  }),
  existsSync('studio/vite.config.ts')
    ? run('npx', ['vite', 'build', '--config', 'studio/vite.config.ts', '--logLevel', 'warn']).then(() => precompress('studio/dist/assets'))
    : undefined,
]);

// Precompress the studio's text assets once here (brotli at max quality, gzip at 9), so the
// runtime sends .br/.gz by Accept-Encoding without compressing per request (runtime/static.ts).
// The files are compressed side by side on libuv's threads (same settings, same bytes).
async function precompress(dir) {
  if (!existsSync(dir)) return;
  const compressible = new Set(['.js', '.mjs', '.css', '.json', '.svg', '.map', '.html', '.wasm', '.ttf']);
  const files = readdirSync(dir).map((name) => join(dir, name))
    .filter((file) => compressible.has(extname(file)) && statSync(file).isFile());
  let raw = 0, br = 0;
  await Promise.all(files.map(async (file) => {
    const data = readFileSync(file);
    if (data.length < 1024) return; // not worth a second request-path branch
    const [b, g] = await Promise.all([
      promisify(brotliCompress)(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }),
      promisify(gzip)(data, { level: 9 }),
    ]);
    writeFileSync(file + '.br', b);
    writeFileSync(file + '.gz', g);
    raw += data.length; br += b.length;
  }));
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
