// Turns the household JSON Schema (GET /api/schema/household, or householdJsonSchema from dsl)
// into a list of form fields, and builds / prunes household values against those fields.
import type { Json } from '../language/types';

export type FieldKind = 'text' | 'number' | 'integer' | 'money' | 'bool' | 'date' | 'enum' | 'textlist' | 'object' | 'list';

export interface FieldSpec {
  name: string;
  label: string;                  // Chinese label (schema `title`), falls back to the name
  labelEn: string;                // `x-label-en` or `description` or the name
  description: string | null;
  kind: FieldKind;
  required: boolean;
  nullable: boolean;
  default?: Json;
  enumValues: { value: string; label: string; labelEn: string }[];
  min: number | null;
  max: number | null;
  fields: FieldSpec[];            // object fields, or the item fields of a list of objects
  /** Money's period from `x-money` ('month', 'year'; '' for an amount), shown as 元/月, 元/年, 元. */
  moneyPer?: string;
}

type S = Record<string, unknown>;

function asObj(x: unknown): S | null { return x && typeof x === 'object' && !Array.isArray(x) ? (x as S) : null; }

function resolveRef(root: S, s: S): S {
  let cur = s;
  for (let i = 0; i < 10 && typeof cur.$ref === 'string'; i++) {
    const ref = cur.$ref as string;
    if (!ref.startsWith('#/')) break;
    let target: unknown = root;
    for (const part of ref.slice(2).split('/')) target = asObj(target)?.[decodeURIComponent(part.replace(/~1/g, '/').replace(/~0/g, '~'))];
    const t = asObj(target);
    if (!t) break;
    const { $ref: _drop, ...rest } = cur;
    cur = { ...t, ...rest };
  }
  return cur;
}

/** Unwraps nullable forms: type [X, 'null'], anyOf/oneOf [{...}, {type:'null'}]. */
function unwrapNullable(root: S, s: S): { schema: S; nullable: boolean } {
  let schema = resolveRef(root, s);
  let nullable = false;
  for (const key of ['anyOf', 'oneOf'] as const) {
    const alts = schema[key];
    if (Array.isArray(alts)) {
      const nonNull = alts.map(asObj).filter((a): a is S => !!a && a.type !== 'null');
      if (nonNull.length < alts.length) nullable = true;
      if (nonNull.length === 1) {
        const { [key]: _drop, ...rest } = schema;
        schema = { ...rest, ...resolveRef(root, nonNull[0]!) };
      } else if (nonNull.length > 1 && nonNull.every((a) => a.type === 'number' || a.type === 'string' || a.type === 'integer')) {
        // money is often "number or decimal string"
        const { [key]: _drop, ...rest } = schema;
        schema = { ...rest, type: nonNull.map((a) => a.type), pattern: nonNull.find((a) => a.pattern)?.pattern };
      }
    }
  }
  if (Array.isArray(schema.type)) {
    const types = (schema.type as string[]).filter((t) => t !== 'null');
    if (types.length < (schema.type as string[]).length) nullable = true;
    schema = { ...schema, type: types.length === 1 ? types[0] : types };
  }
  if (schema.nullable === true) nullable = true;
  if (Array.isArray(schema.enum) && schema.enum.includes(null)) {
    nullable = true;
    schema = { ...schema, enum: (schema.enum as unknown[]).filter((v) => v !== null) };
  }
  return { schema, nullable };
}

function enumLabels(s: S, values: string[]): { value: string; label: string; labelEn: string }[] {
  const labels = s['x-enum-labels'];
  const labelsEn = s['x-enum-labels-en'];
  const pickLabel = (src: unknown, v: string, i: number): string | null => {
    if (Array.isArray(src)) {
      const item = src[i];
      if (typeof item === 'string') return item;
      const o = asObj(item);
      if (o) return String(o.label ?? o.zh ?? o.title ?? v);
    }
    const o = asObj(src);
    if (o && v in o) {
      const entry = o[v];
      if (typeof entry === 'string') return entry;
      const eo = asObj(entry);
      if (eo) return String(eo.zh ?? eo.label ?? v);
    }
    return null;
  };
  const pickEn = (v: string, i: number): string | null => {
    const fromEn = pickLabel(labelsEn, v, i);
    if (fromEn) return fromEn;
    const o = asObj(labels);
    const eo = o ? asObj(o[v]) : null;
    return eo && typeof eo.en === 'string' ? eo.en : null;
  };
  return values.map((v, i) => ({ value: v, label: pickLabel(labels, v, i) ?? v, labelEn: pickEn(v, i) ?? v }));
}

