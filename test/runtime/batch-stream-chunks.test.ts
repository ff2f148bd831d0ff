// streamLines (runtime/services/batch-stream.ts) reads each line in place in its input chunk
// (bytes start..end) or, when the line is split between chunks, joined: whatever the chunks,
// the fast path is shown each line's own bytes (a final CR kept, as the reader takes it) and the
// answer is the same, byte for byte. The lines and answers are made up here; the expected ones
// are those of the whole input in one chunk, whose lines are listed by hand.
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { streamLines, type LineBatch } from '../../runtime/services/batch-stream.js';

const lines = ['{"a":1}', '{"b":2}\r', '   ', '', '{"a":"é"}', 'not json', '{"b":[1,2]}', '{"a":3}'];

/** The answer to `chunks` (written text) and the lines the fast path was shown. */
async function answer(chunks: Buffer[]): Promise<{ out: string; seen: string[] }> {
  const seen: string[] = [];
  // the fast path takes the lines starting {"a" (its answer names the text it was shown); the rest are parsed and run
  const batch: LineBatch<unknown> = {
    header: { h: 1 },
    run: async (households) => households,
    line: (item, line) => ({ json: JSON.stringify({ line, item }), error: false }),
    fast: () => (bytes, start, end, line, sink) => {
      const text = Buffer.from(bytes.subarray(start, end)).toString('utf8');
      seen.push(text);
      if (!text.startsWith('{"a"')) return false;
      sink.text(`{"line":${line},"fast":${JSON.stringify(text)}}\n`);
      return true;
    },
  };
  let out = '';
  const sink = new Writable({ write(chunk: Buffer, _e, cb) { out += chunk.toString('utf8'); cb(); } });
  await streamLines(Readable.from(chunks, { objectMode: false }), sink, batch);
  return { out, seen };
}

describe('streamLines: lines in place and split between chunks', () => {
  const whole = Buffer.from(lines.join('\n'), 'utf8');   // the last line without a newline

  it('shows the fast path each line as given and answers them in order', async () => {
    const { out, seen } = await answer([whole]);
    expect(seen).toEqual(lines);
    expect(out.split('\n')).toEqual([
      '{"h":1}',
      '{"line":1,"fast":"{\\"a\\":1}"}',
      '{"line":2,"item":{"b":2}}',
      '{"line":5,"fast":"{\\"a\\":\\"é\\"}"}',
      expect.stringMatching(/^\{"line":6,"id":null,"error":\{"code":"line.invalid_json"/),
      '{"line":7,"item":{"b":[1,2]}}',
      '{"line":8,"fast":"{\\"a\\":3}"}',
      '{"done":true,"lines":8,"results":6,"error_count":1}',
      '',
    ]);
  });

  it('gives the same answer whatever byte the input is cut at, once or twice (é\'s two bytes apart too)', async () => {
    const expected = await answer([whole]);
    for (let k = 0; k <= whole.length; k++) {
      expect(await answer([whole.subarray(0, k), whole.subarray(k)]), `cut at ${k}`).toEqual(expected);
      const j = Math.min(whole.length, k + 7);
      expect(await answer([whole.subarray(0, k), whole.subarray(k, j), whole.subarray(j)]), `cut at ${k} and ${j}`).toEqual(expected);
    }
  });
});
