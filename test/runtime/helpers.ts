// Shared set-up for the runtime tests: a store in a temp folder seeded from the fixture
// policies (not the policies team's files), and an app around it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { createApp, type StudioApp } from '../../runtime/app.js';
import { loadModules } from '../../runtime/services/language.js';
import { openStore } from '../../runtime/server.js';
import type { LowdbStore } from '../../runtime/store/lowdb-store.js';

export const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures');
export const FIXTURE_POLICIES = join(FIXTURES, 'policies');
export const modules = loadModules(FIXTURE_POLICIES);

/** Keys with every role; a reviewer exists, so publishing is two-step. */
export const ALL_KEYS = 'admin-key:admin,alice=editor-key:editor,editor2-key:editor,reviewer-key:reviewer,reviewer2-key:reviewer,tester-key:tester,client-key:client';
/** Keys without a reviewer: editors publish directly. */
export const NO_REVIEW_KEYS = 'admin-key:admin,editor-key:editor,tester-key:tester,client-key:client';

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

export interface TestApp { app: StudioApp; store: LowdbStore; dir: string; cleanup(): Promise<void> }

const dirs: string[] = [];
// Registered in every test file that imports this module: its temp folders go when it ends.
afterAll(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** A temp folder, removed after the test file. */
export function tempDir(prefix = 'rt-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

export async function makeApp(opts: { keys?: string; today?: string; seed?: boolean; studioDir?: string | null; policiesDir?: string } = {}): Promise<TestApp> {
  const dir = tempDir();
  const { store } = await openStore(dir, opts.seed === false ? join(dir, 'none') : opts.policiesDir ?? FIXTURE_POLICIES, modules);
  const app = createApp({
    store, keys: opts.keys ?? '', modules, log: () => undefined, studioDir: opts.studioDir ?? null,
    ...(opts.today ? { today: () => opts.today! } : {}),
  });
  return { app, store, dir, cleanup: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
}

/** A valid household for the fixture policies: per-capita income 300 in an urban family of 3. */
export function household(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'h1',
    area: 'urban',
    members: [
      { id: 'm1', birth_date: '1980-05-01', income_monthly: '900.00' },
      { id: 'm2', birth_date: '1982-03-01' },
      { id: 'm3', birth_date: '2015-09-01' },
    ],
    ...overrides,
  };
}

/** The fixture fx-dibao v1 source with the urban standard changed (a valid edit). */
export function editedSource(source: string, standard: number): string {
  return source.replace(/城市低保标准「城市低保标准」 = \d+ 元\/月/, `城市低保标准「城市低保标准」 = ${standard} 元/月`);
}
