// The outputs' JSON written as UTF-8 bytes into a Utf8Sink, generated per policy: the bytes of
// outputsTextWriter's text (outputs.ts), for the dry-run batch answers read from their bytes.
// Each output's name and punctuation (with its value, when that is one of a few fixed texts:
// true, false, null, []) are bytes made once; whole fen ≥ 0 are written as digits; any other
// value is the text writer's own expression (the same calls), encoded. So no string is made per
// household for the common values, and none is joined, flattened or encoded afterwards.
import type { Program } from '../check/types.js';
import type { Layout } from '../middle/index.js';
import type { Ctx } from './context.js';
import { toJson, type Json } from '../eval/values.js';
import { utf8Bytes, type Utf8Sink } from '../eval/utf8-sink.js';
import { jsonWriter, maybeIndex, perMemberText } from './outputs.js';

/** The statements writing `bytes` at the sink's end: four at a time through its DataView (one
 *  store, not four, nor a loop or a call per byte: a name with its punctuation is 10–30 bytes),
 *  the last one to three one by one. They use the writer's locals s (the sink), n, D and b. */
function stores(bytes: Uint8Array): string {
  const out = [`s.room(${bytes.length}); n = s.n; D = s.dv; b = s.b;`];
  let i = 0;
  for (; i + 4 <= bytes.length; i += 4) {
    const word = (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0;
    out.push(`D.setUint32(n + ${i}, ${word}, true);`);
  }
  for (; i < bytes.length; i++) out.push(`b[n + ${i}] = ${bytes[i]!};`);
  out.push(`s.n = n + ${bytes.length};`);
  return out.join(' ');
}

export type OutputsBytesWriter = (cx: Ctx, sink: Utf8Sink) => void;

/**
 * The writer of `p`'s outputs as bytes: exactly the UTF-8 of outputsTextWriter's text (so of
 * JSON.stringify of outputsWriter's object). Generated where outputsTextWriter is; undefined
 * elsewhere. It may throw where that writer would (then what it wrote is the caller's to drop).
 */
export function outputsBytesWriter(p: Program, layout: Layout, generated: boolean): OutputsBytesWriter | undefined {
  const outs = p.outputs.map((o, i) => ({ name: o.decl.name.text, type: o.type, member: o.decl.member, slot: layout.outputSlot[i]!, json: jsonWriter(o.type) }));
  if (!generated || outs.some((o) => o.name === '__proto__' || maybeIndex(o.name)) || outs.length === 0) return undefined;
  const part = (o: (typeof outs)[number], i: number): string => {
    const name = (i === 0 ? '{' : ',') + JSON.stringify(o.name) + ':';
    const lit = (value: string) => `{ ${stores(utf8Bytes(name + value))} }`;
    const key = stores(utf8Bytes(name));
    const text = (value: string) => `{ ${key} s.text(${value}); }`;
    if (o.member) return `{ ${key} member(cx, ${o.slot}, ${layout.mStride}, J[${i}], s); }`;
    const v = `hs[${o.slot}]`;
    if (o.type.k === 'money') return `if (typeof (t = ${v}) === 'number' && t >= 0 && Number.isSafeInteger(t)) { ${key} s.fenJson(t); } else ${text(`S(json(t, T[${i}]))`)}`;
    if (o.type.k === 'bool') return `if ((t = ${v}) === null || t === undefined) ${lit('null')} else if (t) ${lit('true')} else ${lit('false')}`;
    if (o.type.k === 'text' || o.type.k === 'enum') {
      return `if ((t = ${v}) === undefined) ${lit('null')} else if (typeof t === 'string') { ${key} quoted(t, s, M[${i}]); } else ${text(`S(json(t, T[${i}]))`)}`;
    }
    if (o.type.k === 'textlist') {
      return `if ((t = ${v}) === null || t === undefined) ${lit('null')} else if (Array.isArray(t)) { if (t.length === 0) ${lit('[]')} else { ${key} list(t, s); } } else ${text(`S(json(t, T[${i}]))`)}`;
    }
    return `if ((t = ${v}) === null || t === undefined) ${lit('null')} else ${text(`S(json(t, T[${i}]))`)}`;
  };
  const parts = outs.map(part);
  const source = `'use strict';
return (cx, s) => { const hs = cx.hs; let t, n, D, b;
  ${parts.join('\n  ')}
  s.byte(125);
};`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    return (new Function('T', 'J', 'json', 'member', 'list', 'S', 'quoted', 'M', source) as (...a: unknown[]) => OutputsBytesWriter)(
      outs.map((o) => o.type), outs.map((o) => o.json), toJson, memberBytes, listBytes, JSON.stringify, quotedBytes, outs.map(() => new Map()));
  } catch {
    return undefined;
  }
}

/** Texts kept per text output (its bytes by value), and the longest kept: past these, a text is
 *  written without being kept (an output of free text need not fill memory). */
const QUOTED_KEPT = 64, QUOTED_LONGEST = 256;

/**
 * A text output's value as JSON bytes (JSON.stringify's quoting: Utf8Sink.jsonString), copied
 * from `kept` when written before: such outputs take a few values (an approval level, a reason),
 * often Chinese, which would otherwise be quoted and encoded afresh for every household.
 */
function quotedBytes(t: string, s: Utf8Sink, kept: Map<string, Uint8Array>): void {
  const known = kept.get(t);
  if (known !== undefined) { s.put(known); return; }
  const from = s.n;
  s.jsonString(t);
  // a copy (the sink's bytes are written again: a Buffer's slice would be a view of them)
  if (kept.size < QUOTED_KEPT && s.n - from <= QUOTED_LONGEST) kept.set(t, new Uint8Array(s.b.subarray(from, s.n)));
}

/** A value's JSON text as bytes: a text by Utf8Sink.jsonString (JSON.stringify's quoting), any
 *  other as JSON.stringify writes it (String(): as a text joined with it, "undefined" too). */
function valueJsonInto(v: unknown, s: Utf8Sink): void {
  if (typeof v === 'string') s.jsonString(v);
  else s.text(String(JSON.stringify(v)));
}

/** perMemberText's text written as bytes: each member's id and value written in place, no text
 *  made for the whole (a member id that could be an array index: perMemberText's own text). */
function memberBytes(cx: Ctx, slot: number, stride: number, json: (v: unknown) => Json, s: Utf8Sink): void {
  const n = cx.mem.length, from = s.n;
  s.byte(123);
  for (let m = 0; m < n; m++) {
    const key = String(cx.mem[m]!['id'] ?? m);
    if (maybeIndex(key)) { s.n = from; s.text(perMemberText(cx, slot, stride, json)); return; }
    if (m !== 0) s.byte(44);
    s.jsonString(key);
    s.byte(58);
    valueJsonInto(json(cx.ms[m * stride + slot]), s);
  }
  s.byte(125);
}

/** JSON.stringify of a text list (not empty) as bytes: each text quoted in place (a list with
 *  anything but texts: JSON.stringify's own text). */
function listBytes(t: readonly unknown[], s: Utf8Sink): void {
  for (let i = 0; i < t.length; i++) if (typeof t[i] !== 'string') { s.text(JSON.stringify(t)); return; }
  s.byte(91);
  for (let i = 0; i < t.length; i++) {
    if (i !== 0) s.byte(44);
    s.jsonString(t[i] as string);
  }
  s.byte(93);
}
