// A small JSON Schema (2020-12 subset) validator for request bodies. The same schema objects
// are published in /api/openapi.json, so what the document says is what the server checks.
import type { ErrorDetail } from './errors.js';
import { joined } from './services/domain-error.js';
import { isDate, keyPath, MIN_YEAR, moreErrorsMessage, nameIndex, unknownFieldMessage, type NameIndex } from '../dsl/index.js';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number; maxItems?: number;
  minLength?: number; maxLength?: number;
  minimum?: number; maximum?: number;
  pattern?: string;
  enum?: unknown[];
  format?: string;
  description?: string;
  example?: unknown;
  [k: string]: unknown;
}


function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(v: unknown, t: string): boolean {
  const actual = typeOf(v);
  return actual === t || (t === 'number' && actual === 'integer');
}

const TYPE_ZH: Record<string, string> = {
  string: '字符串', number: '数字', integer: '整数', boolean: '布尔值', object: '对象', array: '数组', null: 'null',
};

/** Errors listed per request body before the rest are only counted. */
export const MAX_REQUEST_ERRORS = 100;

interface Acc { errors: ErrorDetail[]; more: number }
function add(acc: Acc, path: string, message: string): void {
  if (acc.errors.length < MAX_REQUEST_ERRORS) acc.errors.push({ path: path || '(body)', message });
  else acc.more++;
}

// The names an object schema accepts, indexed once for did-you-mean.
const indexes = new WeakMap<Record<string, JsonSchema>, NameIndex>();
function indexOf(props: Record<string, JsonSchema>): NameIndex {
  let idx = indexes.get(props);
  if (!idx) { idx = nameIndex(Object.keys(props)); indexes.set(props, idx); }
  return idx;
}

/**
 * Checks `value` against `schema`. At most MAX_REQUEST_ERRORS errors are listed, then one entry
 * counts the rest: a body with 150,000 unknown keys costs one pass over its keys (a lookup and a
 * count each) and gets a bounded answer. An unknown key is named with the nearest known one (asof → as_of).
 */
export function validate(schema: JsonSchema, value: unknown, path = ''): ErrorDetail[] {
  const acc: Acc = { errors: [], more: 0 };
  walk(schema, value, path, acc);
  if (acc.more > 0) acc.errors.push({ path: path || '(body)', message: joined(moreErrorsMessage(acc.more)) });
  return acc.errors;
}

function walk(schema: JsonSchema, value: unknown, path: string, acc: Acc): void {
  const push = (zh: string, en: string) => add(acc, path, `${zh} / ${en}`);
  // A reference (the household) is validated by the policy's own schema, not here.
  if (typeof schema.$ref === 'string') return;

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeMatches(value, t))) {
      push(`应为${types.map((t) => TYPE_ZH[t] ?? t).join('或')}`, `must be ${types.join(' or ')}`);
      return;
    }
  }
  if (schema.enum && !schema.enum.some((e) => e === value)) {
    push(`取值应为 ${schema.enum.map((e) => JSON.stringify(e)).join('、')} 之一`, `must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) push(`长度不能少于 ${schema.minLength}`, `must have at least ${schema.minLength} characters`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) push(`长度不能超过 ${schema.maxLength}`, `must have at most ${schema.maxLength} characters`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) push(`格式不正确（${schema.pattern}）`, `must match ${schema.pattern}`);
    if (schema.format === 'date' && !isDate(value)) push(`不是有效日期（YYYY-MM-DD，${MIN_YEAR} 年以后）`, `is not a valid date (YYYY-MM-DD, from ${MIN_YEAR} on)`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) push(`不能小于 ${schema.minimum}`, `must be >= ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) push(`不能大于 ${schema.maximum}`, `must be <= ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) push(`至少需要 ${schema.minItems} 项`, `must have at least ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) push(`最多 ${schema.maxItems} 项`, `must have at most ${schema.maxItems} items`);
    // Items that are a reference (households) are the dsl's to validate: no walk over them.
    const items = schema.items;
    if (items && typeof items.$ref !== 'string') {
      for (let i = 0; i < value.length; i++) walk(items, value[i], join(path, i), acc);
    }
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) walkObject(schema, value as Record<string, unknown>, path, acc);
}

function walkObject(schema: JsonSchema, obj: Record<string, unknown>, path: string, acc: Acc): void {
  const has = Object.prototype.hasOwnProperty;
  for (const key of schema.required ?? []) {
    if (!has.call(obj, key) || obj[key] === undefined) add(acc, join(path, key), '缺少必填字段 / is required');
  }
  const props = schema.properties;
  const extra = schema.additionalProperties;
  for (const key in obj) {
    if (!has.call(obj, key)) continue;
    const sub = props && has.call(props, key) ? props[key] : undefined;
    if (sub) walk(sub, obj[key], join(path, key), acc);
    else if (extra === false) {
      // past the cap an unknown key is only counted: no path, no suggestion
      if (acc.errors.length >= MAX_REQUEST_ERRORS) acc.more++;
      else add(acc, join(path, key), joined(unknownFieldMessage(key, indexOf(props ?? {}))));
    } else if (extra && typeof extra === 'object') walk(extra, obj[key], join(path, key), acc);
  }
}

function join(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : keyPath(path, key);
}
