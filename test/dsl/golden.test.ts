// One test walks test/dsl/golden: each policy's diagnostics must be exactly those listed in
// its .expected file (`line:col severity code`, one per line; empty file = no diagnostics).
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { analyze } from '../../dsl/index.js';

const dir = 'test/dsl/golden';
const modules = { 'common/household': readFileSync('policies/common/household.policy', 'utf8') };

describe('golden diagnostics', () => {
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.policy')).sort()) {
    it(f, () => {
      const a = analyze(readFileSync(`${dir}/${f}`, 'utf8'), { modules, file: f });
      const actual = a.diagnostics.filter((d) => d.severity !== 'info').map((d) => `${d.range.start.line}:${d.range.start.column} ${d.severity} ${d.code}`);
      const expected = readFileSync(`${dir}/${f.replace(/\.policy$/, '.expected')}`, 'utf8').split('\n').filter(Boolean);
      expect(actual).toEqual(expected);
      for (const d of a.diagnostics) { expect(d.message.zh.length).toBeGreaterThan(0); expect(d.message.en.length).toBeGreaterThan(0); expect(d.file).toBe(f); }
    });
  }
});
