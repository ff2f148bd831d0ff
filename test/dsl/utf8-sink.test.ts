// dsl/eval/utf8-sink.ts: the dry-run batch answers are written as bytes into a Utf8Sink, and
// must be the bytes Buffer.from gives for the text each piece stands for: a text (UTF-8, a lone
// surrogate as U+FFFD), a JSON string (JSON.stringify's), a whole number (String's), an amount
// of fen as quoted yuan (fenJsonShared's). The expected bytes are Node's own encoder's and the
// expected texts are written by hand or by JSON.stringify, never by the sink.
import { describe, expect, it } from 'vitest';
import { Utf8Sink, utf8Bytes } from '../../dsl/eval/utf8-sink.js';

/** The bytes `write` gives, from a sink that starts small (so each write may have to grow it). */
const written = (write: (s: Utf8Sink) => void, start = 4): Buffer => {
  const s = new Utf8Sink(start);
  write(s);
  return Buffer.from(s.bytes());
};

describe('Utf8Sink', () => {
  it.each([
    ['ascii', 'abc {"x":1}'], ['empty', ''], ['two-byte', 'é ü ß'], ['three-byte', '户 最低生活保障 元'],
    ['a pair', 'a😀b'], ['a lone high surrogate at the end', 'a\ud83d'], ['a lone low surrogate', '\ude00x'],
    ['a pair reversed', '\ude00\ud83d'], ['U+FFFF and U+0800', '\uffff\u0800\u07ff\u0080\u007f'],
  ])('text: %s is Buffer.from\'s bytes', (_name, text) => {
    expect(written((s) => s.text(text))).toEqual(Buffer.from(text, 'utf8'));
  });

  it.each([
    ['h1', '"h1"'], ['', '""'], ['~ !#$%&\'()*+,-./:;<=>?@[]^_`{|}', '"~ !#$%&\'()*+,-./:;<=>?@[]^_`{|}"'],
    ['a"b', '"a\\"b"'], ['a\\b', '"a\\\\b"'], ['a\nb', '"a\\nb"'], ['\u007f', '"\u007f"'], ['户1', '"户1"'],
    ['x'.repeat(40), `"${'x'.repeat(40)}"`], ['x'.repeat(32), `"${'x'.repeat(32)}"`],
  ])('jsonString(%j) is %s', (id, json) => {
    expect(written((s) => s.jsonString(id))).toEqual(Buffer.from(json, 'utf8'));
  });

  it.each([
    ['ascii', 'abc {"x":1}'], ['empty', ''], ['quote and backslash', 'a"b\\c'],
    ['the two-character escapes', '\b\t\n\f\r'], ['other control characters', '\u0000\u0001\u001f\u000b'],
    ['DEL and U+0080 as they are', '\u007f\u0080'], ['two- and three-byte', 'é 户 最低生活保障 元 \u2028'],
    ['a pair', 'a😀b'], ['a lone high surrogate at the end', 'a\ud83d'], ['a lone low surrogate', '\ude00x'],
    ['a pair reversed', '\ude00\ud83d'], ['U+FFFF and U+0800', '\uffff\u0800\u07ff'], ['long', '户'.repeat(3000)],
  ])('jsonText: %s is JSON.stringify\'s text as Buffer.from\'s bytes', (_name, text) => {
    expect(written((s) => s.jsonText(text), 1)).toEqual(Buffer.from(JSON.stringify(text), 'utf8'));
  });

  it('jsonText: the \\u escapes written out by hand (a pair reversed: two lone surrogates)', () => {
    expect(written((s) => s.jsonText('\u0001\u001f\udfff\ud800')).toString('latin1')).toBe('"\\u0001\\u001f\\udfff\\ud800"');
  });

  it('ascii and again: a number\'s digits, and bytes written earlier copied once more (across growing)', () => {
    const bytes = written((s) => {
      s.ascii('-1.5e+21');
      s.text('户{');
      s.again(8, 12);
      for (let i = 0; i < 100; i++) s.again(0, 8);
    }, 1);
    expect(bytes).toEqual(Buffer.from(`-1.5e+21户{户{${'-1.5e+21'.repeat(100)}`, 'utf8'));
  });

  it.each([0, 1, 9, 10, 99, 100, 12345, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 5, 10 ** 12, Number.MAX_SAFE_INTEGER])('whole(%d) is String\'s', (v) => {
    expect(written((s) => s.whole(v)).toString('latin1')).toBe(String(v));
  });

  it.each([
    [0, '"0.00"'], [5, '"0.05"'], [99, '"0.99"'], [100, '"1.00"'], [1205, '"12.05"'], [46000, '"460.00"'],
    [214748364799, '"2147483647.99"'], [214748364800, '"2147483648.00"'], [Number.MAX_SAFE_INTEGER, '"90071992547409.91"'],
    // each count of yuan digits, at its edges (the digits are counted before they are written)
    [900, '"9.00"'], [1000, '"10.00"'], [9999, '"99.99"'], [99900, '"999.00"'], [100000, '"1000.00"'], [999999, '"9999.99"'],
    [1000000, '"10000.00"'], [9999999, '"99999.99"'], [10000000, '"100000.00"'], [99999999, '"999999.99"'],
    [100000000, '"1000000.00"'], [999999999, '"9999999.99"'], [1000000000, '"10000000.00"'], [9999999999, '"99999999.99"'],
    [10000000000, '"100000000.00"'], [99999999999, '"999999999.99"'], [100000000000, '"1000000000.00"'], [100000000001, '"1000000000.01"'],
  ])('fenJson(%d) is %s', (fen, json) => {
    expect(written((s) => s.fenJson(fen)).toString('latin1')).toBe(json);
  });

  it('grows as it fills, keeping what was written, through every kind of write', () => {
    const bytes = written((s) => {
      for (let i = 0; i < 500; i++) { s.byte(91); s.put(utf8Bytes(`,"第${i}":`)); s.put(utf8Bytes('x'.repeat(i % 40))); s.whole(i); s.fenJson(i * 7); s.jsonString(`m${i}`); s.text('户'); }
    }, 1);
    let expected = '';
    for (let i = 0; i < 500; i++) expected += `[,"第${i}":${'x'.repeat(i % 40)}${i}${JSON.stringify(((i * 7 - (i * 7) % 100) / 100) + '.' + String((i * 7) % 100).padStart(2, '0'))}"m${i}"户`;
    expect(bytes).toEqual(Buffer.from(expected, 'utf8'));
  });

  it('gives its bytes in the arrays its allocation makes', () => {
    const s = new Utf8Sink(2, (k) => Buffer.allocUnsafe(k));
    s.text('户户户');
    expect(Buffer.isBuffer(s.bytes())).toBe(true);
    expect(Buffer.from(s.bytes()).toString('utf8')).toBe('户户户');
  });
});
