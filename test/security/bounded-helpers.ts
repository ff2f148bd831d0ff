// Set-up for the bounded-work tests (issue 21): an app around a fresh store seeded from the
// runtime fixtures, with its own language pool (one worker, a short budget so refusals come
// quickly) that the test file closes at the end.
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { overlappingRules } from '../../bench/hostile.js';
import { createApp, type StudioApp } from '../../runtime/app.js';
import { openStore } from '../../runtime/server.js';
import { DB_FILE, type LowdbStore } from '../../runtime/store/lowdb-store.js';
import { LanguagePool } from '../../runtime/workers/pool.js';
import { FIXTURE_POLICIES, modules, tempDir } from '../runtime/helpers.js';

export { bearer, household, NO_REVIEW_KEYS } from '../runtime/helpers.js';

/** The test pool's budget: short, so that a source past it is refused quickly. (The language
 *  fixes of issue 21 made every hostile source of the issue cheap; `costly` still needs several
 *  times this budget, while the fixture policies need a few ms.) */
export const BUDGET = { timeMs: 250, memoryMb: 256 };

/** A valid source whose analysis takes well over BUDGET.timeMs of CPU: two outputs of 8,000
 *  overlapping rules each (≈ 750k characters, under the 1M a source may have), 440–680 ms on a
 *  quiet machine. (One such output stops at the checker's cap of 2,000,000 compared pairs in
 *  220–350 ms with the worker warm: too near the budget, so a quiet run finished it and answered 200.) */
export function costly(id: string): string {
  const one = overlappingRules(8000, id);
  const output = one.slice(one.indexOf('输出 amount'));
  return one + [2].map((k) => output.replace('输出 amount「金额」', `输出 amount${k}「金额${k}」`)).join('');
}

export interface BoundedApp { app: StudioApp; store: LowdbStore; dir: string; pool: LanguagePool; logged: Record<string, unknown>[] }

const pools: LanguagePool[] = [];
afterAll(async () => { await Promise.all(pools.splice(0).map((p) => p.close())); });

export async function boundedApp(opts: { keys?: string; today?: string } = {}): Promise<BoundedApp> {
  const dir = tempDir('bounded-');
  const { store } = await openStore(dir, FIXTURE_POLICIES, modules);
  const pool = new LanguagePool(BUDGET, 1);
  pools.push(pool);
  const logged: Record<string, unknown>[] = [];
  const app = createApp({
    store, keys: opts.keys ?? '', modules, pool, studioDir: null, log: (e) => { logged.push(e); },
    ...(opts.today ? { today: () => opts.today! } : {}),
  });
  return { app, store, dir, pool, logged };
}

export const dbFile = (dir: string) => join(dir, DB_FILE);

/** Resolves when `cond` holds (checked every 5 ms). */
export async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((ok) => setTimeout(ok, 5));
  }
}
