// The middle form: what both backends, the trace and the language services read, computed once
// per checked Program by lower.ts (Catala's scopelang: scopes and their rules with priorities
// explicit, before the backends' dcalc/code). It does not copy the expressions: they stay the
// AST's nodes, annotated by the checker (types, resolutions) and here (constants, slots).
import type * as A from '../syntax/ast.js';
import type { Program, Type, FieldInfo } from '../check/types.js';
import type { Range } from '../base/diagnostics.js';

/** Where a value lives while a household is evaluated: once for the household, or once per member. */
export type Level = 'household' | 'member';

/** The memo slots of the evaluation context: household definitions then household outputs in
 *  `hs`; per member, member definitions then member outputs in `ms` (stride mStride). */
export interface Layout { hSize: number; mStride: number; nOut: number; outputSlot: number[] }

/** What a name or field path in an expression reads, resolved once. New kinds of input (a
 *  referenced policy's output) are new members of this union; the backends read each kind in
 *  one place (closures.ts `Ref`/`Field`, codegen/expr.ts `exRef`/`exField`). */
export type InputSlot =
  | { kind: 'householdField'; fields: FieldInfo[] }
  | { kind: 'memberField'; fields: FieldInfo[] }
  | { kind: 'param'; index: number };

/** A rule or exception of a declaration, with the citations the trace shows. */
export interface Clause {
  /** Its place in the source (the index `decided_by` records). */
  index: number;
  kind: 'rule' | 'exception';
  name: string;
  line: number;
  range: Range;
  /** Where the name is written (a decision table's row without a name: the row). */
  nameRange: Range;
  /** The rule names written after 优先于 (none: every base rule), for the editor to point at;
   *  what they decide is in overriddenBy and Body.order. */
  targets: A.Name[];
  when: A.Expr;
  then: A.Expr;
  citations: string[];
  /** The clauses that override it (an active one blocks it before its condition is evaluated). */
  overriddenBy: number[];
}

export type Body =
  | { kind: 'expr'; expr: A.Expr }
  | {
    kind: 'rules';
    /** In source order. */
    clauses: Clause[];
    /** The order the clauses are decided in: every clause after the clauses that override it. */
    order: number[];
    otherwise: A.Expr | null;
    otherwiseCitations: string[];
    otherwiseRange: Range;
  };

/** A definition or output: its level, memo slot and body, rules in priority order. */
export interface Decl {
  kind: 'def' | 'output';
  /** Index in Program.defs / memberDefs (by level) or Program.outputs. */
  index: number;
  name: string;
  label: string | null;
  labelEn: string | null;
  level: Level;
  /** Memo slot: in hs (household level) or the offset within a member's stride (member level). */
  slot: number;
  type: Type;
  body: Body;
  citations: string[];
  range: Range;
  nameRange: Range;
  /** The declarations it reads directly (definitions and outputs), for the dependency order. */
  uses: Decl[];
}

/** What a `Ref` or `Field` expression reads. */
export type Read = InputSlot | { kind: 'decl'; decl: Decl } | { kind: 'enum'; value: string };

export interface Middle {
  program: Program;
  layout: Layout;
  defs: Decl[];
  memberDefs: Decl[];
  outputs: Decl[];
  /** Every definition and output, each after the declarations it uses (a topological order). */
  sorted: Decl[];
  /** The value of every expression known when compiling (literals other than lists and
   *  durations, parameters, enum values, 按月/按年 of a constant amount), folded once. */
  constants: Map<A.Expr, { v: unknown }>;
  /** What each name and field path reads (Ref and Field expressions). */
  reads: Map<A.Expr, Read>;
}
