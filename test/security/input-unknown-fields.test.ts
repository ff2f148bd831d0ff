// Wrong input never passes quietly, whichever door it comes through: an unknown key in a
// household or in the request envelope is a 400 naming the path and the nearest known name;
// floods of unknown keys get a bounded answer (issue 21 B5: ~125k unknown keys answered 500);
// the CLI and simulations refuse the same households with the same words.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, household, makeApp, NO_REVIEW_KEYS, type TestApp } from '../runtime/helpers.js';
import { cli, requireBuild, root } from '../cli/helpers.js';
import { Readable } from 'node:stream';
import { readCsv, runSimulation } from '../../simulation/index.js';

let t: TestApp;
beforeAll(async () => { t = await makeApp({ keys: NO_REVIEW_KEYS, today: '2024-06-01' }); });
afterAll(async () => { await t.cleanup(); });

const post = (path: string, body: unknown) => request(t.app).post(path).set(bearer('client-key')).send(body as object);
const evaluate = (body: unknown) => post('/api/policies/fx-dibao/evaluate', body);
const batch = (body: unknown) => post('/api/policies/fx-dibao/evaluate/batch', body);

/** Urban, three members; the first earns 5000.00 under `key`. */
const earning = (key: string) => household({
  members: [{ id: 'm1', birth_date: '1980-05-01', [key]: '5000.00' }, { id: 'm2', birth_date: '1982-03-01' }, { id: 'm3', birth_date: '2015-09-01' }],
});

const INCOME_MSG = '未知字段 income，是否应为 income_monthly？ / unknown field "income"; did you mean "income_monthly"?';

describe('unknown household fields over HTTP', () => {
  it('"income" instead of income_monthly is a 400, not full dibao', async () => {
    const bad = await evaluate({ household: earning('income'), as_of: '2024-06-01' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('household.invalid');
    expect(bad.body.error.details).toEqual([{ path: 'household.members[0].income', message: INCOME_MSG }]);
    // spelt right: 5000 ÷ 3 = 1666.67 per head, above 650: nothing is paid (misread it would be 650 × 3 = 1950.00)
    const good = await evaluate({ household: earning('income_monthly'), as_of: '2024-06-01' });
    expect(good.status).toBe(200);
    expect(good.body.outputs).toEqual({ eligible: false, monthly_amount: '0.00' });
  });

  it('in a batch, the household with the misspelt field gets its own error; the others are answered', async () => {
    const r = await batch({ households: [earning('income'), household()], as_of: '2024-06-01' });
    expect(r.status).toBe(200);
    expect(r.body.results[0].error.details).toEqual([{ path: 'household.members[0].income', message: INCOME_MSG }]);
    // (650 − 900/3) × 3 = 1050.00
    expect(r.body.results[1].outputs).toEqual({ eligible: true, monthly_amount: '1050.00' });
  });
});

describe('unknown keys in the request envelope', () => {
  it('"asof" for as_of is refused with the nearest name, for evaluate and batch', async () => {
    const one = await evaluate({ household: household(), asof: '2020-01-01' });
    expect(one.status).toBe(400);
    expect(one.body.error.code).toBe('request.invalid');
    expect(one.body.error.details).toEqual([{ path: 'asof', message: '未知字段 asof，是否应为 as_of？ / unknown field "asof"; did you mean "as_of"?' }]);
    const many = await batch({ households: [household()], As_Of: '2020-01-01', versoin: 1 });
    expect(many.status).toBe(400);
    expect(many.body.error.details.map((d: { path: string; message: string }) => [d.path, d.message.split(' / ')[0]])).toEqual([
      ['As_Of', '未知字段 As_Of，是否应为 as_of？'],
      ['versoin', '未知字段 versoin，是否应为 version？'],
    ]);
  });

  it('as_of before 1900 is no date', async () => {
    const r = await evaluate({ household: household(), as_of: '0000-01-01' });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { path: string }) => d.path)).toEqual(['as_of']);
  });
});

