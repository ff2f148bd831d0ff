// services/batch-body.ts: the JSON batch body's top-level fields and where its list of households
// lies (scanBatchBody), then the households read one after another (eachHousehold), worked out
// by hand here; anything but the plain shape is undefined or -1 (the parsed path's).
import { describe, expect, it } from 'vitest';
import { eachHousehold, scanBatchBody } from '../../runtime/services/batch-body.js';

const scan = (text: string) => scanBatchBody(Buffer.from(text, 'utf8'));

/** A stand-in for the policy's reader: takes `{` + letters and digits + `}` (or `{}`), answers its end, notes its start. */
function reader(t: Uint8Array, starts: number[]) {
  return (start: number) => {
    starts.push(start);
    let p = start + 1;
    while ((t[p]! >= 97 && t[p]! <= 122) || (t[p]! >= 48 && t[p]! <= 57)) p++;
    return t[p] === 125 ? p + 1 : -1;
  };
}
/** The households' starts as eachHousehold reads them, or -1 when it gives up (max: 10). */
function read(text: string, max = 10): number[] | -1 {
  const t = Buffer.from(text, 'utf8');
  const body = scanBatchBody(t);
  if (body?.households === undefined) throw new Error(`not scanned: ${text}`);
  const starts: number[] = [];
  const n = eachHousehold(t, body.households, max, reader(t, starts));
  if (n >= 0) expect(n).toBe(starts.length);
  return n < 0 ? -1 : starts;
}

describe('scanBatchBody', () => {
  it('finds the list of households and parses the scalar fields around it', () => {
    //          0         1         2         3
    //          0123456789012345678901234567890123456789
    const t = '{"households":[{"a":"}"},{"b":[1,{}]}],"as_of":"2024-06-01","version":2,"record":false}';
    expect(scan(t)).toEqual({ fields: { as_of: '2024-06-01', version: 2, record: false }, households: { open: 14, close: 37 } });
    expect(scan('{"as_of":"2024-06-01","households":[{}]}')).toEqual({ fields: { as_of: '2024-06-01' }, households: { open: 35, close: 38 } });
  });

  it('takes whitespace anywhere JSON does, an empty list, no households key', () => {
    expect(scan(' \n{ "record" : false ,\t"households" : [ {} , {"x":1} ] }\r\n')).toEqual({ fields: { record: false }, households: { open: 38, close: 53 } });
    expect(scan('{"households":[]}')).toEqual({ fields: {}, households: { open: 14, close: 15 } });
    expect(scan('{}')).toEqual({ fields: {}, households: undefined });
  });

  it('gives up on anything else around the list', () => {
    for (const t of [
      '{"households":[],"trace":false}',            // unknown key
      '{"as_of":"2024-06-01","as_of":"2024-06-02"}',
      '{"as_of":"2024\\u002d06-01"}',               // an escape
      '{"households":{}}', '{"households":1}', '{"households":[', '{"households":[{"a":"x"',
      '{"households":[],}', '{"households":[]', '{"households":[]]',
      '{"version":01}', '{"version":1e}', '{"record":fals}', '{"as_of":"é"}',
      '{"households":[],"as_of":"]"}',              // a `]` after the list's (no valid request has one): taken for its close
      '{"households":[]} x', '[]', '', '   ',
    ]) expect(scan(t), t).toBeUndefined();
  });
});

describe('eachHousehold', () => {
  it('reads each household where the one before it ended, commas and whitespace between', () => {
    //     0         1         2         3
    //     0123456789012345678901234567890123
    expect(read('{"households":[{a},{bb},{}],"record":false}')).toEqual([15, 19, 24]);
    expect(read('{"households":[ \n{a} ,\t{b}\r\n],"record":false}')).toEqual([17, 23]);
    expect(read('{"households":[],"record":false}')).toEqual([]);
    expect(read('{"households":[ \n ]}')).toEqual([]);
  });

  it('gives up when a household is not taken or not an object, or the list is not one of households', () => {
    for (const t of [
      '{"households":[{a},{b-c}]}',                 // the reader does not take the second
      '{"households":[{a},1]}', '{"households":[null]}', '{"households":[[]]}',
      '{"households":[{a},]}', '{"households":[,{a}]}', '{"households":[{a}{b}]}', '{"households":[{a},,{b}]}',
      '{"households":[{a}] ]}',                      // the last `]` is not the list's: the list ends before it
      '{"households":[{a}],"households":[]}',         // repeated key (the second list's close taken for the first's)
    ]) expect(read(t), t).toBe(-1);
  });

  it('never reads past the list\'s close, nor more than max households', () => {
    const t = `{"households":[${Array(10).fill('{a}').join(',')}]}`;
    expect(read(t, 10)).toHaveLength(10);
    expect(read(t, 9)).toBe(-1);
    // a reader that reads on past the close (the close taken was inside what it read)
    const b = Buffer.from('{"households":[{a}]}', 'utf8');
    const body = scanBatchBody(b)!;
    expect(eachHousehold(b, body.households!, 10, () => b.length)).toBe(-1);
    expect(eachHousehold(b, body.households!, 10, () => body.households!.close + 1)).toBe(-1);
  });
});
