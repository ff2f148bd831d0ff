// What the checking passes share while they walk one file: the diagnostics so far, the declared
// symbols and the per-expression results (types, resolutions, member level) that become the
// Program. One object, handed to each pass, instead of one 600-line function's closures.
import type * as A from '../syntax/ast.js';
import { diagnostic, LIST_PER_CODE, type Diagnostic, type DiagnosticCode, type Range } from '../base/diagnostics.js';
import type { Type, Program, Resolution, SchemaInfo } from './types.js';
import type { LinkScope } from './linked.js';

// `id`: the symbol's place in declaration order (indexes the per-symbol arrays below).
export type Symbol =
  | { kind: 'param'; index: number; decl: A.ParamDecl; id: number }
  | { kind: 'def'; index: number; member: boolean; decl: A.DefDecl; id: number }
  | { kind: 'output'; index: number; member: boolean; decl: A.OutputDecl; id: number };

/** Where an expression is read: for the household, for one member, or inside an aggregate over members. */
export interface Scope { readonly member: boolean; readonly inAggregate: boolean }

export class CheckState {
  readonly diagnostics: Diagnostic[] = [];
  /** "Did you mean" searches left: each compares a name with every known one, and past the
   *  first LIST_PER_CODE diagnostics of a code the rest are only counted (bounded work). */
  suggestionsLeft = LIST_PER_CODE;
  household!: SchemaInfo;
  /** The referenced policies (引用) as resolved for this file (linked.ts). */
  links!: LinkScope;
  member: SchemaInfo | undefined;
  readonly symbols = new Map<string, Symbol>();
  readonly params: Program['params'] = [];
  readonly defs: Program['defs'] = [];
  readonly memberDefs: Program['memberDefs'] = [];
  readonly outputs: Program['outputs'] = [];
  readonly types = new Map<A.Expr, Type>();
  readonly resolutions = new Map<A.Expr, Resolution>();
  readonly overrides = new Map<A.RuleClause, number[]>();
  // Per symbol (by id): its type once checked; the symbols it uses directly, for unused-name
  // warnings and the trace; the household fields it reads directly, for the trace. The lists
  // hold no repeats, in order of first use (a handful of entries each).
  readonly declType: (Type | undefined)[] = [];
  readonly directDeps: (Symbol[] | undefined)[] = [];
  readonly directInputs: (string[] | undefined)[] = [];
  readonly inProgress: string[] = [];
  /** The declaration being checked (null: none, or one whose name was lost to a syntax error). */
  current: Symbol | null = null;
  // the expressions that depend on the current member (a set: most expressions are not)
  readonly memberLevel = new Set<A.Expr>();
  inferDepth = 0;
  tooDeepReported = false;
  // Conflicting pairs are counted; the first LIST_PER_CODE of the program are listed, the rest
  // summed up in one diag.more at the end (their number can be quadratic in the rules).
  conflictsListed = 0;
  conflictsMore = 0;
  conflictsAt: Range | null = null;
  /** The type of a declaration, checking it on first use (set by the driver: declarations.ts).
   *  A plain function of the state, not a closure over it: V8 keeps a closure stored here alive
   *  through young-generation collections, and with it the whole check (AST, types, symbols), so
   *  every finished check was copied out of the young generation instead of dying there. */
  typeOfSymbol!: (cx: CheckState, s: Symbol, at: Range) => Type;

  err(code: DiagnosticCode, range: Range, args: Record<string, string | number | { zh: string; en: string }> = {}): void {
    this.diagnostics.push(diagnostic(code, range, args));
  }

  /** Records that the declaration being checked reads the input at `path` (for the trace). */
  readInput(path: string): void {
    if (!this.current) return;
    let list = this.directInputs[this.current.id];
    if (!list) this.directInputs[this.current.id] = (list = []);
    if (!list.includes(path)) list.push(path);
  }
}
