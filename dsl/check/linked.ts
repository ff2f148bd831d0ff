// 引用: a policy reading another policy's results. The checker resolves each `引用 id「…」 简称 x`
// through the caller's `linked` callback (the caller knows which version is in force), checks
// the referenced source itself (so a cycle across policies is found with its chain), and types
// `x.output` from the referenced output. For evaluation the referenced outputs become one extra,
// required household record per link (key `引用:<id>`): the backends read it like any household
// field, and the decoder turns "650.00" into fen with the output's own type.
import type * as A from '../syntax/ast.js';
import { parse } from '../syntax/parse.js';
import { check } from './index.js';
import { diagnostic, type Diagnostic, type DiagnosticCode, type Message, type Range } from '../base/diagnostics.js';
import { hint } from '../base/nearest.js';
import type { FieldInfo, FieldType, LinkTarget, Program, Resolution, SchemaInfo, Type } from './types.js';

/** What the caller says about a referenced policy: the version in force and its source. */
export type LinkedLookup = (policyId: string) => { version: number; source: string } | undefined;
export interface LinkOptions {
  linked?: LinkedLookup;
  /** Known policy ids, for "did you mean" when a 引用 names none of them. */
  linkedIds?: readonly string[];
  /** The policies being checked, outermost first (internal: finds cycles across policies). */
  stack?: readonly string[];
}

type Err = (code: DiagnosticCode, range: Range, args?: Record<string, string | number | Message>) => void;
export interface LinkScope { household: SchemaInfo; targets: Map<string, LinkTarget>; links: LinkTarget[]; uses: string[] }

export const LINK_KEY_PREFIX = '引用:';

/** Resolves the header's 引用 lines; returns the household schema with one record per link. */
export function prepareLinks(ast: A.PolicyFile, household: SchemaInfo, modules: Map<string, A.PolicyFile>, opts: LinkOptions, err: Err, info: (d: Diagnostic) => void): LinkScope {
  const decls = ast.header?.links ?? [];
  const scope: LinkScope = { household, targets: new Map(), links: [], uses: decls.map((l) => l.policy.text) };
  if (decls.length === 0) return scope;
  const self = ast.header?.id.text ?? '';
  const stack = opts.stack?.length ? opts.stack : [self];
  const extra: FieldInfo[] = [];
  const seen = new Set<string>();
  for (const l of decls) {
    const id = l.policy.text;
    if (seen.has(id) || scope.targets.has(l.alias.text)) { err('check.duplicate-name', seen.has(id) ? l.policy.range : l.alias.range, { name: seen.has(id) ? id : l.alias.text }); continue; }
    seen.add(id);
    if (stack.includes(id)) { err('check.link-cycle', l.policy.range, { chain: [...stack.slice(stack.indexOf(id)), id].join(' → ') }); continue; }
    const found = opts.linked?.(id);
    if (!found) {
      if (!opts.linked) err('check.link-unresolved', l.policy.range, { id });
      else err('check.link-unknown-policy', l.policy.range, { id, ...hint(id, (opts.linkedIds ?? []).filter((x) => x !== self)) });
      continue;
    }
    const program = checkLinked(id, found.source, modules, { ...opts, stack: [...stack, id] });
    if ('cycle' in program) { err('check.link-cycle', l.policy.range, { chain: program.cycle }); continue; }
    if ('error' in program) { err('check.link-errors', l.policy.range, { id, version: found.version, first: program.error }); continue; }
    const outputs = outputSchema(id, program.program, l.policy.range);
    info(diagnostic('check.link-version', l.policy.range, { id, version: found.version }));
    const key = LINK_KEY_PREFIX + id;
    const target: LinkTarget = { policy: id, alias: l.alias.text, version: found.version, title: program.program.info.title, key, outputs };
    scope.targets.set(l.alias.text, target);
    scope.links.push(target);
    extra.push({ name: key, label: l.title ?? target.title, labelEn: null, type: { k: 'record', of: outputs }, required: true, nullable: false, default: { kind: 'none' }, min: null, max: null, range: l.range });
  }
  if (extra.length) scope.household = { ...household, fields: [...household.fields, ...extra] };
  return scope;
}

