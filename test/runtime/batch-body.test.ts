// services/batch-body.ts: the JSON batch body's top-level fields and each household's byte
// range, worked out by hand here; anything but the plain shape is undefined (the parsed path's).
import { describe, expect, it } from 'vitest';
import { scanBatchBody } from '../../runtime/services/batch-body.js';

const scan = (text: string) => scanBatchBody(Buffer.from(text, 'utf8'));

describe('scanBatchBody', () => {
  it('finds each household and parses the scalar fields', () => {
    //          0         1         2         3
    //          0123456789012345678901234567890123456789
    const t = '{"households":[{"a":"}"},{"b":[1,{}]}],"as_of":"2024-06-01","version":2,"record":false}';
    expect(scan(t)).toEqual({ fields: { as_of: '2024-06-01', version: 2, record: false }, households: [[15, 24], [25, 37]] });
  });

  it('takes whitespace anywhere JSON does, an empty list, no households key', () => {
    expect(scan(' \n{ "record" : false ,\t"households" : [ {} , {"x":1} ] }\r\n')).toEqual({ fields: { record: false }, households: [[40, 42], [45, 52]] });
    expect(scan('{"households":[]}')).toEqual({ fields: {}, households: [] });
    expect(scan('{}')).toEqual({ fields: {}, households: undefined });
  });

  it('gives up on anything else', () => {
    for (const t of [
      '{"households":[],"trace":false}',            // unknown key
      '{"households":[],"households":[]}',          // repeated key
      '{"as_of":"2024-06-01","as_of":"2024-06-02"}',
      '{"households":[{"a":"\\u0041"}]}',           // an escape
      '{"households":[{"a":"x\ty"}]}',              // a control character in a string
      '{"as_of":"2024\\u002d06-01"}',
      '{"households":[1]}', '{"households":[null]}', '{"households":{}}',
      '{"households":[{}],}', '{"households":[{},]}', '{"households":[{}]', '{"households":[{]}',
      '{"version":01}', '{"version":1e}', '{"record":fals}', '{"as_of":"é"}',
      '{"households":[]} x', '[]', '', '   ',
    ]) expect(scan(t), t).toBeUndefined();
  });
});
