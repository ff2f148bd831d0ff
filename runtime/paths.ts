// Locates the repository root (the folder holding package.json) so that policies/ and
// studio/dist resolve the same from runtime/ (vitest) and from dist/runtime/ (compiled).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function repoRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return (cached = dir);
    const up = dirname(dir);
    if (up === dir) return (cached = process.cwd());
    dir = up;
  }
}

/** policies/ (override with POLICIES_DIR). */
export function policiesDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.POLICIES_DIR ? resolve(env.POLICIES_DIR) : join(repoRoot(), 'policies');
}

/** The built studio (override with STUDIO_DIR). */
export function studioDistDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.STUDIO_DIR ? resolve(env.STUDIO_DIR) : join(repoRoot(), 'studio', 'dist');
}
