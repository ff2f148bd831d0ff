// runtime/text-bytes.ts: pieces written as UTF-8 into one growing buffer must be the bytes of
// their joined text, whatever the mix of one-, two-, three- and four-byte characters, across the
// groups they are gathered in and the buffer's growth.
import { describe, expect, it } from 'vitest';
import { GROUP_CHARS, TextBytes } from '../../runtime/text-bytes.js';

const written = (pieces: string[], size?: number) => {
  const out = new TextBytes(size);
  for (const p of pieces) out.add(p);
  return out.bytes();
};

describe('TextBytes', () => {
  it('writes nothing, one piece, an empty piece', () => {
    expect(written([]).length).toBe(0);
    expect(written(['']).length).toBe(0);
    expect(written(['{"a":1}']).toString('latin1')).toBe('{"a":1}');
  });

  it('gives the joined text\'s bytes: ASCII, Latin-1, Chinese, pairs, across groups and growth from 1 byte', () => {
    // é is 2 bytes, 中 3, 😀 (a surrogate pair) 4: each piece a whole JSON text
    const kinds = ['{"id":"h1"}', '"é"', '"中文"', '"😀"', '"' + 'x'.repeat(GROUP_CHARS + 5) + '"', ','];
    const pieces: string[] = [];
    for (let i = 0; i < 3000; i++) pieces.push(kinds[(i * 7) % kinds.length]!);
    const joined = pieces.join('');
    for (const size of [1, 100, 64 * 1024, 8 * 1024 * 1024]) expect(written(pieces, size).equals(Buffer.from(joined, 'utf8')), `start ${size}`).toBe(true);
  });

  it('keeps what it wrote when asked for the bytes midway, and goes on after', () => {
    const out = new TextBytes(4);
    out.add('[1,');
    expect(out.bytes().toString('utf8')).toBe('[1,');
    out.add('"二"');
    out.add(']');
    expect(out.bytes().toString('utf8')).toBe('[1,"二"]');
    expect(out.size).toBe(Buffer.byteLength('[1,"二"]'));
  });
});
