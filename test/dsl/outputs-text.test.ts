// dsl/backends/outputs.ts outputsTextWriter: the outputs' JSON text written without the object must be
// exactly JSON.stringify of what the object writer (outputsWriter) gives, for every value each output
// type can hold; a value that is one of a few fixed texts (true, false, null, []) is written with its
// name as one literal, and these are checked here for each place (first output, middle, last).
import { describe, expect, it } from 'vitest';
import { outputsTextWriter, outputsWriter } from '../../dsl/backends/outputs.js';
import type { Program, Type } from '../../dsl/check/types.js';
import type { Layout } from '../../dsl/middle/index.js';
import type { Ctx } from '../../dsl/backends/context.js';

/** A program with the outputs `types` named o0, o1, … in slots 0, 1, … (what the writers read of it). */
function program(types: Type['k'][]): { p: Program; layout: Layout } {
  const outputs = types.map((k, i) => ({ decl: { name: { text: `o${i}` }, member: false }, type: { k } }));
  return { p: { outputs } as unknown as Program, layout: { outputSlot: types.map((_, i) => i), mStride: 1 } as unknown as Layout };
}
const cx = (hs: unknown[]) => ({ hs, mem: [], ms: [] }) as unknown as Ctx;

describe('outputsTextWriter', () => {
  const values: Partial<Record<Type['k'], unknown[]>> = {
    bool: [true, false, null, undefined, 0, 1],
    money: [0, 1205, 46000, null, undefined],
    text: ['', 'a', '户 "q" \\ \n', null, undefined],
    textlist: [[], ['m1'], ['m1', '户'], null, undefined],
  };
  const kinds = Object.keys(values) as Type['k'][];

  it('writes JSON.stringify of the object writer\'s outputs, each type in each place', () => {
    for (const k of kinds) {
      for (const layout of [[k], [k, 'bool'], ['bool', k], ['money', k, 'text']] as Type['k'][][]) {
        const { p, layout: l } = program(layout);
        const text = outputsTextWriter(p, l, true)!, object = outputsWriter(p, l, true);
        const at = layout.indexOf(k);
        for (const v of values[k]!) {
          const hs = layout.map((kk, i) => (i === at ? v : values[kk]![0]));
          expect(text(cx(hs)), `${layout.join(',')} = ${String(v)}`).toBe(JSON.stringify(object(cx(hs))));
        }
      }
    }
  });

  it('hand-worked texts', () => {
    const { p, layout } = program(['bool', 'textlist', 'money', 'bool', 'text']);
    const text = outputsTextWriter(p, layout, true)!;
    expect(text(cx([true, [], 1205, null, undefined]))).toBe('{"o0":true,"o1":[],"o2":"12.05","o3":null,"o4":null}');
    expect(text(cx([false, null, 0, 1, 'x']))).toBe('{"o0":false,"o1":null,"o2":"0.00","o3":true,"o4":"x"}');
    expect(text(cx([undefined, ['a', 'b'], 46000, 0, '']))).toBe('{"o0":null,"o1":["a","b"],"o2":"460.00","o3":false,"o4":""}');
  });
});
