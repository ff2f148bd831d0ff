// A household decoder generated per schema (per policy version, like the compute code) for the
// common case only: valid input. It allocates nothing but the decoded records and lists, builds
// no paths, and gives up (returns FAIL) at the first thing that is unusual — a wrong type, a
// missing required field, an unknown key, money as a fraction, a bad date, a repeated id, a
// bound crossed. The caller then runs the one full decoder (validate.ts), so every error
// message, limit and suggestion stays that decoder's: this file never reports anything.
// Where `new Function` is refused (a strict Content-Security-Policy) there is no fast path.
import type { SchemaInfo, FieldInfo } from '../check/types.js';
import { isZero, type Num } from '../base/money.js';
import type { DateInt } from '../base/dates.js';
import { MIN_DATE, MONEY_LIMIT_YUAN } from './validate.js';

export const FAIL: unique symbol = Symbol('fast-decode.fail');
export type FastDecoder = (raw: unknown, asOf: DateInt | undefined) => Record<string, unknown> | typeof FAIL;

/** Which fields of a record the caller reads: 'all' (the whole record, as prepare() gives it) or,
 *  by name, which fields and, for a record or list field, which of its own fields. A field not
 *  named is still checked exactly as before (so the same households fall back), only not kept:
 *  compute() of a policy that reads 6 of a member's 16 fields gets records of 6 (or 7, with the
 *  id, which a record with an `id` field always keeps: repeated ids are checked on it). */
export type FieldNeed = 'all' | ReadonlyMap<string, FieldNeed>;
/** Pooled lists of up to this many items are kept, one per length (longer ones are made per call). */
export const POOLED_LENGTHS = 64;
/** Nothing read: the field is checked, not kept. */
export const NOTHING: FieldNeed = new Map();

/** Date fields checked against the evaluation date (as validate.ts's PAST_DATE_FIELDS). */
export const PAST_DATE_FIELDS = new Set(['birth_date']);

/** Days of each month (index 1–12) in a common year. */
const MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** A character code minus '0' that is no ASCII digit ((c >>> 0) makes a negative one huge). */
const notDigit = (c: number) => (c >>> 0) > 9;

/** 'YYYY-MM-DD' (ASCII digits) to yyyymmdd, or -1: parseDate's answer without a regex or a loop. */
export function fastDate(s: string): number {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return -1;
  const y0 = s.charCodeAt(0) - 48, y1 = s.charCodeAt(1) - 48, y2 = s.charCodeAt(2) - 48, y3 = s.charCodeAt(3) - 48;
  const m0 = s.charCodeAt(5) - 48, m1 = s.charCodeAt(6) - 48, d0 = s.charCodeAt(8) - 48, d1 = s.charCodeAt(9) - 48;
  if (notDigit(y0) || notDigit(y1) || notDigit(y2) || notDigit(y3) || notDigit(m0) || notDigit(m1) || notDigit(d0) || notDigit(d1)) return -1;
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3, m = m0 * 10 + m1, d = d0 * 10 + d1;
  if (m < 1 || m > 12 || d < 1) return -1;
  if (d > 28 && d > (m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : MONTH_DAYS[m]!)) return -1;
  return y * 10000 + m * 100 + d;
}

/** Money text "123" / "123.4" / "123.45" (MONEY_TEXT) to integer fen, or -1. */
export function fastMoneyText(s: string): number {
  const n = s.length;
  let i = 0, yuan = 0;
  while (i < n) { const c = s.charCodeAt(i) - 48; if (c < 0 || c > 9) break; yuan = yuan * 10 + c; i++; }
  if (i === 0 || i > 12) return -1;
  if (i === n) return yuan * 100;
  if (s.charCodeAt(i) !== 46 || n - i < 2 || n - i > 3) return -1;
  const a = s.charCodeAt(i + 1) - 48, b = n - i === 3 ? s.charCodeAt(i + 2) - 48 : 0;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  return yuan * 100 + a * 10 + b;
}

