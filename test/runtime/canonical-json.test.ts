// Canonical JSON of recorded households and outputs: keys sorted by UTF-16 code units at every
// depth, arrays in order, no spaces; what JSON.stringify skips or nulls, skipped or nulled alike.
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../runtime/services/canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps arrays in order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe('{"a":1,"b":2}');
  });

  it('orders by code units: upper case before lower, 低 (U+4F4E) after ASCII, an astral key by its surrogates', () => {
    // 'B' 0x42 < '_' 0x5F < 'a' 0x61 < '低' 0x4F4E < '😀' (0xD83D 0xDE00) < '～' 0xFF5E
    expect(canonicalJson({ '低': 1, a: 2, _: 3, B: 4, '\uFF5E': 5, '😀': 6 })).toBe('{"B":4,"_":3,"a":2,"低":1,"😀":6,"～":5}');
  });

  it('skips undefined and function members, writes null for them in arrays, escapes strings', () => {
    expect(canonicalJson({ a: undefined, b: () => 1, c: [undefined, () => 1, NaN], d: 'q"\\\n\t' })).toBe('{"c":[null,null,null],"d":"q\\"\\\\\\n\\t"}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson('x')).toBe('"x"');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
  });

  it('the same value gives the same text whatever the key order it was written in', () => {
    const a = { id: 'h1', members: [{ id: 'm1', income_monthly: '900.00', birth_date: '1980-05-01' }], area: 'urban' };
    const b = { area: 'urban', members: [{ birth_date: '1980-05-01', id: 'm1', income_monthly: '900.00' }], id: 'h1' };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"area":"urban","id":"h1","members":[{"birth_date":"1980-05-01","id":"m1","income_monthly":"900.00"}]}');
  });
});
