// services/batch-body.ts: the JSON batch body's top-level fields and each household's byte
// range, worked out by hand here; anything but the plain shape is undefined (the parsed path's).
import { describe, expect, it } from 'vitest';
import { scanBatchBody } from '../../runtime/services/batch-body.js';

/** The scan with its flat ranges (start, end, start, end, …) as a plain array, to compare. */
const scan = (text: string) => {
  const r = scanBatchBody(Buffer.from(text, 'utf8'));
  return r === undefined ? undefined : { fields: r.fields, households: r.households === undefined ? undefined : Array.from(r.households) };
};

describe('scanBatchBody', () => {
  it('finds each household and parses the scalar fields', () => {
    //          0         1         2         3
    //          0123456789012345678901234567890123456789
    const t = '{"households":[{"a":"}"},{"b":[1,{}]}],"as_of":"2024-06-01","version":2,"record":false}';
    expect(scan(t)).toEqual({ fields: { as_of: '2024-06-01', version: 2, record: false }, households: [15, 24, 25, 37] });
  });

  it('takes whitespace anywhere JSON does, an empty list, no households key', () => {
    expect(scan(' \n{ "record" : false ,\t"households" : [ {} , {"x":1} ] }\r\n')).toEqual({ fields: { record: false }, households: [40, 42, 45, 52] });
    expect(scan('{"households":[]}')).toEqual({ fields: {}, households: [] });
    expect(scan('{}')).toEqual({ fields: {}, households: undefined });
  });

  it('gives every range of a list longer than its first allocation (2,048 numbers, 1,024 households)', () => {
    // '{"households":[' is 15 bytes; then '{}' and a comma per household: household i at 15 + 3i, to 17 + 3i
    const n = 5000;
    const r = scan(`{"households":[${Array(n).fill('{}').join(',')}],"record":false}`)!;
    expect(r.fields).toEqual({ record: false });
    expect(r.households!.length).toBe(2 * n);
    for (const i of [0, 1, 1023, 1024, 1025, 2047, 2048, 4999]) expect([r.households![2 * i], r.households![2 * i + 1]], String(i)).toEqual([15 + 3 * i, 17 + 3 * i]);
  });

  it('skips brackets, braces and commas inside strings, and multi-byte text', () => {
    //          0         1         2         3         4
    //          01234567890123456789012345678901234567890123456
    const t = '{"households":[{"a":"]},{[","b":"x"},{"c":"é"}]}';
    // 'é' is 2 bytes in UTF-8: the second household ends one byte later than its characters say
    expect(scan(t)).toEqual({ fields: {}, households: [15, 36, 37, 47] });
  });

  it('gives up on anything else', () => {
    for (const t of [
      '{"households":[],"trace":false}',            // unknown key
      '{"households":[],"households":[]}',          // repeated key
      '{"as_of":"2024-06-01","as_of":"2024-06-02"}',
      '{"households":[{"a":"\\u0041"}]}',           // an escape
      '{"households":[{"a":"x\ty"}]}',              // a control character in a string
      '{"households":[{"a":"x', '{"households":[{"a":"x"', // the end inside a string, inside a household
      '{"as_of":"2024\\u002d06-01"}',
      '{"households":[1]}', '{"households":[null]}', '{"households":{}}',
      '{"households":[{}],}', '{"households":[{},]}', '{"households":[{}]', '{"households":[{]}',
      '{"version":01}', '{"version":1e}', '{"record":fals}', '{"as_of":"é"}',
      '{"households":[]} x', '[]', '', '   ',
    ]) expect(scan(t), t).toBeUndefined();
  });
});
