// Household JSON → runtime record, checked against the schema. Every problem is reported with
// its JSON path and what to do; nothing is thrown. Money becomes fen, dates yyyymmdd.
// This is the one household decoder: the HTTP API (one and batch), the CLI, scenario files, the
// studio and simulations all reach it through CompiledPolicy.prepare / evaluate.
//
// Unknown keys are errors (a misspelt `income` must not pass as no income), named with the
// nearest known name. The work is bounded whatever the input: at most `maxErrors` errors are
// listed (the rest are counted), and suggestions are only computed for listed errors.
import type { SchemaInfo, FieldInfo } from '../check/types.js';
import { parseDecimal, mul, cmp, type Num, isZero } from '../base/money.js';
import { parseDate, formatDate, type DateInt } from '../base/dates.js';
import { nameIndex, unknownFieldMessage, keyPath, moreErrorsMessage, type NameIndex } from './suggest.js';
import type { Message } from '../base/diagnostics.js';

/** A problem with one input field: its path and what is wrong, in both languages (joined, if at all, at the HTTP or CLI edge). */
export interface FieldError { path: string; message: Message }
/** Field errors as one text per language (`path: what`, separated by semicolons), for a caller
 *  that reports them in one line; `at` rewrites each path. */
export function errorsText(errors: readonly FieldError[], at: (path: string) => string = (p) => p): Message {
  return { zh: errors.map((e) => `${at(e.path)}：${e.message.zh}`).join('；'), en: errors.map((e) => `${at(e.path)}: ${e.message.en}`).join('; ') };
}
export interface Decoded { value: Record<string, unknown> | undefined; errors: FieldError[] }

export interface DecodeOptions {
  /** The evaluation date (yyyymmdd): a birth date after it is an error. */
  asOf?: DateInt;
  /** Errors listed before the rest are only counted (default MAX_DECODE_ERRORS). */
  maxErrors?: number;
  /** Schema name → more names accepted there without being decoded (a simulation compares two
   *  versions, and a field only one of them declares is not a mistake). */
  alsoKnown?: ReadonlyMap<string, ReadonlySet<string>>;
}

export const MAX_DECODE_ERRORS = 100;
/** No date in a household is earlier than this (0000-01-01 is a typing slip, not a birth). */
export const MIN_DATE: DateInt = 19000101;
/** The shape of a household date, years from 1900 (for the JSON Schema; parseDate checks the day). */
export const DATE_TEXT = /^(19\d\d|[2-9]\d{3})-\d{2}-\d{2}$/;
/** Money as text: yuan with at most 2 decimals, below MONEY_LIMIT_YUAN. */
export const MONEY_TEXT = /^\d{1,12}(\.\d{1,2})?$/;
export const MONEY_LIMIT_YUAN = 1e12;
/** Date fields that record something that has already happened on the evaluation date. */
const PAST_DATE_FIELDS = new Set(['birth_date']);

interface State { errors: FieldError[]; max: number; more: number; asOf: DateInt | undefined; alsoKnown: DecodeOptions['alsoKnown'] }

function report(st: State, path: string, message: Message): void {
  if (st.errors.length < st.max) st.errors.push({ path, message });
  else st.more++;
}

// Per schema, computed once: the names it accepts (for the unknown-key loop); the index of names
// and labels that suggestions search is built on the first unknown key only (valid input never
// needs it). 每个结构的字段名集合只建一次；建议用的索引等到第一个未知字段才建。
interface Known { names: Set<string>; index?: NameIndex }
const knownCache = new WeakMap<SchemaInfo, Known>();
function knownOf(schema: SchemaInfo): Known {
  let k = knownCache.get(schema);
  if (!k) {
    k = { names: new Set(schema.fields.map((f) => f.name)) };
    knownCache.set(schema, k);
  }
  return k;
}
function indexOf(schema: SchemaInfo, k: Known): NameIndex {
  return k.index ??= nameIndex(schema.fields.map((f) => f.name), schema.fields.flatMap((f) => [[f.label, f.name], [f.labelEn, f.name]] as [string | null, string][]));
}