/** Whether any field (at any depth) has a name the generated code cannot use as a plain key. */
export function unsafeNames(schema: SchemaInfo, seen = new Set<SchemaInfo>()): boolean {
  if (seen.has(schema)) return false;
  seen.add(schema);
  return schema.fields.some((f) => f.name === '__proto__' || ((f.type.k === 'record' || f.type.k === 'list') && unsafeNames(f.type.of, seen)));
}

/** What a code generator reading households (this decoder, text-read's reader) keeps while it
 *  writes: the functions, the constants they use, and the record functions made so far. */
export interface RecordGen { fns: string[]; consts: unknown[]; ids: Map<SchemaInfo, Map<FieldNeed, number>>; count: number }
interface Gen extends RecordGen {
  /** Decoding for compute() alone: every record is written into one kept for its place (see
   *  generateFastDecoder), none is allocated. */
  pooled: boolean;
  /** Records read by their keys (keyedBody), not by their fields' names: see generateFastDecoder. */
  byKey: boolean;
}

const lit = (s: string) => JSON.stringify(s);
export const constRef = (g: RecordGen, v: unknown) => { g.consts.push(v); return `K[${g.consts.length - 1}]`; };

/** The number of the record function for `schema` and `need`: `made` when it exists already (or
 *  is being generated: a record type that contains itself), else a new number to generate it under. */
export function recordFnId(g: RecordGen, schema: SchemaInfo, need: FieldNeed): { id: number; made: boolean } {
  let byNeed = g.ids.get(schema);
  if (byNeed === undefined) g.ids.set(schema, byNeed = new Map());
  const known = byNeed.get(need);
  if (known !== undefined) return { id: known, made: true };
  const id = g.count++;
  byNeed.set(need, id);
  return { id, made: false };
}
/** A whole-number bound, or undefined when the bound is a fraction (then no fast path). */
export const whole = (v: Num | null): number | null | undefined => (v === null ? null : typeof v === 'number' ? v : undefined);

/** The statements decoding field `f` from `v` into the local `x` (or `return F`); `slot` is the
 *  key (a symbol, pooled mode) under which the record `out` keeps what a record or list field is
 *  decoded into. */
function fieldCode(g: Gen, f: FieldInfo, v: string, need: FieldNeed, slot: string): string | undefined {
  const t = f.type;
  const nul = f.nullable ? `if (${v} === null) x = null; else ` : '';
  const min = whole(f.min), max = whole(f.max);
  if (min === undefined || max === undefined) return undefined;
  const bounds = (e: string) => (min !== null ? `if (${e} < ${min}) return F; ` : '') + (max !== null ? `if (${e} > ${max}) return F; ` : '');
  switch (t.k) {
    case 'text': return `${nul}{ if (typeof ${v} !== 'string') return F; x = ${v}; }`;
    case 'bool': return `${nul}{ if (typeof ${v} !== 'boolean') return F; x = ${v}; }`;
    case 'number': case 'integer':
      return `${nul}{ if (typeof ${v} !== 'number' || !Number.isSafeInteger(${v})) return F; ${bounds(v)}x = ${v}; }`;
    case 'money':
      // a number is whole fen when n/100 gives it back: below 1e12 yuan two such decimals never
      // share a double, so n is the fen of its shortest decimal text (what validate.ts reads)
      return `${nul}if (typeof ${v} === 'number') { if (!(${v} >= 0 && ${v} < ${MONEY_LIMIT_YUAN})) return F; x = Math.round(${v} * 100); if (x / 100 !== ${v}) return F; }
        else if (typeof ${v} === 'string') { x = money(${v}); if (x < 0) return F; } else return F;`;
    case 'date': {
      const past = PAST_DATE_FIELDS.has(f.name) ? ` || (asOf !== undefined && x > asOf)` : '';
      return `${nul}{ if (typeof ${v} !== 'string') return F; x = date(${v}); if (x < ${MIN_DATE}${past}) return F; }`;
    }
    case 'enum':
      return `${nul}{ if (${t.values.map((e) => `${v} !== ${lit(e.name)}`).join(' && ') || 'true'}) return F; x = ${v}; }`;
    case 'textlist':
      // (pooled: compute() changes no list it reads, and evaluate copies any it answers with)
      return `${nul}{ if (!Array.isArray(${v})) return F; for (let j = 0; j < ${v}.length; j++) if (typeof ${v}[j] !== 'string') return F; x = ${g.pooled ? v : `${v}.slice()`}; }`;
    case 'record': {
      const fn = recordFn(g, t.of, need);
      return fn === undefined ? undefined : `${nul}{ x = ${fn}(${v}, asOf${into(g, fn, slot)}); if (x === F) return F; }`;
    }
    case 'list': {
      const fn = recordFn(g, t.of, need);
      if (fn === undefined) return undefined;
      const hasId = t.of.fields.some((x) => x.name === 'id');
      // pooled: the items are the ones kept under `slot` (made once, reused), in a list kept there
      // for each length up to POOLED_LENGTHS (setting an array's length is a slow call)
      const items = g.pooled
        ? `const L = out[${slot}] ?? (out[${slot}] = { byLength: [], p: [] }), p = L.p;
        let a = n <= ${POOLED_LENGTHS} ? L.byLength[n] : undefined;
        if (a === undefined) { a = []; for (let j = 0; j < n; j++) a.push(null); if (n <= ${POOLED_LENGTHS}) L.byLength[n] = a; }
        for (let j = 0; j < n; j++) { let t = p[j]; if (t === undefined) p[j] = t = n${fn.slice(1)}(); if (${fn}(${v}[j], asOf, t) === F) return F; a[j] = t; }`
        : `const a = new Array(n);
        for (let j = 0; j < n; j++) { const r = ${fn}(${v}[j], asOf); if (r === F) return F; a[j] = r; }`;
      return `${nul}{ if (!Array.isArray(${v})) return F; const n = ${v}.length; ${bounds('n')}
        ${items}
        ${hasId ? 'if (n > 1 && repeats(a)) return F;' : ''}
        x = a; }`;
    }
  }
}

