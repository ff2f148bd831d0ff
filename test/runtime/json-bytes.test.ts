// runtime/json-bytes.ts: a long JSON answer is stringified in pieces and goes to UTF-8 through
// ICU's converter instead of Buffer.from. The expected texts are written out by hand from JSON's
// rules, and the bytes from UTF-8's (中 U+4E2D → E4 B8 AD, é U+00E9 → C3 A9, 😀 U+1F600 →
// F0 9F 98 80), not produced by the code.
import { describe, expect, it } from 'vitest';
import { Utf8Sink } from '../../dsl/index.js';
import { SPLIT_MAX_ELEMENTS, TRANSCODE_MAX_CHARS, TRANSCODE_MIN_CHARS, jsonBytes, utf8Bytes, writtenBy } from '../../runtime/json-bytes.js';

// the unit `"中é😀\"a",` (9 UTF-16 code units) and its 15 bytes
const UNIT = '"中é😀\\"a",';
const UNIT_BYTES = [0x22, 0xe4, 0xb8, 0xad, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80, 0x5c, 0x22, 0x61, 0x22, 0x2c];
const repeated = (times: number) => { const out = new Uint8Array(times * UNIT_BYTES.length); for (let i = 0; i < times; i++) out.set(UNIT_BYTES, i * UNIT_BYTES.length); return out; };

describe('utf8Bytes', () => {
  it('a short text (Buffer.from)', () => {
    expect([...utf8Bytes(UNIT)]).toEqual(UNIT_BYTES);
    expect(utf8Bytes('').length).toBe(0);
  });

  it('a long text with Chinese, an accented letter, a surrogate pair and escapes (the converter)', () => {
    const times = Math.ceil(TRANSCODE_MIN_CHARS / 9) + 3;
    const text = `[${UNIT.repeat(times)}0]`;
    expect(text.length).toBeGreaterThanOrEqual(TRANSCODE_MIN_CHARS);
    const bytes = utf8Bytes(text);
    expect(bytes.length).toBe(1 + times * 15 + 2);
    expect(bytes[0]).toBe(0x5b);
    expect(new Uint8Array(bytes.subarray(1, 1 + times * 15))).toEqual(repeated(times));
    expect([...bytes.subarray(-2)]).toEqual([0x30, 0x5d]);
  });

  it('an ASCII text just over the threshold, then a shorter one into the reused scratch buffer', () => {
    const long = 'x'.repeat(TRANSCODE_MIN_CHARS * 3);
    expect(utf8Bytes(long).equals(new Uint8Array(TRANSCODE_MIN_CHARS * 3).fill(0x78))).toBe(true);
    const shorter = '中'.repeat(TRANSCODE_MIN_CHARS);
    const b = utf8Bytes(shorter);
    expect(b.length).toBe(TRANSCODE_MIN_CHARS * 3);
    for (let i = 0; i < b.length; i += 3) expect([b[i], b[i + 1], b[i + 2]]).toEqual([0xe4, 0xb8, 0xad]);
  });

  it('a text over the upper bound (Buffer.from again): its bytes', () => {
    const big = 'é'.repeat(TRANSCODE_MAX_CHARS + 1);
    const b = utf8Bytes(big);
    expect(b.length).toBe((TRANSCODE_MAX_CHARS + 1) * 2);
    expect([b[0], b[1], b[b.length - 2], b[b.length - 1]]).toEqual([0xc3, 0xa9, 0xc3, 0xa9]);
  });

  it('each answer its own bytes: an earlier answer is not overwritten by a later one', () => {
    const a = utf8Bytes('甲'.repeat(TRANSCODE_MIN_CHARS));
    utf8Bytes('乙'.repeat(TRANSCODE_MIN_CHARS));
    // 甲 U+7532 → E7 94 B2
    expect([a[0], a[1], a[2], a[a.length - 1]]).toEqual([0xe7, 0x94, 0xb2, 0xb2]);
  });
});

