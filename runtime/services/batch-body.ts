// The JSON batch's body read as bytes, for a dry run's fast path (EvaluationService.batchText):
// its top-level fields and where each household's text lies, without JSON.parse of the
// households. It takes only the plain shape: one object whose keys are the batch request's
// (households, as_of, version, record), once each, with no escape in a key or a scalar value,
// `households` an array of objects. Anything else — an unknown or repeated key, an escape, a
// household that is not an object, text after the body, text that is not JSON — gives undefined
// and the caller parses the whole body as before (so every 400 stays that path's). The
// households' own texts are checked by the policy's reader (dsl/eval/text-read.ts), which refuses
// what JSON.parse would refuse; here a string is only skipped (its quotes found), never read.

/** The request's keys the fast path knows; any other is left to the schema check of the parsed body. */
const KEYS = new Set(['households', 'as_of', 'version', 'record']);

/** The body's top-level scalar fields (parsed) and each household's byte range [start, end):
 *  household i's at 2i and 2i + 1, one flat array (not an object per household). */
export interface BatchBody { fields: Record<string, unknown>; households: Int32Array | undefined }

const ws = (t: Uint8Array, p: number): number => {
  let c = t[p];
  while (c === 32 || c === 10 || c === 13 || c === 9) c = t[++p];
  return p;
};

/** The closing quote of the string opened at p; -1 at an escape, a control character or the end
 *  (JSON.parse refuses the last two; an escape is left to it). */
function strEnd(t: Uint8Array, p: number): number {
  for (let q = p + 1; ; q++) {
    const c = t[q];
    if (c === 34) return q;
    if (c === undefined || c < 32 || c === 92) return -1;
  }
}

/** The end of the object or array opened at p (after its closing bracket); -1 when the brackets
 *  do not match up, at an escape or at the end. The text in between is the reader's to check. */
function valueEnd(t: Uint8Array, p: number): number {
  let depth = 0;
  const n = t.length;
  for (let q = p; q < n; q++) {
    let c = t[q]!;
    if (c === 34) {
      // strEnd inlined: most of a household's bytes are in its strings
      for (c = t[++q]!; c !== 34; c = t[++q]!) if (q >= n || c < 32 || c === 92) return -1;
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) { if (--depth === 0) return q + 1; }
  }
  return -1;
}

/** A scalar at p (a string without escape and of ASCII only, a number, true, false, null) parsed,
 *  and the position after it; undefined when it is anything else. */
function scalarAt(t: Uint8Array, p: number): { value: unknown; end: number } | undefined {
  let end: number;
  if (t[p] === 34) {
    end = strEnd(t, p);
    if (end < 0) return undefined;
    end++;
  } else {
    end = p;
    // the characters of numbers and literals; JSON.parse checks the token itself
    for (let c = t[end]; c !== undefined && ((c >= 48 && c <= 57) || (c >= 97 && c <= 122) || c === 45 || c === 43 || c === 46 || c === 69); c = t[++end]);
    if (end === p) return undefined;
  }
  let text = '';
  for (let i = p; i < end; i++) { const c = t[i]!; if (c >= 128) return undefined; text += String.fromCharCode(c); }
  try { return { value: JSON.parse(text) as unknown, end }; } catch { return undefined; }
}

/** The households array at p: each element's range (flat, see BatchBody), and the position after the array. */
function householdsAt(t: Uint8Array, p: number): { ranges: Int32Array; end: number } | undefined {
  if (t[p] !== 91) return undefined;
  // grown by doubling; a body within the limit (< 2^31 bytes) has offsets an Int32Array holds
  let ranges = new Int32Array(2048), n = 0;
  p = ws(t, p + 1);
  if (t[p] === 93) return { ranges: ranges.subarray(0, 0), end: p + 1 };
  for (;;) {
    if (t[p] !== 123) return undefined;
    const end = valueEnd(t, p);
    if (end < 0) return undefined;
    if (n === ranges.length) { const more = new Int32Array(n * 2); more.set(ranges); ranges = more; }
    ranges[n++] = p;
    ranges[n++] = end;
    p = ws(t, end);
    if (t[p] === 93) return { ranges: ranges.subarray(0, n), end: p + 1 };
    if (t[p] !== 44) return undefined;
    p = ws(t, p + 1);
  }
}

/** The batch body's plain shape, or undefined (see the top of this file). */
export function scanBatchBody(t: Uint8Array): BatchBody | undefined {
  let p = ws(t, 0);
  if (t[p] !== 123) return undefined;
  p = ws(t, p + 1);
  const fields: Record<string, unknown> = {};
  let households: Int32Array | undefined;
  if (t[p] === 125) p++;
  else for (;;) {
    if (t[p] !== 34) return undefined;
    const close = strEnd(t, p);
    if (close < 0) return undefined;
    let key = '';
    for (let i = p + 1; i < close; i++) key += String.fromCharCode(t[i]!);
    if (!KEYS.has(key) || (key === 'households' ? households !== undefined : key in fields)) return undefined;
    p = ws(t, close + 1);
    if (t[p] !== 58) return undefined;
    p = ws(t, p + 1);
    if (key === 'households') {
      const list = householdsAt(t, p);
      if (list === undefined) return undefined;
      households = list.ranges;
      p = list.end;
    } else {
      const s = scalarAt(t, p);
      if (s === undefined) return undefined;
      fields[key] = s.value;
      p = s.end;
    }
    p = ws(t, p);
    if (t[p] === 125) { p++; break; }
    if (t[p] !== 44) return undefined;
    p = ws(t, p + 1);
  }
  return ws(t, p) === t.length ? { fields, households } : undefined;
}
