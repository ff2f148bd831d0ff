// B2: `定义 dN = d(N−1) + d(N−1)` doubled the code generator's work per line (a definition was
// inlined in full before its size was compared with the budget): 26 lines blocked the server
// for 22 s and 40 would take hours. Compilation is now linear in the source, so the
// 40-definition chain compiles at once and both modes compute it exactly.
import { describe, it, expect } from 'vitest';
import { bothModes, household } from './dsl-policy.js';
import { doublingChain } from './hostile-sources.js';

describe('B2: a 40-definition doubling chain', () => {
  it('compiles to code of a size linear in the source', () => {
    const small = bothModes(doublingChain(20)).codegen, large = bothModes(doublingChain(40)).codegen;
    expect(large.mode).toBe('codegen');
    // twenty more lines of source add at most a few hundred characters each to the code
    expect(large.source!.length - small.source!.length).toBeLessThan(20 * 1000);
  });
  for (const mode of ['codegen', 'closures'] as const) {
    it(`${mode}: d40 = 2^40 × d0, exactly`, () => {
      const c = bothModes(doublingChain(40))[mode];
      // d0 = 1.00 元/月 → 2^40 = 1,099,511,627,776 元/月; d0 = 0.01 → 2^40 fen = 10,995,116,277.76 元/月
      expect(c.evaluate(household({ rigid_expenditure_monthly: '1.00' }), '2024-06-01')).toEqual({ ok: true, outputs: { total: '1099511627776.00' }, assumptions: [] });
      expect(c.evaluate(household({ rigid_expenditure_monthly: '0.01' }), '2024-06-01')).toEqual({ ok: true, outputs: { total: '10995116277.76' }, assumptions: [] });
    });
  }
});
