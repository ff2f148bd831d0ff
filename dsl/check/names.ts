// Names: the header, the schemas a file uses, the declared names (duplicates, look-alikes) and
// the input fields a path names. Resolving a name inside an expression is infer.ts's `Ref`.
import type * as A from '../syntax/ast.js';
import { hint } from '../base/nearest.js';
import { T, type SchemaInfo, type FieldInfo } from './types.js';
import { buildSchemas } from './schema.js';
import { skeleton } from '../syntax/unicode-safety.js';
import { parseDate } from '../base/dates.js';
import type { CheckState } from './state.js';
import { emptyDeps } from './dependencies.js';

/** The header's id and date, and the schemas (household, member) the file reads. */
export function checkHeaderAndSchemas(cx: CheckState, ast: A.PolicyFile, modules: Map<string, A.PolicyFile>): void {
  const header = ast.header;
  if (!header) cx.err('check.missing-header', ast.range.start.offset === 0 ? { start: ast.range.start, end: ast.range.start } : ast.range);
  else {
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(header.id.text)) cx.err('check.bad-policy-id', header.id.range, { id: header.id.text });
    if (header.effective && parseDate(header.effective.text) === undefined) cx.err('check.bad-date', header.effective.range, { text: header.effective.text });
  }
  const schemaDecls: A.SchemaDecl[] = [];
  for (const u of ast.uses) {
    const m = modules.get(u.module);
    if (!m) { cx.err('check.unknown-module', u.range, { name: u.module }); continue; }
    schemaDecls.push(...m.schemas);
  }
  schemaDecls.push(...ast.schemas);
  const schemas = buildSchemas(schemaDecls, cx.diagnostics);
  cx.household = schemas.get('household') ?? { name: 'household', label: null, fields: [], range: ast.range };
  const membersField = cx.household.fields.find((f) => f.type.k === 'list');
  cx.member = membersField && membersField.type.k === 'list' ? membersField.type.of : undefined;
  const isPolicy = ast.decls.length > 0 || header !== null;
  if (isPolicy && !schemas.has('household')) cx.err('check.no-schema', header?.range ?? ast.range);
}

/** Every declaration gets a symbol (and a slot in the Program's lists), the first of a name wins. */
export function declareSymbols(cx: CheckState, decls: A.Decl[]): void {
  const { symbols } = cx;
  for (const d of decls) {
    if (symbols.has(d.name.text)) { cx.err('check.duplicate-name', d.name.range, { name: d.name.text }); continue; }
    if (d.kind === 'Param') { symbols.set(d.name.text, { kind: 'param', index: cx.params.length, decl: d, id: symbols.size }); cx.params.push({ decl: d, type: T.error, value: null }); }
    else if (d.kind === 'Def') {
      const list = d.member ? cx.memberDefs : cx.defs;
      symbols.set(d.name.text, { kind: 'def', index: list.length, member: d.member, decl: d, id: symbols.size });
      list.push({ decl: d, type: T.error });
    } else {
      symbols.set(d.name.text, { kind: 'output', index: cx.outputs.length, member: d.member, decl: d, id: symbols.size });
      cx.outputs.push({ decl: d, type: T.error, deps: emptyDeps() });
    }
  }
  reportLookAlikes(cx, decls.map((d) => d.name));
}

/** Two declared names that look the same (one written with Cyrillic or Greek look-alikes): the
 *  second is reported (B8; a reviewer reading `cop` cannot tell which of the two is meant). */
function reportLookAlikes(cx: CheckState, names: A.Name[]): void {
  const seen = new Map<string, string>();
  for (const n of names) {
    const key = skeleton(n.text);
    const other = seen.get(key);
    if (other !== undefined && other !== n.text) cx.err('check.confusable-name', n.range, { name: n.text, other });
    if (other === undefined) seen.set(key, n.text);
  }
}

/** The fields a dotted path names, from `schema` down (undefined, reported, at an unknown one). */
export function resolveField(cx: CheckState, schema: SchemaInfo, path: A.Name[], owner: string): FieldInfo[] | undefined {
  const chain: FieldInfo[] = [];
  let s: SchemaInfo | undefined = schema;
  for (const p of path) {
    const f: FieldInfo | undefined = s?.fields.find((x) => x.name === p.text);
    if (!f) {
      cx.err('check.unknown-field', p.range, { owner: s?.label ? { zh: `${s.label}（${s.name}）`, en: s.name } : (s?.name ?? owner), name: p.text,
        ...(cx.suggestionsLeft-- > 0 ? hint(p.text, s?.fields.map((x) => x.name) ?? []) : { hint_zh: '', hint_en: '' }) });
      return undefined;
    }
    chain.push(f);
    s = f.type.k === 'record' ? f.type.of : undefined;
  }
  return chain;
}

/** `prefix` + the field names joined by dots. */
export function pathText(prefix: string, chain: FieldInfo[]): string {
  let s = prefix + chain[0]!.name;
  for (let i = 1; i < chain.length; i++) s += '.' + chain[i]!.name;
  return s;
}

