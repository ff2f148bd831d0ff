// Issue 21 B5: a source the worker compiled (its stack is larger) can still overflow the event
// loop's smaller stack when compiled there for evaluation. That is 422 policy.too_complex
// (depth), remembered, never a 500. The dsl's compileSource is made to overflow for one marked
// source here (in this thread only: the worker runs its own copy of the dsl).
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { contentHash } from '../../runtime/store/hash.js';
import { boundedApp, household } from './bounded-helpers.js';

const MARK = '# deep marker for the overflow test\n';

vi.mock('../../dsl/index.js', async (importOriginal) => {
  const dsl = await importOriginal<typeof import('../../dsl/index.js')>();
  return {
    ...dsl,
    compileSource: (source: string, opts: Parameters<typeof dsl.compileSource>[1]) => {
      if (source.endsWith(MARK)) throw new RangeError('Maximum call stack size exceeded');
      return dsl.compileSource(source, opts);
    },
  };
});

describe('a stack overflow while compiling on the event loop', () => {
  it('is 422 policy.too_complex naming the depth limit; the version before still evaluates', async () => {
    const t = await boundedApp();
    await t.store.mutate((data) => {
      const p = data.policies['fx-dibao']!;
      const last = p.versions[p.versions.length - 1]!;
      const source = `${last.source}\n${MARK}`;
      p.versions.push({ ...last, version: last.version + 1, effective_from: '2031-01-01', source, hash: contentHash(source, last.scenarios) });
    });
    const evaluate = (asOf: string) => request(t.app).post('/api/policies/fx-dibao/evaluate').send({ household: household(), as_of: asOf, trace: false });
    const r = await evaluate('2031-06-01');
    expect(r.status, r.text.slice(0, 300)).toBe(422);
    expect(r.body.error.code).toBe('policy.too_complex');
    expect(r.body.error.message_en).toBe('The policy is too complex: its nesting or chain of definitions exceeds the depth limit');
    expect(r.text).not.toContain('Maximum call stack');
    const again = await evaluate('2031-06-01');   // remembered: the same answer
    expect(again.status).toBe(422);
    expect((await evaluate('2024-06-01')).status).toBe(200);
  });
});
