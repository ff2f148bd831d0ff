// The dry-run JSON batch answered from the body's bytes (runtime/body-bytes.ts,
// services/batch-body.ts, EvaluationService.batchText): the very bytes and headers the parsed
// path gives, for every body. The parsed path is reached with `Content-Encoding: identity`
// (express.json reads it as any body; the bytes path leaves every encoded body to it), and
// decisions.batch being called or not says which path answered. Fixture fx-dibao v2: urban
// standard 650 元/月, so a family of 3 with income X gets (650 − X/3) × 3 = 1950 − X when eligible.
import request from 'supertest';
import { gzipSync } from 'node:zlib';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bearer, household, makeApp, NO_REVIEW_KEYS, type TestApp } from './helpers.js';
import { generateHouseholds } from '../../bench/lib/households.js';

let t: TestApp;
let shipped: TestApp;
beforeAll(async () => {
  t = await makeApp({ keys: NO_REVIEW_KEYS, today: '2024-06-01' });
  shipped = await makeApp({ keys: NO_REVIEW_KEYS, today: '2024-06-01', policiesDir: 'policies' });
});
afterAll(async () => { await t.cleanup(); await shipped.cleanup(); });

const family = (id: string, income: string) => household({ id, members: [
  { id: 'm1', birth_date: '1980-05-01', income_monthly: income }, { id: 'm2', birth_date: '1982-03-01' }, { id: 'm3', birth_date: '2015-09-01' }] });

const raw = (res: NodeJS.ReadableStream & { setEncoding(e: string): void }, cb: (err: Error | null, body: string) => void) => {
  let d = ''; res.setEncoding('utf8'); res.on('data', (c: string) => { d += c; }); res.on('end', () => cb(null, d));
};

interface Answer { status: number; type: string | undefined; length: string | undefined; body: string; parsedPath: boolean }

