// B5: 5,000 chained definitions overflowed the stack while compiling (a 500 with raw JS text),
// and deep expressions did as much in the parser and checker. Deep input is now refused with a
// diagnostic (parse.too-deep, check.too-deep) before any recursion can overflow; input just
// within the limits still compiles and evaluates in both modes, traces included.
import { describe, it, expect } from 'vitest';
import { analyzeWith, bothModes, policy, household } from './dsl-policy.js';
import { MAX_EVAL_DEPTH, MAX_EXPR_DEPTH, MAX_NESTING } from '../../dsl/syntax/depth.js';

/** c0 = the household's rigid expenditure; c_i = c_(i−1) + 1 元/月; output total = c_n. */
const chain = (n: number, reverse = false) => {
  const lines = ['定义 c0 = household.rigid_expenditure_monthly'];
  for (let i = 1; i <= n; i++) lines.push(`定义 c${i} = c${i - 1} + 1 元/月`);
  if (reverse) lines.reverse();
  return policy([...lines, `输出 total = c${n}`].join('\n'));
};
const codes = (src: string) => analyzeWith(src).diagnostics.map((d) => d.code);
const only = (src: string, code: string) => {
  const a = analyzeWith(src);
  expect(a.diagnostics.map((d) => d.code)).toContain(code);
  expect(a.diagnostics.every((d) => d.code === code || d.code === 'diag.more')).toBe(true);
  const d = a.diagnostics.find((x) => x.code === code)!;
  expect(d.message.zh).toMatch(/过深/);
  expect(d.message.en).toMatch(/too deep/i);
  return a;
};

describe('B5: deep input gives a diagnostic, never a stack overflow', () => {
  it('the limits are what the docs say', () => {
    expect([MAX_NESTING, MAX_EXPR_DEPTH, MAX_EVAL_DEPTH]).toEqual([150, 200, 1000]);
  });
  it('5,000 chained definitions, in order and in reverse order', () => {
    const a = only(chain(5000), 'check.too-deep');
    // c_i's evaluation depth is 2i + 1 (c0 reads a field: 1; each + adds 2): c500 is the first past 1000
    expect(a.diagnostics[0]!.message.en).toContain('"c500"');
    only(chain(5000, true), 'check.too-deep');
  });
  it('10,000 nested parentheses', () => {
    only(policy(`输出 total = ${'('.repeat(10000)}1 元/月${')'.repeat(10000)}`), 'parse.too-deep');
  });
  it('a sum of 100,000 terms (a chain as deep as it is long)', () => {
    only(policy(`输出 total = ${Array(100000).fill('1 元/月').join(' + ')}`), 'parse.too-deep');
  });
  it('10,000 unary minus signs, 10,000 不, 5,000 nested 如果', () => {
    only(policy(`输出 total = ${'-'.repeat(10000)}1 元/月`), 'parse.too-deep');
    only(policy(`输出 ok = ${'不 '.repeat(10000)}真`), 'parse.too-deep');
    only(policy(`输出 total = ${'如果 household.distance_to_hq_km > 3 那么 1 元/月 否则 '.repeat(5000)}0 元/月`), 'parse.too-deep');
  });
  it('deep input in a file with a syntax error (the recovering parser) gives a diagnostic too', () => {
    for (const deep of [`${'('.repeat(10000)}1${')'.repeat(10000)}`, `${'-'.repeat(10000)}1`, `${'如果 真 那么 1 否则 '.repeat(5000)}0`]) {
      const cs = codes(policy(`定义 坏 = = 1\n输出 total = ${deep}`));
      expect(cs).not.toContain('internal');
      expect(cs).toContain('parse.syntax');
      expect(cs).toContain('parse.too-deep');
    }
  });
  it('the other declarations of the file are kept: no unknown-name error for the cut one', () => {
    const src = policy(`定义 深 = ${'('.repeat(1000)}1 元/月${')'.repeat(1000)}\n输出 total = 深 + 1 元/月`);
    expect(codes(src)).toEqual(['parse.too-deep']);
  });
  it('just within the limits: 499 chained definitions evaluate in both modes, traces included', () => {
    for (const reverse of [false, true]) {
      const both = bothModes(chain(499, reverse));
      for (const c of [both.codegen, both.closures]) {
        // c0 = 1.00, and 499 additions of 1.00: 500.00
        const r = c.evaluate(household({ rigid_expenditure_monthly: '1.00' }), '2024-06-01', { trace: true });
        expect(r.ok && r.outputs).toEqual({ total: '500.00' });
      }
    }
  });
  it('just within the limits: seven definitions nested 140 deep, each using the last', () => {
    const lines = ['定义 e0 = household.rigid_expenditure_monthly'];
    for (let i = 1; i <= 7; i++) lines.push(`定义 e${i} = ${'1 元/月 + ('.repeat(140)}e${i - 1}${')'.repeat(140)}`);
    const both = bothModes(policy([...lines.reverse(), '输出 total = e7'].join('\n')));
    // 1.00 + 7 × 140 × 1.00 = 981.00
    for (const c of [both.codegen, both.closures]) {
      const r = c.evaluate(household({ rigid_expenditure_monthly: '1.00' }), '2024-06-01', { trace: true });
      expect(r.ok && r.outputs).toEqual({ total: '981.00' });
    }
  });
});
