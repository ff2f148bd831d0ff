import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The slowest files start first: with two files at a time (scripts/run-tests.mjs), one of them
// starting last would leave the other worker idle for its whole length at the end of the run.
const SLOW_FIRST = ['test/runtime/crash.test.ts', 'test/sql/durability.test.ts', 'test/dsl/codegen.test.ts', 'test/readme.test.ts',
  'test/cli/publish.test.ts', 'test/monitor/instances.test.ts', 'test/runtime/batch-ndjson.test.ts', 'test/e2e/studio.test.ts'];
class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => { const i = SLOW_FIRST.findIndex((s) => f.moduleId.endsWith(s)); return i < 0 ? SLOW_FIRST.length : i; };
    return sorted.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map((x) => x.f);
  }
}

// One vitest run covers every suite: unit tests per module, component tests (happy-dom,
// chosen per file), HTTP tests against the real Express app, and browser tests (test/e2e)
// that drive the built studio in Debian Chromium.
export default defineConfig({
  resolve: { alias: [{ find: /^chevrotain$/, replacement: fileURLToPath(new URL('node_modules/chevrotain/lib/chevrotain.mjs', import.meta.url)) }] },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 20000,
    hookTimeout: 120000,
    pool: 'forks',
    setupFiles: ['test/setup/fast-check.ts'],
    sequence: { sequencer: SlowFirst },
  },
});
