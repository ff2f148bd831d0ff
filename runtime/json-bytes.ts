// A JSON answer as UTF-8 bytes, for sendJson (operation.ts): the same bytes as
// Buffer.from(JSON.stringify(value), 'utf8'), for less CPU when the answer is long. The traced
// evaluate answer is ≈ 85k characters with Chinese in it (a two-byte string in V8), and in
// Node 20 three things cost more than they need to:
//  * Buffer.from(text, 'utf8') on a two-byte string measures the UTF-8 length in one pass and
//    encodes character by character in a second. Copying the UTF-16 code units as they are
//    (write … 'utf16le', a memcpy) and letting ICU's converter (buffer.transcode) make UTF-8 of
//    them costs about half as much for such a text, and about the same for an ASCII one.
//  * JSON.stringify builds a long result as a chain of 16k-character parts, which has to be
//    flattened (a second copy of 170 KB) before it can be written. The elements of a short
//    array property (the trace's entries, ≈ 12k characters each) stringified one by one come
//    out flat, and are copied straight into the scratch buffer.
// Measured for the traced answer (min of 15 rounds, CPU time): stringify + Buffer.from 721 µs,
// stringify + converter 621 µs, by elements + converter 530 µs.
// An answer with a list marked writtenBy (the traced answer's trace) skips all of that: the
// list's writer gives its bytes straight into a byte sink (dsl's Utf8Sink), the rest of the
// answer (≈ 1k characters) is encoded beside it by Buffer.write, all of it in place in the rest of a slab.
// JSON.stringify only ever produces well-formed UTF-16 (a lone surrogate is written as \udxxx),
// so the converter never meets an unpaired surrogate: the bytes are exactly Buffer.from's.
import { transcode } from 'node:buffer';
import { Utf8Sink } from '../dsl/index.js';
import { allocBytes, Slab } from './sink-bytes.js';

/** Texts shorter than this are encoded by Buffer.from (small, from its pool: nothing to gain). */
export const TRANSCODE_MIN_CHARS = 8 * 1024;
/** Texts longer than this too (a large batch answer: not worth keeping a scratch buffer of its
 *  size; measured ≈ 10 % slower than Buffer.from for a 1.7M-character ASCII text). */
export const TRANSCODE_MAX_CHARS = 1024 * 1024;
/** An array property is stringified element by element when it has 2 to this many elements
 *  (a batch's 10,000 results are stringified whole: one call each would cost more). */
export const SPLIT_MAX_ELEMENTS = 256;

let scratch: Buffer | undefined;

/** Whether this Node has ICU's converters (a build --without-intl has not: transcode throws). */
const canTranscode = (() => {
  try { return transcode(Buffer.from('中', 'utf16le'), 'utf16le', 'utf8').equals(Buffer.from('中', 'utf8')); } catch { return false; }
})();

/** The UTF-8 bytes of `pieces` joined (identical to Buffer.from(pieces.join(''), 'utf8') for well-formed text). */
function utf8Of(pieces: readonly string[], chars: number): Buffer {
  if (pieces.length === 1 && (chars < TRANSCODE_MIN_CHARS || chars > TRANSCODE_MAX_CHARS || !canTranscode)) return Buffer.from(pieces[0]!, 'utf8');
  if (chars < TRANSCODE_MIN_CHARS) return Buffer.from(pieces.join(''), 'utf8');
  if (chars > TRANSCODE_MAX_CHARS || !canTranscode) {
    // what Buffer.from does (the byte length, then the bytes), piece by piece: no joined copy
    // of a batch answer's megabytes first
    let bytes = 0;
    for (const p of pieces) bytes += Buffer.byteLength(p, 'utf8');
    const out = Buffer.allocUnsafe(bytes);
    let n = 0;
    for (const p of pieces) n += out.write(p, n, 'utf8');
    return out;
  }
  const need = chars * 2;
  // one scratch buffer per process (at most 2 MB), reused: transcode copies out of it into a new Buffer
  if (!scratch || scratch.length < need) scratch = Buffer.allocUnsafeSlow(Math.max(need, 256 * 1024));
  let n = 0;
  for (const p of pieces) n += scratch.write(p, n, 'utf16le');
  return transcode(scratch.subarray(0, n), 'utf16le', 'utf8');
}

/** The UTF-8 bytes of `text` (identical to Buffer.from(text, 'utf8') for well-formed text). */
export function utf8Bytes(text: string): Buffer {
  return utf8Of([text], text.length);
}

/** Writes the UTF-8 of a list's elements' JSON texts, joined by commas, into a sink (writtenBy). */
export type ListWriter = (list: readonly unknown[], sink: Utf8Sink) => void;

