// A household read straight from its JSON text (UTF-8 bytes, not decoded) into compute()'s input, generated per schema
// (per policy version) like fast-decode.ts's decoder, for the batch paths: no JSON.parse, no
// object per JSON value. It is fast-decode.ts's pooled decoder with the text as its source: the
// same records (kept fields only, made once and rewritten by every call), the same checks, the
// same values. It takes only the plain shape: an object whose keys are the schema's fields, once
// each, with no escape in any string and only ASCII in a kept text; integers without fraction or exponent (and not -0); money
// as a number of at most 12 digits and 2 decimals, or as text; JSON whitespace between tokens.
// Anything else — an unknown or repeated key, an escape, 1e2, 5.0, a wrong type, a bound
// crossed, text after the value, text that is not JSON at all — gives FAIL, and the caller then
// parses and evaluates the household as before (JSON.parse, the decoders): every error and
// every answer stays that path's. So it must never accept a text that path would refuse, nor
// read a value differently: each case below names what JSON.parse and fast-decode.ts do.
// Nothing a policy author writes is spliced into the source: field names are quoted by
// JSON.stringify, enum names and defaults are passed in K.
import type { SchemaInfo, FieldInfo } from '../check/types.js';
import type { DateInt } from '../base/dates.js';
import { MIN_DATE } from './validate.js';
import { FAIL, NOTHING, PAST_DATE_FIELDS, POOLED_LENGTHS, clone, constRef, keptFields, recordFnId, repeats, unsafeNames, whole, type FieldNeed, type RecordGen } from './fast-decode.js';

/** compute()'s input read from one household's JSON text (its UTF-8 bytes: all of `bytes`, or
 *  bytes start..end, read in place), valid until the next call; FAIL: not taken. */
export type TextReader = ((bytes: Uint8Array, asOf: DateInt, start?: number, end?: number) => Record<string, unknown> | typeof FAIL) & {
  /** The value whose first byte is at `start` read whatever follows it (a JSON batch's households
   *  read one after another in their body: no end known before): the position after it, or -1
   *  (not taken); what it read is `value`, the record the call above answers (valid until the next call). */
  at(bytes: Uint8Array, asOf: DateInt, start: number): number;
  readonly value: Record<string, unknown>;
};

/** The condition that the bytes at p are the JSON string of `name` (its UTF-8 bytes) exactly
 *  (quotes included, the first `from` bytes already compared), without a call: a longer name
 *  four bytes at a time (one unaligned little-endian read of the text's DataView, DV at OFF, once
 *  the whole string is known to lie inside the text: no read past its end), the rest one by one. */
function quotedAt(name: Uint8Array, from = 0): string {
  const tests: string[] = [];
  if (from === 0) tests.push('c === 34');
  // the bytes still to compare (the name's rest, then its closing quote), the first at p + at
  const rest = [...name.subarray(from), 34];
  let at = from + 1, i = 0;
  if (rest.length >= WORDS_FROM) {
    tests.push(`p + ${name.length + 1} < t.length`);
    for (; i + 4 <= rest.length; i += 4, at += 4) {
      const word = (rest[i]! | (rest[i + 1]! << 8) | (rest[i + 2]! << 16) | (rest[i + 3]! << 24)) >>> 0;
      tests.push(`DV.getUint32(OFF + p + ${at}, true) === ${word}`);
    }
  }
  for (; i < rest.length; i++, at++) tests.push(`t[p + ${at}] === ${rest[i]!}`);
  return tests.join(' && ');
}
/** A name's UTF-8 bytes. Written out here because dsl/ type-checks against ES2022 alone (no
 *  TextEncoder, which is a web and Node global, not the language's). */