/** The third argument of a call of record function `fn` (pooled mode: the record kept under `slot`). */
const into = (g: Gen, fn: string, slot: string) => (g.pooled ? `, out[${slot}] ?? (out[${slot}] = n${fn.slice(1)}())` : '');

/** The fields of `schema` kept under `need`: the ones named, the id, and the fields a kept field
 *  defaults to (`hukou_county` is `county` when absent); each with what is kept of it. */
export function keptFields(schema: SchemaInfo, need: FieldNeed): Map<string, FieldNeed> {
  const kept = new Map<string, FieldNeed>();
  for (const f of schema.fields) {
    if (need === 'all') kept.set(f.name, 'all');
    else if (need.has(f.name)) kept.set(f.name, need.get(f.name)!);
    else if (f.name === 'id') kept.set(f.name, 'all');
  }
  for (let grew = true; grew;) {
    grew = false;
    for (const f of schema.fields) {
      if (f.default.kind === 'field' && kept.has(f.name) && kept.get(f.default.name) !== 'all') { kept.set(f.default.name, 'all'); grew = true; }
    }
  }
  return kept;
}

/** The name of the generated function decoding one record of `schema`, keeping what `need` names
 *  (generated once per schema and need). */
function recordFn(g: Gen, schema: SchemaInfo, need: FieldNeed): string | undefined {
  const { id, made: known } = recordFnId(g, schema, need);
  if (known) return `r${id}`;
  const kept = keptFields(schema, need);
  // by key (see keyedBody) unless a field's name is one every object has (Object.prototype's
  // constructor, toString, …): such a field is never absent to the full decoder's obj[name]
  const byKey = g.byKey && !schema.fields.some((f) => f.name in Object.prototype);
  // cases: the keyed switch's `case "name": …`; lines: by field (by name), the absent fields' defaults (by key)
  const lines: string[] = [], cases: string[] = [];
  // props: [quoted name, local] of the kept fields; fresh: every key of a pooled record, in order
  const props: [string, string][] = [], later: string[] = [], fresh: string[] = [], slots: string[] = [];
  for (let i = 0; i < schema.fields.length; i++) {
    const f = schema.fields[i]!;
    const v = byKey ? 'v' : `v${i}`;
    const keep = kept.has(f.name);
    const sub = kept.get(f.name) ?? NOTHING;
    // (pooled) where this record keeps what a record or list field is decoded into
    const slot = g.pooled && (f.type.k === 'record' || f.type.k === 'list') ? constRef(g, Symbol(f.name)) : '';
    if (slot) slots.push(`[${slot}]: undefined`);
    const body = fieldCode(g, f, v, sub, slot);
    if (body === undefined) return undefined;
    let absent: string;
    if (f.default.kind === 'value') {
      // an immutable default (text, number, bool, null) is the same value every time: no call;
      // pooled, a list or record default too (compute() changes no input); a default not kept
      // is not made at all
      const once = clone(f.default.value, f.type.k === 'record');
      absent = !keep ? '' : once === null || typeof once !== 'object' ? `x = ${constRef(g, once)};`
        : g.pooled ? `x = ${constRef(g, once)};` : `x = clone(${constRef(g, f.default.value)}, ${f.type.k === 'record'});`;
    }
    else if (f.default.kind === 'field') absent = '';
    else if (f.type.k === 'record') { const fn = recordFn(g, f.type.of, sub); if (fn === undefined) return undefined; absent = `x = ${fn}(EMPTY, asOf${into(g, fn, slot)}); if (x === F) return F;`; }
    else absent = 'return F;';
    if (byKey) {
      // a decoded value is never undefined: d<i> undefined after the keys is an absent field
      cases.push(`case ${lit(f.name)}: { let x; ${body} d${i} = x; break; }`);
      if (absent !== '') lines.push(`if (d${i} === undefined) { let x; ${absent} d${i} = x; }`);
    } else if (f.default.kind === 'field') {
      // decoded after the others, from the field it defaults to (validate.ts: out[other] ?? null)
      lines.push(`const ${v} = o[${lit(f.name)}]; let d${i}; if (${v} !== undefined) { seen++; let x; ${body} d${i} = x; }`);
    } else {
      lines.push(`const ${v} = o[${lit(f.name)}]; let d${i}; { let x; if (${v} === undefined) { ${absent} } else { seen++; ${body} } d${i} = x; }`);
    }
    if (f.default.kind === 'field') {
      if (keep) later.push(`out[${lit(f.name)}] = ${byKey ? `d${i}` : v} !== undefined ? d${i} : (out[${lit(f.default.name)}] ?? null);`);
      if (keep) fresh.push(lit(f.name));
    } else if (keep) props.push([lit(f.name), `d${i}`]);
  }
  const made = g.pooled
    // the kept fields written into the record kept for this place (made by n<id>: same keys, same order)
    ? props.map(([k, d]) => `out[${k}] = ${d};`).join(' ')
    : `const out = { ${props.map(([k, d]) => `${k}: ${d}`).join(', ')} };`;
  if (g.pooled) g.fns.push(`function n${id}() { return { ${[...props.map(([k]) => k), ...fresh].map((k) => `${k}: undefined`).concat(slots).join(', ')} }; }`);
  g.fns.push(`function r${id}(o, asOf${g.pooled ? ', out' : ''}) {
    if (o === null || typeof o !== 'object' || Array.isArray(o)) return F;
    ${byKey ? keyedBody(schema.fields.length, cases, lines) : byNameBody(lines)}
    ${made}
    ${later.join('\n    ')}
    return out;
  }`);
  return `r${id}`;
}

