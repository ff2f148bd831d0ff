// LineBuffers (runtime/services/line-buffers.ts): a JSON Lines answer's chunks gathered in a
// buffer and written together, in order with the answers that are not written into it; a buffer
// is written again only once the socket has called back for it (bytes still waiting to go out
// are never overwritten); and streamLines sends the lines answered before a fault before failing.
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineBuffers } from '../../runtime/services/line-buffers.js';
import { streamLines, type LineBatch } from '../../runtime/services/batch-stream.js';

/** A socket stand-in: every write kept (its bytes as they are when written, and the array itself),
 *  and called back once sent, on a later turn of the event loop as a socket does; `hold`: never
 *  called back (the socket has not sent them yet). */
function socket(hold = false) {
  const writes: { copy: string; data: Buffer; cb?: (e?: Error | null) => void }[] = [];
  const out = {
    destroyed: false,
    write(data: Buffer, cb?: (e?: Error | null) => void) {
      writes.push({ copy: data.toString('latin1'), data, cb });
      if (!hold && cb) setImmediate(cb);
      return true;
    },
  } as unknown as Writable;
  return { out, writes };
}

/** A turn of the event loop (the socket's callbacks run), as between two chunks of a request's body. */
const turn = () => new Promise((r) => setImmediate(r));

/** `text` written into the array room() gives, as a chunk's sink writes it (the view of what it wrote). */
async function written(b: LineBuffers, out: Writable, text: string): Promise<Buffer> {
  const room = await b.room(out, text.length);
  expect(room.length).toBeGreaterThanOrEqual(text.length);
  Buffer.from(room.buffer, room.byteOffset, room.length).write(text, 'latin1');
  return Buffer.from(room.buffer, room.byteOffset, text.length);
}

/** An answer of ≈ 100 KB: 40 of them fill several buffers (a write per MB gathered). */
const piece = (k: number) => String.fromCharCode(97 + (k % 26)).repeat(100_000) + '\n';

describe('LineBuffers', () => {
  it('gathers answers written in place and writes them together, in order', async () => {
    const { out, writes } = socket();
    const b = new LineBuffers();
    const answers = Array.from({ length: 20 }, (_, k) => piece(k));
    for (const a of answers) await b.add(out, await written(b, out, a));
    await b.flush(out);
    expect(writes.map((w) => w.copy).join('')).toBe(answers.join(''));
    expect(writes.length).toBeLessThan(answers.length / 2);
  });

  it('writes once a megabyte is gathered (1,048,576 bytes), and the rest at the end', async () => {
    const { out, writes } = socket();
    const b = new LineBuffers();
    // 30 answers of 100,001 bytes: 10 gathered are 1,000,010 bytes (not yet written), 11 are 1,100,011
    const answers = Array.from({ length: 30 }, (_, k) => piece(k));
    for (const a of answers) { await b.add(out, await written(b, out, a)); await turn(); }
    await b.flush(out);
    expect(writes.map((w) => w.copy.length)).toEqual([11 * 100_001, 11 * 100_001, 8 * 100_001]);
    expect(writes.map((w) => w.copy).join('')).toBe(answers.join(''));
  });

  it('writes an answer that is not in its buffer (a text, bytes of their own) after the gathered ones', async () => {
    const { out, writes } = socket();
    const b = new LineBuffers();
    await b.add(out, await written(b, out, 'one\n'));
    await b.add(out, 'two\n');
    await b.add(out, await written(b, out, 'three\n'));
    await b.add(out, Buffer.from('four\n'));
    await b.add(out, '');
    await b.flush(out);
    expect(writes.map((w) => w.copy).join('')).toBe('one\ntwo\nthree\nfour\n');
  });

  it('writes into a buffer again once the socket has called back for it', async () => {
    const { out, writes } = socket();
    const b = new LineBuffers();
    for (let k = 0; k < 40; k++) { await b.add(out, await written(b, out, piece(k))); await turn(); }
    await b.flush(out);
    const arrays = new Set(writes.map((w) => w.data.buffer));
    expect(arrays.size).toBeLessThan(writes.length);
  });

  it('never writes into bytes the socket still holds', async () => {
    const { out, writes } = socket(true);
    const b = new LineBuffers();
    const answers = Array.from({ length: 40 }, (_, k) => piece(k));
    for (const a of answers) { await b.add(out, await written(b, out, a)); await turn(); }
    await b.flush(out);
    // every write's bytes, read now, are still what they were when written
    expect(writes.map((w) => w.data.toString('latin1'))).toEqual(writes.map((w) => w.copy));
    expect(writes.map((w) => w.copy).join('')).toBe(answers.join(''));
    expect(new Set(writes.map((w) => w.data.buffer)).size).toBe(writes.length);
  });
});

describe('streamLines with gathered answers', () => {
  it('sends the lines answered before a fault, then fails', async () => {
    // every line taken by the fast path but {"slow":1}, which `run` fails on
    const batch: LineBatch<unknown> = {
      header: { h: 1 },
      run: async () => { throw new Error('store down'); },
      line: () => ({ json: '{}', error: false }),
      fast: () => (bytes, start, end, line, sink) => {
        if (Buffer.from(bytes.subarray(start, end)).toString('utf8') === '{"slow":1}') return false;
        sink.text(`{"line":${line}}\n`);
        return true;
      },
    };
    let got = '';
    const out = new Writable({ write(chunk: Buffer, _e, cb) { got += chunk.toString('utf8'); cb(); } });
    const input = Readable.from([Buffer.from('{}\n{}\n'), Buffer.from('{}\n{"slow":1}\n')], { objectMode: false });
    await expect(streamLines(input, out, batch)).rejects.toThrow('store down');
    expect(got).toBe('{"h":1}\n{"line":1}\n{"line":2}\n');
  });
});