function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}
/** The fewest bytes compared four at a time (below it the bounds test costs more than it saves). */
const WORDS_FROM = 6;
/** The condition that the text at p starts with the ASCII word `w` (a literal: true, false, null), c its first character. */
const wordAt = (w: string) => [`c === ${w.charCodeAt(0)}`, ...[...w].slice(1).map((ch, i) => `t[p + ${i + 1}] === ${ch.charCodeAt(0)}`)].join(' && ');
/** Whether a name can be matched code unit by code unit as a JSON string's raw text (no quote,
 *  backslash or control character: it needs no escape). */
const plain = (name: string) => ![...name].some((ch) => ch.charCodeAt(0) < 32 || ch === '"' || ch === '\\');
/** c, the character at p, moved past JSON whitespace (the test first: compact JSON has none). */
const SKIP = 'if (c <= 32) { p = ws(t, p); c = t[p]; }';

// The helpers every generated reader starts with. A position past the bytes reads undefined,
// which fails every comparison below (so the end of the text is never taken for a token); a byte
// of a multi-byte UTF-8 character is never a quote, backslash, digit or any other token's byte.
const HELPERS = `
let END = 0, AS_OF = 0;
// the text's bytes as a DataView (made again only for another buffer: a stream's lines share
// their chunk's) and the text's offset in it, for reading a key four bytes at a time; the text
// EMPTY ('{}', for a missing record) has no key, so no reader ever reads it through DV
let AB = null, DV = null, OFF = 0;
// the text last read, whose AB, DV and OFF these are: a stream's lines are read one after another
// in one chunk, a JSON batch's households in one body, so its buffer is not asked for again per
// household (a typed array's buffer and offset never change)
let TV = null;
function view(t) { if (t === TV) return; TV = t; if (t.buffer !== AB) { AB = t.buffer; DV = new DataView(AB); } OFF = t.byteOffset; }
// past JSON whitespace (space, tab, LF, CR: JSON.parse's four)
function ws(t, p) { let c = t[p]; while (c === 32 || c === 10 || c === 13 || c === 9) c = t[++p]; return p; }
// the closing quote of the string opened at p; -1 at an escape (left to JSON.parse), a control
// character or the end (JSON.parse refuses both)
function strEnd(t, p) { for (let q = p + 1;; q++) { const c = t[q]; if (c === 34) return q; if (!(c >= 32 && c !== 92)) return -1; } }
// the bytes s..e as a string when all are ASCII; undefined otherwise (decoding UTF-8, and what it
// does with a malformed byte, are left to the other path)
// (a short one, an id like "m1" or "h123456", made in one call: no string per character)
function ascii(t, s, e) {
  for (let i = s; i < e; i++) if (t[i] >= 128) return undefined;
  switch (e - s) {
    case 0: return '';
    case 1: case 2: case 3: return short(t, s, e - s);
    case 4: return String.fromCharCode(t[s], t[s + 1], t[s + 2], t[s + 3]);
    case 5: return String.fromCharCode(t[s], t[s + 1], t[s + 2], t[s + 3], t[s + 4]);
    case 6: return String.fromCharCode(t[s], t[s + 1], t[s + 2], t[s + 3], t[s + 4], t[s + 5]);
    case 7: return String.fromCharCode(t[s], t[s + 1], t[s + 2], t[s + 3], t[s + 4], t[s + 5], t[s + 6]);
    case 8: return String.fromCharCode(t[s], t[s + 1], t[s + 2], t[s + 3], t[s + 4], t[s + 5], t[s + 6], t[s + 7]);
  }
  if (e - s > 12) return String.fromCharCode.apply(null, t.subarray(s, e));
  let r = '';
  for (let i = s; i < e; i++) r += String.fromCharCode(t[i]);
  return r;
}
// the text of 1 to 3 ASCII bytes at s, the same string as last time for the same bytes (a
// member's "m1", "m2", read for every household: no string made each time); a direct-mapped
// cache keyed by the bytes and their count (a clash replaces the older text)
const SHORT_KEY = new Int32Array(256).fill(-1), SHORT_TEXT = new Array(256).fill('');
function short(t, s, n) {
  const k = n === 1 ? t[s] | 0x1000000 : n === 2 ? t[s] | (t[s + 1] << 8) | 0x2000000 : t[s] | (t[s + 1] << 8) | (t[s + 2] << 16) | 0x3000000;
  const slot = (k ^ (k >>> 8) ^ (k >>> 16)) & 255;
  if (SHORT_KEY[slot] === k) return SHORT_TEXT[slot];
  const v = n === 1 ? String.fromCharCode(t[s]) : n === 2 ? String.fromCharCode(t[s], t[s + 1]) : String.fromCharCode(t[s], t[s + 1], t[s + 2]);
  SHORT_KEY[slot] = k; SHORT_TEXT[slot] = v;
  return v;
}
// a JSON integer at p, END after it: -?(0|[1-9][0-9]*) of at most 15 digits (exact in a double);
// END = -1 for anything else, including a fraction or exponent (5.0, 1e2: JSON.parse gives
// integers the decoder takes, left to it) and -0 (a negative zero)
function intAt(t, p) {
  let neg = false, c = t[p];
  if (c === 45) { neg = true; c = t[++p]; }
  const s = p; let v = 0;
  while (c >= 48 && c <= 57) { v = v * 10 + (c - 48); c = t[++p]; }
  const n = p - s;
  if (n === 0 || n > 15 || (n > 1 && t[s] === 48) || c === 46 || c === 101 || c === 69 || (neg && v === 0)) { END = -1; return 0; }
  END = p; return neg ? -v : v;
}
// money as a JSON number, to fen, END after it: yuan of at most 12 digits (below the limit of
// 1e12), at most 2 decimals; -1 otherwise (a sign, an exponent, a third decimal). fast-decode.ts
// reads the double v as Math.round(v * 100) when that / 100 gives v back: for such a text that is
// always so, and the fen are the text's own
function moneyNumAt(t, p) {
  let c = t[p]; const s = p; let y = 0;
  while (c >= 48 && c <= 57) { y = y * 10 + (c - 48); c = t[++p]; }
  const n = p - s;
  if (n === 0 || n > 12 || (n > 1 && t[s] === 48)) return -1;
  let f = 0;
  if (c === 46) {
    const a = t[p + 1] - 48;
    if (!(a >= 0 && a <= 9)) return -1;
    const b = t[p + 2] - 48;
    if (b >= 0 && b <= 9) { f = a * 10 + b; p += 3; } else { f = a * 10; p += 2; }
    c = t[p];
  }
  if ((c >= 48 && c <= 57) || c === 101 || c === 69) return -1;
  END = p; return y * 100 + f;
}
// t.slice(s, e) read as fast-decode.ts's fastMoneyText reads it (fen, or -1)
function moneyTextAt(t, s, e) {
  let i = s, y = 0;
  while (i < e) { const c = t[i] - 48; if (c < 0 || c > 9) break; y = y * 10 + c; i++; }
  if (i === s || i - s > 12) return -1;
  if (i === e) return y * 100;
  if (t[i] !== 46 || e - i < 2 || e - i > 3) return -1;
  const a = t[i + 1] - 48, b = e - i === 3 ? t[i + 2] - 48 : 0;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  return y * 100 + a * 10 + b;
}
// t.slice(s, e) read as fast-decode.ts's fastDate reads it (yyyymmdd, or -1)
function dateAt(t, s, e) {
  if (e - s !== 10 || t[s + 4] !== 45 || t[s + 7] !== 45) return -1;
  const y0 = t[s] - 48, y1 = t[s + 1] - 48, y2 = t[s + 2] - 48, y3 = t[s + 3] - 48;
  const m0 = t[s + 5] - 48, m1 = t[s + 6] - 48, d0 = t[s + 8] - 48, d1 = t[s + 9] - 48;
  if ((y0 >>> 0) > 9 || (y1 >>> 0) > 9 || (y2 >>> 0) > 9 || (y3 >>> 0) > 9 || (m0 >>> 0) > 9 || (m1 >>> 0) > 9 || (d0 >>> 0) > 9 || (d1 >>> 0) > 9) return -1;
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3, m = m0 * 10 + m1, d = d0 * 10 + d1;
  if (m < 1 || m > 12 || d < 1) return -1;
  if (d > 28 && d > (m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : DAYS[m])) return -1;
  return y * 10000 + m * 100 + d;
}
`;
const MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

