// A JSON answer's text as UTF-8 bytes, for sendJson (operation.ts). The traced evaluate answer
// is ≈ 85k characters with Chinese in it, so V8 holds the text as a two-byte string, and
// Buffer.from(text, 'utf8') on a two-byte string is slow in Node 20 (it measures the UTF-8
// length in one pass, then encodes character by character in a second). Copying the UTF-16
// code units as they are (write … 'utf16le': the string flattened, then a memcpy) and letting ICU's
// converter (buffer.transcode) turn them into UTF-8 costs about half as much CPU for such a
// text (≈ 160 vs 260–320 µs for the traced answer), and about the same for an ASCII text.
// JSON.stringify only ever produces well-formed UTF-16 (a lone surrogate is written as \udxxx),
// so the converter never meets an unpaired surrogate: the bytes are exactly Buffer.from's.
import { transcode } from 'node:buffer';

/** Texts shorter than this are encoded by Buffer.from (small, from its pool: no gain to have). */
export const TRANSCODE_MIN_CHARS = 8 * 1024;
/** Texts longer than this too (a large batch answer: not worth keeping a scratch buffer of its size;
 *  measured ≈ 10 % slower than Buffer.from for a 1.7M-character ASCII text). */
export const TRANSCODE_MAX_CHARS = 1024 * 1024;

let scratch: Buffer | undefined;

/** Whether this Node has ICU's converters (a build --without-intl has not: transcode throws). */
const canTranscode = (() => {
  try { return transcode(Buffer.from('中', 'utf16le'), 'utf16le', 'utf8').equals(Buffer.from('中', 'utf8')); } catch { return false; }
})();

/** The UTF-8 bytes of `text` (identical to Buffer.from(text, 'utf8') for well-formed text). */
export function utf8Bytes(text: string): Buffer {
  if (text.length < TRANSCODE_MIN_CHARS || text.length > TRANSCODE_MAX_CHARS || !canTranscode) return Buffer.from(text, 'utf8');
  const need = text.length * 2;
  // one scratch buffer per process, reused: transcode copies out of it into a new Buffer
  if (!scratch || scratch.length < need) scratch = Buffer.allocUnsafeSlow(Math.max(need, 256 * 1024));
  const n = scratch.write(text, 0, 'utf16le');
  return transcode(scratch.subarray(0, n), 'utf16le', 'utf8');
}