/** A record read by its fields' names: each field's value looked up (absent ones too), then the
 *  keys counted: every key was a field read (and none undefined) exactly when the counts agree;
 *  anything else (unknown, inherited or undefined-valued keys) is for the full decoder. */
const byNameBody = (lines: string[]) => `let seen = 0;
    ${lines.join('\n    ')}
    let keys = 0;
    for (const k in o) keys++;
    if (keys !== seen) return F;`;

/**
 * A record read by its keys: one pass over the keys the object has, each decoded by its field's
 * case, then the absent fields' defaults. A member has 3–6 of its 16 fields, in many subsets and
 * orders: looking up all 16 by name (most absent) on objects of so many shapes was most of the
 * decoding. Only an object whose prototype is Object.prototype (JSON's objects) or none is read so
 * (others go to the full decoder): obj[name], the full decoder's read, then finds what the keys
 * give (an enumerable key of Object.prototype too) and Object.prototype's own properties, which no
 * field is named after (see recordFn). An unknown or undefined-valued key goes to the full decoder.
 * Not seen: an own non-enumerable property (Object.defineProperty; JSON has none, and
 * JSON.stringify leaves it out), read here as absent. Nothing allocated: no list of the names.
 */
function keyedBody(n: number, cases: string[], absent: string[]): string {
  const locals = Array.from({ length: n }, (_, i) => `d${i}`);
  return `const p = proto(o);
    if (p !== PLAIN && p !== null) return F;
    ${locals.length ? `let ${locals.join(', ')};` : ''}
    for (const k in o) {
      const v = o[k];
      if (v === undefined) return F;
      switch (k) {
        ${cases.join('\n        ')}
        default: return F;
      }
    }
    ${absent.join('\n    ')}`;
}

