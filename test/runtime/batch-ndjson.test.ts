// POST …/evaluate/batch with Content-Type application/x-ndjson: one household per line in, a
// header line, one result per line in order, and a trailer out; errors per line, bilingual,
// with the line number; no household limit (a 100,000-line stream). Fixture fx-dibao v2: urban
// standard 650 元/月, so a family of 3 with income X gets (650 − X/3) × 3 = 1950 − X when eligible.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES } from '../../runtime/services/batch-stream.js';
import { bearer, household, makeApp, NO_REVIEW_KEYS, type TestApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => { t = await makeApp({ keys: NO_REVIEW_KEYS, today: '2024-06-01' }); });
afterAll(async () => { await t.cleanup(); });

const family = (id: string, income: string) => household({ id, members: [
  { id: 'm1', birth_date: '1980-05-01', income_monthly: income }, { id: 'm2', birth_date: '1982-03-01' }, { id: 'm3', birth_date: '2015-09-01' }] });

const text = (res: NodeJS.ReadableStream & { setEncoding(e: string): void }, cb: (err: Error | null, body: string) => void) => {
  let d = ''; res.setEncoding('utf8'); res.on('data', (c: string) => { d += c; }); res.on('end', () => cb(null, d));
};
const post = (body: string, query = '?as_of=2024-06-01', key = 'client-key') =>
  request(t.app).post(`/api/policies/fx-dibao/evaluate/batch${query}`).set(bearer(key)).set('Content-Type', 'application/x-ndjson')
    .send(body).buffer(true).parse(text);
const parsed = (body: string) => body.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, any>);
/** The answer's lines without their decision ids (every result with outputs is recorded: checked below). */
const lines = (body: string) => parsed(body).map(({ decision_id: _id, ...rest }) => rest);

