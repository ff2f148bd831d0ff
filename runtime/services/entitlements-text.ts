// 一门受理 answers written straight to their JSON text (the HTTP answer's bytes), without the
// answer object and JSON.stringify of it. Most of an answer is the same for every household of a
// programme list: the jurisdiction, each programme's head (policy, title, jurisdiction, version)
// and its assumptions — ≈ 9 of an answer's ≈ 9.5 KB, much of it Chinese. JSON.stringify wrote
// those again for every household and the UTF-8 encoding of the result cost more than the
// evaluation itself (≈ 47 µs per household for a 1,000-household batch, against ≈ 7 µs to
// decide it). Here they are JSON text written once per list (and its UTF-8 bytes, copied as they
// are); per household only the outputs, `granted`, `uses`, the totals and the ids are written.
// Each fixed part is JSON.stringify's own text of the very object the answer holds, and the parts
// are put together in the answer object's key order, so the text is the one JSON.stringify gives
// (tested against it for generated households of every jurisdiction).
import { Utf8Sink, type Json } from '../../dsl/index.js';
import { allocBytes } from '../sink-bytes.js';
import { jsonString } from './json-string.js';
import type { BytePool } from './byte-pool.js';

/** A fixed part of answers: its JSON text, and that text's UTF-8 bytes. */
export interface Piece { readonly text: string; readonly bytes: Buffer }
export const piece = (text: string): Piece => ({ text, bytes: Buffer.from(text, 'utf8') });

/** Where an answer's text goes: one buffer of bytes (the JSON batch) or a string (a JSON Lines
 *  line). `at()`: where the next text goes; `again(start, end, s)`: `s` again, which was written
 *  from `start` to `end` (bytes are copied, not encoded again). */
export interface AnswerSink { piece(p: Piece): void; str(s: string): void; at(): number; again(start: number, end: number, s: string): void }

/** UTF-8 bytes in one growing buffer: pieces copied, strings encoded in place. With a pool: its
 *  buffer written again when it has one, and given back by lend()'s release (byte-pool.ts). */
