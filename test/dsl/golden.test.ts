// One test walks test/dsl/golden: each policy's (or scenario suite's) diagnostics must be exactly
// those listed in its .expected file (format in golden-files.ts; empty file = no diagnostics).
import { describe, it, expect } from 'vitest';
import { asExpected, diagnosticsOf, expectedOf, goldenFiles } from './golden-files.js';

describe('golden diagnostics', () => {
  for (const f of goldenFiles()) {
    it(f, () => {
      const found = diagnosticsOf(f);
      const expected = expectedOf(f);
      expect(found.map((d, i) => asExpected(d, expected[i]))).toEqual(expected);
      for (const d of found) {
        expect(d.message.zh.length).toBeGreaterThan(0); expect(d.message.en.length).toBeGreaterThan(0);
        expect(d.file).toBe(f.endsWith('.yaml') ? `test/dsl/golden/${f}` : f);
        // no English words inside a Chinese message (names written in Latin letters are fine: they are quoted)
        expect(d.message.zh.replace(/「[^」]*」|"[^"]*"|[a-z0-9_.-]*[_.-0-9][a-z0-9_.-]*/gi, '')).not.toMatch(/\b(money|bool|number|percent|date|text|members|and|or|the|must|is|of)\b/i);
      }
    });
  }
});