type Gen = RecordGen;

const lit = (s: string) => JSON.stringify(s);

/** A string value at p: its closing quote in q (the statements fail on anything else). */
const STRING = 'if (c !== 34) return -1; q = strEnd(t, p); if (q < 0) return -1;';

/** The statements reading field `f`'s value at p (its first character in c) into `d`, p after
 *  it; `keep`: whether the value is kept (a value not kept is checked all the same). */
function valueCode(g: Gen, f: FieldInfo, d: string, keep: boolean, need: FieldNeed, slot: string): string | undefined {
  const t = f.type;
  const min = whole(f.min), max = whole(f.max);
  if (min === undefined || max === undefined) return undefined;
  const bounds = (e: string) => (min !== null ? `if (${e} < ${min}) return -1; ` : '') + (max !== null ? `if (${e} > ${max}) return -1; ` : '');
  const nul = f.nullable ? `if (${wordAt('null')}) { ${d} = null; p += 4; } else ` : '';
  switch (t.k) {
    case 'text': return `${nul}{ ${STRING} ${keep ? `${d} = ascii(t, p + 1, q); if (${d} === undefined) return -1; ` : ''}p = q + 1; }`;
    case 'bool': return `${nul}if (${wordAt('true')}) { ${d} = true; p += 4; } else if (${wordAt('false')}) { ${d} = false; p += 5; } else return -1;`;
    case 'number': case 'integer':
      return `${nul}{ ${d} = intAt(t, p); if (END < 0) return -1; p = END; ${bounds(d)}}`;
    case 'money':
      return `${nul}if (c === 34) { q = strEnd(t, p); if (q < 0) return -1; ${d} = moneyTextAt(t, p + 1, q); if (${d} < 0) return -1; p = q + 1; }
        else { ${d} = moneyNumAt(t, p); if (${d} < 0) return -1; p = END; }`;
    case 'date': {
      const past = PAST_DATE_FIELDS.has(f.name) ? ` || ${d} > AS_OF` : '';
      // a date's text is 10 bytes, so its closing quote is at p + 11 (no call to find it): dateAt
      // takes only digits and two '-' in those 10, so a quote, backslash or control character
      // before p + 11 is refused as it was; a quote elsewhere is a text of another length, refused too
      return `${nul}{ if (c !== 34 || t[p + 11] !== 34) return -1; ${d} = dateAt(t, p + 1, p + 11); if (${d} < ${MIN_DATE}${past}) return -1; p += 12; }`;
    }
    case 'enum': {
      // the value is the enum's own name (the same text JSON.parse gives), none is sliced
      if (!t.values.every((e) => plain(e.name))) return undefined;
      const tests = t.values.map((e) => { const b = utf8(e.name); return `if (${quotedAt(b)}) { ${d} = ${constRef(g, e.name)}; p += ${b.length + 2}; } else `; }).join('');
      return `${nul}${tests}return -1;`;
    }
    case 'textlist':
      // a fresh array per call (fast-decode.ts's pooled decoder keeps JSON.parse's own)
      return `${nul}{ if (c !== 91) return -1; ${keep ? 'const a = []; ' : ''}c = t[++p]; ${SKIP}
        if (c !== 93) for (;;) {
          ${STRING} ${keep ? 'const x = ascii(t, p + 1, q); if (x === undefined) return -1; a.push(x); ' : ''}p = q + 1; c = t[p]; ${SKIP}
          if (c === 44) { c = t[++p]; ${SKIP} continue; }
          if (c !== 93) return -1;
          break;
        }
        p++; ${keep ? `${d} = a; ` : ''}}`;
    case 'record': {
      const fn = recordFn(g, t.of, need);
      return fn === undefined ? undefined : `${nul}{ const r = out[${slot}] ?? (out[${slot}] = n${fn.slice(1)}()); p = ${fn}(t, p, r); if (p < 0) return -1; ${d} = r; }`;
    }
    case 'list': {
      const fn = recordFn(g, t.of, need);
      if (fn === undefined) return undefined;
      const hasId = t.of.fields.some((x) => x.name === 'id');
      // the items are the records kept under `slot` (made once, reused), in a list kept there for
      // each length up to POOLED_LENGTHS, as fast-decode.ts keeps them; a list longer than its
      // bound is given up as soon as it is
      return `${nul}{ if (c !== 91) return -1;
        const L = out[${slot}] ?? (out[${slot}] = { byLength: [], p: [] }), P = L.p;
        let n = 0; c = t[++p]; ${SKIP}
        if (c !== 93) for (;;) {
          ${max !== null ? `if (n >= ${max}) return -1;` : ''}
          let it = P[n]; if (it === undefined) P[n] = it = n${fn.slice(1)}();
          p = ${fn}(t, p, it); if (p < 0) return -1; n++;
          c = t[p]; ${SKIP}
          if (c === 44) { c = t[++p]; ${SKIP} continue; }
          if (c !== 93) return -1;
          break;
        }
        p++; ${bounds('n')}
        let a = n <= ${POOLED_LENGTHS} ? L.byLength[n] : undefined;
        if (a === undefined) { a = []; for (let j = 0; j < n; j++) a.push(null); if (n <= ${POOLED_LENGTHS}) L.byLength[n] = a; }
        for (let j = 0; j < n; j++) a[j] = P[j];
        ${hasId ? 'if (n > 1 && repeats(a)) return -1;' : ''}
        ${d} = a; }`;
    }
  }
}

