// The quick paths of unicode-safety.ts (issue 17): one plain-range search of the whole file
// decides whether any name can mix scripts, and a name with no Greek or Cyrillic letter is its
// own skeleton. Both must only skip work whose answer was already known.
import { describe, it, expect } from 'vitest';
import { MAYBE_GREEK_OR_CYRILLIC, mixedScripts, skeleton, unsafeCharacters } from '../../dsl/syntax/unicode-safety.js';
import { scanTokens } from '../../dsl/syntax/scanner.js';

describe('unicode-safety quick paths', () => {
  it('every Greek or Cyrillic code point (all 0x110000) is caught by the plain-range pre-check', () => {
    const script = /[\p{Script=Greek}\p{Script=Cyrillic}]/u;
    const missed: number[] = [];
    for (let c = 0; c <= 0x10FFFF; c++) {
      if (c >= 0xD800 && c <= 0xDFFF) continue; // lone surrogates: not characters
      const ch = String.fromCodePoint(c);
      if (script.test(ch) && !MAYBE_GREEK_OR_CYRILLIC.test(ch)) missed.push(c);
    }
    expect(missed).toEqual([]);
  });
  it('the pre-check is false for the characters of a usual policy (ASCII, CJK, × ≥ − ÷ ─)', () => {
    expect(MAYBE_GREEK_OR_CYRILLIC.test('定义 月收入 = 1,200 元/月 × 50% ≥ 3 − 2 ÷ 1 ─ abc_09')).toBe(false);
  });
  it('a mixed-script name is still reported in a file that is not plain text (× elsewhere)', () => {
    const text = '定义 x = 2 × 3\n定义 \u0430ge = 1\n';
    const found = unsafeCharacters(text, scanTokens(text));
    expect(found.map((d) => d.code)).toEqual(['syntax.mixed-script']);
    expect(found[0]!.range.start).toEqual({ line: 2, column: 4, offset: 16 });
    // (an astral Greek letter: only a high surrogate shows it to the pre-check)
    expect(MAYBE_GREEK_OR_CYRILLIC.test('a\u{10140}')).toBe(true);
  });
  it('skeleton: names without look-alikes come back unchanged; look-alikes still read as Latin', () => {
    for (const n of ['低保标准2022', 'cop', '标准_A', '']) expect(skeleton(n)).toBe(n);
    expect(skeleton('\u0441\u043E\u0440')).toBe('cop'); // сор in Cyrillic
    expect(skeleton('t\u03BFtal')).toBe('total');         // Greek ο
    expect(skeleton('\u0501')).toBe('d');                 // ԁ, Cyrillic Supplement (U+0501)
    expect(mixedScripts('t\u03BFtal')).toEqual({ zh: '拉丁、希腊', en: 'Latin and Greek' });
  });
});
