// dsl/ runs in Node and in the studio's web worker: it must compile without Node's (or the
// DOM's) type definitions, so no Node-only API can slip in unnoticed.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

describe('dsl/ is portable', () => {
  it('type-checks under dsl/tsconfig.json (types: [], lib ES2022 only)', () => {
    const tsc = join(process.cwd(), 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', 'dsl/tsconfig.json'], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 180_000);
});
