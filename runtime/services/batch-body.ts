// The JSON batch's body read as bytes, for a dry run's fast path (EvaluationService.batchText):
// its top-level fields and where its list of households lies, without JSON.parse of the
// households, and then the households one after another. It takes only the plain shape: one
// object whose keys are the batch request's (households, as_of, version, record), once each, with
// no escape in a key or a scalar value, `households` an array of objects. Anything else — an
// unknown or repeated key, an escape, a household that is not an object, text after the body,
// text that is not JSON — gives undefined (or -1) and the caller parses the whole body as before
// (so every 400 stays that path's). The households' own texts are read by the policy's reader
// (dsl/eval/text-read.ts), which refuses what JSON.parse would refuse and says where each ends,
// so the households are not scanned twice (once to find each one's end, once to read it):
// scanBatchBody takes the list's closing bracket to be the body's last `]` (the fields after the
// list are scalars: none of a valid request has one) and reads the fields after it, and
// eachHousehold reads the households from the list's opening bracket, which must end exactly at
// that closing bracket. Together they read every byte of the body once, in order, as a forward
// scan would: a last `]` that is not the list's makes one of them give up.
/** The request's keys the fast path knows; any other is left to the schema check of the parsed body. */
const KEYS = new Set(['households', 'as_of', 'version', 'record']);

/** Where the households' list lies in the body: its opening and closing brackets' positions. */
export interface HouseholdList { open: number; close: number }

/** The body's top-level scalar fields (parsed) and where its list of households lies (its content not yet read: eachHousehold). */
export interface BatchBody { fields: Record<string, unknown>; households: HouseholdList | undefined }

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

/** The batch body's plain shape, or undefined (see the top of this file). */
export function scanBatchBody(t: Uint8Array): BatchBody | undefined {
  let p = ws(t, 0);
  if (t[p] !== 123) return undefined;
  p = ws(t, p + 1);
  const fields: Record<string, unknown> = {};
  let households: HouseholdList | undefined;
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
      // the list's content is eachHousehold's to read; its close is taken to be the last `]`
      const close = t.lastIndexOf(93);
      if (t[p] !== 91 || close <= p) return undefined;
      households = { open: p, close };
      p = close + 1;
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

/**
 * Reads the households of `list` one after another: `read` is given the position of a
 * household's first byte (`{`) and answers the position after it, or -1 when it does not take
 * it. The number of households, or -1 when one is not taken, there are more than `max`, or the
 * list is not households separated by commas (JSON whitespace around them) up to its close.
 */
export function eachHousehold(t: Uint8Array, list: HouseholdList, max: number, read: (start: number) => number): number {
  let p = ws(t, list.open + 1), n = 0;
  if (p === list.close) return 0;
  for (;;) {
    if (t[p] !== 123 || n === max) return -1;
    const end = read(p);
    if (end < 0) return -1;
    n++;
    p = ws(t, end);
    // a household read past the close (a close that is not the list's) ends no list
    if (t[p] === 93) return p === list.close ? n : -1;
    if (t[p] !== 44) return -1;
    p = ws(t, p + 1);
  }
}