/** The name of the generated function reading one record of `schema` at p into `out` (its end, or -1). */
function recordFn(g: Gen, schema: SchemaInfo, need: FieldNeed): string | undefined {
  const { id, made: known } = recordFnId(g, schema, need);
  if (known) return `r${id}`;
  const kept = keptFields(schema, need);
  // cases by the key's first byte; absent: what a missing field is
  const cases = new Map<number, string[]>();
  const absent: string[] = [], props: string[] = [], later: string[] = [], fresh: string[] = [], slots: string[] = [];
  const n = schema.fields.length;
  for (let i = 0; i < n; i++) {
    const f = schema.fields[i]!;
    const keep = kept.has(f.name);
    const slot = f.type.k === 'record' || f.type.k === 'list' ? constRef(g, Symbol(f.name)) : '';
    if (slot) slots.push(`[${slot}]: undefined`);
    const value = valueCode(g, f, `d${i}`, keep, kept.get(f.name) ?? NOTHING, slot);
    if (value === undefined) return undefined;
    if (!plain(f.name) || f.name.length === 0) return undefined;
    const name = utf8(f.name), first = name[0]!;
    const list = cases.get(first) ?? [];
    list.push(`if (${quotedAt(name, 1)}) {
        if (s${i}) return -1; s${i} = true; p += ${name.length + 2}; c = t[p]; ${SKIP} if (c !== 58) return -1; c = t[++p]; ${SKIP}
        ${value}
        break; }`);
    cases.set(first, list);
    if (f.default.kind === 'value') {
      // the default fast-decode.ts gives (one value, compute() changes no input), kept or not made
      if (keep) absent.push(`if (!s${i}) d${i} = ${constRef(g, clone(f.default.value, f.type.k === 'record'))};`);
    } else if (f.default.kind === 'none') {
      if (f.type.k === 'record') {
        // a missing record is read as {} (its fields' defaults, or a required one missing: FAIL)
        const fn = recordFn(g, f.type.of, kept.get(f.name) ?? NOTHING);
        if (fn === undefined) return undefined;
        absent.push(`if (!s${i}) { const r = out[${slot}] ?? (out[${slot}] = n${fn.slice(1)}()); if (${fn}(EMPTY, 0, r) < 0) return -1; d${i} = r; }`);
      } else absent.push(`if (!s${i}) return -1;`);
    }
    if (f.default.kind === 'field') {
      // after the others, from the field it defaults to (fast-decode.ts, validate.ts: out[other] ?? null)
      if (keep) { later.push(`out[${lit(f.name)}] = s${i} ? d${i} : (out[${lit(f.default.name)}] ?? null);`); fresh.push(lit(f.name)); }
    } else if (keep) props.push(lit(f.name));
  }
  const keyCases = [...cases].map(([h, tests]) => `case ${h}: ${tests.join(' ')} return -1;`).join('\n      ');
  // same keys in the same order as fast-decode.ts's records of this need
  g.fns.push(`function n${id}() { return { ${[...props, ...fresh].map((k) => `${k}: undefined`).concat(slots).join(', ')} }; }`);
  const locals = schema.fields.map((_, i) => `s${i} = false, d${i}`).join(', ');
  g.fns.push(`function r${id}(t, p, out) {
    if (t[p] !== 123) return -1;
    let c = t[++p], q${n ? `, ${locals}` : ''};
    ${SKIP}
    if (c !== 125) for (;;) {
      if (c !== 34) return -1;
      // a key is one of the fields, compared byte by byte in place (any other key, or one with an escape: -1)
      switch (t[p + 1]) {
      ${keyCases}
      default: return -1;
      }
      c = t[p]; ${SKIP}
      if (c === 44) { c = t[++p]; ${SKIP} continue; }
      if (c !== 125) return -1;
      break;
    }
    p++;
    ${absent.join('\n    ')}
    ${props.map((k) => `out[${k}] = d${schema.fields.findIndex((f) => lit(f.name) === k)};`).join(' ')}
    ${later.join('\n    ')}
    return p;
  }`);
  return `r${id}`;
}