// Checking a referenced source is pure: the same text under the same chain gives the same answer.
type Checked = { program: Program } | { cycle: string } | { error: Message };
const linkedCache = new Map<string, Checked>();
function checkLinked(id: string, source: string, modules: Map<string, A.PolicyFile>, opts: LinkOptions): Checked {
  const key = `${opts.stack!.join('\u0001')}\u0000${source}`;
  const hit = linkedCache.get(key);
  if (hit && modules.size === 0) return hit;
  const p = parse(source, `${id}.policy`);
  const c = check(p.ast, modules, opts) as ReturnType<typeof check> & { partial?: Program };
  const all = [...p.diagnostics, ...c.diagnostics];
  const cycle = all.find((d) => d.code === 'check.link-cycle');
  const first = all.find((d) => d.severity === 'error');
  const r: Checked = cycle ? { cycle: cycle.message.en.replace(/^.*: /, '') } : first || !c.program ? { error: first?.message ?? { zh: '?', en: '?' } } : { program: c.program };
  if (modules.size === 0) { if (linkedCache.size > 50) linkedCache.clear(); linkedCache.set(key, r); }
  return r;
}

/** The household-level outputs of a referenced policy as the fields of one record. */
function outputSchema(id: string, p: Program, range: Range): SchemaInfo {
  const fields: FieldInfo[] = [];
  for (const o of p.outputs) {
    if (o.decl.member) continue;
    const type = asFieldType(o.type);
    if (!type) continue;
    // not required here: the evaluation requires exactly the outputs the policy reads (link/evaluate.ts)
    fields.push({ name: o.decl.name.text, label: o.decl.label, labelEn: o.decl.labelEn ?? null, type, required: false, nullable: true, default: { kind: 'value', value: null }, min: null, max: null, range });
  }
  return { name: id, label: p.info.title, fields, range };
}

function asFieldType(t: Type): FieldType | undefined {
  switch (t.k) {
    case 'bool': case 'text': case 'textlist': case 'date': case 'number': return { k: t.k };
    case 'money': return { k: 'money', p: t.p };
    case 'enum': return { k: 'enum', values: t.values };
    default: return undefined; // percent, duration, lists of members: not readable across policies
  }
}

/** The type of `alias.output`, recording its resolution as a household field (the link's record). */
export function inferLinkedField(e: Extract<A.Expr, { kind: 'Field' }>, scope: LinkScope, err: Err, resolutions: Map<A.Expr, Resolution>, readInput: (path: string) => void, toType: (t: FieldType, nullable: boolean) => Type): Type {
  const [alias, output] = e.path;
  const target = alias && scope.targets.get(alias.text);
  if (!alias || !output) return { k: 'error' };
  if (!target) {
    // (an alias whose 引用 failed was reported at the 引用; it is still unknown here)
    err('check.link-unknown-alias', alias.range, { name: alias.text, ...hint(alias.text, [...scope.targets.keys()]) });
    return { k: 'error' };
  }
  const f = target.outputs.fields.find((x) => x.name === output.text);
  if (!f || e.path.length > 2) {
    err('check.link-unknown-output', (f ? e.path[2]! : output).range, { id: target.policy, version: target.version, name: f ? e.path[2]!.text : output.text, ...hint(output.text, target.outputs.fields.map((x) => x.name)) });
    return { k: 'error' };
  }
  const record = scope.household.fields.find((x) => x.name === target.key)!;
  resolutions.set(e, { kind: 'householdField', fields: [record, f] });
  readInput(`household.${target.key}.${f.name}`);
  return toType(f.type, f.nullable);
}

/** The names a completion may offer after `alias.`: the referenced outputs. */
export function linkedOutputs(p: Program | undefined, alias: string): FieldInfo[] {
  return p?.links?.find((l) => l.alias === alias)?.outputs.fields ?? [];
}