/** Arrays whose elements' JSON texts a writer of their own writes (writtenBy). */
const writers = new WeakMap<object, ListWriter>();

/**
 * Marks `list` as written by `write`: the UTF-8 of its elements' JSON texts, each exactly what
 * JSON.stringify(list) writes for it, joined by commas (the traced answer's trace: dsl's
 * traceJsonInto writes each derivation node once, not once per output it appears under, and
 * as bytes, so the answer is not a string to flatten and convert). jsonBytes then writes the
 * whole answer into one byte sink wherever the list is a property of it. Returns `list`.
 */
export function writtenBy<T extends readonly unknown[]>(list: T, write: ListWriter): T {
  writers.set(list, write);
  return list;
}

/** A list written by its writer (writtenBy), between the texts of the rest of the answer. */
interface WrittenList { list: readonly unknown[]; write: ListWriter }

/** Where the answers with a written list are written: in place, in the rest of a slab (sink-bytes.ts:
 *  Slab), not into a sink of their own copied out afterwards; a traced answer is ≈ 110 KB, and a
 *  new backing store of that size per answer (malloc, external-memory accounting, fresh pages)
 *  cost more than copying its bytes. An answer longer than the slab's rest (SINK_BYTES at least)
 *  grows the sink out of the slab into an array of its own (Utf8Sink.room), which it then keeps. */
const answerSlab = new Slab();
const SINK_BYTES = 256 * 1024;

/** The answer's bytes: its texts as UTF-8 (Buffer.write) and each written list by its writer. */
function sinkBytes(pieces: readonly (string | WrittenList)[]): Buffer {
  const first = answerSlab.rest(SINK_BYTES);
  const sink = new Utf8Sink(SINK_BYTES, allocBytes, first);
  let text = '';
  const flush = () => {
    if (text === '') return;
    const b = sink.room(text.length * 3) as Buffer;
    sink.n += b.write(text, sink.n, 'utf8');
    text = '';
  };
  for (const p of pieces) {
    if (typeof p === 'string') { text += p; continue; }
    flush();
    p.write(p.list, sink);
  }
  flush();
  return sink.b === first ? answerSlab.keep(sink.n) : (sink.b as Buffer).subarray(0, sink.n);
}

const hasToJson = (v: unknown) => typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function';
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype && !hasToJson(v);

/**
 * JSON.stringify(value) as UTF-8 bytes, or undefined when JSON.stringify gives undefined. A plain
 * object is written property by property, the elements of a short array property one by one
 * (see the top of this file); anything else, or anything with a toJSON of its own at those two
 * levels (JSON.stringify would call it with its key), is stringified whole.
 */
export function jsonBytes(value: unknown): Buffer | undefined {
  const pieces = isPlainObject(value) ? objectPieces(value) : undefined;
  if (!pieces) {
    const text = JSON.stringify(value) as string | undefined;
    return text === undefined ? undefined : utf8Bytes(text);
  }
  let chars = 0;
  for (const p of pieces) {
    if (typeof p !== 'string') return sinkBytes(pieces);
    chars += p.length;
  }
  return utf8Of(pieces as string[], chars);
}

/** The JSON text of a plain object in pieces, or undefined to stringify it whole. */
function objectPieces(o: Record<string, unknown>): (string | WrittenList)[] | undefined {
  const pieces: (string | WrittenList)[] = ['{'];
  let first = true;
  for (const key of Object.keys(o)) {
    const v = o[key];
    if (hasToJson(v)) return undefined;
    const write = Array.isArray(v) ? writers.get(v) : undefined;
    if (write) {
      pieces.push(`${first ? '' : ','}${JSON.stringify(key)}:[`, { list: v as unknown[], write }, ']');
    } else if (Array.isArray(v) && v.length >= 2 && v.length <= SPLIT_MAX_ELEMENTS) {
      pieces.push(`${first ? '' : ','}${JSON.stringify(key)}:[`);
      for (let i = 0; i < v.length; i++) {
        const el: unknown = v[i];
        if (hasToJson(el)) return undefined;
        const t = JSON.stringify(el) as string | undefined;
        pieces.push(i === 0 ? t ?? 'null' : `,${t ?? 'null'}`);
      }
      pieces.push(']');
    } else {
      const t = JSON.stringify(v) as string | undefined;
      if (t === undefined) continue;   // undefined, a function, a symbol: no property, as JSON.stringify
      pieces.push(`${first ? '' : ','}${JSON.stringify(key)}:`, t);
    }
    first = false;
  }
  pieces.push('}');
  return pieces;
}