/** Every record schema reachable from `schema`, by name, with its field names (for alsoKnown). */
export function fieldNamesByRecord(schema: SchemaInfo, out = new Map<string, Set<string>>()): Map<string, Set<string>> {
  if (out.has(schema.name)) return out;
  out.set(schema.name, knownOf(schema).names);
  for (const f of schema.fields) if (f.type.k === 'record' || f.type.k === 'list') fieldNamesByRecord(f.type.of, out);
  return out;
}

const isNum = (v: unknown): v is Num => typeof v === 'number' || (typeof v === 'object' && v !== null && 'n' in v);

/** A JSON number as an exact decimal (0.1 is 1/10, not the nearest double). */
function decimalOf(raw: number): Num | undefined {
  if (Number.isSafeInteger(raw)) return raw;
  return Number.isFinite(raw) ? parseDecimal(String(raw).includes('e') ? raw.toFixed(20) : String(raw)) : undefined;
}

/** Money: a JSON number, or decimal text (checked against MONEY_TEXT once the value is known
 *  good, so that "-5" and "1.234" are told what is wrong with them). */
function moneyOf(raw: unknown): Num | undefined {
  if (typeof raw === 'number') return decimalOf(raw);
  if (typeof raw === 'string') return parseDecimal(raw);
  return undefined;
}

function decodeField(f: FieldInfo, raw: unknown, parent: string, st: State): unknown {
  if (raw === null && f.nullable) return null;
  const t = f.type;
  // the common valid cases first, with no path and no closure
  if (t.k === 'text' && typeof raw === 'string') return raw;
  if (t.k === 'bool' && typeof raw === 'boolean') return raw;
  if (t.k === 'money') {
    if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0 && raw < MONEY_LIMIT_YUAN) return raw * 100;
    if (typeof raw === 'string') { const fen = moneyTextFen(raw); if (fen >= 0) return fen; }
  } else if (t.k === 'date' && typeof raw === 'string') {
    const d = parseDate(raw);
    if (d !== undefined && d >= MIN_DATE && !(st.asOf !== undefined && d > st.asOf && PAST_DATE_FIELDS.has(f.name))) return d;
  } else if (t.k === 'enum') {
    const vs = t.values;
    for (let i = 0; i < vs.length; i++) if (vs[i]!.name === raw) return raw;
  } else if (t.k === 'textlist' && Array.isArray(raw)) {
    const out = raw.slice();
    let texts = true;
    for (let i = 0; i < out.length; i++) if (typeof out[i] !== 'string') { texts = false; break; }
    if (texts) return out;
  }
  return decodeSlow(f, raw, `${parent}.${f.name}`, st);
}

/** Money text as MONEY_TEXT accepts it (1–12 digits, at most 2 decimals) to whole fen, read
 *  without a regular expression: what the slow path gives for it; -1 for any other text. */
export function moneyTextFen(raw: string): number {
  const n = raw.length;
  let yuan = 0, i = 0;
  for (; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c === 46) break;
    if (c < 48 || c > 57 || i >= 12) return -1;
    yuan = yuan * 10 + (c - 48);
  }
  if (i === 0) return -1;
  if (i === n) return yuan * 100;
  const decimals = n - i - 1;
  if (decimals < 1 || decimals > 2) return -1;
  let fen = 0;
  for (let j = i + 1; j < n; j++) {
    const c = raw.charCodeAt(j);
    if (c < 48 || c > 57) return -1;
    fen = fen * 10 + (c - 48);
  }
  return yuan * 100 + (decimals === 1 ? fen * 10 : fen);
}

