// The household schema as JSON Schema (2020-12): the single source for HTTP validation docs,
// OpenAPI and the studio's generated household form. Labels ride along as `title` (Chinese)
// and `x-enum-labels`. It says what the decoder (validate.ts) accepts: unknown keys are
// refused, a nullable field admits null (an enum lists it), money and dates have the decoder's
// own bounds. What JSON Schema cannot say is written in `description`: member ids are unique,
// a birth date is not after as_of.
import type { SchemaInfo, FieldInfo } from '../check/types.js';
import { numToText, fenToYuan, type Num } from '../base/money.js';
import { formatDate } from '../base/dates.js';
import { MONEY_TEXT, MONEY_LIMIT_YUAN, DATE_TEXT } from './validate.js';

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
    case 'date':
      s['type'] = 'string'; s['format'] = 'date'; s['pattern'] = DATE_TEXT.source;
      s['description'] = f.name === 'birth_date' ? 'YYYY-MM-DD, from 1900-01-01 to as_of' : 'YYYY-MM-DD, from 1900-01-01';
      break;
    case 'textlist': s['type'] = 'array'; s['items'] = { type: 'string' }; break;
    case 'money':
      s['oneOf'] = [{ type: 'number', minimum: 0, exclusiveMaximum: MONEY_LIMIT_YUAN }, { type: 'string', pattern: MONEY_TEXT.source }];
      s['x-money'] = f.type.p;
      s['description'] = `${f.type.p === 'month' ? '元/月 yuan per month' : f.type.p === 'year' ? '元/年 yuan per year' : '元 yuan'}; at most 2 decimal places`;
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
      if (f.type.of.fields.some((x) => x.name === 'id')) s['description'] = 'ids are unique within the list';
      if (f.min !== null) s['minItems'] = Number(numToText(f.min));
      if (f.max !== null) s['maxItems'] = Number(numToText(f.max));
      break;
  }
  if ((f.type.k === 'number' || f.type.k === 'integer') && f.min !== null) s['minimum'] = Number(numToText(f.min));
  if ((f.type.k === 'number' || f.type.k === 'integer') && f.max !== null) s['maximum'] = Number(numToText(f.max));
  if (f.nullable) nullable(s);
  if (f.default.kind === 'value' && f.type.k !== 'record') {
    const v = f.default.value;
    s['default'] = v === null ? null : f.type.k === 'money' ? fenToYuan(v as Num) : f.type.k === 'date' ? formatDate(v as number)
      : f.type.k === 'number' || f.type.k === 'integer' ? Number(numToText(v as Num)) : v;
  }
  if (f.default.kind === 'field') s['x-default-from'] = f.default.name;
  return s;
}

/** Lets a field's schema admit null: in its type list, its enum, or as one more alternative. */
function nullable(s: JsonSchema): void {
  if (Array.isArray(s['oneOf'])) s['oneOf'] = [...(s['oneOf'] as JsonSchema[]), { type: 'null' }];
  else if (typeof s['type'] === 'string') s['type'] = [s['type'], 'null'];
  if (Array.isArray(s['enum'])) s['enum'] = [...(s['enum'] as unknown[]), null];
}

export function recordSchema(schema: SchemaInfo): JsonSchema {
  return {
    type: 'object',
    ...(schema.label ? { title: schema.label } : {}),
    ...(schema.labelEn ? { 'x-label-en': schema.labelEn } : {}),
    properties: Object.fromEntries(schema.fields.map((f) => [f.name, fieldSchema(f)])),
    required: schema.fields.filter((f) => f.required && f.type.k !== 'record').map((f) => f.name),
    additionalProperties: false,
  };
}

export function toJsonSchema(household: SchemaInfo): JsonSchema {
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', $id: 'household', ...recordSchema(household) };
}
