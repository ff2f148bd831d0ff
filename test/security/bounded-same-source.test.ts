// Issue 21: a refusal comes within 2 s. Jobs on one source run one after another, so a check
// and a save (or a scenario run) of the same hostile text sent together cost one budget, not
// one each: the second is answered by the refusal the first left behind.
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { largeSource } from '../../bench/hostile.js';
import { createApp } from '../../runtime/app.js';
import { openStore } from '../../runtime/server.js';
import { LanguagePool, type JobInput, type JobSuccess } from '../../runtime/workers/pool.js';
import { FIXTURE_POLICIES, modules, tempDir } from '../runtime/helpers.js';

/** A pool that counts the jobs it is given. */
class CountingPool extends LanguagePool {
  kinds: string[] = [];
  override run(input: JobInput): Promise<JobSuccess> {
    this.kinds.push(input.kind);
    return super.run(input);
  }
}

// 100 ms of CPU: the 1 MB source needs several times that
const pool = new CountingPool({ timeMs: 100, memoryMb: 256 }, 1);
afterAll(() => pool.close());

describe('jobs on one source', () => {
  it('a check, a save and a scenario run of the same hostile source sent together: one job, three refusals', async () => {
    const { store } = await openStore(tempDir('same-source-'), FIXTURE_POLICIES, modules);
    const app = createApp({ store, keys: '', modules, pool, studioDir: null, log: () => undefined });
    const source = largeSource(1 << 20, 'fx-dibao');
    const answers = await Promise.all([
      request(app).post('/api/check').send({ source }),
      request(app).put('/api/policies/fx-dibao/draft').set('If-Match', '*').send({ source }),
      request(app).post('/api/policies/fx-dibao/draft/test').send({ source }),
    ]);
    for (const r of answers) {
      expect(r.status, r.text.slice(0, 200)).toBe(422);
      expect(r.body.error.code).toBe('policy.too_complex');
      expect(r.body.error.limit).toEqual({ name: 'time_ms', value: 100 });
    }
    expect(pool.kinds).toEqual(['analyze']);
    expect(store.data.policies['fx-dibao']!.draft.revision).toBe(1);
  });
});
