#!/usr/bin/env node
// Builds what `npm start`, the CLI and the browser tests run: TypeScript to dist/ and the
// studio bundle to studio/dist/.
import { spawnSync } from 'node:child_process';
import { existsSync, chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import zlib, { brotliCompressSync, gzipSync } from 'node:zlib';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
run('npx', ['tsc', '-p', 'tsconfig.build.json']);
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
