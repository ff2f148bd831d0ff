// POST /api/check carries a decision table's gap and overlap diagnostics, counterexample included.
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, makeApp, NO_REVIEW_KEYS, type TestApp } from './helpers.js';

let t: TestApp;
beforeEach(async () => { t = await makeApp({ keys: NO_REVIEW_KEYS }); });
afterEach(async () => { await t?.cleanup(); });

const source = `政策 a「a」
  使用「common/household」
成员输出 allowance =
  决策表 唯一 (年龄):
    行 | 80 以上 不满 90 → 500 元/月 依据「001」
    行 | 90 以下        → 600 元/月 依据「001」
`;

describe('POST /api/check on a decision table', () => {
  it('reports the gap and the overlap with their counterexamples', async () => {
    const r = await request(t.app).post('/api/check').set(bearer('tester-key')).send({ source });
    expect(r.status).toBe(200);
    expect(r.body.has_errors).toBe(true);
    const byCode = Object.fromEntries(r.body.diagnostics.map((d: { code: string }) => [d.code, d]));
    // [80, 90) and (−∞, 90]: every age up to 89 from 80 is in both; above 90 in neither
    expect(byCode['check.table-overlap']).toMatchObject({ severity: 'error', range: { start: { line: 6, column: 5 } } });
    expect(byCode['check.table-overlap'].message.zh).toContain('年龄 = 80：第1行 与 第2行 都匹配');
    expect(byCode['check.table-gap']).toMatchObject({ severity: 'error', range: { start: { line: 4, column: 3 } } });
    expect(byCode['check.table-gap'].message.en).toContain('年龄 = 91: no row matches');
  });
});