describe('batch as JSON Lines', () => {
  it('answers a header, one result per household in order, and a trailer', async () => {
    const input = [family('a', '900.00'), family('b', '0'), family('c', '3000.00'), family('d', '1800.00')].map((h) => JSON.stringify(h)).join('\n') + '\n';
    const r = await post(input);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const [head, ...rest] = lines(r.body as string);
    expect(head).toMatchObject({ policy: 'fx-dibao', version: 2, effective_from: '2023-01-01', as_of: '2024-06-01' });
    expect(head!['assumptions']).toEqual(expect.any(Array));
    expect(rest.slice(0, 4)).toEqual([
      { line: 1, id: 'a', outputs: { eligible: true, monthly_amount: '1050.00' } },
      { line: 2, id: 'b', outputs: { eligible: true, monthly_amount: '1950.00' } },
      { line: 3, id: 'c', outputs: { eligible: false, monthly_amount: '0.00' } },
      { line: 4, id: 'd', outputs: { eligible: true, monthly_amount: '150.00' } },
    ]);
    expect(rest[4]).toEqual({ done: true, lines: 4, results: 4, error_count: 0 });
    // each household's decision is recorded before its line goes out, and can be read back
    const ids = parsed(r.body as string).slice(1, 5).map((l) => l['decision_id']);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const got = await request(t.app).get(`/api/decisions/${ids[1]}`).set(bearer('client-key'));
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ household_id: 'b', outputs: { eligible: true, monthly_amount: '1950.00' } });
  });

  it('records each decided household as the JSON batch does: its place among the parsed households, its version, the household as sent', async () => {
    // line 2 is not JSON (no household), line 3 is an invalid household (evaluated, not decided)
    const bad = family('bad', '900.00');
    (bad['members'] as Record<string, unknown>[])[0]!['birth_date'] = 'yesterday';
    const input = [JSON.stringify(family('a', '900.00')), '{"id": "broken",', JSON.stringify(bad), JSON.stringify(family('d', '1800.00'))].join('\n') + '\n';
    const out = parsed((await post(input)).body as string);
    expect(out[2]).not.toHaveProperty('decision_id');
    expect(out[3]).not.toHaveProperty('decision_id');
    const a = await request(t.app).get(`/api/decisions/${out[1]!['decision_id']}`).set(bearer('client-key'));
    const d = await request(t.app).get(`/api/decisions/${out[4]!['decision_id']}`).set(bearer('client-key'));
    expect(a.body).toMatchObject({ household_id: 'a', batch_index: 0, policy: 'fx-dibao', version: 2, as_of: '2024-06-01', household: family('a', '900.00') });
    // the third household parsed (the JSON batch call of this chunk numbered it 2)
    expect(d.body).toMatchObject({ household_id: 'd', batch_index: 2, policy: 'fx-dibao', version: 2, as_of: '2024-06-01', outputs: { eligible: true, monthly_amount: '150.00' } });
  });

  it('gives each bad line its own bilingual error with the line number; blank lines keep their number', async () => {
    const unknown = family('u', '900.00');
    (unknown['members'] as Record<string, unknown>[])[0]!['incme_monthly'] = '1.00';
    const input = [JSON.stringify(family('a', '900.00')), '{"id": "broken",', JSON.stringify(unknown), '', '   ', '[1]', JSON.stringify(family('z', '1500.00'))].join('\r\n');
    const out = lines((await post(input)).body as string);
    expect(out).toHaveLength(1 + 5 + 1);
    expect(out[1]).toMatchObject({ line: 1, id: 'a' });
    expect(out[2]).toMatchObject({ line: 2, id: null, error: { code: 'line.invalid_json', message_zh: '第 2 行：不是合法的 JSON', message_en: 'line 2: is not valid JSON' } });
    expect(out[3]!['line']).toBe(3);
    expect(out[3]!['id']).toBe('u');
    expect(out[3]!['error']).toMatchObject({ code: 'household.invalid', message_zh: '第 3 行：家庭数据不符合要求', message_en: 'line 3: The household is invalid' });
    expect(out[3]!['error'].details[0].path).toBe('household.members[0].incme_monthly');
    expect(out[3]!['error'].details[0].message).toContain('income_monthly');
    expect(out[4]).toMatchObject({ line: 6, id: null, error: { code: 'household.invalid', message_en: 'line 6: household must be an object' } });
    // no newline after the last line: it is still read; 1950 − 1500 = 450
    expect(out[5]).toEqual({ line: 7, id: 'z', outputs: { eligible: true, monthly_amount: '450.00' } });
    expect(out[6]).toEqual({ done: true, lines: 7, results: 5, error_count: 3 });
  });

  it('refuses a line longer than the cap and goes on with the next', async () => {
    const long = JSON.stringify({ ...family('big', '900.00'), note: 'x'.repeat(MAX_LINE_BYTES) });
    const out = lines((await post(`${long}\n${JSON.stringify(family('after', '900.00'))}\n`)).body as string);
    expect(out[1]).toMatchObject({ line: 1, id: null, error: { code: 'line.too_long', message_en: `line 1: is longer than ${MAX_LINE_BYTES} bytes` } });
    expect(out[2]).toEqual({ line: 2, id: 'after', outputs: { eligible: true, monthly_amount: '1050.00' } });
    expect(out[3]).toEqual({ done: true, lines: 2, results: 2, error_count: 1 });
  });

  it('streams 100,000 households with no batch limit', async () => {
    const incomes = ['0', '600.00', '1200.00', '1800.00'];   // → 1950.00, 1350.00, 750.00, 150.00
    const expected = ['1950.00', '1350.00', '750.00', '150.00'];
    const n = 100_000;
    const input: string[] = new Array(n);
    for (let i = 0; i < n; i++) input[i] = JSON.stringify(family(`h${i}`, incomes[i % 4]!));
    const r = await post(input.join('\n') + '\n');
    expect(r.status).toBe(200);
    const out = lines(r.body as string);
    expect(out).toHaveLength(n + 2);
    expect(out[n + 1]).toEqual({ done: true, lines: n, results: n, error_count: 0 });
    for (const i of [0, 1, 2, 3, 4242, 77777, n - 1]) {
      expect(out[i + 1]).toEqual({ line: i + 1, id: `h${i}`, outputs: { eligible: true, monthly_amount: expected[i % 4] } });
    }
  }, 120_000);

  it('checks key, query and policy before streaming (JSON errors), and leaves the JSON batch as it was', async () => {
    expect((await post('{}\n', '?as_of=2024-06-01', 'nope')).status).toBe(401);
    const bad = await request(t.app).post('/api/policies/fx-dibao/evaluate/batch?as_of=2024-02-30').set(bearer('client-key')).set('Content-Type', 'application/x-ndjson').send('{}\n');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ path: 'as_of', message: '2024-02-30' }]);
    const version = await request(t.app).post('/api/policies/fx-dibao/evaluate/batch?version=0').set(bearer('client-key')).set('Content-Type', 'application/x-ndjson').send('{}\n');
    expect(version.status).toBe(400);
    const missing = await request(t.app).post('/api/policies/nope/evaluate/batch').set(bearer('client-key')).set('Content-Type', 'application/x-ndjson').send('{}\n');
    expect(missing.status).toBe(404);
    const pinned = lines((await post(JSON.stringify(family('a', '900.00')), '?as_of=2024-06-01&version=1')).body as string);
    expect(pinned[0]).toMatchObject({ version: 1 });
    const json = await request(t.app).post('/api/policies/fx-dibao/evaluate/batch').set(bearer('client-key')).send({ households: [family('a', '900.00')], as_of: '2024-06-01' });
    expect(json.status).toBe(200);
    expect(json.body.results).toEqual([{ id: 'a', decision_id: expect.any(String), outputs: { eligible: true, monthly_amount: '1050.00' } }]);
  });

  it('refuses a misspelt query parameter (naming the nearest) and a record value that is not true/false', async () => {
    const misspelt = await post(JSON.stringify(family('a', '900.00')) + '\n', '?asof=2019-01-01');
    expect(misspelt.status).toBe(400);
    const error = JSON.parse(misspelt.body as string).error;
    expect(error.code).toBe('request.invalid');
    expect(error.details[0].path).toBe('query.asof');
    expect(error.details[0].message).toContain('as_of');
    const record = await post(JSON.stringify(family('a', '900.00')) + '\n', '?as_of=2024-06-01&record=no');
    expect(record.status).toBe(400);
    expect(JSON.parse(record.body as string).error.details).toEqual([{ path: 'query.record', message: 'no' }]);
    // a client may not ask for a dry run; a tester may
    expect((await post(JSON.stringify(family('a', '900.00')) + '\n', '?as_of=2024-06-01&record=false')).status).toBe(403);
    const dry = await post(JSON.stringify(family('a', '900.00')) + '\n', '?as_of=2024-06-01&record=false', 'tester-key');
    expect(dry.status).toBe(200);
    expect(parsed(dry.body as string)[1]).not.toHaveProperty('decision_id');
  });

  it('answers a dry run line for line as a recorded one, whether or not a line is read without JSON.parse', async () => {
    // the plain lines are read from their bytes (the text fast path); the escaped, spaced-out,
    // duplicate-key and 1e2 ones go through JSON.parse; the bad ones are errors either way
    const plain = JSON.stringify(family('a', '900.00'));
    const input = [
      plain,
      plain.replace('"id":"a"', '"id":"\\u0061"'),           // an escape: JSON.parse, the same id a
      JSON.stringify(family('b', '0'), null, 1).replace(/\n/g, ' '),
      plain.replace('"id":"a"', '"id":"x","id":"c"').replace('"900.00"', '3000'),
      plain.replace('"id":"a"', '"id":"d"').replace('"900.00"', '1.8e3'),
      plain.replace('"900.00"', '"9.999"'),                   // three decimals: household.invalid
      plain.replace('"id":"a"', '"id":"e","extra":1'),         // an unknown field: household.invalid
      '{"id":',                                              // not JSON
    ].join('\n') + '\n';
    const dry = await post(input, '?as_of=2024-06-01&record=false', 'tester-key');
    const recorded = await post(input, '?as_of=2024-06-01', 'tester-key');
    expect(dry.status).toBe(200);
    const [, ...rest] = parsed(dry.body as string);
    // 1950 − income when eligible (a family of 3, urban standard 650)
    expect(rest.slice(0, 5)).toEqual([
      { line: 1, id: 'a', outputs: { eligible: true, monthly_amount: '1050.00' } },
      { line: 2, id: 'a', outputs: { eligible: true, monthly_amount: '1050.00' } },
      { line: 3, id: 'b', outputs: { eligible: true, monthly_amount: '1950.00' } },
      { line: 4, id: 'c', outputs: { eligible: false, monthly_amount: '0.00' } },
      { line: 5, id: 'd', outputs: { eligible: true, monthly_amount: '150.00' } },
    ]);
    expect(rest.slice(5, 8).map((l) => l['error']?.code)).toEqual(['household.invalid', 'household.invalid', 'line.invalid_json']);
    expect(rest[8]).toEqual({ done: true, lines: 8, results: 8, error_count: 3 });
    // byte for byte the recorded answer's lines, decision ids aside
    expect(lines(dry.body as string)).toEqual(lines(recorded.body as string));
    expect((dry.body as string).split('\n').slice(1)).toEqual((recorded.body as string).split('\n').slice(1).map((l) => l.replace(/,"decision_id":"[0-9a-f-]{36}"/, '')));
  });
});
