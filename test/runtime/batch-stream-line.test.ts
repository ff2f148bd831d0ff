// The result line of a household the JSON Lines fast path answered (textResultLine) must be the
// line resultLine writes for the same answer, newline added: the id is written without
// JSON.stringify only where JSON.stringify would write it as it is (printable ASCII, no quote
// or backslash), so each expected text below is worked out by hand from JSON's string rules.
import { describe, expect, it } from 'vitest';
import { resultLine, textResultLine } from '../../runtime/services/batch-stream.js';

const outputsJson = '{"eligible":true,"amount":"12.05"}';

describe('textResultLine', () => {
  it.each([
    ['h1', '"h1"'],
    ['', '""'],
    ['~ !#$%&\'()*+,-./:;<=>?@[]^_`{|}', '"~ !#$%&\'()*+,-./:;<=>?@[]^_`{|}"'],
    ['a"b', '"a\\"b"'],
    ['a\\b', '"a\\\\b"'],
    ['a\nb', '"a\\nb"'],
    ['\u007f', '"\u007f"'],
    ['户1', '"户1"'],
    ['x'.repeat(40), `"${'x'.repeat(40)}"`],
  ])('id %j is written %s', (id, written) => {
    const expected = `{"line":7,"id":${written},"outputs":${outputsJson}}\n`;
    expect(textResultLine({ id, outputsJson }, 7)).toBe(expected);
    expect(resultLine({ id, outputsJson }, 7).json + '\n').toBe(expected);
  });

  it('a household without a string id is null', () => {
    expect(textResultLine({ id: null, outputsJson }, 12)).toBe(`{"line":12,"id":null,"outputs":${outputsJson}}\n`);
  });
});