describe('jsonBytes', () => {
  const text = (v: unknown) => jsonBytes(v)?.toString('utf8');

  it('a plain object with a short array: holes, undefined, functions and symbols as JSON.stringify writes them', () => {
    const v = { a: [1, undefined, '中', () => 1, Symbol('s'), null, [2, { b: undefined }]], skip: undefined, f: () => 0, s: Symbol('t'), c: 'x"y', d: { e: [true] }, '键"': -0 };
    expect(text(v)).toBe('{"a":[1,null,"中",null,null,null,[2,{}]],"c":"x\\"y","d":{"e":[true]},"键\\"":0}');
  });

  it('empty and one-element arrays, an empty object, no properties left', () => {
    expect(text({ a: [], b: [{}], c: {} })).toBe('{"a":[],"b":[{}],"c":{}}');
    expect(text({ gone: undefined })).toBe('{}');
    expect(text({})).toBe('{}');
  });

  it('values that are not plain objects are stringified whole; undefined gives no bytes', () => {
    expect(text([1, 'a', [undefined]])).toBe('[1,"a",[null]]');
    expect(text('中')).toBe('"中"');
    expect(text(null)).toBe('null');
    expect(jsonBytes(undefined)).toBeUndefined();
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { z: 1, y: [1, 2] });
    expect(text(bare)).toBe('{"z":1,"y":[1,2]}');
  });

  it('toJSON is called with the key, as JSON.stringify does, at every level', () => {
    const keyed = { toJSON: (k: string) => `key ${k}` };
    expect(text({ p: keyed, q: [keyed, keyed] })).toBe('{"p":"key p","q":["key 0","key 1"]}');
    expect(text({ when: new Date(Date.UTC(2024, 5, 1)) })).toBe('{"when":"2024-06-01T00:00:00.000Z"}');
    expect(text({ toJSON: () => ({ x: 1 }) })).toBe('{"x":1}');
  });

  it('an array longer than the split limit is written the same', () => {
    const n = SPLIT_MAX_ELEMENTS + 1;
    const expected = `{"results":[${Array.from({ length: n }, (_, i) => String(i)).join(',')}]}`;
    expect(text({ results: Array.from({ length: n }, (_, i) => i) })).toBe(expected);
  });

  it('a long answer (the converter): its bytes', () => {
    const times = Math.ceil(TRANSCODE_MIN_CHARS / 9) + 3;
    const entry = '中é😀"a';   // JSON: "中é😀\"a" — the unit of the first tests without its comma
    const bytes = jsonBytes({ ok: true, trace: Array.from({ length: times }, () => entry) })!;
    const head = [...Buffer.from('{"ok":true,"trace":[', 'latin1')];
    expect([...bytes.subarray(0, head.length)]).toEqual(head);
    const body = bytes.subarray(head.length, bytes.length - 2);
    // the units joined by commas: the last without its comma
    expect(new Uint8Array(body)).toEqual(repeated(times).subarray(0, times * 15 - 1));
    expect([...bytes.subarray(-2)]).toEqual([0x5d, 0x7d]);
  });

  it("an answer over the converter's upper bound, in pieces (written one after the other): its bytes", () => {
    const n = TRANSCODE_MAX_CHARS + 1;
    const b = jsonBytes({ a: 'é'.repeat(n), b: [1, 2] })!;
    const head = '{"a":"', tail = '","b":[1,2]}';
    expect(b.length).toBe(head.length + 2 * n + tail.length);
    expect(b.subarray(0, head.length).toString('latin1')).toBe(head);
    expect([b[head.length], b[head.length + 1], b[head.length + 2 * n - 1]]).toEqual([0xc3, 0xa9, 0xa9]);
    expect(b.subarray(b.length - tail.length).toString('latin1')).toBe(tail);
  });

  it('a cycle still throws', () => {
    const o: Record<string, unknown> = { a: 1 };
    o.self = [o, 2];
    expect(() => jsonBytes(o)).toThrow(TypeError);
  });

  it('an array marked writtenBy: its elements\' bytes are the writer\'s, wherever it is a property, whatever its length', () => {
    const seen: unknown[] = [];
    // a writer that says which texts it gave (not JSON.stringify's): the answer carries them as they are
    const write = (list: readonly unknown[], sink: Utf8Sink) => { seen.push(list); sink.text(list.map((_, i) => `"w${i}"`).join(',')); };
    const one = writtenBy([{ a: 1 }], write), many = writtenBy(Array.from({ length: SPLIT_MAX_ELEMENTS + 1 }, () => 0), write);
    const empty = writtenBy([], write);
    expect(text({ x: '户', one, many, empty, plain: [1, 2] }))
      .toBe(`{"x":"户","one":["w0"],"many":[${Array.from({ length: SPLIT_MAX_ELEMENTS + 1 }, (_, i) => `"w${i}"`).join(',')}],"empty":[],"plain":[1,2]}`);
    expect(seen).toEqual([one, many, empty]);
    // first key too, and a long answer (past the sink's first array: it grows)
    const long = writtenBy(['中'.repeat(200_000), 'é'], (l, sink) => sink.text(l.map((x) => JSON.stringify(x)).join(',')));
    expect(text({ trace: long })).toBe(JSON.stringify({ trace: long }));
    // each answer its own bytes: the next is written after it in the slab, not over it
    const a = jsonBytes({ trace: writtenBy(['甲'], (l, sink) => sink.text('"甲"')) })!;
    jsonBytes({ trace: writtenBy(['乙'], (l, sink) => sink.text('"乙"')) });
    expect(a.toString('utf8')).toBe('{"trace":["甲"]}');
  });

  it('a writer that throws half way: the answers before it and after it are their own bytes', () => {
    const before = jsonBytes({ t: writtenBy(['丙'], (l, sink) => sink.text('"丙"')) })!;
    expect(() => jsonBytes({ t: writtenBy(['x'], (l, sink) => { sink.text('"half'); throw new TypeError('cycle'); }) })).toThrow(TypeError);
    const after = jsonBytes({ t: writtenBy(['丁'], (l, sink) => sink.text('"丁"')) })!;
    expect(before.toString('utf8')).toBe('{"t":["丙"]}');
    expect(after.toString('utf8')).toBe('{"t":["丁"]}');
  });

  it('answers with a written list kept side by side: past a slab of 1 MB and one larger than a slab, each its own bytes', () => {
    // 25 answers of 100,000 ASCII letters (plus `{"t":["` and `"]}`: 100,010 bytes each), the
    // letter of each its index's, then one of 1,500,000 × 中 (4,500,010 bytes); all checked at the end
    const answer = (ch: string, n: number) => jsonBytes({ t: writtenBy([0], (l, sink) => sink.text(`"${ch.repeat(n)}"`)) })!;
    const kept = Array.from({ length: 25 }, (_, i) => answer(String.fromCharCode(0x61 + i), 100_000));
    const big = answer('中', 1_500_000);
    kept.forEach((b, i) => {
      expect(b.length).toBe(100_010);
      expect(b.toString('latin1', 0, 7)).toBe('{"t":["');
      expect(b.subarray(7, 100_007).every((x) => x === 0x61 + i)).toBe(true);
      expect(b.toString('latin1', 100_007)).toBe('"]}');
    });
    expect(big.length).toBe(4_500_010);
    expect(big.toString('utf8')).toBe(`{"t":["${'中'.repeat(1_500_000)}"]}`);
  });
});
