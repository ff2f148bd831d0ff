// The pipeline as one call: parse → check (→ compile), with schema modules passed in as text.
import { parse } from './syntax/parse.js';
import { spanAt } from './syntax/parser.js';
import { check } from './check/index.js';
import { compile, type CompileOptions, type CompiledPolicy, type EvalResult } from './backends/index.js';
import type { PolicyFile } from './syntax/ast.js';
import { capPerCode, LIST_PER_CODE, type Diagnostic } from './base/diagnostics.js';
import { nearest } from './base/nearest.js';
import type { PolicyInfo, Program, SchemaInfo } from './check/types.js';
import { buildSchemas } from './check/schema.js';
import { toJsonSchema } from './eval/json-schema.js';
import { decodeHousehold, type FieldError } from './eval/validate.js';
import type { LinkedLookup } from './check/linked.js';
import { LINK_KEY_PREFIX } from './check/linked.js';
import { lower, type Middle } from './middle/index.js';

export type ModuleSources = Record<string, string>;
export interface AnalyzeOptions {
  file?: string; modules?: ModuleSources;
  /** The policies this one references (引用): the version in force and its source, by id. */
  linked?: LinkedLookup;
  /** Known policy ids, for "did you mean" when a 引用 names none of them. */
  linkedIds?: readonly string[];
}
export interface Analysis {
  diagnostics: Diagnostic[]; hasErrors: boolean; info?: PolicyInfo; program?: Program; ast: PolicyFile;
  /** The checked program even when it has errors (for editor services). */
  checked?: Program;
  /** The middle form of `checked`: what the language services resolve names and read
   *  declarations through. Lowered on first read, once per Program (the compiler shares it). */
  readonly middle?: Middle;
}

/** The analysis with its middle form as a lazy property: most callers (the runtime's summaries)
 *  never read it, and it is not enumerable so copying an analysis does not lower it. The getter
 *  is one function for all analyses (it reads `this`): a closure over each analysis, held by the
 *  property, kept every finished analysis alive through V8's young-generation collections. */
function withMiddle(a: Omit<Analysis, 'middle'>): Analysis {
  return Object.defineProperty(a, 'middle', { get: middleOf, enumerable: false });
}
function middleOf(this: Analysis): Middle | undefined {
  return this.checked ? lower(this.checked) : undefined;
}

const moduleCache = new Map<string, { ast: PolicyFile; diagnostics: Diagnostic[] }>();
function parseModule(name: string, text: string) {
  const key = `${name}\u0000${text}`;
  let m = moduleCache.get(key);
  if (!m) {
    m = parse(text, `${name}.policy`);
    if (moduleCache.size > 50) moduleCache.clear();
    moduleCache.set(key, m);
  }
  return m;
}

function moduleAsts(modules: ModuleSources = {}): Map<string, PolicyFile> {
  const out = new Map<string, PolicyFile>();
  for (const [name, text] of Object.entries(modules)) out.set(name, parseModule(name, text).ast);
  return out;
}

const bySeverityAndPlace = (a: Diagnostic, b: Diagnostic) => a.range.start.offset - b.range.start.offset;

const unusedCodes = new Set(['check.unused-definition', 'check.unused-parameter']);

/**
 * The checker's findings that only echo a syntax error (one mistake, one error): none inside a
 * declaration that has one, no "unknown name" for a name such a declaration declares, no
 * "never used" warnings while the file has syntax errors (the use may be in what was not read),
 * nor for the name a misspelt use most likely meant.
 */
