// The outputs of one evaluation in the contract's JSON (money "12.05", dates 'YYYY-MM-DD', per-member
// outputs by member id), read from a computed context. In 'codegen' mode the writer is generated
// per policy: one constructor storing each output under its (quoted) name, so every answer object
// has the same fast V8 shape and no output goes through a keyed store or a per-type closure call.
import type { Program, Type } from '../check/types.js';
import type { Layout } from '../middle/index.js';
import type { Ctx } from './context.js';
import { toJson, type Json } from '../eval/values.js';
import { fenJsonShared, fenTextShared } from '../eval/yuan-text.js';

export type OutputsWriter = (cx: Ctx) => Record<string, Json>;

/** The outputs of one evaluation: like jsonMap() no Object.prototype in its chain (an output named
 *  `__proto__` or `constructor` is an ordinary key), but its keys are always added in the same
 *  order, so V8 keeps it a fast object with a shared shape (jsonMap's objects are dictionaries). */
const NO_PROTO = Object.create(null) as object;
// eslint-disable-next-line @typescript-eslint/no-empty-function
const OutputMap = function OutputMap() {} as unknown as new () => Record<string, Json>;
OutputMap.prototype = NO_PROTO;

/** The JSON of an empty text list: one frozen array shared by every output that is empty
 *  (most households are on no list; an answer need not keep an empty array of its own). */
const NO_TEXTS = Object.freeze([]) as unknown as Json[];

/** The JSON form of a value of type `t`: toJson, with whole fen written without a regex. */
export function jsonWriter(t: Type): (v: unknown) => Json {
  if (t.k === 'money') return (v) => (typeof v === 'number' && v >= 0 && Number.isSafeInteger(v) ? fenTextShared(v) : toJson(v, t));
  if (t.k === 'bool') return (v) => (v === null || v === undefined ? null : Boolean(v));
  return (v) => toJson(v, t);
}

/** A member output: its value per member, by member id (the member's index when it has none). */
function perMember(cx: Ctx, slot: number, stride: number, json: (v: unknown) => Json): Record<string, Json> {
  // like jsonMap() no Object.prototype in its chain (a member `__proto__` is an ordinary key), but
  // a fast object (≈ 50 bytes for 3 members, not jsonMap's ≈ 190-byte dictionary): members' ids
  // repeat (m1, m2, …), so the shapes are shared; V8 makes an object a dictionary itself when ids
  // never repeat (past its transition limit), which is what jsonMap gave
  const per = new OutputMap();
  for (let m = 0; m < cx.mem.length; m++) per[String(cx.mem[m]!['id'] ?? m)] = json(cx.ms[m * stride + slot]);
  return per;
}

/** The writer of `p`'s outputs: generated when `generated` (and `new Function` works), else a loop. */
export function outputsWriter(p: Program, layout: Layout, generated: boolean): OutputsWriter {
  const outs = p.outputs.map((o, i) => ({ name: o.decl.name.text, type: o.type, member: o.decl.member, slot: layout.outputSlot[i]!, json: jsonWriter(o.type) }));
  const loop: OutputsWriter = (cx) => {
    const outputs = new OutputMap();
    for (const o of outs) outputs[o.name] = o.member ? perMember(cx, o.slot, layout.mStride, o.json) : o.json(cx.hs[o.slot]);
    return outputs;
  };
  if (!generated || outs.some((o) => o.name === '__proto__')) return loop;
  // the source holds only names quoted by JSON.stringify, slot numbers and indexes into T (types) and J (writers)
  const value = (o: (typeof outs)[number], i: number): string => {
    if (o.member) return `member(cx, ${o.slot}, ${layout.mStride}, J[${i}])`;
    const v = `hs[${o.slot}]`;
    if (o.type.k === 'money') return `(typeof (t = ${v}) === 'number' && t >= 0 && Number.isSafeInteger(t) ? fen(t) : json(t, T[${i}]))`;
    if (o.type.k === 'bool') return `((t = ${v}) === null || t === undefined ? null : !!t)`;
    if (o.type.k === 'text' || o.type.k === 'enum') return `((t = ${v}) === undefined ? null : typeof t === 'string' ? t : json(t, T[${i}]))`;
    if (o.type.k === 'textlist') return `((t = ${v}) === null || t === undefined ? null : Array.isArray(t) ? (t.length === 0 ? E : t.slice()) : json(t, T[${i}]))`;
    return `json(${v}, T[${i}])`;
  };
  const source = `'use strict';
function Outputs(cx) { const hs = cx.hs; let t;
  ${outs.map((o, i) => `this[${JSON.stringify(o.name)}] = ${value(o, i)};`).join('\n  ')}
}
Outputs.prototype = P;
return (cx) => new Outputs(cx);`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    return (new Function('P', 'T', 'J', 'fen', 'json', 'member', 'E', source) as (...a: unknown[]) => OutputsWriter)(
      NO_PROTO, outs.map((o) => o.type), outs.map((o) => o.json), fenTextShared, toJson, perMember, NO_TEXTS);
  } catch {
    return loop;
  }
}

