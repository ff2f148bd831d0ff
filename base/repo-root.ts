// The checkout's root, found once for every Node door (runtime, CLI, simulation, bench): policies/,
// studio/dist and dist/ are read beside it, from the sources (vitest, tsx) and from the build alike.
// It lives in base/, below all of them, because each of those folders needs it and none of them may
// be imported by all the others (dsl/ is below too, but has no file system: it runs in a browser).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The nearest folder above this module holding package.json (base/ and dist/base/ both sit one
 *  level below it); the working directory when there is none (a copied build without its checkout). */
export function repoRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return (cached = dir);
    const up = dirname(dir);
    if (up === dir) return (cached = process.cwd());
    dir = up;
  }
}
