// The hand-worked one-window households (policies/one-window.yaml) over HTTP: one call decides
// every programme of the household's county, the referenced ones first, and the programmes that
// read another's decision (the disability living subsidy, the accident insurance, low-income and
// edge status) follow from the dibao decided in the same call — no dibao status is typed in.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type StudioApp } from '../../runtime/app.js';
import { openStore } from '../../runtime/server.js';
import { loadModules } from '../../runtime/services/language.js';
import { prepare } from '../../runtime/services/entitlements.js';
import type { LowdbStore } from '../../runtime/store/lowdb-store.js';
import { sameJson } from '../../dsl/scenarios/index.js';
import type { Json } from '../../dsl/index.js';
import { bearer, NO_REVIEW_KEYS, tempDir } from './helpers.js';

const POLICIES = join(import.meta.dirname, '../../policies');
interface Entry { name: string; as_of: string; household: Record<string, unknown>; expect: Record<string, Record<string, Json>> }
const entries = YAML.parse(readFileSync(join(POLICIES, 'one-window.yaml'), 'utf8')) as Entry[];

let app: StudioApp, store: LowdbStore;
beforeAll(async () => {
  const modules = loadModules(POLICIES);
  ({ store } = await openStore(tempDir('ow-'), POLICIES, modules));
  app = createApp({ store, keys: NO_REVIEW_KEYS, modules, log: () => undefined, studioDir: null, today: () => '2024-06-01' });
  for (const date of new Set(entries.map((e) => e.as_of))) await prepare(app.locals.ctx.evaluation, date);
}, 180_000);
afterAll(async () => { await store.close(); });

interface Programme { policy: string; outputs: Record<string, Json>; uses: Record<string, { version: number; outputs: Record<string, Json> }>; trace?: { output: string; decided_by: unknown }[] }

describe('one-window households over HTTP (policies/one-window.yaml)', () => {
  for (const e of entries) {
    it(e.name, async () => {
      const res = await request(app).post('/api/entitlements').set(bearer('tester-key')).send({ household: e.household, as_of: e.as_of, record: false });
      expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(200);
      const byId = new Map((res.body.programmes as Programme[]).map((p) => [p.policy, p]));
      for (const [id, outputs] of Object.entries(e.expect)) {
        const p = byId.get(id);
        expect(p, `${id} among ${[...byId.keys()].join(', ')}`).toBeDefined();
        for (const [name, expected] of Object.entries(outputs)) {
          expect(sameJson(expected, p!.outputs[name] as Json), `${id}.${name}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(p!.outputs[name])}`).toBe(true);
        }
      }
      // a programme that reads another's decision says which result it read, and it is the one decided in this call
      for (const p of byId.values()) {
        for (const [used, r] of Object.entries(p.uses ?? {})) {
          const decided = byId.get(used);
          expect(decided, `${p.policy} uses ${used}`).toBeDefined();
          for (const [name, value] of Object.entries(r.outputs)) expect(value).toEqual(decided!.outputs[name]);
        }
      }
    });
  }

  it('the Dawukou household: the living subsidy is there because the dibao decided in the same call says 是', async () => {
    const e = entries.find((x) => 'dawukou-disability-subsidies' in x.expect && (x.expect['dawukou-dibao'] as { eligible?: boolean })?.eligible === true)!;
    const res = await request(app).post('/api/entitlements').set(bearer('tester-key')).send({ household: e.household, as_of: e.as_of, record: false, trace: true });
    const subsidies = (res.body.programmes as Programme[]).find((p) => p.policy === 'dawukou-disability-subsidies')!;
    expect(subsidies.uses['dawukou-dibao']?.outputs['eligible']).toBe(true);
    expect(subsidies.outputs['living_subsidy']).toBe('110.00');
    // the explanation crosses the boundary: the dibao result and what decided it appear in the subsidy's trace
    expect(JSON.stringify(subsidies.trace)).toContain('dawukou-dibao');
  });
});