function withoutEchoes(found: Diagnostic[], p: ReturnType<typeof parse>, source: string): Diagnostic[] {
  const text = (d: Diagnostic) => source.slice(d.range.start.offset, d.range.end.offset);
  if (!p.diagnostics.some((d) => d.severity === 'error')) {
    // a name whose only use is misspelt is not "never used": the misspelling is the one error
    const unused = found.filter((d) => unusedCodes.has(d.code)).map(text);
    // (the first LIST_PER_CODE misspellings only: each compares with every unused name)
    const misspelt = found.filter((d) => d.code === 'check.unknown-name').slice(0, LIST_PER_CODE);
    const meant = new Set(unused.length ? misspelt.map((d) => nearest(text(d), unused)) : []);
    return found.filter((d) => !(unusedCodes.has(d.code) && meant.has(text(d))));
  }
  const spans = p.errorSpans;
  const lost = new Set(spans.flatMap((s) => s.names));
  return found.filter((d) => {
    if (unusedCodes.has(d.code)) return false;
    const at = d.range.start.offset;
    if (spanAt(spans, at)) return false;
    return !(d.code === 'check.unknown-name' && lost.has(text(d)));
  });
}

/** Parses and checks a policy. Never throws. */
export function analyze(source: string, opts: AnalyzeOptions = {}): Analysis {
  try {
    const p = parse(source, opts.file);
    const c = check(p.ast, moduleAsts(opts.modules), { linked: opts.linked, linkedIds: opts.linkedIds }) as ReturnType<typeof check> & { partial?: Program };
    // sorted by place, then at most LIST_PER_CODE of a code (the rest counted in one diag.more)
    const diagnostics = capPerCode([...p.diagnostics, ...withoutEchoes(c.diagnostics, p, source)].sort(bySeverityAndPlace));
    if (opts.file) for (const d of diagnostics) d.file = opts.file;
    const program = c.program ?? c.partial;
    const hasErrors = diagnostics.some((d) => d.severity === 'error');
    return withMiddle({ diagnostics, hasErrors, info: program?.info, program: hasErrors ? undefined : program, ast: p.ast, checked: program });
  } catch (e) {
    // A checker fault must not take the editor down: report it as a diagnostic, in words of our
    // own (the fault's JS text says nothing to an author and leaks internals to an API caller).
    void e;
    const at = { line: 1, column: 1, offset: 0 };
    return {
      diagnostics: [{ range: { start: at, end: at }, severity: 'error', code: 'internal', message: { zh: '内部错误：检查未能完成，请报告此问题', en: 'Internal error: the check could not finish; please report it' }, file: opts.file }],
      hasErrors: true, ast: { header: null, uses: [], decls: [], schemas: [], comments: [], range: { start: at, end: at } },
    };
  }
}

/** Parses, checks and compiles. `compiled` is undefined when there are errors. */
export function compileSource(source: string, opts: AnalyzeOptions & CompileOptions = {}): { compiled?: CompiledPolicy; diagnostics: Diagnostic[]; info?: PolicyInfo } {
  const a = analyze(source, opts);
  if (!a.program) return { diagnostics: a.diagnostics, info: a.info };
  return { compiled: compile(a.program, opts.mode ? { mode: opts.mode } : {}), diagnostics: a.diagnostics, info: a.info };
}

/** The household schema declared by the modules (the `household` 模式). */
export function householdSchema(modules: ModuleSources): SchemaInfo | undefined {
  const decls = [...moduleAsts(modules).values()].flatMap((m) => m.schemas);
  return buildSchemas(decls, []).get('household');
}

export function householdJsonSchema(modules: ModuleSources): Record<string, unknown> {
  const s = householdSchema(modules);
  return s ? toJsonSchema(s) : { type: 'object' };
}

/** JSON Schema of the household a policy reads: the common schema plus the policy's own fields. */
export function policyJsonSchema(source: string, modules: ModuleSources): Record<string, unknown> {
  const household = analyze(source, { modules }).checked?.household;
  if (!household || !household.fields.length) return householdJsonSchema(modules);
  // the results of referenced policies are carried in the household only during evaluation
  return toJsonSchema({ ...household, fields: household.fields.filter((f) => !f.name.startsWith(LINK_KEY_PREFIX)) });
}

export function validateHousehold(modules: ModuleSources, json: unknown): { ok: boolean; errors: FieldError[] } {
  const s = householdSchema(modules);
  if (!s) return { ok: false, errors: [{ path: 'household', message: { zh: '没有家庭模式', en: 'no household schema' } }] };
  const r = decodeHousehold(s, json);
  return { ok: r.errors.length === 0, errors: r.errors };
}

