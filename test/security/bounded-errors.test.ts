// Issue 21 B5/B1/B13: an unexpected error is a 500 with a generic bilingual message and the
// request id — never raw JavaScript text such as "Ratio is not defined" — and is logged with its
// stack; and a write never answers 500 after it committed.
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import type { CompiledPolicy } from '../../runtime/services/language.js';
import { boundedApp, dbFile, household } from './bounded-helpers.js';

/** Makes every compiled policy of the app throw like B1's generated code did. */
async function brokenCompile() {
  const t = await boundedApp();
  const lang = t.app.locals.ctx.lang;
  const real = lang.compile.bind(lang);
  vi.spyOn(lang, 'compile').mockImplementation((source, file) => {
    const r = real(source, file);
    if (!r.compiled) return r;
    const broken = Object.create(r.compiled) as CompiledPolicy;
    broken.evaluate = () => { throw new ReferenceError('Ratio is not defined'); };
    return { ...r, compiled: broken };
  });
  return t;
}

describe('unexpected errors', () => {
  it('evaluate: 500 internal with the request id, bilingual, no JS text; logged with the stack', async () => {
    const t = await brokenCompile();
    const r = await request(t.app).post('/api/policies/fx-dibao/evaluate').set('X-Request-Id', 'req-b1-test').send({ household: household(), as_of: '2024-06-01' });
    expect(r.status).toBe(500);
    expect(r.body.error.code).toBe('internal');
    expect(r.body.error.request_id).toBe('req-b1-test');
    expect(r.body.error.message_zh).toBe('服务器内部错误（请求编号 req-b1-test）');
    expect(r.body.error.message_en).toBe('Internal server error (request id req-b1-test)');
    expect(r.text).not.toContain('Ratio');
    expect(r.text).not.toContain('ReferenceError');
    const fault = t.logged.find((e) => e.msg === 'evaluation fault');
    expect(fault?.error).toBe('ReferenceError: Ratio is not defined');
    expect(String(fault?.stack)).toContain('ReferenceError: Ratio is not defined\n    at ');
    expect(t.logged.some((e) => e.level === 'error' && e.id === 'req-b1-test' && typeof e.stack === 'string')).toBe(true);
  });

  it('batch: the household gets evaluation.failed, bilingual and generic; the fault is logged', async () => {
    const t = await brokenCompile();
    const r = await request(t.app).post('/api/policies/fx-dibao/evaluate/batch').send({ households: [household()], as_of: '2024-06-01' });
    expect(r.status).toBe(200);
    expect(r.body.results[0].error).toEqual({
      code: 'evaluation.failed', message: '计算出错（服务器内部错误，已记录） / Evaluation failed (an internal error, logged)',
      message_zh: '计算出错（服务器内部错误，已记录）', message_en: 'Evaluation failed (an internal error, logged)', details: [],
    });
    expect(r.text).not.toContain('Ratio');
    expect(t.logged.some((e) => e.msg === 'evaluation fault' && String(e.stack).includes('Ratio is not defined'))).toBe(true);
  });
});

describe('a write never answers 500 after it committed (B13)', () => {
  it('a draft PUT whose analysis fails leaves the store as it was', async () => {
    const t = await boundedApp();
    const lang = t.app.locals.ctx.lang;
    const before = readFileSync(dbFile(t.dir));
    vi.spyOn(lang, 'analyze').mockImplementation(() => { throw new RangeError('Invalid string length'); });
    const r = await request(t.app).put('/api/policies/fx-dibao/draft').set('If-Match', '*').send({ source: '政策 fx-dibao「x」\n' });
    expect(r.status).toBe(500);
    expect(r.text).not.toContain('Invalid string length');
    // the answer says "failed", so nothing was saved
    expect(readFileSync(dbFile(t.dir)).equals(before)).toBe(true);
    expect(t.store.data.policies['fx-dibao']!.draft.revision).toBe(1);
    vi.restoreAllMocks();
    const ok = await request(t.app).put('/api/policies/fx-dibao/draft').set('If-Match', '"1"').send({ source: '政策 fx-dibao「x」\n' });
    expect(ok.status).toBe(200);
    expect(ok.body.revision).toBe(2);
    expect(ok.body.has_errors).toBe(true);
  });
});
