import { defineConfig } from 'vitest/config';

// One vitest run covers every suite: unit tests per module, component tests (happy-dom,
// chosen per file), HTTP tests against the real Express app, and browser tests (test/e2e)
// that drive the built studio in Debian Chromium.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 20000,
    hookTimeout: 120000,
    pool: 'forks',
    setupFiles: ['test/setup/fast-check.ts'],
  },
});
