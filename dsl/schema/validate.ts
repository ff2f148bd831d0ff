// Household JSON → runtime record, checked against the schema. Every problem is reported with
// its JSON path and what to do; nothing is thrown. Money becomes fen, dates yyyymmdd.
import type { SchemaInfo, FieldInfo } from '../types.js';
import { parseDecimal, mul, cmp, type Num, isZero } from '../money.js';
import { parseDate } from '../dates.js';

export interface FieldError { path: string; message: string }
export interface Decoded { value: Record<string, unknown> | undefined; errors: FieldError[] }

const isNum = (v: unknown): v is Num => typeof v === 'number' || (typeof v === 'object' && v !== null && 'n' in v);

function decimalOf(raw: unknown): Num | undefined {
  if (typeof raw === 'number') {
    if (Number.isSafeInteger(raw)) return raw;
    return Number.isFinite(raw) ? parseDecimal(String(raw).includes('e') ? raw.toFixed(20) : String(raw)) : undefined;
  }
  if (typeof raw === 'string') return parseDecimal(raw);
  return undefined;
}

// Paths are built only when something is wrong: a valid household allocates no path strings.
let failErrors: FieldError[] = [];
let failPath = '';
function fail(zh: string, en: string): undefined {
  failErrors.push({ path: failPath, message: `${zh} / ${en}` });
  return undefined;
}

function decodeField(f: FieldInfo, raw: unknown, parent: string, errors: FieldError[]): unknown {
  if (raw === null && f.nullable) return null;
  const t = f.type;
  // the common valid cases first, with no path and no closure
  if (t.k === 'text' && typeof raw === 'string') return raw;
  if (t.k === 'bool' && typeof raw === 'boolean') return raw;
  if (t.k === 'money' && typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0 && raw <= 1e12) return raw * 100;
  failErrors = errors;
  failPath = `${parent}.${f.name}`;
  return decodeSlow(f, raw, failPath, errors);
}

function decodeSlow(f: FieldInfo, raw: unknown, path: string, errors: FieldError[]): unknown {
  const t = f.type;
  switch (t.k) {
    case 'text':
      return typeof raw === 'string' ? raw : fail('应为文本', 'must be a string');
    case 'bool':
      return typeof raw === 'boolean' ? raw : fail('应为 true 或 false', 'must be true or false');
    case 'number': case 'integer': {
      const v = decimalOf(raw);
      if (v === undefined) return fail('应为数字', 'must be a number');
      if (t.k === 'integer' && typeof v !== 'number') return fail('应为整数', 'must be a whole number');
      if (f.min !== null && cmp(v, f.min) < 0) return fail(`不能小于 ${String(f.min)}`, `must be at least ${String(f.min)}`);
      if (f.max !== null && cmp(v, f.max) > 0) return fail(`不能大于 ${String(f.max)}`, `must be at most ${String(f.max)}`);
      return v;
    }
    case 'money': {
      const v = decimalOf(raw);
      if (v === undefined) return fail('应为金额（数字或 "650.00" 形式的字符串）', 'must be money: a number or a decimal string like "650.00"');
      const fen = mul(v, 100);
      if (typeof fen !== 'number') return fail('金额最多保留两位小数（到分）', 'money has at most 2 decimal places (fen)');
      if (fen < 0) return fail('金额不能为负数', 'money must not be negative');
      if (!Number.isSafeInteger(fen) || fen > 1e14) return fail('金额过大', 'amount is too large');
      return fen;
    }
    case 'date': {
      if (typeof raw !== 'string') return fail('应为日期 YYYY-MM-DD', 'must be a date YYYY-MM-DD');
      const d = parseDate(raw);
      if (d === undefined) return fail(`日期 ${raw.slice(0, 20)} 不存在或格式不对，应为 YYYY-MM-DD`, `${raw.slice(0, 20)} is not a real date in the form YYYY-MM-DD`);
      return d;
    }
    case 'enum': {
      const v = t.values.find((x) => x.name === raw);
      if (v) return v.name;
      return fail(`应为以下之一：${t.values.map((x) => x.name + (x.label ? `（${x.label}）` : '')).join('、')}`, `must be one of: ${t.values.map((x) => x.name).join(', ')}`);
    }
    case 'textlist':
      if (!Array.isArray(raw)) return fail('应为文本数组', 'must be an array of strings');
      raw.forEach((x, i) => { if (typeof x !== 'string') errors.push({ path: `${path}[${i}]`, message: '应为文本 / must be a string' }); });
      return raw.filter((x) => typeof x === 'string');
    case 'record':
      return decodeRecord(t.of, raw, path, errors);
    case 'list': {
      if (!Array.isArray(raw)) return fail('应为数组', 'must be an array');
      if (f.min !== null && cmp(raw.length, f.min) < 0) return fail(`至少需要 ${String(f.min)} 项`, `needs at least ${String(f.min)} item(s)`);
      if (f.max !== null && cmp(raw.length, f.max) > 0) return fail(`最多 ${String(f.max)} 项`, `allows at most ${String(f.max)} items`);
      const items: (Record<string, unknown> | undefined)[] = new Array(raw.length);
      for (let i = 0; i < raw.length; i++) items[i] = decodeRecord(t.of, raw[i], `${path}[${i}]`, errors);
      const idField = t.of.fields.find((x) => x.name === 'id');
      if (idField) {
        const seen = new Map<unknown, number>();
        items.forEach((it, i) => {
          const id = it?.['id'];
          if (id === undefined) return;
          if (seen.has(id)) errors.push({ path: `${path}[${i}].id`, message: `编号「${String(id)}」与第 ${seen.get(id)! + 1} 项重复 / id "${String(id)}" repeats item ${seen.get(id)! + 1}` });
          else seen.set(id, i);
        });
      }
      return items;
    }
  }
}

export function decodeRecord(schema: SchemaInfo, raw: unknown, path: string, errors: FieldError[]): Record<string, unknown> | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    errors.push({ path, message: '应为对象 / must be an object' });
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
      else if (f.type.k === 'record') out[f.name] = decodeRecord(f.type.of, {}, `${path}.${f.name}`, errors);
      else { errors.push({ path: `${path}.${f.name}`, message: '缺少必填字段 / is required' }); out[f.name] = undefined; }
      continue;
    }
    out[f.name] = decodeField(f, v, path, errors);
  }
  if (fromField) for (const [f, other] of fromField) out[f.name] = out[other] ?? null;
  return out;
}

function cloneDefault(v: unknown, f: FieldInfo): unknown {
  if (Array.isArray(v)) return [...v];
  if (f.type.k === 'record') return {};
  if (isNum(v) && isZero(v)) return 0;
  return v;
}

/** Decodes a household; `value` is undefined whenever any error was found. */
export function decodeHousehold(schema: SchemaInfo, raw: unknown): Decoded {
  const errors: FieldError[] = [];
  const value = decodeRecord(schema, raw, 'household', errors);
  return { value: errors.length ? undefined : value, errors };
}
