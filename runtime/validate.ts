// A small JSON Schema (2020-12 subset) validator for request bodies. The same schema objects
// are published in /api/openapi.json, so what the document says is what the server checks.
import type { ErrorDetail } from './errors.js';

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

/** True for a real calendar date 'YYYY-MM-DD' (2023-02-30 is not). */
export function isDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const y = +m[1]!, mo = +m[2]!, d = +m[3]!;
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const dim = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  return d <= dim;
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

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const safe = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : JSON.stringify(key);
  return path ? (safe.startsWith('"') ? `${path}[${safe}]` : `${path}.${safe}`) : safe;
}

/** Details listed per request body; a flood (125k unknown keys) stops there, at a fixed cost. */
export const MAX_DETAILS = 100;

export function validate(schema: JsonSchema, value: unknown, path = ''): ErrorDetail[] {
  const errors = walk(schema, value, path);
  if (errors.length <= MAX_DETAILS) return errors;
  const more = errors.length - MAX_DETAILS;
  return [...errors.slice(0, MAX_DETAILS), { path: path || '(body)', message: `另有 ${more} 处错误未列出 / ${more} more errors not listed` }];
}

/** Appends without spreading (a spread of 100k items overflows the stack). */
function append(to: ErrorDetail[], from: ErrorDetail[]): void {
  for (const e of from) to.push(e);
}

function walk(schema: JsonSchema, value: unknown, path: string): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const at = path || '(body)';
  const push = (zh: string, en: string) => errors.push({ path: at, message: `${zh} / ${en}` });
  // A reference (the household) is validated by the policy's own schema, not here.
  if (typeof schema.$ref === 'string') return errors;

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeMatches(value, t))) {
      push(`应为${types.map((t) => TYPE_ZH[t] ?? t).join('或')}`, `must be ${types.join(' or ')}`);
      return errors;
    }
  }
  if (schema.enum && !schema.enum.some((e) => e === value)) {
    push(`取值应为 ${schema.enum.map((e) => JSON.stringify(e)).join('、')} 之一`, `must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) push(`长度不能少于 ${schema.minLength}`, `must have at least ${schema.minLength} characters`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) push(`长度不能超过 ${schema.maxLength}`, `must have at most ${schema.maxLength} characters`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) push(`格式不正确（${schema.pattern}）`, `must match ${schema.pattern}`);
    if (schema.format === 'date' && !isDate(value)) push('不是有效日期（YYYY-MM-DD）', 'is not a valid date (YYYY-MM-DD)');
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) push(`不能小于 ${schema.minimum}`, `must be >= ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) push(`不能大于 ${schema.maximum}`, `must be <= ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) push(`至少需要 ${schema.minItems} 项`, `must have at least ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) push(`最多 ${schema.maxItems} 项`, `must have at most ${schema.maxItems} items`);
    // Items that are a reference (households) are the dsl's to validate: no walk over them.
    if (schema.items && typeof schema.items.$ref !== 'string') value.forEach((item, i) => append(errors, walk(schema.items!, item, join(path, i))));
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (!Object.prototype.hasOwnProperty.call(obj, key) || obj[key] === undefined) {
        errors.push({ path: join(path, key), message: '缺少必填字段 / is required' });
      }
    }
    for (const key in obj) {
      if (!Object.prototype.hasOwnProperty.call(obj, key)) continue;
      if (errors.length > MAX_DETAILS) break;   // enough to say what is wrong: the rest is not looked at
      const v = obj[key];
      const sub = schema.properties && Object.prototype.hasOwnProperty.call(schema.properties, key) ? schema.properties[key] : undefined;
      if (sub) append(errors, walk(sub, v, join(path, key)));
      else if (schema.additionalProperties === false) errors.push({ path: join(path, key), message: '不认识的字段 / unknown field' });
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') append(errors, walk(schema.additionalProperties, v, join(path, key)));
    }
  }
  return errors;
}
