// The household schema as JSON Schema (2020-12): the single source for HTTP validation docs,
// OpenAPI and the studio's generated household form. Labels ride along as `title` (Chinese)
// and `x-enum-labels`.
import type { SchemaInfo, FieldInfo } from '../types.js';
import { numToText, fenToYuan, type Num } from '../money.js';
import { formatDate } from '../dates.js';

type JsonSchema = Record<string, unknown>;

function fieldSchema(f: FieldInfo): JsonSchema {
  const s: JsonSchema = {};
  if (f.label) s['title'] = f.label;
  if (f.labelEn) s['x-label-en'] = f.labelEn;
  switch (f.type.k) {
    case 'text': s['type'] = 'string'; break;
    case 'bool': s['type'] = 'boolean'; break;
    case 'number': s['type'] = 'number'; break;
    case 'integer': s['type'] = 'integer'; break;
    case 'date': s['type'] = 'string'; s['format'] = 'date'; break;
    case 'textlist': s['type'] = 'array'; s['items'] = { type: 'string' }; break;
    case 'money':
      s['oneOf'] = [{ type: 'number', minimum: 0 }, { type: 'string', pattern: '^\\d+(\\.\\d{1,2})?$' }];
      s['x-money'] = f.type.p;
      s['description'] = f.type.p === 'month' ? '元/月 yuan per month' : f.type.p === 'year' ? '元/年 yuan per year' : '元 yuan';
      break;
    case 'enum':
      s['type'] = 'string';
      s['enum'] = f.type.values.map((v) => v.name);
      s['x-enum-labels'] = Object.fromEntries(f.type.values.map((v) => [v.name, v.label ?? v.name]));
      s['x-enum-labels-en'] = Object.fromEntries(f.type.values.map((v) => [v.name, v.labelEn ?? v.name]));
      break;
    case 'record': Object.assign(s, recordSchema(f.type.of)); break;
    case 'list':
      s['type'] = 'array';
      s['items'] = recordSchema(f.type.of);
      if (f.min !== null) s['minItems'] = Number(numToText(f.min));
      if (f.max !== null) s['maxItems'] = Number(numToText(f.max));
      break;
  }
  if ((f.type.k === 'number' || f.type.k === 'integer') && f.min !== null) s['minimum'] = Number(numToText(f.min));
  if ((f.type.k === 'number' || f.type.k === 'integer') && f.max !== null) s['maximum'] = Number(numToText(f.max));
  if (f.nullable && typeof s['type'] === 'string') s['type'] = [s['type'], 'null'];
  if (f.default.kind === 'value' && f.type.k !== 'record') {
    const v = f.default.value;
    s['default'] = v === null ? null : f.type.k === 'money' ? fenToYuan(v as Num) : f.type.k === 'date' ? formatDate(v as number)
      : f.type.k === 'number' || f.type.k === 'integer' ? Number(numToText(v as Num)) : v;
  }
  if (f.default.kind === 'field') s['x-default-from'] = f.default.name;
  return s;
}

export function recordSchema(schema: SchemaInfo): JsonSchema {
  return {
    type: 'object',
    ...(schema.label ? { title: schema.label } : {}),
    ...(schema.labelEn ? { 'x-label-en': schema.labelEn } : {}),
    properties: Object.fromEntries(schema.fields.map((f) => [f.name, fieldSchema(f)])),
    required: schema.fields.filter((f) => f.required && f.type.k !== 'record').map((f) => f.name),
    additionalProperties: true,
  };
}

export function toJsonSchema(household: SchemaInfo): JsonSchema {
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', $id: 'household', ...recordSchema(household) };
}
