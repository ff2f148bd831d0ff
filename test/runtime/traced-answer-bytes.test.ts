// The traced evaluate answer over HTTP, byte for byte: sendJson writes a long answer through
// runtime/json-bytes.ts (ICU's converter, not Buffer.from). The expected trace texts are
// test/dsl/fixtures/traced-answers.json.gz, written by an earlier build (see
// test/dsl/traced-answers.test.ts), not by the code under test: the answer on the wire must end
// with exactly that text as UTF-8, and Content-Length must count its bytes.
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import request from 'supertest';
import { createApp } from '../../runtime/app.js';
import { loadModules } from '../../runtime/services/language.js';
import { openStore } from '../../runtime/server.js';
import { tempDir } from './helpers.js';
import { generateHouseholds, AS_OF } from '../../bench/lib/households.js';
import { resolve } from '../policies/shipped.js';

interface Case { policy: string; scenario: string; as_of: string; household: unknown; trace: string }
const fixture = JSON.parse(gunzipSync(readFileSync('test/dsl/fixtures/traced-answers.json.gz')).toString('utf8')) as { cases: Case[] };

describe('the traced answer on the wire', async () => {
  const modules = loadModules('policies');
  const { store } = await openStore(tempDir(), 'policies', modules);
  const app = createApp({ store, keys: '', modules, log: () => undefined, studioDir: null });
  afterAll(async () => { await store.close(); });

  for (const c of fixture.cases) {
    it(`${c.policy}: ${c.scenario}`, async () => {
      const id = c.policy.split('/')[0]!;
      const r = await request(app).post(`/api/policies/${id}/evaluate`).send({ household: c.household, as_of: c.as_of, record: false })
        .buffer(true).parse((res, done) => { const parts: Buffer[] = []; res.on('data', (d: Buffer) => parts.push(d)); res.on('end', () => done(null, Buffer.concat(parts))); });
      const body = r.body as Buffer;
      expect(r.status, body.toString('utf8').slice(0, 300)).toBe(200);
      expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(Number(r.headers['content-length'])).toBe(body.length);
      const tail = Buffer.from(`,"trace":${c.trace}}`, 'utf8');
      expect(body.length).toBeGreaterThan(tail.length);
      expect(body.subarray(body.length - tail.length).equals(tail)).toBe(true);
      expect(body.subarray(0, 18).toString('latin1')).toBe('{"recorded":false,');
    });
  }

  // the trace writer (dsl/eval/trace-json.ts) on the wire: each generated household's answer ends
  // with JSON.stringify of the trace the language gives for it (test/dsl/trace-json.test.ts holds
  // that text to main's build before the writer)
  it('200 generated households: the trace on the wire is JSON.stringify\'s text of the trace', async () => {
    const compiled = resolve('dawukou-dibao', AS_OF)!;
    for (const h of generateHouseholds(200, 4242)) {
      const r = await request(app).post('/api/policies/dawukou-dibao/evaluate').send({ household: h, as_of: AS_OF, record: false })
        .buffer(true).parse((res, done) => { const parts: Buffer[] = []; res.on('data', (d: Buffer) => parts.push(d)); res.on('end', () => done(null, Buffer.concat(parts))); });
      const body = r.body as Buffer;
      expect(r.status).toBe(200);
      const e = compiled.evaluate(h, AS_OF, { trace: true });
      if (!e.ok) throw new Error(JSON.stringify(e.errors));
      const tail = Buffer.from(`,"trace":${JSON.stringify(e.trace)}}`, 'utf8');
      if (!body.subarray(body.length - tail.length).equals(tail)) expect(body.toString('utf8')).toBe(`…${tail.toString('utf8')}`);
      expect(Number(r.headers['content-length'])).toBe(body.length);
    }
  }, 60_000);
});
