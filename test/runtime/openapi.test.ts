// /api/openapi.json is generated from the operations and the schemas that validate requests;
// /api/docs renders it; the built studio is served at / with an SPA fallback.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { householdJsonSchema } from '../../dsl/index.js';
import { requestSchemas } from '../../runtime/schemas.js';
import { checkInput } from '../../runtime/services/simulations.js';
import { validate } from '../../runtime/validate.js';
import { household, makeApp, modules, NO_REVIEW_KEYS, tempDir, type TestApp } from './helpers.js';

let t: TestApp;
let doc: any;
beforeAll(async () => {
  t = await makeApp({ keys: NO_REVIEW_KEYS });
  doc = (await request(t.app).get('/api/openapi.json')).body;
});
afterAll(async () => { await t.cleanup(); });

/** Follows a local $ref. */
function resolve(ref: string): unknown {
  return ref.replace(/^#\//, '').split('/').reduce<any>((o, k) => o?.[k], doc);
}

function refs(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => refs(x, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) k === '$ref' && typeof x === 'string' ? out.push(x) : refs(x, out);
  return out;
}

describe('OpenAPI document', () => {
  it('is OpenAPI 3 and lists every mounted operation', () => {
    expect(doc.openapi).toMatch(/^3\./);
    const ops = (t.app.locals.operations as { method: string; path: string }[]).map((o) => `${o.method} ${o.path}`).sort();
    const documented = Object.entries(doc.paths as Record<string, object>).flatMap(([p, m]) => Object.keys(m).map((x) => `${x} ${p}`)).sort();
    expect(documented).toEqual(ops);
    for (const must of ['post /api/policies/{policyId}/evaluate', 'post /api/policies/{policyId}/evaluate/batch', 'get /api/policies/{policyId}/draft',
      'put /api/policies/{policyId}/draft', 'post /api/policies/{policyId}/publish', 'get /api/audit', 'get /api/health']) {
      expect(documented).toContain(must);
    }
  });

  it('uses the very request schemas the server validates with, and the household schema from the dsl', () => {
    expect(doc.components.schemas.EvaluateRequest).toEqual(requestSchemas.EvaluateRequest);
    expect(doc.paths['/api/policies/{policyId}/evaluate'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/EvaluateRequest' });
    const fromDsl = householdJsonSchema(modules) as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(doc.components.schemas.Household.properties).sort()).toEqual(Object.keys(fromDsl.properties).sort());
    expect(doc.components.schemas.Household.required).toEqual(fromDsl.required);
  });

  it('operation ids are unique and every path parameter is declared', () => {
    const ids: string[] = [];
    for (const [p, methods] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const op of Object.values(methods)) {
        ids.push(op.operationId);
        const declared = (op.parameters ?? []).filter((x: { in: string }) => x.in === 'path').map((x: { name: string }) => x.name);
        expect(declared, p).toEqual([...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('every $ref resolves', () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(10);
    for (const r of all) expect(resolve(r), r).toBeTruthy();
  });

  it('documents error responses with the Error schema and the roles of each operation', () => {
    const evaluate = doc.paths['/api/policies/{policyId}/evaluate'].post;
    for (const code of ['400', '404', '413']) expect(evaluate.responses[code].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(evaluate.description).toContain('Roles: admin, editor, reviewer, tester, client');
    expect(doc.paths['/api/audit'].get.description).toContain('Roles: admin.');
    expect(doc.paths['/api/health'].get.security).toEqual([]);
  });

  it('documents the simulation jobs (POST, list, poll, DELETE) with request and response schemas', () => {
    const start = doc.paths['/api/policies/{policyId}/simulations']?.post;
    expect(start, 'POST /api/policies/{policyId}/simulations').toBeTruthy();
    expect(start.requestBody).toEqual({ required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/SimulationRequest' } } } });
    expect(doc.components.schemas.SimulationRequest).toEqual(requestSchemas.SimulationRequest);
    expect(doc.components.schemas.SimulationRequest.required).toEqual(['population']);
    expect(start.responses['202'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/SimulationJob' });
    for (const code of ['400', '404', '413', '422']) expect(start.responses[code].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(start.description).toContain('Roles: admin, editor, reviewer, tester.');

    const list = doc.paths['/api/simulations']?.get;
    expect(list.responses['200'].content['application/json'].schema.properties.jobs.items).toEqual({ $ref: '#/components/schemas/SimulationJob' });
    const job = doc.paths['/api/simulations/{jobId}'];
    expect(Object.keys(job).sort()).toEqual(['delete', 'get']);
    for (const m of ['get', 'delete']) {
      expect(job[m].responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/SimulationJob' });
      expect(job[m].responses['404'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
      expect(job[m].parameters).toEqual([{ name: 'jobId', in: 'path', required: true, schema: { type: 'string' } }]);
      expect(job[m].tags).toEqual(['simulation']);
    }
    expect(job.delete.operationId).toBe('deleteApiSimulationsJobId');
    // the documented schema accepts what the service's own check accepts
    for (const body of [{ population: { households: [household()] } }, { candidate: 2, baseline: 'in-force', as_of: '2024-02-29', samples: 0, population: { generate: { preset: 'zhongwei', households: 10, seed: 'x' } } }]) {
      expect(() => checkInput(body)).not.toThrow();
      expect(validate(requestSchemas.SimulationRequest, body)).toEqual([]);
    }
    expect(doc.components.schemas.SimulationJob.properties.status.enum).toEqual(['queued', 'running', 'done', 'failed', 'cancelled']);
  });

  it('/api/docs renders the operations as HTML without external resources', async () => {
    const r = await request(t.app).get('/api/docs');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.text).toContain('/api/policies/{policyId}/evaluate');
    expect(r.text).toContain('EvaluateRequest');
    expect(r.text).not.toMatch(/<script|https?:\/\/(?!127)/);
  });
});

describe('studio static files', () => {
  it('serves studio/dist at / with an SPA fallback for non-/api paths; /api stays JSON', async () => {
    const studio = tempDir('studio-');
    mkdirSync(join(studio, 'assets'));
    writeFileSync(join(studio, 'index.html'), '<!doctype html><title>studio</title><div id="root"></div>');
    writeFileSync(join(studio, 'assets', 'app.js'), 'console.log(1)');
    const s = await makeApp({ keys: NO_REVIEW_KEYS, studioDir: studio });
    try {
      expect((await request(s.app).get('/')).text).toContain('<title>studio</title>');
      expect((await request(s.app).get('/assets/app.js')).text).toBe('console.log(1)');
      const deep = await request(s.app).get('/policies/fx-dibao/editor');
      expect(deep.status).toBe(200);
      expect(deep.text).toContain('<div id="root">');
      const api = await request(s.app).get('/api/unknown');
      expect(api.status).toBe(404);
      expect(api.body.error.code).toBe('route.not_found');
    } finally { await s.cleanup(); }
  });

  it('without a built studio, / says so and links the API docs', async () => {
    const r = await request(t.app).get('/');
    expect(r.status).toBe(200);
    expect(r.text).toContain('/api/docs');
    const other = await request(t.app).get('/somewhere');
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('route.not_found');
  });
});
