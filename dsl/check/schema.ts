// Schema declarations (模式) to SchemaInfo: the input shape that validation, JSON Schema, the
// studio's household form and name resolution all read. A policy may extend an imported
// schema by declaring the same 模式 again with extra fields.
import type * as A from '../syntax/ast.js';
import { nearHint } from '../base/nearest.js';
import type { SchemaInfo, FieldInfo, FieldType } from './types.js';
import { diagnostic, type Diagnostic } from '../base/diagnostics.js';
import { constantValue } from './constants.js';
import type { Num } from '../base/money.js';

export function buildSchemas(decls: A.SchemaDecl[], diagnostics: Diagnostic[]): Map<string, SchemaInfo> {
  const schemas = new Map<string, SchemaInfo>();
  for (const d of decls) {
    const existing = schemas.get(d.name.text);
    if (existing) continue;
    schemas.set(d.name.text, { name: d.name.text, label: d.label, fields: [], range: d.name.range });
  }
  for (const d of decls) {
    const info = schemas.get(d.name.text)!;
    if (d.label && !info.label) info.label = d.label;
    if (d.labelEn && !info.labelEn) info.labelEn = d.labelEn;
    for (const f of d.fields) {
      if (info.fields.some((x) => x.name === f.name.text)) {
        diagnostics.push(diagnostic('check.duplicate-name', f.name.range, { name: f.name.text }));
        continue;
      }
      const type = fieldType(f.type, schemas, diagnostics);
      if (!type) continue;
      const field: FieldInfo = {
        name: f.name.text, label: f.label, labelEn: f.labelEn ?? null, type, required: f.default === null, nullable: f.default?.kind === 'None',
        default: { kind: 'none' }, min: null, max: null, range: f.name.range,
      };
      if (f.default) {
        const enumValue = f.default.kind === 'Ref' && type.k === 'enum' ? type.values.find((v) => v.name === (f.default as { name: string }).name || v.label === (f.default as { name: string }).name) : undefined;
        if (enumValue) field.default = { kind: 'value', value: enumValue.name };
        else if (f.default.kind === 'Ref') field.default = { kind: 'field', name: f.default.name };
        else if (f.default.kind === 'None') field.default = { kind: 'value', value: null };
        else {
          const v = constantValue(f.default);
          if (v === undefined) diagnostics.push(diagnostic('check.not-constant', f.default.range));
          field.default = { kind: 'value', value: v ?? null };
        }
      }
      if (f.min) field.min = boundOf(f.min, diagnostics);
      if (f.max) field.max = boundOf(f.max, diagnostics);
      info.fields.push(field);
    }
  }
  return schemas;
}

function boundOf(e: A.Expr, diagnostics: Diagnostic[]): Num | null {
  const v = constantValue(e);
  if (typeof v === 'number' || (v !== null && typeof v === 'object' && 'n' in v)) return v as Num;
  diagnostics.push(diagnostic('check.not-constant', e.range));
  return null;
}

function fieldType(t: A.TypeRef, schemas: Map<string, SchemaInfo>, diagnostics: Diagnostic[]): FieldType | undefined {
  switch (t.kind) {
    case 'money': return { k: 'money', p: t.period };
    case 'enum': return { k: 'enum', values: t.values.map((v) => ({ name: v.name.text, label: v.label, labelEn: v.labelEn ?? null })) };
    case 'list': {
      const of = schemas.get(t.of.text);
      if (!of) { diagnostics.push(diagnostic('check.unknown-name', t.of.range, { name: t.of.text, ...nearHint(t.of.text, schemas.keys()) })); return undefined; }
      return { k: 'list', of };
    }
    case 'ref': {
      const of = schemas.get(t.name.text);
      if (!of) { diagnostics.push(diagnostic('check.unknown-name', t.name.range, { name: t.name.text, ...nearHint(t.name.text, schemas.keys()) })); return undefined; }
      return { k: 'record', of };
    }
    default: return { k: t.kind };
  }
}
