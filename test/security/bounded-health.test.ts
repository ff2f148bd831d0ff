// Issue 21 B6: /api/health analysed every unpublished draft, so a large saved draft stalled the
// first health check after each restart (a restart loop under a liveness probe). Health now
// reports cheap state only: it never analyses, never compiles, never asks the worker pool.
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { overlappingRules } from '../../bench/hostile.js';
import { createApp } from '../../runtime/app.js';
import { modules } from '../runtime/helpers.js';
import { boundedApp } from './bounded-helpers.js';

describe('GET /api/health after a restart with a large unpublished draft', () => {
  it('answers without analysing any draft or version', async () => {
    const t = await boundedApp();
    // a draft saved before the budget existed (or by another tool): 1,500 overlapping rules
    const at = new Date().toISOString();
    await t.store.mutate((data) => {
      data.policies['big'] = {
        id: 'big', created_at: at, created_by: 'test', retired: null,
        draft: { source: overlappingRules(1500, 'big'), scenarios: 'policy: big\nscenarios: []\n', revision: 1, updated_at: at, updated_by: 'test' },
        versions: [], publish_requests: [],
      };
    });
    // "restart": a new app on the same store
    const app = createApp({ store: t.store, modules, pool: t.pool, studioDir: null, log: () => undefined });
    const lang = app.locals.ctx.lang;
    const analyze = vi.spyOn(lang, 'analyze');
    const compile = vi.spyOn(lang, 'compile');
    const run = vi.spyOn(t.pool, 'run');
    const r = await request(app).get('/api/health');
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('ok');
    expect(r.body.policies).toBe(3);   // fx-dibao, fx-elderly (fixtures) and big
    expect(analyze).not.toHaveBeenCalled();
    expect(compile).not.toHaveBeenCalled();
    expect(run).not.toHaveBeenCalled();
  });
});