function decodeSlow(f: FieldInfo, raw: unknown, path: string, st: State): unknown {
  // Paths are built only here, off the fast path: a valid household allocates no path strings.
  const fail = (zh: string, en: string): undefined => { report(st, path, { zh, en }); return undefined; };
  const t = f.type;
  switch (t.k) {
    case 'text':
      return typeof raw === 'string' ? raw : fail('应为文本', 'must be a string');
    case 'bool':
      return typeof raw === 'boolean' ? raw : fail('应为 true 或 false', 'must be true or false');
    case 'number': case 'integer': {
      // a JSON number, as the JSON Schema says ("2" is text; the CSV loader converts its cells)
      const v = typeof raw === 'number' ? decimalOf(raw) : undefined;
      if (v === undefined) return fail('应为数字', 'must be a number');
      if (t.k === 'integer' && typeof v !== 'number') return fail('应为整数', 'must be a whole number');
      if (f.min !== null && cmp(v, f.min) < 0) return fail(`不能小于 ${String(f.min)}`, `must be at least ${String(f.min)}`);
      if (f.max !== null && cmp(v, f.max) > 0) return fail(`不能大于 ${String(f.max)}`, `must be at most ${String(f.max)}`);
      return v;
    }
    case 'money': {
      const v = moneyOf(raw);
      if (v === undefined) return fail('应为金额（数字或 "650.00" 形式的字符串）', 'must be money: a number or a decimal string like "650.00"');
      const fen = mul(v, 100);
      if (typeof fen !== 'number') return fail('金额最多保留两位小数（到分）', 'money has at most 2 decimal places (fen)');
      if (fen < 0) return fail('金额不能为负数', 'money must not be negative');
      if (!Number.isSafeInteger(fen) || fen >= MONEY_LIMIT_YUAN * 100) return fail(`金额应小于 ${MONEY_LIMIT_YUAN} 元`, `amount must be below ${MONEY_LIMIT_YUAN} yuan`);
      if (typeof raw === 'string' && !MONEY_TEXT.test(raw)) return fail('金额文本只能是数字和小数点，如 "650.00"', 'money text is digits and a decimal point only, like "650.00"');
      return fen;
    }
    case 'date': return decodeDate(f, raw, st, fail);
    case 'enum': {
      const v = t.values.find((x) => x.name === raw);
      if (v) return v.name;
      return fail(`应为以下之一：${t.values.map((x) => x.name + (x.label ? `（${x.label}）` : '')).join('、')}`, `must be one of: ${t.values.map((x) => x.name).join(', ')}`);
    }
    case 'textlist':
      if (!Array.isArray(raw)) return fail('应为文本数组', 'must be an array of strings');
      raw.forEach((x, i) => { if (typeof x !== 'string') report(st, `${path}[${i}]`, { zh: '应为文本', en: 'must be a string' }); });
      return raw.filter((x) => typeof x === 'string');
    case 'record':
      return decodeRecordIn(t.of, raw, path, st);
    case 'list': {
      if (!Array.isArray(raw)) return fail('应为数组', 'must be an array');
      if (f.min !== null && cmp(raw.length, f.min) < 0) return fail(`至少需要 ${String(f.min)} 项`, `needs at least ${String(f.min)} item(s)`);
      if (f.max !== null && cmp(raw.length, f.max) > 0) return fail(`最多 ${String(f.max)} 项`, `allows at most ${String(f.max)} items`);
      const items: (Record<string, unknown> | undefined)[] = new Array(raw.length);
      for (let i = 0; i < raw.length; i++) items[i] = decodeRecordIn(t.of, raw[i], `${path}[${i}]`, st);
      const idField = t.of.fields.find((x) => x.name === 'id');
      if (idField) {
        const seen = new Map<unknown, number>();
        items.forEach((it, i) => {
          const id = it?.['id'];
          if (id === undefined) return;
          if (seen.has(id)) report(st, `${path}[${i}].id`, { zh: `编号「${String(id)}」与第 ${seen.get(id)! + 1} 项重复`, en: `id "${String(id)}" repeats item ${seen.get(id)! + 1}` });
          else seen.set(id, i);
        });
      }
      return items;
    }
  }
}

