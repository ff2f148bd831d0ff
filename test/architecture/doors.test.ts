// The doors of the architecture, kept by a test (issue #13): the language is entered only through
// dsl/index.ts; the runtime's layers point one way (routes → services → store, never back to the
// HTTP layer); no import cycles; and the small helpers every door needs (today's date in China,
// the date check, household paths, the checkout's root) are written once; base/, the Node helpers
// under every door, and dsl/, which runs in a browser too, import nothing of the project outside themselves.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, cycles, importsOf, sourceFiles } from './imports';

const CONSUMERS = ['base', 'runtime', 'cli', 'simulation', 'bench', 'scripts', 'studio/src'];

/** Pure leaf modules of dsl/base the studio's main thread may import for values: bundling
 *  dsl/index.ts there would pull the parser into the editor chunk (the language runs in a worker). */
const STUDIO_LEAVES = new Set(['dsl/base/dates.ts']);

describe('doors', () => {
  it('runtime, CLI, simulation, bench, scripts and studio reach the language only through dsl/index.ts', () => {
    const wrong: string[] = [];
    for (const dir of CONSUMERS) {
      for (const file of sourceFiles(dir)) {
        for (const target of importsOf(file)) {
          if (!target.startsWith('dsl/') || target === 'dsl/index.ts') continue;
          if (file.startsWith('studio/src/') && STUDIO_LEAVES.has(target)) continue;
          wrong.push(`${file} → ${target}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('services and stores never import the HTTP layer (errors.ts, routes, app, express)', () => {
    const wrong: string[] = [];
    for (const file of [...sourceFiles('runtime/services'), ...sourceFiles('runtime/store'), ...sourceFiles('runtime/sql')]) {
      for (const target of importsOf(file)) {
        if (target === 'runtime/errors.ts' || target.startsWith('runtime/routes/') || target === 'runtime/app.ts') wrong.push(`${file} → ${target}`);
      }
      if (/from ['"]express['"]/.test(readFileSync(join(ROOT, file), 'utf8'))) wrong.push(`${file} → express`);
    }
    expect(wrong).toEqual([]);
  });

  it('base/ and dsl/ are the bottom layers: they import nothing of the project outside themselves', () => {
    const wrong: string[] = [];
    for (const dir of ['base', 'dsl']) {
      for (const file of sourceFiles(dir)) {
        for (const target of importsOf(file)) if (!target.startsWith(`${dir}/`)) wrong.push(`${file} → ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has no import cycles in the runtime, CLI, simulation, bench or studio', () => {
    for (const dir of ['base', 'runtime', 'cli', 'simulation', 'bench', 'studio/src']) expect(cycles(sourceFiles(dir)), dir).toEqual([]);
  });

  it('finds a cycle when there is one (the checker of the test itself)', () => {
    // test/architecture/fixtures/cycle: a.ts imports b.ts, b.ts imports a.ts (type only)
    expect(cycles(sourceFiles('test/architecture/fixtures/cycle'))).toEqual([['test/architecture/fixtures/cycle/a.ts', 'test/architecture/fixtures/cycle/b.ts']]);
  });
});

describe('written once', () => {
  const all = CONSUMERS.concat('dsl').flatMap(sourceFiles);
  const definitions = (name: string) => all.filter((f) => new RegExp(`(?:function|const|let)\\s+${name}\\b`).test(readFileSync(join(ROOT, f), 'utf8')));

  it.each(['householdPath', 'todayInChina', 'isDate', 'repoRoot'])('%s is defined in exactly one file', (name) => {
    expect(definitions(name)).toHaveLength(1);
  });
});
