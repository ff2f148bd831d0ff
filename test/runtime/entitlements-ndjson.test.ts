// POST /api/entitlements/batch with Content-Type application/x-ndjson: the evaluate batch's
// JSON Lines (one household per line in; a header, one line per household in order, a trailer
// out), each line the answer of the JSON batch for that household. Households: the Dawukou ones
// of policies/one-window.yaml, whose figures are worked out by hand there.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type StudioApp } from '../../runtime/app.js';
import { openStore } from '../../runtime/server.js';
import { loadModules } from '../../runtime/services/language.js';
import type { LowdbStore } from '../../runtime/store/lowdb-store.js';
import { bearer, NO_REVIEW_KEYS, tempDir } from './helpers.js';

const POLICIES = join(import.meta.dirname, '../../policies');
const households = (YAML.parse(readFileSync(join(POLICIES, 'one-window.yaml'), 'utf8')) as { household: Record<string, unknown> }[])
  .map((e) => e.household).filter((h) => h['county'] === '大武口区');

let app: StudioApp, store: LowdbStore;
beforeAll(async () => {
  const modules = loadModules(POLICIES);
  ({ store } = await openStore(tempDir('ent-ndjson-'), POLICIES, modules));
  app = createApp({ store, keys: NO_REVIEW_KEYS, modules, log: () => undefined, studioDir: null, today: () => '2024-06-01' });
}, 180_000);
afterAll(async () => { await store.close(); });

const text = (res: NodeJS.ReadableStream & { setEncoding(e: string): void }, cb: (err: Error | null, body: string) => void) => {
  let d = ''; res.setEncoding('utf8'); res.on('data', (c: string) => { d += c; }); res.on('end', () => cb(null, d));
};
const post = (body: string, query = '?as_of=2024-06-01', key = 'client-key') =>
  request(app).post(`/api/entitlements/batch${query}`).set(bearer(key)).set('Content-Type', 'application/x-ndjson').send(body).buffer(true).parse(text);
const parsed = (body: string) => body.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, any>);
/** An answer without what differs between two calls (its decision ids). */
const stable = ({ decision_ids: _d, programmes, ...rest }: Record<string, any>) =>
  ({ ...rest, programmes: (programmes as Record<string, unknown>[]).map(({ decision_id: _id, ...p }) => p) });
const programme = (answer: Record<string, any>, id: string) => (answer['programmes'] as { policy: string; outputs: Record<string, unknown> }[]).find((p) => p.policy === id)!;

describe('entitlements batch as JSON Lines', () => {
  it('a header, one answer per household in order (the JSON batch\'s), the errors per line, a trailer', async () => {
    const input = [JSON.stringify(households[0]), '{"id": "broken",', '', JSON.stringify({ id: 'nowhere', area: 'urban', county: '火星区', members: [{ id: 'm1', birth_date: '1980-01-01' }] }),
      ...households.slice(1).map((h) => JSON.stringify(h))].join('\r\n') + '\r\n';
    const r = await post(input);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const [head, ...rest] = parsed(r.body as string);
    expect(head).toEqual({ as_of: '2024-06-01', recorded: true });
    expect(rest.map((l) => [l['line'], l['household_id']])).toEqual([[1, 'ow-01'], [2, null], [4, 'nowhere'], [5, 'ow-02'], [6, 'ow-03'], [7, 'ow-04'], [undefined, undefined]]);
    expect(rest[1]).toMatchObject({ error: { code: 'line.invalid_json', message_zh: '第 2 行：不是合法的 JSON', message_en: 'line 2: is not valid JSON' } });
    expect(rest[2]!['error'].code).toMatch(/^jurisdiction\./);
    expect(rest[2]!['error'].message_zh).toMatch(/^第 4 行：/);
    expect(rest.at(-1)).toEqual({ done: true, lines: 7, results: 6, error_count: 2 });

    // by hand (policies/one-window.yaml): the dibao decided on the line, the subsidies and low-income status following from it
    const [ow1, ow2, ow3, ow4] = [rest[0]!, rest[3]!, rest[4]!, rest[5]!];
    expect(programme(ow1, 'dawukou-dibao').outputs).toMatchObject({ eligible: true, monthly_amount: '480.00' });
    expect(programme(ow1, 'dawukou-disability-subsidies').outputs).toMatchObject({ living_subsidy: '110.00', nursing_subsidy: '120.00', monthly_amount: '230.00' });
    expect(programme(ow1, 'dawukou-low-income').outputs).toMatchObject({ eligible: true, dibao_edge: false });
    expect(programme(ow2, 'dawukou-disability-subsidies').outputs).toMatchObject({ living_subsidy: '0.00', monthly_amount: '120.00' });
    expect(programme(ow2, 'dawukou-low-income').outputs).toMatchObject({ eligible: true, dibao_edge: true });
    expect(programme(ow3, 'dawukou-dibao').outputs).toMatchObject({ eligible: false, monthly_amount: '0.00' });
    expect(programme(ow4, 'dawukou-dibao').outputs).toMatchObject({ eligible: true, monthly_amount: '0.01' });

    // each line is the JSON batch's answer for that household; its decisions are recorded
    const json = await request(app).post('/api/entitlements/batch').set(bearer('client-key')).send({ households, as_of: '2024-06-01' });
    expect(json.status).toBe(200);
    expect([ow1, ow2, ow3, ow4].map(({ line: _l, ...a }) => stable(a))).toEqual(json.body.results.map(stable));
    const id = ow1['decision_ids']['dawukou-disability-subsidies'] as string;
    const got = await request(app).get(`/api/decisions/${id}`).set(bearer('client-key'));
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ household_id: 'ow-01', policy: 'dawukou-disability-subsidies', outputs: { monthly_amount: '230.00' } });
  }, 120_000);

  it('before the first line: a misspelt parameter names the nearest, a dry run needs its role, no content encoding', async () => {
    const one = JSON.stringify(households[0]) + '\n';
    const bad = await post(one, '?asof=2024-06-01');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body as string).error.details[0]).toMatchObject({ path: 'query.asof', message: expect.stringContaining('as_of') });
    expect((await post(one, '?as_of=2024-06-01&record=false')).status).toBe(403);
    const dry = await post(one, '?as_of=2024-06-01&record=false', 'tester-key');
    expect(parsed(dry.body as string)[0]).toEqual({ as_of: '2024-06-01', recorded: false });
    expect(parsed(dry.body as string)[1]!['decision_ids']).toEqual({});
    const gz = await request(app).post('/api/entitlements/batch').set(bearer('client-key')).set('Content-Type', 'application/x-ndjson').set('Content-Encoding', 'gzip').send(one);
    expect(gz.status).toBe(415);
  }, 60_000);

  it('the OpenAPI document gives both media types and the JSON Lines parameters', async () => {
    const doc = (await request(app).get('/api/openapi.json').set(bearer('client-key'))).body;
    const op = doc.paths['/api/entitlements/batch'].post;
    expect(Object.keys(op.requestBody.content)).toEqual(['application/json', 'application/x-ndjson']);
    expect(Object.keys(op.responses['200'].content)).toEqual(['application/json', 'application/x-ndjson']);
    expect(op.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(['query:as_of', 'query:record']);
    expect(doc.paths['/api/policies/{policyId}/evaluate/batch'].post.requestBody.content['application/x-ndjson']).toBeDefined();
  });
});