/** The generated text reader of households of `schema` keeping what `need` names (as
 *  generateFastDecoder(schema, need) keeps it), or undefined where that decoder has none (no
 *  `new Function`, fractional bounds, a field named __proto__). */
export function generateTextReader(schema: SchemaInfo, need: FieldNeed): TextReader | undefined {
  if (unsafeNames(schema) || need === 'all') return undefined;
  const g: Gen = { fns: [], consts: [], ids: new Map(), count: 0 };
  const top = recordFn(g, schema, need);
  if (top === undefined) return undefined;
  const source = `'use strict';${HELPERS}
${g.fns.join('\n')}
const TOP = n${top.slice(1)}();
// a text read in place (start..end of a bigger text, a JSON batch's household in its body) may
// have bytes read past its end (a key's lookahead, a word compared): they can only lead the read
// on past the end, which is then not the end of the value read, so the text is not taken
const read = (t, asOf, start = 0, end = t.length) => {
  AS_OF = asOf;
  view(t);
  // the value ends at end (whitespace after it in place is its body's, not the text's), or is followed by whitespace to end
  let p = ${top}(t, ws(t, start), TOP); if (p < 0 || (p !== end && ws(t, p) !== end)) return F; return TOP; };
// (what follows the value is its caller's to read: a lookahead past its end is only ever made
// while the value is not yet complete, so it cannot change where a value taken ends)
read.at = (t, asOf, start) => {
  AS_OF = asOf;
  view(t);
  return ${top}(t, start, TOP); };
read.value = TOP;
return read;`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const make = new Function('F', 'K', 'DAYS', 'repeats', 'EMPTY', source) as (...a: unknown[]) => TextReader;
    return make(FAIL, g.consts, MONTH_DAYS, repeats, new Uint8Array([123, 125]));
  } catch {
    return undefined;
  }
}
