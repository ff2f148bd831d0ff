// The embedded server's decision journal under SIGKILL: single evaluations (each group of a few
// decisions is journaled before its answer, runtime/store/decisions.ts) are answered while the
// server is killed at a random moment, four times over the same DATA_DIR. After every restart
// the store opens, and every decision id that was answered is readable by id and listed with
// its household, exactly once.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { household, tempDir } from '../runtime/helpers.js';
import { api, sleep, startServer, stop, useServerBuild, type Child } from '../runtime/server-process.js';

useServerBuild();

/** Evaluations from `loops` connections until stopped; the answered ids and their households' ids. */
function load(s: Child, answered: Map<string, string>, tag: string, loops: number) {
  const state = { stop: false };
  let n = 0;
  const loop = async () => {
    while (!state.stop) {
      const id = `${tag}-${n++}`;
      try {
        const r = await api(s.url, 'POST', '/api/policies/fx-dibao/evaluate', { household: household({ id }), as_of: '2024-06-01' });
        if (r.status === 200) answered.set(r.body.decision_id, id);
      } catch { return; /* the kill reset the connection: not answered */ }
    }
  };
  return { state, done: Promise.all(Array.from({ length: loops }, loop)) };
}

async function verify(s: Child, answered: Map<string, string>): Promise<void> {
  expect((await api(s.url, 'GET', '/api/health')).status).toBe(200);
  const ids = [...answered.keys()];
  for (let i = 0; i < ids.length; i += 50) {
    const got = await Promise.all(ids.slice(i, i + 50).map((id) => api(s.url, 'GET', `/api/decisions/${id}`)));
    for (const [j, r] of got.entries()) {
      expect(r.status, `decision ${ids[i + j]} is readable`).toBe(200);
      expect(r.body.household_id).toBe(answered.get(ids[i + j]!));
    }
  }
}

describe('decision journal, embedded server killed mid-load', () => {
  it('SIGKILL at random moments, four times: the store opens and every answered decision is there once', async () => {
    const dataDir = tempDir('journal-kill-');
    const answered = new Map<string, string>();
    for (let round = 0; round < 4; round++) {
      const s = await startServer(dataDir);
      await verify(s, answered);
      const before = answered.size;
      const { state, done } = load(s, answered, `r${round}`, 6);
      // kill once this round has answered some (not after a fixed time: machine load varies), then at a random moment
      for (let waited = 0; waited < 60_000 && answered.size - before < 40; waited += 10) await sleep(10);
      await sleep(Math.floor(Math.random() * 40));
      await stop(s, 'SIGKILL');
      state.stop = true;
      await done;
      expect(existsSync(join(dataDir, 'sql-journal'))).toBe(true);
    }
    expect(answered.size).toBeGreaterThanOrEqual(160);
    const last = await startServer(dataDir);
    try {
      await verify(last, answered);
      // each answered household once among the listed decisions (a journal read twice would double them)
      const listed: string[] = [];
      for (let cursor: string | undefined; ;) {
        const r = await api(last.url, 'GET', `/api/decisions?policy=fx-dibao&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
        expect(r.status).toBe(200);
        listed.push(...r.body.decisions.map((d: { id: string }) => d.id));
        cursor = r.body.next_cursor ?? undefined;
        if (!cursor) break;
      }
      expect(new Set(listed).size).toBe(listed.length);
      for (const id of answered.keys()) expect(listed).toContain(id);
    } finally {
      await stop(last, 'SIGTERM');
    }
  }, 600_000);
});
