// B8: look-alike names and bidi control characters were accepted, and a member whose id is
// `__proto__` vanished from per-member outputs (a plain object used as a map).
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { analyzeWith, bothModes, policy } from './dsl-policy.js';
import { linkedFor, linkOptions } from '../policies/shipped.js';

const codes = (body: string) => analyzeWith(policy(body)).diagnostics.map((d) => d.code);

describe('B8: names that read differently from what they are', () => {
  it('a name mixing Latin and Cyrillic (аge with a Cyrillic а) is an error, in both languages', () => {
    const a = analyzeWith(policy('定义 \u0430ge = 1\n输出 x = \u0430ge'));
    const mixed = a.diagnostics.filter((d) => d.code === 'syntax.mixed-script');
    expect(mixed).toHaveLength(2);
    expect(mixed[0]!.message.zh).toContain('拉丁、西里尔');
    expect(mixed[0]!.message.en).toContain('Latin and Cyrillic');
    expect(mixed[0]!.range.start.column).toBe(4);
  });
  it('Latin with Greek (tοtal with a Greek ο), Greek with Cyrillic: errors', () => {
    expect(codes('输出 t\u03BFtal = 1')).toEqual(['syntax.mixed-script']);
    expect(codes('输出 \u03B1\u0431 = 1')).toEqual(['syntax.mixed-script']);
  });
  it('Chinese with ASCII digits, underscores or Latin letters, and names in one script, are fine', () => {
    expect(codes('输出 低保标准2022 = 1')).toEqual([]);
    expect(codes('输出 标准_A = 1')).toEqual([]);
    expect(codes('输出 低保ABC标准 = 1')).toEqual([]);
    expect(codes('输出 возраст = 1')).toEqual([]);
    expect(codes('输出 ηλικία = 1')).toEqual([]);
  });
  it('two names that look the same (cop, and сор in Cyrillic letters) are an error', () => {
    const a = analyzeWith(policy('定义 cop = 1\n定义 \u0441\u043E\u0440 = 2\n输出 x = cop + \u0441\u043E\u0440'));
    expect(a.diagnostics.map((d) => d.code)).toEqual(['check.confusable-name']);
    expect(a.diagnostics[0]!.range.start.line).toBe(8);
    expect(a.diagnostics[0]!.message.en).toContain('looks the same as "cop"');
  });
  it('bidi controls are errors anywhere: in code, in a comment, in a string', () => {
    expect(codes('输出 x = 1 \u202E')).toEqual(['syntax.bidi-control']);
    expect(codes('# 注释 \u202E 反转\n输出 x = 1')).toEqual(['syntax.bidi-control']);
    expect(codes('输出 x「标签\u2066」 = 1')).toEqual(['syntax.bidi-control']);
    expect(codes('输出 x = 「文\u200F本」')).toEqual(['syntax.bidi-control']);
    const d = analyzeWith(policy('输出 x = 1 \u202E')).diagnostics[0]!;
    expect(d.message.zh).toContain('U+202E');
    expect(d.message.en).toContain('bidirectional control character U+202E');
  });
  it('invisible characters are errors outside strings (a zero-width space in a name, a Hangul filler as a name)', () => {
    // (the character also splits the name in two, which the parser then reports)
    expect(codes('输出 低保\u200B标准 = 1')).toContain('syntax.invisible-character');
    expect(codes('输出 \u3164 = 1')).toEqual(['syntax.invisible-character']);
    expect(codes('# 注释\u200D\n输出 x = 1')).toEqual(['syntax.invisible-character']);
    expect(codes('输出 x = 「零宽\u200B空格」')).toEqual([]);
  });
});

describe('B8: member ids that are names of Object.prototype', () => {
  // the subsidy reads the dibao decided for the same household (引用 dawukou-dibao): evaluated first
  const file = 'policies/dawukou-disability-subsidies/v2/policy.policy';
  const source = readFileSync(file, 'utf8');
  const h = {
    id: 'h1', area: 'urban', dibao: { enrolled: true, monthly_amount: '300.00' },
    members: [
      { id: '__proto__', birth_date: '1980-01-01', disability_level: 1, disability_type: 'physical' },
      { id: 'constructor', birth_date: '1990-01-01', disability_level: 3, disability_type: 'intellectual' },
      { id: 'toString', birth_date: '2000-01-01' },
    ],
  };
  for (const mode of ['codegen', 'closures'] as const) {
    it(`${mode}: every member is in the per-member outputs and the trace`, () => {
      const compiled = bothModes(source, linkOptions(file))[mode];
      const r = compiled.evaluate(h, '2024-06-01', { trace: true, linked: linkedFor(compiled, h, '2024-06-01') });
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      // no income: the dibao decides 是, so a disabled member gets 110 living subsidy; level 1 → 120 nursing, level 3 intellectual → 80
      const outputs = JSON.parse(JSON.stringify(r.outputs)) as Record<string, unknown>;
      // (compared as JSON text: in an object literal `__proto__:` would set the prototype)
      expect(JSON.stringify(outputs['living_subsidy_by_member'])).toBe('{"__proto__":"110.00","constructor":"110.00","toString":"0.00"}');
      expect(Object.keys(outputs['nursing_subsidy_by_member'] as object)).toEqual(['__proto__', 'constructor', 'toString']);
      expect(JSON.stringify(r.outputs['nursing_subsidy_by_member'])).toBe('{"__proto__":"120.00","constructor":"80.00","toString":"0.00"}');
      expect(outputs['living_subsidy']).toBe('220.00');
      expect(outputs['nursing_subsidy']).toBe('200.00');
      expect(outputs['monthly_amount']).toBe('420.00');
      expect(outputs['recipients']).toEqual(['__proto__', 'constructor']);
      const entry = r.trace!.find((t) => t.output === 'living_subsidy_by_member')!;
      expect(JSON.stringify(entry.value)).toBe('{"__proto__":"110.00","constructor":"110.00","toString":"0.00"}');
    });
  }
});

describe('B8: names of Object.prototype as names in a policy', () => {
  it('definitions and outputs called __proto__, constructor, toString, hasOwnProperty', () => {
    const src = policy(`定义 hasOwnProperty = 2
定义 toString = hasOwnProperty + 1
输出 __proto__ = toString × 2
输出 constructor = __proto__ + 1`);
    for (const c of Object.values(bothModes(src))) {
      const r = c.evaluate({ id: 'h', area: 'urban', members: [{ id: 'm1', birth_date: '1980-01-01' }] }, '2024-06-01', { trace: true });
      // toString = 3, __proto__ = 6, constructor = 7
      expect(r.ok && JSON.stringify(r.outputs)).toBe('{"__proto__":6,"constructor":7}');
    }
  });
});