/** Whether JSON.stringify of an object would move `key` ahead of the keys before it: an array
 *  index ("0", "17") comes first, in numeric order. A key not starting with a digit never is one. */
export const maybeIndex = (key: string) => { const c = key.charCodeAt(0); return c >= 48 && c <= 57; };

/** A member output's JSON text: `perMember`'s object as JSON.stringify writes it (the object itself
 *  when a member id could be an array index, whose place JSON.stringify changes). */
export function perMemberText(cx: Ctx, slot: number, stride: number, json: (v: unknown) => Json): string {
  const n = cx.mem.length;
  let text = '{';
  for (let m = 0; m < n; m++) {
    const key = String(cx.mem[m]!['id'] ?? m);
    if (maybeIndex(key)) return JSON.stringify(perMember(cx, slot, stride, json));
    text += (m === 0 ? '' : ',') + JSON.stringify(key) + ':' + JSON.stringify(json(cx.ms[m * stride + slot]));
  }
  return text + '}';
}

/**
 * The outputs' JSON text straight from a computed context: exactly JSON.stringify(writer(cx)) for
 * the generated writer above, without the object (a batch line needs only the text). Generated
 * where that writer is; undefined elsewhere. Each value is the writer's own value (the same
 * expressions) written by JSON.stringify, or, for money and booleans, the text JSON.stringify gives
 * them; member outputs by perMemberText. It may throw where JSON.stringify of the object would.
 */
export function outputsTextWriter(p: Program, layout: Layout, generated: boolean): ((cx: Ctx) => string) | undefined {
  const outs = p.outputs.map((o, i) => ({ name: o.decl.name.text, type: o.type, member: o.decl.member, slot: layout.outputSlot[i]!, json: jsonWriter(o.type) }));
  if (!generated || outs.some((o) => o.name === '__proto__' || maybeIndex(o.name)) || outs.length === 0) return undefined;
  // each output's name and the punctuation around it with its value: '{"a":' + A + ',"b":' + B + '}';
  // a value that is one of a few fixed texts (true, false, null, []) is written with its name as
  // one literal ('{"a":true'): one string fewer joined per output (less to allocate and to flatten)
  const part = (o: (typeof outs)[number], i: number): string => {
    const name = (i === 0 ? '{' : ',') + JSON.stringify(o.name) + ':';
    const lit = (value: string) => JSON.stringify(name + value);
    const join = (value: string) => `${lit('')} + ${value}`;
    if (o.member) return join(`member(cx, ${o.slot}, ${layout.mStride}, J[${i}])`);
    const v = `hs[${o.slot}]`;
    // fenJsonShared's text is JSON.stringify's of fenTextShared's (digits and one point: nothing to escape)
    if (o.type.k === 'money') return `(typeof (t = ${v}) === 'number' && t >= 0 && Number.isSafeInteger(t) ? ${join('fen(t)')} : ${join(`S(json(t, T[${i}]))`)})`;
    if (o.type.k === 'bool') return `((t = ${v}) === null || t === undefined ? ${lit('null')} : t ? ${lit('true')} : ${lit('false')})`;
    if (o.type.k === 'text' || o.type.k === 'enum') return `((t = ${v}) === undefined ? ${lit('null')} : ${join(`S(typeof t === 'string' ? t : json(t, T[${i}]))`)})`;
    // most households are on no list: JSON.stringify([]) is '[]'
    if (o.type.k === 'textlist') return `((t = ${v}) === null || t === undefined ? ${lit('null')} : Array.isArray(t) ? (t.length === 0 ? ${lit('[]')} : ${join('S(t)')}) : ${join(`S(json(t, T[${i}]))`)})`;
    // toJson gives null for both (JSON.stringify: 'null') without a call
    return `((t = ${v}) === null || t === undefined ? ${lit('null')} : ${join(`S(json(t, T[${i}]))`)})`;
  };
  const parts = outs.map(part);
  const source = `'use strict';
return (cx) => { const hs = cx.hs; let t;
  return ${parts.join(' + ')} + '}';
};`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    return (new Function('T', 'J', 'fen', 'json', 'member', 'S', source) as (...a: unknown[]) => (cx: Ctx) => string)(
      outs.map((o) => o.type), outs.map((o) => o.json), fenJsonShared, toJson, perMemberText, JSON.stringify);
  } catch {
    return undefined;
  }
}
