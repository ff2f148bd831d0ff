// CompiledPolicy.evaluateJsonInto: the dry-run batch answers written as bytes must be the UTF-8 of
// `"id":<JSON.stringify(id)>,"outputs":<outputsJson>` for evaluateJson's (a household's text
// alone, end given) or evaluateJsonAt's (read where it starts, end found) answer to the same
// household, and -1 exactly where those answer undefined, the sink then holding what it held.
// Every shipped version (codegen) with its scenarios' households and 300 generated ones, and
// households the reader does not take (a number id, an escape, an unknown key).
import { describe, expect, it } from 'vitest';
import { Utf8Sink } from '../../dsl/index.js';
import { shippedCodegen } from '../policies/shipped.js';
import { generateHouseholds, AS_OF } from '../../bench/lib/households.js';

const expected = (r: { id: string | null; outputsJson: string } | undefined) => r && `"id":${r.id === null ? 'null' : JSON.stringify(r.id)},"outputs":${r.outputsJson}`;

describe('evaluateJsonInto', () => {
  const generated = generateHouseholds(300, 7).map((h) => JSON.stringify(h));
  const odd = [
    '{"id":12,"members":[]}', '{"id":"a\\"b","members":[]}', '{"id":"户1","area":"urban","members":[]}',
    JSON.stringify({ ...generateHouseholds(1, 3)[0], id: '户 1' }), JSON.stringify({ ...generateHouseholds(1, 3)[0], extra: 1 }), '{', '[]',
  ];

  it('writes evaluateJson\'s and evaluateJsonAt\'s answers as bytes, and nothing where they have none', () => {
    let written = 0, refused = 0;
    for (const { name, compiled: c, scenarios } of shippedCodegen()) {
      if (c.evaluateJsonInto === undefined) { expect(c.evaluateJson, name).toBeUndefined(); continue; }
      const texts = [...scenarios.map((s) => JSON.stringify(s.household)), ...generated, ...odd];
      const asOf = scenarios[0]?.as_of ?? AS_OF;
      const sink = new Utf8Sink(8);
      for (const text of texts) {
        const bytes = Buffer.from(text, 'utf8');
        // alone, after what the sink holds
        sink.text('[');
        const want = expected(c.evaluateJson!(bytes, asOf));
        const end = c.evaluateJsonInto(bytes, asOf, 0, bytes.length, sink);
        expect(Buffer.from(sink.bytes()).toString('utf8'), `${name}: ${text.slice(0, 60)}`).toBe(want === undefined ? '[' : `[${want}`);
        expect(end).toBe(want === undefined ? -1 : bytes.length);
        if (want === undefined) refused++; else written++;
        // where it starts in a body, its end found
        const body = Buffer.from(`{"households":[${text},{}]}`, 'utf8');
        const at = c.evaluateJsonAt!(body, asOf, 15);
        sink.n = 0;
        const after = c.evaluateJsonInto(body, asOf, 15, -1, sink);
        expect(Buffer.from(sink.bytes()).toString('utf8')).toBe(expected(at) ?? '');
        expect(after).toBe(at === undefined ? -1 : at.end);
        sink.n = 0;
      }
    }
    expect(written).toBeGreaterThan(300);
    expect(refused).toBeGreaterThan(7);
  });
});
