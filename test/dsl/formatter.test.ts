import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { format, analyze } from '../../dsl/index.js';

const modules = { 'common/household': readFileSync('policies/common/household.policy', 'utf8') };
const example = readFileSync('examples/dibao/policy.policy', 'utf8');

describe('formatter', () => {
  it('lays out a messy policy canonically and keeps comments', () => {
    const messy = '# 头注释\n政策   demo「演示」 生效 2022-01-01\n使用「common/household」\n参数 a=650元/月 依据「x」 # 行尾注释\n定义 b=(a+a)*2\n输出   c = b>a 并且(b<a 或者 b>a)\n';
    expect(format(messy)).toBe([
      '# 头注释',
      '政策 demo「演示」',
      '  生效 2022-01-01',
      '  使用「common/household」',
      '参数 a = 650 元/月 依据「x」 # 行尾注释',
      '定义 b = (a + a) × 2',
      '输出 c = b > a 并且 (b < a 或者 b > a)',
      '',
    ].join('\n'));
  });
  it('prints English keywords for a file written in English', () => {
    const src = 'policy demo "Demo"\n  effective 2022-01-01\n  use "common/household"\nparameter a = 650 yuan/month source "x"\noutput b = if a > 0 yuan/month then true else false\n';
    expect(format(src)).toBe('policy demo "Demo"\n  effective 2022-01-01\n  use "common/household"\nparameter a = 650 yuan/month source "x"\noutput b = if a > 0 yuan/month then true otherwise false\n');
  });
  it('is idempotent on the example and the golden policies, and keeps their meaning', () => {
    const files = [example, ...readdirSync('test/dsl/golden').filter((f) => f.startsWith('good')).map((f) => readFileSync(`test/dsl/golden/${f}`, 'utf8'))];
    for (const src of files) {
      const once = format(src);
      expect(format(once)).toBe(once);
      expect(analyze(once, { modules }).diagnostics.map((d) => d.code)).toEqual(analyze(src, { modules }).diagnostics.map((d) => d.code));
    }
  });
  it('leaves a file that does not parse untouched', () => {
    expect(format('定义 a = 1 +')).toBe('定义 a = 1 +');
  });
  it('is idempotent on generated expressions (property)', () => {
    const leaf = fc.constantFrom('a', 'b', '1', '650 元/月', '10%', '年龄', 'household.area', '真');
    const expr: fc.Arbitrary<string> = fc.letrec((tie) => ({
      e: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf,
        fc.tuple(tie('e'), fc.constantFrom('+', '−', '×', '÷', '<', '≥', '并且', '或者', '是'), tie('e')).map(([l, op, r]) => `(${l} ${op} ${r})`),
        fc.tuple(tie('e'), tie('e'), tie('e')).map(([c, t, f]) => `(如果 ${c} 那么 ${t} 否则 ${f})`),
        tie('e').map((x) => `不 ${x}`),
        tie('e').map((x) => `舍入到分(${x})`),
      ),
    })).e;
    fc.assert(fc.property(expr, (e) => {
      const src = `政策 p「p」\n定义 x = ${e}\n`;
      const once = format(src);
      expect(format(once)).toBe(once);
    }), { numRuns: 400 });
  });
});