/** income_monthly → "income monthly" (English label when the schema has none). */
export function humanize(name: string): string { return name.replace(/_/g, ' '); }

function num(x: unknown): number | null { return typeof x === 'number' ? x : null; }

export function fieldFromSchema(root: S, name: string, raw: S, required: boolean): FieldSpec {
  const { schema: s, nullable } = unwrapNullable(root, raw);
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : [];
  const xType = typeof s['x-type'] === 'string' ? (s['x-type'] as string) : '';
  const base: FieldSpec = {
    name,
    label: typeof s.title === 'string' && s.title ? s.title : name,
    labelEn: typeof s['x-label-en'] === 'string' ? (s['x-label-en'] as string) : typeof s.description === 'string' && s.description && !/[\u4e00-\u9fff]/.test(s.description) ? s.description : humanize(name),
    description: typeof s.description === 'string' ? s.description : null,
    kind: 'text', required, nullable,
    enumValues: [], min: null, max: null, fields: [],
  };
  if ('default' in s) base.default = s.default as Json;
  if (Array.isArray(s.enum)) {
    const values = (s.enum as unknown[]).filter((v) => v !== null).map(String);
    return { ...base, kind: 'enum', enumValues: enumLabels(s, values) };
  }
  if (types.includes('object') || asObj(s.properties)) {
    return { ...base, kind: 'object', fields: objectFields(root, s) };
  }
  if (types.includes('array')) {
    const items = asObj(s.items) ? unwrapNullable(root, s.items as S).schema : {};
    const min = num(s.minItems), max = num(s.maxItems);
    if (items.type === 'object' || asObj(items.properties)) {
      return { ...base, kind: 'list', fields: objectFields(root, items), min, max };
    }
    return { ...base, kind: 'textlist', min, max };
  }
  if (types.includes('boolean')) return { ...base, kind: 'bool' };
  const isMoney = /money|金额/.test(xType) || 'x-money' in s || (types.includes('string') && (types.includes('number') || types.includes('integer'))) || s.format === 'money' || s.format === 'decimal';
  if (isMoney) return { ...base, kind: 'money', min: num(s.minimum), max: num(s.maximum), moneyPer: typeof s['x-money'] === 'string' ? s['x-money'] as string : '' };
  if (types.includes('integer')) return { ...base, kind: 'integer', min: num(s.minimum), max: num(s.maximum) };
  if (types.includes('number')) return { ...base, kind: 'number', min: num(s.minimum), max: num(s.maximum) };
  if (s.format === 'date' || xType === 'date') return { ...base, kind: 'date' };
  return base;
}

function objectFields(root: S, s: S): FieldSpec[] {
  const props = asObj(s.properties) ?? {};
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  return Object.entries(props).map(([name, p]) => fieldFromSchema(root, name, asObj(p) ?? {}, required.has(name)));
}

/** The household's top-level fields, from its JSON Schema. When the schema carries `x-reads`
 *  (the input paths the policy's outputs read, from the checked program: `household.area`,
 *  `members[].income_monthly`), only those fields, the objects holding them and the required
 *  fields are kept: an officer fills in what this policy looks at, not every programme's fields. */
export function householdFields(schema: unknown): FieldSpec[] {
  const root = asObj(schema);
  if (!root) return [];
  const top = resolveRef(root, root);
  const all = objectFields(root, top);
  const reads = Array.isArray(root['x-reads']) ? (root['x-reads'] as unknown[]).filter((x): x is string => typeof x === 'string') : null;
  return reads ? keepRead(all, reads.map((r) => r.replace(/^household\./, '')), '') : all;
}

function keepRead(fields: FieldSpec[], reads: string[], prefix: string): FieldSpec[] {
  const out: FieldSpec[] = [];
  for (const f of fields) {
    const path = prefix + f.name;
    const inner = f.kind === 'list' ? `${path}[].` : `${path}.`;
    const read = reads.some((r) => r === path || r.startsWith(inner));
    if (!read && !f.required) continue;
    out.push(f.fields.length ? { ...f, fields: keepRead(f.fields, reads, inner) } : f);
  }
  return out;
}

/** Money as typed by an officer → the exact decimal text: full-width digits and point (１２３．５),
 *  thousand separators (1,234 / 1，234) and spaces are accepted; anything else is left as typed
 *  for the validation to name. */