/** A copy of a default value, as validate.ts's cloneDefault makes it. */
export function clone(v: unknown, isRecord: boolean): unknown {
  if (Array.isArray(v)) return [...v];
  if (isRecord) return {};
  if ((typeof v === 'number' || (typeof v === 'object' && v !== null && 'n' in v)) && isZero(v as Num)) return 0;
  return v;
}

/** Whether two decoded items share an id (validate.ts reports it; here it means "fall back"). */
export function repeats(items: Record<string, unknown>[]): boolean {
  const n = items.length;
  if (n <= 16) {
    for (let i = 1; i < n; i++) {
      const id = items[i]!['id'];
      if (id === undefined) continue;
      for (let j = 0; j < i; j++) if (items[j]!['id'] === id) return true;
    }
    return false;
  }
  const seen = new Set<unknown>();
  for (const it of items) {
    const id = it['id'];
    if (id === undefined) continue;
    if (seen.has(id)) return true;
    seen.add(id);
  }
  return false;
}

/** The generated fast decoder of households of `schema`, or undefined (no `new Function`, or a
 *  schema it does not cover: fractional bounds, a field named __proto__).
 *  With `need` (evaluate's path to compute(), which reads nothing else and changes nothing) the
 *  decoder fills compute()'s input in place instead of building it: the records keep only the
 *  fields needed, and they, the lists and the list items are made once and rewritten by every
 *  call (each kept field is written on every call), so a valid household allocates none of them.
 *  What it returns is valid until its next call. It accepts exactly the households the whole
 *  decoder accepts (every field is still checked).
 *  `shapes`: 'many' reads each record by the keys it has (keyedBody: households whose members
 *  have a few of their fields, in many subsets and orders, as a population's); 'one' by its
 *  fields' names, lookups that are fast on objects of one or a few shapes (a policy's outputs;
 *  the benchmark's households, whose members have all their fields: by key, each of 16 keys
 *  would be compared with up to 16 names). */
export function generateFastDecoder(schema: SchemaInfo, need: FieldNeed = 'all', shapes: 'many' | 'one' = 'one'): FastDecoder | undefined {
  if (unsafeNames(schema)) return undefined;
  const g: Gen = { fns: [], consts: [], ids: new Map(), count: 0, pooled: need !== 'all', byKey: shapes === 'many' };
  const top = recordFn(g, schema, need);
  if (top === undefined) return undefined;
  const entry = g.pooled ? `(() => { const out = n${top.slice(1)}(); return (o, asOf) => ${top}(o, asOf, out); })()` : top;
  const source = `'use strict';\n${g.fns.join('\n')}\nreturn ${entry};`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const make = new Function('F', 'K', 'EMPTY', 'money', 'date', 'clone', 'repeats', 'proto', 'PLAIN', source) as (...a: unknown[]) => FastDecoder;
    return make(FAIL, g.consts, Object.freeze({}), fastMoneyText, fastDate, clone, repeats, Object.getPrototypeOf, Object.prototype);
  } catch {
    return undefined;
  }
}
