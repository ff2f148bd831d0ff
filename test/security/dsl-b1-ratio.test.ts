// B1: the generated code referred to `Ratio`, which it never bound, when a definition holding a
// fraction (1000 元/月 ÷ 3) was read inside another fraction: valid policies threw
// "Ratio is not defined" for urban households only, in the default (codegen) mode.
import { describe, it, expect } from 'vitest';
import { policy, bothModes, household } from './dsl-policy.js';

const source = policy(`定义 半 = 如果 household.area 是 城市 那么 1000 元/月 ÷ 3 否则 0 元/月
输出 amount = 舍入到分(半 ÷ 2)`);

describe('B1: a fraction read from a definition inside a fraction', () => {
  // urban: 1000 ÷ 3 ÷ 2 = 166.666… 元, rounded half-up to the fen: 166.67; rural: 0.00
  for (const mode of ['codegen', 'closures'] as const) {
    it(`${mode}: urban 166.67, rural 0.00`, () => {
      const c = bothModes(source)[mode];
      expect(c.mode).toBe(mode);
      expect(c.evaluate(household({ area: 'urban' }), '2024-06-01')).toEqual({ ok: true, outputs: { amount: '166.67' }, assumptions: [] });
      expect(c.evaluate(household({ area: 'rural' }), '2024-06-01')).toEqual({ ok: true, outputs: { amount: '0.00' }, assumptions: [] });
    });
  }
});
