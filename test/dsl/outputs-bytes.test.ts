// dsl/backends/outputs-bytes.ts outputsBytesWriter: the outputs' JSON written as bytes must be
// exactly the UTF-8 of JSON.stringify of what the object writer (outputsWriter) gives, for every
// value each output type can hold, in each place (first output, middle, last), whatever the
// sink already holds and however small it starts.
import { describe, expect, it } from 'vitest';
import { outputsWriter } from '../../dsl/backends/outputs.js';
import { outputsBytesWriter } from '../../dsl/backends/outputs-bytes.js';
import { Utf8Sink } from '../../dsl/eval/utf8-sink.js';
import type { Program, Type } from '../../dsl/check/types.js';
import type { Layout } from '../../dsl/middle/index.js';
import type { Ctx } from '../../dsl/backends/context.js';

/** A program with the outputs `types` named by `names` (o0, o1, … by default) in slots 0, 1, … (what the writers read of it). */
function program(types: Type['k'][], names = types.map((_, i) => `o${i}`)): { p: Program; layout: Layout } {
  const outputs = types.map((k, i) => ({ decl: { name: { text: names[i] }, member: false }, type: { k } }));
  return { p: { outputs } as unknown as Program, layout: { outputSlot: types.map((_, i) => i), mStride: 1 } as unknown as Layout };
}
const cx = (hs: unknown[]) => ({ hs, mem: [], ms: [] }) as unknown as Ctx;
const bytesOf = (write: (c: Ctx, s: Utf8Sink) => void, c: Ctx, before = ''): Buffer => {
  const s = new Utf8Sink(1);
  s.text(before);
  write(c, s);
  return Buffer.from(s.bytes());
};

describe('outputsBytesWriter', () => {
  const values: Partial<Record<Type['k'], unknown[]>> = {
    bool: [true, false, null, undefined, 0, 1],
    money: [0, 5, 1205, 46000, 2 ** 31 + 7, null, undefined],
    text: ['', 'a', '户 "q" \\ \n', '😀', null, undefined],
    textlist: [[], ['m1'], ['m1', '户'], null, undefined],
  };
  const kinds = Object.keys(values) as Type['k'][];

  it('writes the bytes of JSON.stringify of the object writer\'s outputs, each type in each place', () => {
    for (const k of kinds) {
      for (const layout of [[k], [k, 'bool'], ['bool', k], ['money', k, 'text']] as Type['k'][][]) {
        const { p, layout: l } = program(layout);
        const bytes = outputsBytesWriter(p, l, true)!, object = outputsWriter(p, l, true);
        const at = layout.indexOf(k);
        for (const v of values[k]!) {
          const hs = layout.map((kk, i) => (i === at ? v : values[kk]![0]));
          expect(bytesOf(bytes, cx(hs), 'x').toString('utf8'), `${layout.join(',')} = ${String(v)}`).toBe('x' + JSON.stringify(object(cx(hs))));
        }
      }
    }
  });

  it('hand-worked texts, names of any length and in Chinese', () => {
    const { p, layout } = program(['bool', 'textlist', 'money', 'bool', 'text'], ['o', '单人户成员名单', 'monthly_amount_in_yuan', 'b', '说明']);
    const bytes = outputsBytesWriter(p, layout, true)!;
    expect(bytesOf(bytes, cx([true, [], 1205, null, undefined])).toString('utf8')).toBe('{"o":true,"单人户成员名单":[],"monthly_amount_in_yuan":"12.05","b":null,"说明":null}');
    expect(bytesOf(bytes, cx([false, null, 0, 1, 'x'])).toString('utf8')).toBe('{"o":false,"单人户成员名单":null,"monthly_amount_in_yuan":"0.00","b":true,"说明":"x"}');
    expect(bytesOf(bytes, cx([undefined, ['a', 'b'], 46000, 0, ''])).toString('utf8')).toBe('{"o":null,"单人户成员名单":["a","b"],"monthly_amount_in_yuan":"460.00","b":false,"说明":""}');
  });

  it('none where the text writer has none: closures mode, no outputs, an output named like an index', () => {
    expect(outputsBytesWriter(program(['bool']).p, program(['bool']).layout, false)).toBeUndefined();
    expect(outputsBytesWriter(program([]).p, program([]).layout, true)).toBeUndefined();
    const indexed = program(['bool'], ['0']);
    expect(outputsBytesWriter(indexed.p, indexed.layout, true)).toBeUndefined();
  });

  it('per-member outputs and text lists written in place: the same bytes, members without an id or with an id like an index too', () => {
    // o0: a household-level text list; o1: a member output of money (member m's value at 1 + m × 2)
    const outputs = [{ decl: { name: { text: 'recipients' }, member: false }, type: { k: 'textlist' } }, { decl: { name: { text: 'by_member' }, member: true }, type: { k: 'money' } }];
    const p = { outputs } as unknown as Program, layout = { outputSlot: [0, 1], mStride: 2 } as unknown as Layout;
    const bytes = outputsBytesWriter(p, layout, true)!, object = outputsWriter(p, layout, true);
    const members = [
      [{ id: 'm1' }, { id: 'm2' }], [{ id: '户 "甲"' }, { id: 'a\\b' }], [{ id: 'm1' }, {}], [{ id: '7' }, { id: 'm2' }], [],
    ];
    const lists: unknown[] = [['m1', 'm2'], ['户"', '😀', '\n'], [1, 'a'], ['x', null], ['only']];
    for (const mem of members) {
      for (const list of lists) {
        const c = { hs: [list], mem, ms: [0, 1205, 0, null, 0, 46000.5].slice(0, 2 * mem.length) } as unknown as Ctx;
        expect(bytesOf(bytes, c, '..').toString('utf8'), JSON.stringify({ mem, list })).toBe('..' + JSON.stringify(object(c)));
      }
    }
    // hand-worked: no object made to check against
    const c = { hs: [['m1', '户']], mem: [{ id: 'm1' }, { id: 'm2' }], ms: [0, 1205, 0, 0] } as unknown as Ctx;
    expect(bytesOf(bytes, c).toString('utf8')).toBe('{"recipients":["m1","户"],"by_member":{"m1":"12.05","m2":"0.00"}}');
  });
  it('text outputs written again from the bytes kept per value: the same bytes every time, into a sink written over', () => {
    // a text output in the middle (kept bytes copied between other writes), read by the object writer too
    const { p, layout } = program(['bool', 'text', 'money']);
    const bytes = outputsBytesWriter(p, layout, true)!, object = outputsWriter(p, layout, true);
    const texts = ['无', '街道(镇)', 'x', '', '户 "q" \\ \n', '😀', '\ud800', 'a'.repeat(300), ...Array.from({ length: 80 }, (_, i) => `第${i}级`)];
    // one sink written from its start again and again (as a pooled batch buffer is): a kept text
    // must not be a view of bytes written over since
    const s = new Utf8Sink(1);
    for (let round = 0; round < 3; round++) {
      for (const t of [...texts, ...texts.slice().reverse()]) {
        const c = cx([true, t, 1205]);
        s.n = 0;
        s.text('..');
        bytes(c, s);
        expect(Buffer.from(s.bytes()).toString('utf8'), JSON.stringify(t)).toBe('..' + JSON.stringify(object(c)));
      }
    }
    // hand-worked, twice (the second from the kept bytes)
    for (let i = 0; i < 2; i++) expect(bytesOf(bytes, cx([false, '街道(镇)', 0])).toString('utf8')).toBe('{"o0":false,"o1":"街道(镇)","o2":"0.00"}');
  });
});