/** A real date, not before 1900; a birth date not after the evaluation date. */
function decodeDate(f: FieldInfo, raw: unknown, st: State, fail: (zh: string, en: string) => undefined): DateInt | undefined {
  if (typeof raw !== 'string') return fail('应为日期 YYYY-MM-DD', 'must be a date YYYY-MM-DD');
  const d = parseDate(raw);
  if (d === undefined) return fail(`日期 ${raw.slice(0, 20)} 不存在或格式不对，应为 YYYY-MM-DD`, `${raw.slice(0, 20)} is not a real date in the form YYYY-MM-DD`);
  if (d < MIN_DATE) return fail(`日期 ${raw} 早于 ${formatDate(MIN_DATE)}，不合理`, `${raw} is before ${formatDate(MIN_DATE)}, which cannot be right`);
  if (st.asOf !== undefined && d > st.asOf && PAST_DATE_FIELDS.has(f.name)) {
    return fail(`出生日期 ${raw} 晚于评估日 ${formatDate(st.asOf)}`, `birth date ${raw} is after the evaluation date (as_of) ${formatDate(st.asOf)}`);
  }
  return d;
}

function decodeRecordIn(schema: SchemaInfo, raw: unknown, path: string, st: State): Record<string, unknown> | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    report(st, path, { zh: '应为对象', en: 'must be an object' });
    return undefined;
  }
  const obj = raw as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  let fromField: [FieldInfo, string][] | null = null;
  const fields = schema.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const v = obj[f.name];
    if (v === undefined) {
      if (f.default.kind === 'value') out[f.name] = cloneDefault(f.default.value, f);
      else if (f.default.kind === 'field') (fromField ??= []).push([f, f.default.name]);
      else if (f.type.k === 'record') out[f.name] = decodeRecordIn(f.type.of, {}, `${path}.${f.name}`, st);
      else { report(st, `${path}.${f.name}`, { zh: '缺少必填字段', en: 'is required' }); out[f.name] = undefined; }
      continue;
    }
    out[f.name] = decodeField(f, v, path, st);
  }
  if (fromField) for (const [f, other] of fromField) out[f.name] = out[other] ?? null;
  checkUnknownKeys(schema, obj, path, st);
  return out;
}

/** Keys of `obj` that are no field of `schema`: one pass over the keys with one Set lookup each
 *  (no allocation for valid input); an unknown key costs a message only while errors are listed,
 *  a count after that. */
function checkUnknownKeys(schema: SchemaInfo, obj: Record<string, unknown>, path: string, st: State): void {
  const known = knownOf(schema);
  const names = known.names;
  for (const k in obj) {
    if (names.has(k)) continue;
    if (st.alsoKnown?.get(schema.name)?.has(k) || !Object.prototype.hasOwnProperty.call(obj, k)) continue;
    // undefined is no value (JSON has none; a JS caller's { x: undefined } means x is absent)
    if (obj[k] === undefined) continue;
    if (st.errors.length >= st.max) { st.more++; continue; }
    st.errors.push({ path: keyPath(path, k), message: unknownFieldMessage(k, indexOf(schema, known)) });
  }
}

function cloneDefault(v: unknown, f: FieldInfo): unknown {
  if (Array.isArray(v)) return [...v];
  if (f.type.k === 'record') return {};
  if (isNum(v) && isZero(v)) return 0;
  return v;
}

/** Decodes a record of `schema` at `path`, adding problems to `errors` (at most MAX_DECODE_ERRORS, then a count). */
export function decodeRecord(schema: SchemaInfo, raw: unknown, path: string, errors: FieldError[], opts: DecodeOptions = {}): Record<string, unknown> | undefined {
  const st: State = { errors, max: opts.maxErrors ?? MAX_DECODE_ERRORS, more: 0, asOf: opts.asOf, alsoKnown: opts.alsoKnown };
  const value = decodeRecordIn(schema, raw, path, st);
  if (st.more > 0) errors.push({ path, message: moreErrorsMessage(st.more) });
  return value;
}

/** Decodes a household; `value` is undefined whenever any error was found. */
export function decodeHousehold(schema: SchemaInfo, raw: unknown, opts: DecodeOptions = {}): Decoded {
  const errors: FieldError[] = [];
  const value = decodeRecord(schema, raw, 'household', errors, opts);
  return { value: errors.length ? undefined : value, errors };
}
