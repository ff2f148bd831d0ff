#!/usr/bin/env node
// Builds what `npm start`, the CLI and the browser tests run: TypeScript to dist/ and the
// studio bundle to studio/dist/.
import { spawnSync } from 'node:child_process';
import { existsSync, chmodSync } from 'node:fs';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
run('npx', ['tsc', '-p', 'tsconfig.build.json']);
// the CLI runs as ./dist/cli/main.js too, not only through npx
if (existsSync('dist/cli/main.js')) chmodSync('dist/cli/main.js', 0o755);
if (existsSync('studio/vite.config.ts')) run('npx', ['vite', 'build', '--config', 'studio/vite.config.ts', '--logLevel', 'warn']);