describe('floods of unknown keys: 400 with a bounded list', () => {
  const flood = (n: number) => { const o: Record<string, number> = {}; for (let i = 0; i < n; i++) o[`k${i}`] = i; return o; };

  it('150,000 unknown keys in the body: 100 listed, the other 149,900 counted', async () => {
    const r = await evaluate({ household: household(), as_of: '2024-06-01', ...flood(150_000) });
    expect(r.status).toBe(400);
    const details = r.body.error.details as { path: string; message: string }[];
    expect(details).toHaveLength(101);
    expect(details[0]!.path).toBe('k0');
    expect(details[100]).toEqual({ path: '(body)', message: '……另有 149900 个错误未列出 / …and 149900 more errors not listed' });
  });

  it('150,000 unknown keys in a simulation request (checked by its own code): the answer is bounded too', async () => {
    const r = await request(t.app).post('/api/policies/fx-dibao/simulations').set(bearer('tester-key'))
      .send({ population: { generate: { preset: 'zhongwei', households: 10 } }, ...flood(150_000) });
    expect(r.status).toBe(400);
    const details = r.body.error.details as { path: string; message: string }[];
    expect(details).toHaveLength(101);
    expect(details[100]).toEqual({ path: '(body)', message: '……另有 149900 个错误未列出 / …and 149900 more errors not listed' });
  });

  it('150,000 unknown keys in the household: 100 listed, the other 149,900 counted', async () => {
    const r = await evaluate({ household: { ...household(), ...flood(150_000) }, as_of: '2024-06-01' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('household.invalid');
    const details = r.body.error.details as { path: string; message: string }[];
    expect(details).toHaveLength(101);
    expect(details[99]!.path).toBe('household.k99');
    expect(details[100]).toEqual({ path: 'household', message: '……另有 149900 个错误未列出 / …and 149900 more errors not listed' });
  });
});

describe('the CLI and simulations refuse the same household', () => {
  const dir = mkdtempSync(join(tmpdir(), 'input-unknown-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('policy eval: exit 1, the path and the suggestion on stderr', async () => {
    requireBuild();
    const file = join(dir, 'misspelt.json');
    writeFileSync(file, JSON.stringify(earning('income')));
    const r = await cli(['eval', '--policy', 'examples/dibao/policy.policy', '--household', file, '--as-of', '2024-06-01']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`- household.members[0].income: ${INCOME_MSG}`);
  });

  it('policy eval: a request-body file with "asof" is refused, not evaluated on today', async () => {
    requireBuild();
    const file = join(dir, 'request.json');
    writeFileSync(file, JSON.stringify({ household: earning('income_monthly'), asof: '2020-01-01' }));
    const r = await cli(['eval', '--policy', 'examples/dibao/policy.policy', '--household', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('未知字段 asof，是否应为 as_of？ / unknown field "asof"; did you mean "as_of"?');
  });

  it('a population CSV with a misspelt column is refused, with the nearest column', async () => {
    const csv = 'household_id,area,member_id,birth_date,incme_monthly\nH1,urban,m1,1980-05-01,100\n';
    const read = async () => { for await (const _ of readCsv(Readable.from([csv]))) { /* drain */ } };
    await expect(read()).rejects.toThrow('unknown CSV column(s) "incme_monthly" (did you mean "income_monthly"?)');
  });

  it('a simulation counts the household as invalid, with the path', async () => {
    const modules = { 'common/household': readFileSync(join(root, 'policies/common/household.policy'), 'utf8') };
    const policy = { source: readFileSync(join(root, 'examples/dibao/policy.policy'), 'utf8') };
    const r = await runSimulation({ baseline: policy, candidate: policy, modules, asOf: '2024-06-01', population: { households: [earning('income'), earning('income_monthly')] } }, { threads: 1 });
    expect(r.population.invalid).toBe(1);
    expect(r.population.errors).toEqual([expect.objectContaining({ index: 0, path: 'household.members[0].income', message: INCOME_MSG })]);
  });
});
