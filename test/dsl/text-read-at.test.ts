// CompiledPolicy.evaluateJsonAt (the text reader's `at`): a JSON batch's households read one
// after another in their body, each from its first byte to wherever its value ends, with no end
// given. Each answer must be evaluateJson's of the same household's text alone, and the end the
// position right after its closing brace (worked out from the texts' lengths here); what follows
// the value is never part of it, and a value that is not whole is not taken.
import { describe, expect, it } from 'vitest';
import { shippedCodegen } from '../policies/shipped.js';
import { generateHouseholds, AS_OF } from '../../bench/lib/households.js';

const dibao = shippedCodegen().find((s) => s.name === 'dawukou-dibao/v2')!.compiled;
const alone = (text: string) => {
  const r = dibao.evaluateJson!(Buffer.from(text, 'utf8'), AS_OF);
  return r && { id: r.id, outputsJson: r.outputsJson };
};
const at = (body: Buffer, start: number) => dibao.evaluateJsonAt!(body, AS_OF, start);

describe('evaluateJsonAt', () => {
  it('reads 2,000 generated households one after another in one body, each as its text alone', () => {
    const texts = generateHouseholds(2000, 99).map((h) => JSON.stringify(h));
    const body = Buffer.from(`{"households":[${texts.join(',')}]}`, 'utf8');
    let p = 15;
    for (const text of texts) {
      const r = at(body, p);
      expect(r).toBeDefined();
      expect({ id: r!.id, outputsJson: r!.outputsJson }).toEqual(alone(text));
      expect(r!.end).toBe(p + Buffer.byteLength(text));
      p = r!.end + 1;   // past the comma
    }
    expect(body[p - 1]).toBe(93);
  });

  it('ends at the closing brace whatever follows it: whitespace, a comma, the end of the bytes, another household', () => {
    const text = JSON.stringify(generateHouseholds(1, 5)[0]);
    const len = Buffer.byteLength(text);
    for (const after of ['', ' ', '\n,', ',', ']}', text, 'garbage', '}']) {
      const r = at(Buffer.from(text + after, 'utf8'), 0);
      expect(r?.end, JSON.stringify(after)).toBe(len);
      expect(r && r.outputsJson).toBe(alone(text)!.outputsJson);
    }
    // whitespace inside it is its own, read as evaluateJson reads it
    const spaced = JSON.stringify(generateHouseholds(1, 5)[0], null, 2);
    expect(at(Buffer.from(`${spaced} ,`, 'utf8'), 0)?.end).toBe(Buffer.byteLength(spaced));
  });

  it('takes no value that is not whole, not an object, or not at its first byte', () => {
    const text = JSON.stringify(generateHouseholds(1, 5)[0]);
    for (const cut of [1, 10, text.length - 1]) expect(at(Buffer.from(text.slice(0, cut), 'utf8'), 0), `cut at ${cut}`).toBeUndefined();
    expect(at(Buffer.from(' ' + text, 'utf8'), 0)).toBeUndefined();   // the caller skips whitespace
    expect(at(Buffer.from(`[${text}]`, 'utf8'), 0)).toBeUndefined();
    expect(at(Buffer.from(text, 'utf8'), 1)).toBeUndefined();
    // a household its reader refuses alone is refused in place: an escape in its id
    expect(at(Buffer.from(text.replace(/"id":"h(\d+)"/, '"id":"\\u0068$1"') + ',' + text, 'utf8'), 0)).toBeUndefined();
  });

  it('is absent exactly where evaluateJson is', () => {
    for (const s of shippedCodegen()) expect(s.compiled.evaluateJsonAt === undefined, s.name).toBe(s.compiled.evaluateJson === undefined);
  });
});
