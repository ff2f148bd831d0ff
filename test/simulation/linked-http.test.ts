// An impact job over HTTP for a draft of a policy that reads another (引用): the shipped
// dawukou-disability-subsidies, whose living subsidy follows from the dibao decided for the same
// household (dawukou-dibao v2, in force on the simulation date). The server gives the job the
// published versions in force on its as_of; each household's amounts are those of its own
// evaluation with links (POST /api/policies/{id}/evaluate), and those worked out by hand.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type StudioApp } from '../../runtime/app.js';
import { openStore } from '../../runtime/server.js';
import { loadModules } from '../../runtime/services/language.js';
import type { LowdbStore } from '../../runtime/store/lowdb-store.js';
import { bearer, NO_REVIEW_KEYS, tempDir } from '../runtime/helpers.js';

const POLICIES = join(import.meta.dirname, '../../policies');
const ID = 'dawukou-disability-subsidies';
interface Entry { household: Record<string, unknown> }
const households = (YAML.parse(readFileSync(join(POLICIES, 'one-window.yaml'), 'utf8')) as Entry[])
  .map((e) => e.household).filter((h) => h['county'] === '大武口区');

let app: StudioApp, store: LowdbStore;
beforeAll(async () => {
  const modules = loadModules(POLICIES);
  ({ store } = await openStore(tempDir('sim-linked-'), POLICIES, modules));
  app = createApp({ store, keys: NO_REVIEW_KEYS, modules, log: () => undefined, studioDir: null, today: () => '2024-06-01' });
}, 180_000);
afterAll(async () => { await store.close(); });

const key = bearer('editor-key');
async function poll(id: string) {
  for (let i = 0; i < 3000; i++) {
    const r = await request(app).get(`/api/simulations/${id}`).set(key);
    if (r.body.status !== 'queued' && r.body.status !== 'running') return r;
    await new Promise((ok) => setTimeout(ok, 20));
  }
  throw new Error('job did not finish');
}

describe('impact job of a draft that reads another policy (引用)', () => {
  it('the draft raising the living subsidy to 150: per household as each evaluates with its links, and by hand', async () => {
    const d = await request(app).get(`/api/policies/${ID}/draft`).set(key);
    const source = (d.body.source as string).replace('= 110 元/月 依据「001 第一章第一节」', '= 150 元/月 依据「001 第一章第一节」');
    expect(source).not.toBe(d.body.source);
    const put = await request(app).put(`/api/policies/${ID}/draft`).set(key).set('If-Match', d.headers.etag!).send({ source });
    expect(put.status, JSON.stringify(put.body).slice(0, 300)).toBe(200);

    const post = await request(app).post(`/api/policies/${ID}/simulations`).set(key)
      .send({ population: { households }, as_of: '2024-06-01', samples: 10 });
    expect(post.status, JSON.stringify(post.body).slice(0, 300)).toBe(202);
    const r = await poll(post.body.id);
    expect(r.body.status, JSON.stringify(r.body.error)).toBe('done');
    const res = r.body.result;
    expect(res.population).toMatchObject({ households: 4, invalid: 0 });

    // each household evaluated on its own under the version in force (v2), the dibao decided with it
    const single: Record<string, string> = {};
    for (const h of households) {
      const e = await request(app).post(`/api/policies/${ID}/evaluate`).set(bearer('tester-key')).send({ household: h, as_of: '2024-06-01', record: false });
      expect(e.status).toBe(200);
      single[h['id'] as string] = e.body.outputs.monthly_amount;
    }
    // by hand (policies/one-window.yaml): ow-01 and ow-04 on dibao → 110 + 120; ow-02, ow-03 not → 120
    expect(single).toEqual({ 'ow-01': '230.00', 'ow-02': '120.00', 'ow-03': '120.00', 'ow-04': '230.00' });
    expect(res.totals.baseline.monthly_cost).toBe('700.00');
    // the draft: 150 + 120 for the two dibao families
    expect(res.totals.candidate.monthly_cost).toBe('780.00');
    expect(res.samples.gained.map((s: { id: string; baseline: string; candidate: string }) => [s.id, s.baseline, s.candidate]))
      .toEqual([['ow-01', single['ow-01'], '270.00'], ['ow-04', single['ow-04'], '270.00']]);
  }, 120_000);
});
