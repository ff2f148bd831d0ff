// The typed AST: plain data with source ranges, no behaviour. The parser builds it; the
// checker, formatter and services read it.
import type { Range } from '../base/diagnostics.js';

export interface Citation { text: string; range: Range }
export interface Name { text: string; range: Range }

export interface Header {
  id: Name; title: string | null; program: string | null; jurisdiction: string | null;
  /** `生效 DATE`, optionally followed by `假定「…」` when no source gives the date. */
  effective: { text: string; range: Range; assumed?: Citation | null } | null; note: string | null; sources: Citation[]; range: Range;
  /** `辖区 640202「…」`: the GB/T 2260 division code written before the jurisdiction's name. */
  jurisdictionCode?: Name | null;
  /** `引用 dawukou-dibao「…」 简称 低保`: the policies whose results this one reads, in order. */
  links?: LinkDecl[];
}
/** One `引用 id「title」 简称 alias` (English `link id "title" as alias`); outputs read as alias.output. */
export interface LinkDecl { policy: Name; title: string | null; alias: Name; range: Range }
export interface Use { module: string; range: Range }

export type Period = 'none' | 'month' | 'year';
export type Expr =
  | { kind: 'Number'; text: string; range: Range }
  | { kind: 'Money'; text: string; period: Period; range: Range }
  | { kind: 'Percent'; text: string; range: Range }
  | { kind: 'Date'; text: string; range: Range }
  | { kind: 'Duration'; text: string; unit: 'months' | 'years' | 'days'; range: Range }
  | { kind: 'Text'; text: string; range: Range }
  | { kind: 'Bool'; value: boolean; range: Range }
  | { kind: 'None'; range: Range }
  | { kind: 'Error'; range: Range }
  | { kind: 'List'; items: Expr[]; range: Range }
  | { kind: 'Ref'; name: string; range: Range }
  // base 'linked': `低保.eligible`, path[0] the alias of a 引用, path[1] the referenced output
  | { kind: 'Field'; base: 'household' | 'member' | 'linked'; path: Name[]; range: Range }
  | { kind: 'Members'; range: Range }
  | { kind: 'Age'; range: Range }
  | { kind: 'AsOf'; range: Range }
  | { kind: 'Unary'; op: 'not' | 'neg'; arg: Expr; range: Range }
  | { kind: 'Binary'; op: BinaryOp; left: Expr; right: Expr; range: Range; /** written 是/不是/is/is not rather than = / ≠ */ word?: boolean }
  | { kind: 'If'; cond: Expr; then: Expr; else: Expr; range: Range }
  | { kind: 'Call'; fn: CallFn; args: Expr[]; range: Range }
  | { kind: 'Aggregate'; fn: AggregateFn; arg: Expr; where: Expr | null; range: Range }
  | { kind: 'Tier'; subject: Expr; brackets: TierBracket[]; otherwise: Expr | null; range: Range };

export type BinaryOp = '+' | '-' | '*' | '/' | '<' | '<=' | '>' | '>=' | '=' | '!=' | 'and' | 'or' | 'in';
export type CallFn = 'round' | 'monthly' | 'yearly' | 'present' | 'min' | 'max' | 'atLeast' | 'atMost'
  /** dates and rounding (dsl/base/date-round-ops.ts); 舍入's unit and rule are Text arguments 'yuan'|'jiao'|'fen', 'half-up'|'down'|'up' */
  | 'daysBetween' | 'monthsBetween' | 'yearsBetween' | 'yearOf' | 'monthOf' | 'prorate' | 'roundTo';
export type AggregateFn = 'count' | 'sum' | 'any' | 'all' | 'min' | 'max' | 'ids';
export interface TierBound { value: Expr; inclusive: boolean; word: string }
export interface TierBracket { lower: TierBound | null; upper: TierBound | null; result: Expr; range: Range }

export interface RuleClause {
  kind: 'rule' | 'exception'; name: Name; overrides: Name[]; sources: Citation[];
  when: Expr; then: Expr; range: Range;
}
/** `table` is set when the body was written as a decision table: the parser leaves `rules` empty
 *  and the checker lowers the table into rules (or, for collect-sum, an expression). */
export type Body =
  | { kind: 'Expr'; expr: Expr; table?: DecisionTable }
  | { kind: 'Rules'; rules: RuleClause[]; otherwise: Expr | null; otherwiseRange: Range | null; otherwiseSources: Citation[]; table?: DecisionTable };

// ── decision tables (决策表) ───────────────────────────────────────────────────────────────
/** unique (唯一): rows may not overlap; first (首个): the first matching row wins; sum (合计): the matching rows' values add up. */
export type HitPolicy = 'unique' | 'first' | 'sum';
export type TableCell =
  | { kind: 'any'; range: Range }
  | { kind: 'bounds'; lower: TierBound | null; upper: TierBound | null; range: Range }
  | { kind: 'values'; values: Expr[]; range: Range };
export interface TableRow { name: Name | null; cells: TableCell[]; result: Expr; sources: Citation[]; range: Range }
export interface TableColumn { expr: Expr; text: string }
export interface DecisionTable {
  /** The keyword language the table was written in: default row names follow it (第3行 / row 3). */
  lang: 'zh' | 'en'; policy: HitPolicy; policyWritten: boolean; columns: TableColumn[]; rows: TableRow[];
  otherwise: Expr | null; otherwiseSources: Citation[]; range: Range;
}

export interface ParamDecl {
  kind: 'Param'; name: Name; label: string | null; labelEn?: string | null; value: Expr; min: Expr | null; max: Expr | null;
  sources: Citation[]; assumed: Citation | null; range: Range;
}
export interface DefDecl { kind: 'Def'; member: boolean; name: Name; label: string | null; labelEn?: string | null; body: Body; sources: Citation[]; range: Range }
export interface OutputDecl { kind: 'Output'; member: boolean; name: Name; label: string | null; labelEn?: string | null; body: Body; sources: Citation[]; range: Range }
export type Decl = ParamDecl | DefDecl | OutputDecl;

export type TypeRef =
  | { kind: 'text' | 'bool' | 'number' | 'integer' | 'date' | 'textlist'; range: Range }
  | { kind: 'money'; period: Period; range: Range }
  | { kind: 'enum'; values: { name: Name; label: string | null; labelEn?: string | null }[]; range: Range }
  | { kind: 'list'; of: Name; range: Range }
  | { kind: 'ref'; name: Name; range: Range };
export interface FieldDecl {
  name: Name; label: string | null; labelEn?: string | null; type: TypeRef; min: Expr | null; max: Expr | null;
  default: Expr | null; range: Range;
}
export interface SchemaDecl { kind: 'Schema'; name: Name; label: string | null; labelEn?: string | null; fields: FieldDecl[]; range: Range }

export interface PolicyFile {
  header: Header | null; uses: Use[]; decls: Decl[]; schemas: SchemaDecl[];
  comments: { text: string; range: Range }[]; range: Range;
}
