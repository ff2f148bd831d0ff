// The OpenAPI document over the real policies/ passes `redocly lint` with no errors, and names
// every published output's type (Outputs_<policyId>), so a client can be generated from it.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../runtime/app.js';
import { openStore } from '../../runtime/server.js';
import { loadModules } from '../../runtime/services/language.js';
import type { LowdbStore } from '../../runtime/store/lowdb-store.js';
import { tempDir } from './helpers.js';

const ROOT = join(import.meta.dirname, '../..');
const POLICIES = join(ROOT, 'policies');
type Obj = Record<string, any>;
let doc: Obj, store: LowdbStore;
beforeAll(async () => {
  const modules = loadModules(POLICIES);
  ({ store } = await openStore(tempDir('ent-doc-'), POLICIES, modules));
  const app = createApp({ store, modules, log: () => undefined, studioDir: null });
  doc = (await request(app).get('/api/openapi.json')).body as Obj;
}, 60_000);
afterAll(async () => { await store.close(); });

describe('the OpenAPI document with every published policy', () => {
  it('redocly lint finds no errors', () => {
    const file = join(tempDir('ent-doc-'), 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', file, '--format=json'], { encoding: 'utf8', timeout: 60_000 });
    const report = JSON.parse(r.stdout) as { problems: { severity: string; ruleId: string; message: string }[] };
    const errors = report.problems.filter((p) => p.severity === 'error');
    expect(errors.map((e) => `${e.ruleId}: ${e.message}`)).toEqual([]);
    expect(r.status).toBe(0);
  }, 60_000);

  it('every output of every published policy has a named type', () => {
    const schemas = doc.components.schemas as Obj;
    const names = Object.keys(schemas).filter((n) => n.startsWith('Outputs_'));
    // the 13 programmes under policies/
    expect(names).toHaveLength(13);
    for (const n of names) {
      for (const [out, s] of Object.entries(schemas[n].properties as Obj)) {
        const typed = s.type ?? s.additionalProperties?.type;
        expect(typed, `${n}.${out}`).toBeDefined();
      }
    }
    // dawukou-disability-subsidies: a per-member output is an object of money by member id
    expect(schemas['Outputs_dawukou-disability-subsidies'].properties.living_subsidy_by_member).toMatchObject({ type: 'object', additionalProperties: { 'x-money': 'yuan/month' } });
    // a programme result is its base plus exactly one policy's outputs, chosen by `policy`
    expect(schemas.ProgrammeResult.oneOf).toHaveLength(13);
  });
});