export class ByteSink implements AnswerSink {
  // the growing buffer and the UTF-8 encoding are the dry batches' (dsl Utf8Sink): one writer of
  // bytes; this adds the pieces, the copies of bytes already written and the pool
  readonly #s: Utf8Sink;
  readonly #pool: BytePool | undefined;
  constructor(capacity = 64 * 1024, pool?: BytePool) {
    this.#pool = pool;
    this.#s = new Utf8Sink(capacity, allocBytes, pool?.take());
  }
  /** The bytes underneath (a compiled outputs writer writes into them: dsl outputs-bytes.ts). */
  get utf8(): Utf8Sink { return this.#s; }
  /** Puts the end back to `n` (≤ length): what was written after it is dropped. */
  truncate(n: number): void { this.#s.n = n; }
  piece(p: Piece): void { this.#s.put(p.bytes); }
  str(s: string): void { this.#s.text(s); }
  at(): number { return this.#s.n; }
  again(start: number, end: number): void {
    const b = this.#s.room(end - start);
    b.copyWithin(this.#s.n, start, end);
    this.#s.n += end - start;
  }
  /** Makes room for `total` bytes in all (a caller that knows the size ahead). With a pool, for
   *  the next power of two: a buffer given back then has room for a batch a little larger. */
  reserve(total: number): void {
    if (total > this.#s.b.length) this.#s.room((this.#pool === undefined ? total : 2 ** Math.ceil(Math.log2(total))) - this.#s.n);
  }
  get length(): number { return this.#s.n; }
  /** The bytes written (a view of the buffer: not to be written to afterwards). */
  bytes(): Buffer { return this.#s.bytes() as Buffer; }
  /** The bytes written, and `release` to call once they are read no more (sent): the buffer
   *  then goes back to the pool, to be written again. Called more than once, or never: harmless. */
  lend(): { bytes: Buffer; release: () => void } {
    const buf = this.#s.b as Buffer, pool = this.#pool;
    let lent = pool !== undefined;
    return { bytes: this.bytes(), release: () => { if (lent) { lent = false; pool!.give(buf); } } };
  }
}

/** The text as one string. */
export class TextSink implements AnswerSink {
  text = '';
  piece(p: Piece): void { this.text += p.text; }
  str(s: string): void { this.text += s; }
  at(): number { return this.text.length; }
  again(_start: number, _end: number, s: string): void { this.text += s; }
}

/**
 * JSON.stringify(o) for a programme's outputs object, whose keys are the programme's outputs in
 * their order (the outputs writer's objects, dsl CompiledPolicy.outputsOf, set every one): a
 * function generated per programme, each key's text a literal and each value read by its name
 * (one object shape per site), strings quoted by jsonString, booleans, null and an empty list
 * written as they are, anything else by JSON.stringify. An object with an undefined value (which
 * JSON.stringify leaves out), or outputs named like an array index or `__proto__` (whose place
 * or meaning JSON.stringify treats otherwise), or no `new Function`: JSON.stringify whole.
 */
export function outputsJsonWriter(names: readonly string[]): (o: Record<string, Json>) => string {
  const whole = (o: Record<string, Json>) => JSON.stringify(o);
  if (names.length === 0 || names.some((n) => n === '__proto__' || maybeIndex(n))) return whole;
  // the source holds only JSON.stringify's quoting of the names and of the key texts
  const steps = names.map((n, j) => `t = o[${JSON.stringify(n)}];
    if (t === undefined) return S(o);
    x += ${JSON.stringify(`${j ? ',' : '{'}${JSON.stringify(n)}:`)} + (typeof t === 'string' ? Q(t) : t === true ? 'true' : t === false ? 'false' : t === null ? 'null' : Array.isArray(t) && t.length === 0 ? '[]' : S(t));`);
  const source = `'use strict';
return (o) => { let t, x = '';
    ${steps.join('\n    ')}
    return x + '}';
};`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    return (new Function('S', 'Q', source) as (...a: unknown[]) => (o: Record<string, Json>) => string)(JSON.stringify, jsonString);
  } catch {
    return whole;
  }
}

/** What a programme list's answers share, as text (made once per list: see entitlements.ts Plan). */
export interface ListTexts {
  /** Per programme, not granted and granted: `{"policy":…,"effective_from":…,"granted":false,"outputs":`
   *  (a comma first after the first programme). */
  head: [Piece, Piece][];
  /** Per programme, per programme it reads (usesAt): `,"uses":{"id":{"version":n,"outputs":` for
   *  the first, `},"id":{"version":n,"outputs":` for the next. */
  usesKey: Piece[][];
  /** Per programme, the programmes it reads (their index in the list), as usesKey names them. */
  usesAt: readonly (readonly number[])[];
  /** Per programme, what follows its outputs (and `uses`) up to its decision id: `,"uses":{}`
   *  when it reads none, `}}` closing them when it does, then `,"assumptions":[…]`, and its
   *  closing brace when not recorded ([0]) or without it ([1]). */
  tail: [Piece, Piece][];
  /** Per programme, the JSON of its decision id's key in decision_ids: `"id":`. */
  idKey: string[];
  /** Per programme, its outputs' JSON text (outputsJsonWriter). */
  outputsJson: ((o: Record<string, Json>) => string)[];
  /** `]},"assumptions":[…]` closing the totals' services, then the answer's assumptions (every
   *  programme's, as the answer lists them); [0] also closes the answer, [1] does not (a reason follows). */
  allListed: [Piece, Piece];
  // An answer not recorded (the common case) in fewer, longer pieces: what lies between two
  // outputs is one piece.
  /** Per jurisdiction view (null: none), not granted and granted: the view's text, the answer's
   *  keys up to the programmes and programme 0's head (made when first met). */
  intro: Map<object | null, [Piece, Piece]>;
  /** Per reason (undefined: none), what follows the totals' services: closingOf. */
  closing: Map<object | undefined, Piece>;
  /** Per programme but the last, not granted and granted: its tail (closed) and the next programme's head. */
  next: [Piece, Piece][];
  /** The last programme's tail (closed), the programmes closed and the first key of the totals. */
  last: Piece;
}

/** Whether JSON.stringify could move this key ahead of the keys before it (an array index does):
 *  a policy id naming `uses` and `decision_ids` keys is then written by the object path. */
export const maybeIndex = (key: string): boolean => { const c = key.charCodeAt(0); return c >= 48 && c <= 57; };

/** The list's texts; undefined when a policy id could be an array index (see maybeIndex). */
export function listTexts(list: {
  heads: readonly object[]; own: readonly (readonly unknown[])[]; usesAt: readonly number[][];
  ids: readonly string[]; versions: readonly number[]; allListed: readonly object[]; outputs: readonly (readonly string[])[];
}): ListTexts | undefined {
  if (list.ids.some(maybeIndex) || list.heads.length === 0) return undefined;
  const tail = (i: number, closed: boolean) => piece(`${list.usesAt[i]!.length ? '}}' : ',"uses":{}'},"assumptions":${JSON.stringify(list.own[i])}${closed ? '}' : ''}`);
  // the head object's own text up to its closing brace, then the keys that follow it
  const head = list.heads.map((h, i): [Piece, Piece] => {
    const open = `${i ? ',' : ''}${JSON.stringify(h).slice(0, -1)},"granted":`;
    return [piece(`${open}false,"outputs":`), piece(`${open}true,"outputs":`)];
  });
  const tails = list.own.map((_, i): [Piece, Piece] => [tail(i, true), tail(i, false)]);
  const n = head.length;
  return {
    head,
    usesKey: list.usesAt.map((at) => at.map((k, j) => piece(`${j ? '},' : ',"uses":{'}${JSON.stringify(list.ids[k])}:{"version":${list.versions[k]},"outputs":`))),
    usesAt: list.usesAt,
    tail: tails,
    idKey: list.ids.map((id) => `${JSON.stringify(id)}:`),
    allListed: [piece(`]},"assumptions":${JSON.stringify(list.allListed)}}`), piece(`]},"assumptions":${JSON.stringify(list.allListed)}`)],
    outputsJson: list.outputs.map(outputsJsonWriter),
    intro: new Map(),
    closing: new Map(),
    next: head.slice(1).map((h, i): [Piece, Piece] => [piece(tails[i]![0].text + h[0].text), piece(tails[i]![0].text + h[1].text)]),
    last: piece(`${tails[n - 1]![0].text}],"totals":{"monthly_cash":`),
  };
}

/** The JSON text of fixed objects the answers share (the jurisdiction view, a service line, a
 *  reason): made once per object. The objects are frozen, so their text cannot go stale. */
const pieces = new WeakMap<object, Piece>();
export function pieceOf(o: object): Piece {
  let p = pieces.get(o);
  if (p === undefined) pieces.set(o, p = piece(JSON.stringify(o)));
  return p;
}

const NULL = piece('null');

/** ListTexts.intro's pieces for a view. */
export function introOf(t: ListTexts, view: object | null): [Piece, Piece] {
  let p = t.intro.get(view);
  if (p === undefined) {
    const open = `${view === null ? 'null' : JSON.stringify(view)},"recorded":false,"decision_ids":{},"programmes":[`;
    t.intro.set(view, p = [piece(open + t.head[0]![0].text), piece(open + t.head[0]![1].text)]);
  }
  return p;
}

/** The parts of one answer that are the household's own (entitlements.ts fills them in). */
export interface AnswerParts {
  householdId: string | null;
  asOf: string;
  routed: boolean;
  /** The frozen jurisdiction view, or null. */
  jurisdiction: object | null;
  /** Each programme's outputs (all answered: the programmes evaluated together). */
  outputs: readonly Record<string, Json>[];
  totals: { monthly_cash: string; yearly_cash: string; one_off_cash: string; services: readonly object[] };
  /** The reason (a hukou in another province), or undefined. */
  reason: object | undefined;
  /** Each programme's decision id when recorded, else undefined. */
  ids: readonly string[] | undefined;
  recorded: boolean;
}

/**
 * Writes the text JSON.stringify gives for the answer entitlements.ts builds from these parts
 * (key order: household_id, as_of, routed, jurisdiction, recorded, decision_ids, programmes,
 * totals, assumptions, reason; a programme's: its head, granted, outputs, uses, assumptions,
 * decision_id). Each output object is written once, and again where `uses` shows it. `open`:
 * the text written for the opening brace (a JSON Lines line puts its number first: `{"line":3,`).
 */
export function writeAnswer(sink: AnswerSink, t: ListTexts, a: AnswerParts, open = '{'): void {
  const n = a.outputs.length, ids = a.ids, outputs = a.outputs;
  sink.str(`${open}"household_id":${a.householdId === null ? 'null' : jsonString(a.householdId)},"as_of":${jsonString(a.asOf)},"routed":${a.routed},"jurisdiction":`);
  // each programme's outputs written once; `uses` copies what was written (where: outAt)
  const outJson: string[] = new Array(n), outAt: number[] = new Array(2 * n);
  const granted = (i: number) => (outputs[i]!['eligible'] === true ? 1 : 0);
  if (!a.recorded) {
    sink.piece(introOf(t, a.jurisdiction)[granted(0)]);
    for (let i = 0; i < n; i++) {
      writeOutputs(sink, t, i, outputs, outJson, outAt);
      sink.piece(i + 1 < n ? t.next[i]![granted(i + 1)] : t.last);
    }
  } else {
    sink.piece(a.jurisdiction === null ? NULL : pieceOf(a.jurisdiction));
    let decisionIds = '{';
    if (ids !== undefined) for (let i = 0; i < n; i++) decisionIds += `${i ? ',' : ''}${t.idKey[i]}${jsonString(ids[i]!)}`;
    sink.str(`,"recorded":true,"decision_ids":${decisionIds}},"programmes":[`);
    for (let i = 0; i < n; i++) {
      sink.piece(t.head[i]![granted(i)]);
      writeOutputs(sink, t, i, outputs, outJson, outAt);
      sink.piece(t.tail[i]![ids === undefined ? 0 : 1]);
      if (ids !== undefined) sink.str(`,"decision_id":${jsonString(ids[i]!)}}`);
    }
    sink.str('],"totals":{"monthly_cash":');
  }
  writeTotals(sink, t, a.totals, a.reason);
}

/** An answer's text from its totals' first value on: the totals, then writeServices. */
function writeTotals(sink: AnswerSink, t: ListTexts, tot: AnswerParts['totals'], reason: object | undefined): void {
  sink.str(`${jsonString(tot.monthly_cash)},"yearly_cash":${jsonString(tot.yearly_cash)},"one_off_cash":${jsonString(tot.one_off_cash)},"services":[`);
  writeServices(sink, t, tot.services, reason);
}

/** An answer's text from its totals' services on: the services, the assumptions, the reason. */
function writeServices(sink: AnswerSink, t: ListTexts, services: readonly object[], reason: object | undefined): void {
  for (let i = 0; i < services.length; i++) {
    if (i) sink.str(',');
    sink.piece(pieceOf(services[i]!));
  }
  sink.piece(closingOf(t, reason));
}

/** What follows an answer's services: `]},"assumptions":[…]`, the reason when there is one (a
 *  frozen object: its text cannot go stale), the closing brace; made once per list and reason. */
export function closingOf(t: ListTexts, reason: object | undefined): Piece {
  let p = t.closing.get(reason);
  if (p === undefined) t.closing.set(reason, p = reason === undefined ? t.allListed[0] : piece(`${t.allListed[1].text},"reason":${pieceOf(reason).text}}`));
  return p;
}

/** The pieces an answer written from computed programmes starts and totals with (entitlements-columns.ts). */
export const HOUSEHOLD_ID = piece('{"household_id":'), NULL_ID = piece('{"household_id":null');
export const YEARLY = piece(',"yearly_cash":'), ONE_OFF = piece(',"one_off_cash":'), SERVICES = piece(',"services":[');
/** `,"as_of":…,"routed":…,"jurisdiction":` of the last date, routed ([1]) or not ([0]). */
let asOfPieces: { asOf: string; p: [Piece, Piece] } | undefined;
export const asOfPiece = (asOf: string, routed: boolean): Piece => {
  if (asOfPieces === undefined || asOfPieces.asOf !== asOf) {
    const p = (r: boolean) => piece(`,"as_of":${jsonString(asOf)},"routed":${r},"jurisdiction":`);
    asOfPieces = { asOf, p: [p(false), p(true)] };
  }
  return asOfPieces.p[routed ? 1 : 0];
};

/** Programme i's outputs (noting where they were written), then its `uses`: the outputs of the
 *  programmes it reads, copied from where they were written. */
function writeOutputs(sink: AnswerSink, t: ListTexts, i: number, outputs: readonly Record<string, Json>[], outJson: string[], outAt: number[]): void {
  const o = outputs[i]!;
  outAt[2 * i] = sink.at();
  // outputs shared by many households (frozen: dsl/link/shared-outputs.ts) written once, their
  // bytes copied; JSON.stringify's text is the outputs writer's (outputsJsonWriter)
  if (Object.isFrozen(o)) { const p = pieceOf(o); outJson[i] = p.text; sink.piece(p); }
  else sink.str(outJson[i] = t.outputsJson[i]!(o));
  outAt[2 * i + 1] = sink.at();
  writeUses(sink, t, i, outAt, outJson);
}

/** Programme i's `uses`: the outputs of the programmes it reads, copied from where they were
 *  written (`outAt`: start, end of each; `outJson`: their texts, for a sink that keeps text). */
function writeUses(sink: AnswerSink, t: ListTexts, i: number, outAt: ArrayLike<number>, outJson: readonly string[] | undefined): void {
  const keys = t.usesKey[i]!, at = t.usesAt[i]!;
  for (let j = 0; j < keys.length; j++) {
    const k = at[j]!;
    sink.piece(keys[j]!);
    sink.again(outAt[2 * k]!, outAt[2 * k + 1]!, outJson === undefined ? '' : outJson[k]!);
  }
}