/** The answer to `body` (text or bytes) through the bytes path when it takes it (`parsed`: forced onto the parsed path). */
async function post(app: TestApp, policy: string, body: string | Buffer, opts: { parsed?: boolean; key?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const decisions = app.app.locals.ctx.decisions;
  const spy = vi.spyOn(decisions, 'batch');
  try {
    let req = request(app.app).post(`/api/policies/${policy}/evaluate/batch`).set(bearer(opts.key ?? 'tester-key')).set('Content-Type', 'application/json');
    if (opts.parsed) req = req.set('Content-Encoding', 'identity');
    for (const [k, v] of Object.entries(opts.headers ?? {})) req = req.set(k, v);
    const r = await req.send(body).buffer(true).parse(raw);
    return { status: r.status, type: r.headers['content-type'], length: r.headers['content-length'], body: r.body as string, parsedPath: spy.mock.calls.length > 0 };
  } finally { spy.mockRestore(); }
}

/** Both paths' answers to `body`; they must be the same bytes; `fast`: whether the bytes path answered. */
async function both(app: TestApp, policy: string, body: string | Buffer, key?: string): Promise<{ answer: Answer; fast: boolean }> {
  // the parsed path first: a version's first use compiles it there (the bytes path only answers for a compiled one)
  const old = await post(app, policy, body, { parsed: true, key });
  const fast = await post(app, policy, body, { key });
  expect(old.parsedPath || old.status !== 200).toBe(true);
  // a recorded batch's decision ids are new in each answer (of the same length)
  const same = (a: Answer) => ({ ...a, parsedPath: undefined, body: a.body.replace(/"decision_id":"[0-9a-f-]{36}"/g, '"decision_id":"…"') });
  expect(same(fast)).toEqual(same(old));
  return { answer: fast, fast: !fast.parsedPath && fast.status === 200 };
}

const hh = (income: string, id = 'a') => JSON.stringify(family(id, income));

describe('dry-run JSON batch from the body bytes', () => {
  it('answers the plain body without the parsed path, with the outputs worked out by hand', async () => {
    const body = `{"households":[${hh('900.00', 'a')},${hh('0', 'b')},${hh('3000.00', 'c')}],"as_of":"2024-06-01","record":false}`;
    const { answer, fast } = await both(t, 'fx-dibao', body);
    expect(fast).toBe(true);
    expect(answer.status).toBe(200);
    expect(answer.type).toBe('application/json; charset=utf-8');
    const parsed = JSON.parse(answer.body) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['recorded', 'policy', 'version', 'effective_from', 'as_of', 'assumptions', 'results', 'error_count', 'errors_omitted']);
    expect(parsed).toMatchObject({ recorded: false, policy: 'fx-dibao', version: 2, effective_from: '2023-01-01', as_of: '2024-06-01', error_count: 0, errors_omitted: 0 });
    expect(parsed['results']).toEqual([
      { id: 'a', outputs: { eligible: true, monthly_amount: '1050.00' } },
      { id: 'b', outputs: { eligible: true, monthly_amount: '1950.00' } },
      { id: 'c', outputs: { eligible: false, monthly_amount: '0.00' } },
    ]);
    expect(Number(answer.length)).toBe(Buffer.byteLength(answer.body));
  });

  it('takes key orders, whitespace, as_of missing (today), a pinned version, an empty list', async () => {
    const cases = [
      `{"record":false,"as_of":"2024-06-01","households":[${hh('900.00')}]}`,
      ` \r\n\t{ "as_of" : "2024-06-01" ,\n "households" : [ ${hh('900.00')} ,\n${hh('10.00', 'b')} ] , "record" : false } \n`,
      `{"households":[${hh('900.00')}],"record":false}`,
      `{"households":[${hh('900.00')}],"record":false,"version":1,"as_of":"2024-06-01"}`,
      `{"households":[],"record":false}`,
      `{"households":[ ],"record":false,"as_of":"2024-06-01"}`,
    ];
    for (const body of cases) expect((await both(t, 'fx-dibao', body)).fast, body).toBe(true);
  });

  it('leaves every other body to the parsed path, with the same answer', async () => {
    const escaped = '{"id":"\\u0061","area":"urban","members":[{"id":"m1","birth_date":"1980-05-01","income_monthly":"900.00"}]}';
    const invalid = JSON.stringify(family('bad', 'lots'));
    const cases: [string, number][] = [
      [`{"households":[${hh('900.00')},${escaped},${hh('10.00', 'c')}],"record":false}`, 200],   // an escape in one household
      [`{"households":[${hh('900.00')},${invalid}],"record":false,"as_of":"2024-06-01"}`, 200],   // an invalid household: its error
      [`{"households":[${hh('900.00')},42,null],"record":false}`, 200],                          // not objects
      [`{"households":[${hh('900.00')}],"record":false,"trace":false}`, 400],                    // unknown key
      [`{"households":[${hh('900.00')}],"record":false,"households":[]}`, 200],                  // repeated key: the last wins
      [`{"households":[${hh('900.00')}],"record":false,"as_of":"2024-13-01"}`, 400],             // schema: as_of
      [`{"households":[${hh('900.00')}],"record":false,"as_of":"2024-02-30"}`, 400],             // not a real date
      [`{"households":[${hh('900.00')}],"record":false,"version":0}`, 400],
      [`{"households":[${hh('900.00')}],"record":false,"version":9}`, 404],
      [`{"households":[${hh('900.00')}],"record":false,"as_of":"2000-01-01"}`, 404],
      [`{"households":[${hh('900.00')}],"record":"false"}`, 400],
      [`{"households":[${hh('900.00')}],"record":false,"as_of":"2024-06-01"`, 400],              // cut short
      [`{"households":[${hh('900.00')}],"record":false} x`, 400],                                 // text after the body
      [`{"households":[${hh('900.00')}}],"record":false}`, 400],                                  // brackets that do not match
      [`{"households":{"a":1},"record":false}`, 400],
      [`{"record":false}`, 400],
      ['[]', 400],
      ['  ', 400],
      ['"x"', 400],
      [`\uFEFF{"households":[${hh('900.00')}],"record":false}`, 200],                               // a BOM, dropped as express.json does
      [`{"households":[${hh('900.00')}],"record":true}`, 200],                                      // recorded: the decision store's path
    ];
    for (const [body, status] of cases) {
      const { answer, fast } = await both(t, 'fx-dibao', body);
      expect(fast, body).toBe(false);
      expect(answer.status, body).toBe(status);
    }
  });

  it('a caller who may not make a dry run gets the same 403; one who may and asks for records is recorded', async () => {
    const body = `{"households":[${hh('900.00')}],"record":false}`;
    const refused = await both(t, 'fx-dibao', body, 'client-key');
    expect(refused.fast).toBe(false);
    expect(refused.answer.status).toBe(403);
    expect(JSON.parse(refused.answer.body).error.code).toBe('auth.forbidden');
  });

  it('an unknown policy, a body over the limit, a gzip body, another JSON type: the answers of the parsed path', async () => {
    const body = `{"households":[${hh('900.00')}],"record":false}`;
    expect((await both(t, 'no-such-policy', body)).answer.status).toBe(404);
    const big = `{"households":[${hh('900.00')}],"record":false,"as_of":"2024-06-01"${' '.repeat(50 * 1024 * 1024)}}`;
    const tooBig = await post(t, 'fx-dibao', big);
    expect(tooBig.status).toBe(413);
    expect(JSON.parse(tooBig.body).error.code).toBe('request.too_large');
    const gz = await post(t, 'fx-dibao', gzipSync(Buffer.from(body)), { headers: { 'Content-Encoding': 'gzip' } });
    const plain = await post(t, 'fx-dibao', body);
    // an encoded body is express.json's, untouched: it answers this one 400 (as on the branch
    // before the bytes path; the batch with gzip was not answered before either)
    expect(gz.status).toBe(400);
    expect(plain.parsedPath).toBe(false);
    const vendor = await post(t, 'fx-dibao', body, { headers: { 'Content-Type': 'application/vnd.batch+json' } });
    expect(vendor.parsedPath).toBe(true);
    expect(vendor.body).toBe(plain.body);
  });

  it('shipped policy households: the same bytes as the parsed path', async () => {
    const hs = [
      { id: 'h1', area: 'urban', members: [{ id: 'a', birth_date: '1980-01-01', income_monthly: 300 }] },
      { id: 'h2', area: 'rural', members: [{ id: 'a', birth_date: '1950-01-01', income_monthly: '100.50' }, { id: 'b', birth_date: '2010-02-03' }] },
      { id: 'h3', area: 'urban', members: [{ id: 'a', birth_date: '1980-01-01', income_monthly: 5000 }] },
    ];
    const body = JSON.stringify({ households: hs, as_of: '2019-06-01', record: false });
    const { answer, fast } = await both(shipped, 'dawukou-dibao', body);
    expect(fast).toBe(true);
    expect(answer.status).toBe(200);
    const results = (JSON.parse(answer.body) as { results: { id: string; outputs: Record<string, unknown> }[] }).results;
    expect(results[0]).toEqual({ id: 'h1', outputs: expect.objectContaining({ eligible: true, monthly_amount: '140.00' }) }); // 440 − 300
  });
  it('reads the households one after another to the list\'s close: brackets in strings, ids of any length, the list last or first', async () => {
    const cases = [
      `{"households":[${hh('900.00', 'a]b[c')},${hh('0', '}{')}],"record":false}`,          // brackets in ids: the close is still the body's last ]
      `{"record":false,"as_of":"2024-06-01","households":[${hh('900.00', 'x'.repeat(33))},${hh('0', 'y'.repeat(5000))}]}`,   // ids past jsonString's 32 characters
      `{"households":[${hh('900.00', '')},${hh('0', ' ~!')}]\n,\n"record"\n:\nfalse\n}\n`,
    ];
    for (const body of cases) expect((await both(t, 'fx-dibao', body)).fast, body).toBe(true);
    const parsed: [string, number][] = [
      [`{"households":[${hh('900.00', 'a\\"b')}],"record":false}`, 200],                     // an escaped quote in an id
      [`{"households":[${hh('900.00', 'a]b').replace('a]b', 'a\\u005db')}],"record":false}`, 200],   // an escaped ] in an id
      [`{"households":[${hh('900.00', '户1')}],"record":false}`, 200],                         // a non-ASCII id
      [`{"households":[${hh('900.00')}],"record":false,"as_of":"2024-06-01]"}`, 400],          // a ] after the list's
      [`{"households":[${hh('900.00')}]],"record":false}`, 400],                                // one too many
      [`{"households":[${hh('900.00')},],"record":false}`, 400],                                // a comma before the close
      [`{"households":[${hh('900.00')}],"record":false,"households":[]}`, 200],                // repeated: the last list wins
    ];
    for (const [body, status] of parsed) {
      const { answer, fast } = await both(t, 'fx-dibao', body);
      expect(fast, body).toBe(false);
      expect(answer.status, body).toBe(status);
    }
  });

  it('3,000 generated households in a body of many reads (households split between them): the same bytes as the parsed path', async () => {
    const hs = generateHouseholds(3000, 31);
    const body = JSON.stringify({ households: hs, as_of: '2024-06-01', record: false });
    expect(body.length).toBeGreaterThan(1024 * 1024);
    const { answer, fast } = await both(shipped, 'dawukou-dibao', body);
    expect(fast).toBe(true);
    const results = (JSON.parse(answer.body) as { results: { id: string }[] }).results;
    expect(results.map((r) => r.id)).toEqual(hs.map((h) => h.id));
    // more than 10,000: the parsed path's 413, not read
    const over = JSON.stringify({ households: Array.from({ length: 10_001 }, (_, i) => hs[i % hs.length]), as_of: '2024-06-01', record: false });
    const big = await both(shipped, 'dawukou-dibao', over);
    expect(big.fast).toBe(false);
    expect(big.answer.status).toBe(413);
  }, 60_000);

  it('bodies and answers in kept buffers: a smaller batch after a larger one, the larger again, two at once, each its own bytes', async () => {
    const bodyOf = (n: number, seed: number) => JSON.stringify({ households: generateHouseholds(n, seed), as_of: '2024-06-01', record: false });
    const large = bodyOf(2000, 41), small = bodyOf(300, 42), other = bodyOf(1500, 43);
    const first = await both(shipped, 'dawukou-dibao', large);
    // the small body read into the large one's buffer (its old bytes after it), its answer written over the first's
    const second = await both(shipped, 'dawukou-dibao', small);
    const again = await post(shipped, 'dawukou-dibao', large);
    expect([first.fast, second.fast, again.parsedPath]).toEqual([true, true, false]);
    expect(again.body).toBe(first.answer.body);
    expect((JSON.parse(second.answer.body) as { results: unknown[] }).results).toHaveLength(300);
    // two at once: neither reads or writes the other's buffer
    const [x, y] = await Promise.all([post(shipped, 'dawukou-dibao', other), post(shipped, 'dawukou-dibao', small)]);
    expect(x.body).toBe((await post(shipped, 'dawukou-dibao', other, { parsed: true })).body);
    expect(y.body).toBe(second.answer.body);
  }, 60_000);

  it('a client gone mid-body leaves its kept buffer to no one: the next large batch is answered whole', async () => {
    const body = JSON.stringify({ households: generateHouseholds(1000, 44), as_of: '2024-06-01', record: false });
    const server = shipped.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const sock = connect(port, '127.0.0.1');
      await new Promise((r) => sock.once('connect', r));
      const head = `POST /api/policies/dawukou-dibao/evaluate/batch HTTP/1.1\r\nHost: x\r\nAuthorization: ${bearer('tester-key').Authorization}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
      sock.write(head + body.slice(0, body.length >> 1));
      await new Promise((r) => setTimeout(r, 50));
      sock.destroy();
      const whole = await post(shipped, 'dawukou-dibao', body);
      expect(whole.parsedPath).toBe(false);
      expect(whole.body).toBe((await post(shipped, 'dawukou-dibao', body, { parsed: true })).body);
    } finally { await new Promise((r) => server.close(r)); }
  }, 60_000);
});
