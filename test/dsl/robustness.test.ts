// The parser, checker and services never throw, whatever the officer types.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { analyze, createLanguageService, format } from '../../dsl/index.js';

const modules = { 'common/household': readFileSync('policies/common/household.policy', 'utf8') };
const example = readFileSync('examples/dibao/policy.policy', 'utf8');
const service = createLanguageService(modules);

describe('robustness', () => {
  it('analyze never throws on arbitrary text and always answers with data', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => {
      const a = analyze(s, { modules });
      expect(Array.isArray(a.diagnostics)).toBe(true);
      expect(a.diagnostics.every((d) => d.code !== 'internal')).toBe(true);
    }), { numRuns: 1000 });
  });
  it('never throws on mutations of a real policy (deleted, duplicated and swapped slices)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: example.length }), fc.integer({ min: 0, max: 40 }), fc.string({ maxLength: 6 }), (at, len, insert) => {
      const text = example.slice(0, at) + insert + example.slice(at + len);
      const a = analyze(text, { modules });
      expect(a.diagnostics.every((d) => d.code !== 'internal')).toBe(true);
      expect(typeof format(text)).toBe('string');
      const lines = text.split('\n');
      const line = Math.min(lines.length, 1 + (at % lines.length));
      service.completions(text, { line, column: 1 });
      service.hover(text, { line, column: 3 });
      service.definition(text, { line, column: 3 });
      service.semanticTokens(text);
    }), { numRuns: 600 });
  }, 60_000);   // 600 analyses with every service: ~8 s alone, more beside the other test files
  it('never throws on token soup of keywords, names and operators', () => {
    const tok = fc.constantFrom('政策', 'p', '定义', '输出', '规则', '例外', '当', '时', '否则', '如果', '那么', '分档', '以上', '不满', '年龄', '成员', '人数', '(', ')', '[', ']', ':', '=', '+', '×', '1', '元/月', '「x」', '\n', 'household', '.', 'area', '模式', '参数', '范围', ',');
    fc.assert(fc.property(fc.array(tok, { maxLength: 60 }), (ts) => {
      const a = analyze(ts.join(' '), { modules });
      expect(a.diagnostics.every((d) => d.code !== 'internal')).toBe(true);
    }), { numRuns: 1500 });
  });
});