export function normalizeMoney(text: string): string {
  const half = text.replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xFF10 + 48)).replace(/[．。]/g, '.');
  const plain = half.replace(/[\s,，\u3000]/g, '');
  return /^\d+(\.\d*)?$/.test(plain) ? plain : text.trim();
}

/** A value to start a required field with (the form needs something valid to show). */
function starter(f: FieldSpec, index: number, prefix: string): Json | undefined {
  if (f.default !== undefined) return undefined;          // omitted → takes the default
  if (!f.required) return f.nullable ? undefined : undefined;
  switch (f.kind) {
    case 'text': return f.name === 'id' ? `${prefix}${index + 1}` : '';
    case 'enum': return f.enumValues[0]?.value ?? '';
    case 'bool': return false;
    case 'date': return f.name.includes('birth') ? '1980-01-01' : '';
    case 'money': return '0.00';
    case 'number': case 'integer': return f.min ?? 0;
    case 'textlist': return [];
    case 'object': return newObject(f.fields, 0, prefix);
    case 'list': return Array.from({ length: Math.max(f.min ?? 0, 1) }, (_, i) => newObject(f.fields, i, 'm'));
  }
}

export function newObject(fields: FieldSpec[], index = 0, prefix = 'h'): Record<string, Json> {
  const o: Record<string, Json> = {};
  for (const f of fields) {
    const v = starter(f, index, prefix);
    if (v !== undefined) o[f.name] = v;
  }
  return o;
}

export function newHousehold(fields: FieldSpec[]): Record<string, Json> { return newObject(fields, 0, 'h'); }

/** A new member whose id does not clash with the existing ones. */
export function newMember(fields: FieldSpec[], existing: Record<string, Json>[]): Record<string, Json> {
  const m = newObject(fields, existing.length, 'm');
  const ids = new Set(existing.map((e) => String(e.id ?? '')));
  let n = existing.length + 1;
  while (ids.has(`m${n}`)) n++;
  if (fields.some((f) => f.name === 'id')) m.id = `m${n}`;
  return m;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') {
    const na = Number(a), nb = Number(b);
    if (!Number.isNaN(na) && !Number.isNaN(nb) && a !== '' && b !== '' && a !== null && b !== null) return na === nb;
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Drops fields equal to their default (and empty optional text) so saved YAML stays short. */
export function pruneDefaults(fields: FieldSpec[], value: Record<string, Json>): Record<string, Json> {
  const out: Record<string, Json> = {};
  const known = new Set(fields.map((f) => f.name));
  for (const f of fields) {
    if (!(f.name in value)) continue;
    let v = value[f.name] as Json;
    if (v === undefined) continue;
    if (f.kind === 'object' && v && typeof v === 'object' && !Array.isArray(v)) {
      v = pruneDefaults(f.fields, v as Record<string, Json>);
      if (!f.required && Object.keys(v).length === 0) continue;
    } else if (f.kind === 'list' && Array.isArray(v)) {
      v = v.map((item) => (item && typeof item === 'object' && !Array.isArray(item) ? pruneDefaults(f.fields, item as Record<string, Json>) : item));
    }
    if (!f.required && f.default !== undefined && sameJson(v, f.default)) continue;
    if (!f.required && f.default === undefined && !f.nullable && (v === '' || v === null)) continue;
    out[f.name] = v;
  }
  for (const [k, v] of Object.entries(value)) if (!known.has(k) && v !== undefined) out[k] = v;
  return out;
}

/** Converts the text of an input to the JSON value of a field. */
export function parseInput(f: FieldSpec, text: string): Json | undefined {
  switch (f.kind) {
    case 'number': case 'integer': {
      if (text.trim() === '') return f.nullable ? null : undefined;
      const n = Number(text);
      return Number.isNaN(n) ? text : n;
    }
    case 'money': return text.trim() === '' ? (f.nullable ? null : undefined) : normalizeMoney(text);
    case 'date': return text === '' ? (f.nullable ? null : undefined) : text;
    case 'textlist': return text.split(/[,，\s]+/).map((s) => s.trim()).filter(Boolean);
    case 'enum': return text === '' ? undefined : text === '\u0000null' ? null : text;
    default: return text;
  }
}

/** The text an input shows for a value. */
export function formatInput(f: FieldSpec, v: Json | undefined): string {
  if (v === undefined || v === null) return '';
  if (f.kind === 'textlist' && Array.isArray(v)) return v.join(', ');
  return String(v);
}
