// The fast parser: a plain recursive-descent reading of the grammar of parser.ts, tried first.
import type { TokenType } from 'chevrotain';
import * as T from './lexer.js';
import type { TokenBuffer } from './scanner.js';
import type * as A from './ast.js';
import { MAX_NESTING } from './depth.js';
import type { Range } from '../base/diagnostics.js';
import { span, unquote, calls, aggs, cmpOps, emptyFile, errorRange, numberLiteral } from './ast-build.js';
import { dateFns, roundUnits, roundRules, hitPolicies, boundsCell, tableLang, tableBody, type ReadBound } from './table-build.js';

// A plain recursive-descent reading of the same grammar, for the common case of a file without
// syntax errors: it takes the decisions Chevrotain takes on valid input (the same alternatives
// in the same order, repetitions entered on their first token) and builds the same AST, object
// for object. At the first token it does not expect it gives up (BAIL) and the file is parsed
// again by the Chevrotain parser above, whose error recovery and messages are the reference;
// so it never has to report anything. Chevrotain's generic machinery (lookahead functions,
// recovery bookkeeping, rule stacks) costs ~0.7 µs per token; this costs a tenth of that.
const BAIL = { bail: true };
/** Whether `e` is the fast parser giving up on input it does not expect (not a fault of its own). */
export const isBail = (e: unknown): boolean => e === BAIL;
const anyWordTypes = new Set<TokenType>(T.allTokens.filter((t) => t === T.Identifier || (t.CATEGORIES ?? []).includes(T.AnyWord)));
const unitTypes = new Set<TokenType>([T.Yuan, T.PerMonth, T.PerYear, T.Percent, T.Months, T.Years, T.Days]);
const fnTypes = new Set<TokenType>([T.Round, T.Monthly, T.Yearly, T.Present, T.Count, T.Sum, T.Any, T.All, T.Ids, T.Min, T.Max]);
const boundWords = new Set<TokenType>([T.From, T.Above, T.Below, T.UpTo]);
export const declStarts = new Set<TokenType>([T.Use, T.Parameter, T.MemberDefine, T.MemberOutput, T.Member, T.Define, T.Output, T.Schema]);
const headerItems = new Set<TokenType>([T.Program, T.Jurisdiction, T.Note, T.Effective, T.Source, T.Link]);
/** First tokens of unaryExpr (and so of expr after `not`). */
const unaryFirst = new Set<TokenType>([T.Minus, T.NumberLit, T.DateLit, T.StringLit, T.True, T.False, T.None, T.Age, T.AsOf, T.Identifier,
  T.Household, T.Member, T.LParen, T.LBracket, T.If, T.AtLeast, T.AtMost, ...fnTypes, T.Tier, ...dateFns.keys(), T.RoundTo]);
const exprFirst = new Set<TokenType>([T.Not, ...unaryFirst]);
const simpleTypes = new Map<TokenType, A.TypeRef['kind']>([[T.TextType, 'text'], [T.BoolType, 'bool'], [T.NumberType, 'number'], [T.IntegerType, 'integer'], [T.DateType, 'date'], [T.TextListType, 'textlist']]);
const moneyTypes = new Map<TokenType, A.Period>([[T.MoneyType, 'none'], [T.MoneyMonthType, 'month'], [T.MoneyYearType, 'year']]);

const orOp = (t: TokenType): A.BinaryOp | undefined => (t === T.Or ? 'or' : undefined);
const andOp = (t: TokenType): A.BinaryOp | undefined => (t === T.And ? 'and' : undefined);
const addOp = (t: TokenType): A.BinaryOp | undefined => (t === T.Plus ? '+' : t === T.Minus ? '-' : undefined);
const mulOp = (t: TokenType): A.BinaryOp | undefined => (t === T.Times ? '*' : t === T.Divide ? '/' : undefined);

/** Thrown when nesting passes MAX_NESTING: the declaration is kept with an error node (syntax.too-deep). */
const TOO_DEEP = { tooDeep: true };

export class FastParser {
  private b!: TokenBuffer;
  private depth = 0;
  /** Where nesting passed MAX_NESTING, one token per declaration cut short. */
  tooDeep: number[] = [];
  private type: TokenType[] = [];
  private p = 0;
  private n = 0;
  private source = '';

  parse(text: string, b: TokenBuffer): A.PolicyFile {
    this.b = b; this.type = b.type; this.p = 0; this.n = b.n; this.source = text; this.depth = 0; this.tooDeep = [];
    try {
      return this.file();
    } finally {
      this.source = '';
    }
  }

  private is(tt: TokenType, k = 0): boolean { return this.p + k < this.n && this.type[this.p + k] === tt; }
  private peek(k = 0): TokenType | undefined { return this.p + k < this.n ? this.type[this.p + k] : undefined; }
  private take(tt: TokenType): number {
    if (this.p >= this.n || this.type[this.p] !== tt) throw BAIL;
    return this.p++;
  }
  private takeWord(): number {
    if (this.p >= this.n || !anyWordTypes.has(this.type[this.p]!)) throw BAIL;
    return this.p++;
  }
  private last(): number { return this.p - 1; }
  private image(i: number): string {
    const b = this.b;
    return (b.images !== null ? b.images.get(i) : undefined) ?? b.words[i] ?? this.source.substring(b.start[i]!, b.end[i]! + 1);
  }
  /** The text of a string token without its quotes (one substring, no intermediate image). */
  private str(i: number): string {
    const b = this.b;
    if (b.images !== null && b.images.has(i)) return unquote(b.images.get(i)!);
    const s = b.start[i]!;
    if (this.source.charCodeAt(s) === 34) return unquote(this.source.substring(s, b.end[i]! + 1));
    return this.source.substring(s + 1, b.end[i]!);
  }
  /** From token i to the end of `to`: span(this.range(i), to) without making the end it drops. */
  private from(i: number, to: Range): Range {
    const b = this.b;
    return { start: { line: b.line[i]!, column: b.col[i]!, offset: b.start[i]! }, end: to.end };
  }
  private range(i: number, j: number = i): Range {
    const b = this.b;
    return {
      start: { line: b.line[i]!, column: b.col[i]!, offset: b.start[i]! },
      end: { line: b.endLine[j]!, column: b.endCol[j]! + 1, offset: b.end[j]! + 1 },
    };
  }

  private file(): A.PolicyFile {
    const f = emptyFile();
    if (this.is(T.Policy)) f.header = this.header();
    for (;;) {
      const tt = this.peek();
      if (tt === undefined || !declStarts.has(tt)) break;
      const start = this.p;
      try {
        if (tt === T.Use) f.uses.push(this.use());
        else if (tt === T.Parameter) f.decls.push(this.param());
        else if (tt === T.Schema) f.schemas.push(this.schema());
        else f.decls.push(this.namedDecl());
      } catch (e) {
        if (e !== TOO_DEEP) throw e;
        this.cutShort(start, f);
      }
    }
    if (this.p !== this.n) throw BAIL; // redundant input: Chevrotain reports it
    return f;
  }

  /** After nesting passed MAX_NESTING in the declaration at `start`: keeps the declaration (its
   *  name, so that uses of it are not reported as unknown) with an error node for a value, and
   *  goes on at the next declaration. */
  private cutShort(start: number, f: A.PolicyFile): void {
    this.tooDeep.push(this.p);
    this.depth = 0;
    const tt = this.type[start]!;
    this.p = start;
    const head = tt === T.Parameter || tt === T.Define || tt === T.Output || tt === T.MemberDefine || tt === T.MemberOutput || tt === T.Member ? this.declHead() : undefined;
    const from = this.p;
    this.p = Math.max(this.p, start + 1);
    while (this.p < this.n && !this.declStart(this.p)) this.p++;
    if (!head) return;
    const value: A.Expr = { kind: 'Error', range: this.range(Math.min(from, this.n - 1), Math.max(from, this.p - 1)) };
    const range = this.range(start, this.p - 1);
    if (head.kind === 'Param') f.decls.push({ kind: 'Param', name: head.name, label: head.label, labelEn: head.labelEn, value, min: null, max: null, sources: [], assumed: null, range });
    else f.decls.push({ kind: head.kind, member: head.member, name: head.name, label: head.label, labelEn: head.labelEn, body: { kind: 'Expr', expr: value }, sources: [], range } as A.DefDecl | A.OutputDecl);
  }

  /** Whether a declaration starts at token i (成员 only when 定义 or 输出 follows). */
  private declStart(i: number): boolean {
    const tt = this.type[i]!;
    if (tt === T.Member) return this.type[i + 1] === T.Define || this.type[i + 1] === T.Output;
    return declStarts.has(tt);
  }

  /** `参数|定义|输出|成员定义… name labels =`, read again after a cut: undefined if it is not whole. */
  private declHead(): { kind: 'Param' | 'Def' | 'Output'; member: boolean; name: A.Name; label: string | null; labelEn: string | null } | undefined {
    try {
      const tt = this.type[this.p++]!;
      let kind: 'Param' | 'Def' | 'Output' = tt === T.Parameter ? 'Param' : tt === T.Define || tt === T.MemberDefine ? 'Def' : 'Output';
      const member = tt === T.MemberDefine || tt === T.MemberOutput || tt === T.Member;
      if (tt === T.Member) { kind = this.is(T.Define) ? 'Def' : 'Output'; this.p++; }
      const nl = this.labels(this.take(T.Identifier));
      this.take(T.Equals);
      return { kind, member, ...nl };
    } catch {
      return undefined;
    }
  }

  /** Counts one level of nesting; past MAX_NESTING, gives up on the declaration (TOO_DEEP). */
  private enter(): void {
    if (++this.depth > MAX_NESTING) throw TOO_DEEP;
  }

  private text(): string {
    const t = this.p < this.n ? this.p : -1;
    if (t >= 0 && this.type[t] === T.StringLit) { this.p++; return this.str(t); }
    if (t >= 0 && this.type[t] === T.Identifier) { this.p++; return this.image(t); }
    throw BAIL;
  }

  /** `范围 [min, max]` after a parameter or a field, if written. */
  private bounds(): { min: A.Expr | null; max: A.Expr | null } {
    if (!this.is(T.Range_)) return { min: null, max: null };
    this.p++;
    this.take(T.LBracket);
    const min = this.expr();
    this.take(T.Comma);
    const max = this.expr();
    this.take(T.RBracket);
    return { min, max };
  }

  private citations(): A.Citation[] {
    const list: A.Citation[] = [];
    this.take(T.Source);
    do { const t = this.take(T.StringLit); list.push({ text: this.str(t), range: this.range(t) }); } while (this.is(T.StringLit));
    return list;
  }

  private header(): A.Header {
    const start = this.take(T.Policy);
    const { id, title } = this.idAndTitle();
    const h: A.Header = { id: { text: '', range: errorRange }, title: null, program: null, jurisdiction: null, effective: null, note: null, sources: [], range: errorRange };
    for (;;) {
      const tt = this.peek();
      if (tt === undefined || !headerItems.has(tt)) break;
      if (tt === T.Program) { this.p++; h.program = this.text(); }
      else if (tt === T.Jurisdiction) {
        this.p++;
        const code = this.is(T.NumberLit) ? this.take(T.NumberLit) : -1;
        h.jurisdiction = this.text();
        if (code >= 0) h.jurisdictionCode = { text: this.image(code), range: this.range(code) };
      }
      else if (tt === T.Link) (h.links ??= []).push(this.link());
      else if (tt === T.Note) { this.p++; h.note = this.text(); }
      else if (tt === T.Effective) {
        this.p++; const d = this.take(T.DateLit);
        let assumed: A.Citation | null = null;
        if (this.is(T.Assumed)) { this.p++; const t = this.take(T.StringLit); assumed = { text: this.str(t), range: this.range(t) }; }
        h.effective = { text: this.image(d), range: this.range(d), assumed };
      }
      else h.sources.push(...this.citations());
    }
    return { ...h, title, id, range: this.range(start, this.last()) };
  }

  /** A policy id (words and numbers joined by hyphens, read back from the source) and the title after it, if any. */
  private idAndTitle(): { id: A.Name; title: string | null } {
    const idFirst = this.takeWord();
    let idLast = idFirst;
    while (this.is(T.Minus)) {
      this.p++;
      const t = this.p < this.n ? this.p : -1;
      if (t >= 0 && (anyWordTypes.has(this.type[t]!) || this.type[t]! === T.NumberLit)) { this.p++; idLast = t; } else throw BAIL;
    }
    const id = { text: this.source.slice(this.b.start[idFirst]!, this.b.end[idLast]! + 1), range: this.range(idFirst, idLast) };
    return { id, title: this.is(T.StringLit) ? this.str(this.take(T.StringLit)) : null };
  }

  private link(): A.LinkDecl {
    const start = this.take(T.Link);
    const { id, title } = this.idAndTitle();
    this.take(T.LinkAs);
    const alias = this.take(T.Identifier);
    return { policy: id, title, alias: { text: this.image(alias), range: this.range(alias) }, range: this.range(start, alias) };
  }

  private use(): A.Use {
    const start = this.take(T.Use);
    const m = this.take(T.StringLit);
    return { module: this.str(m), range: this.range(start, m) };
  }

  private labels(n: number): { name: A.Name; label: string | null; labelEn: string | null } {
    let label: string | null = null, labelEn: string | null = null;
    if (this.is(T.StringLit)) {
      label = this.str(this.take(T.StringLit));
      if (this.is(T.StringLit)) labelEn = this.str(this.take(T.StringLit));
    }
    return { name: { text: this.image(n), range: this.range(n) }, label, labelEn };
  }

  private param(): A.ParamDecl {
    const start = this.take(T.Parameter);
    const nl = this.labels(this.take(T.Identifier));
    this.take(T.Equals);
    const value = this.expr();
    const { min, max } = this.bounds();
    const sources: A.Citation[] = [];
    let assumed: A.Citation | null = null;
    for (;;) {
      if (this.is(T.Source)) sources.push(...this.citations());
      else if (this.is(T.Assumed)) { this.p++; const t = this.take(T.StringLit); assumed = { text: this.str(t), range: this.range(t) }; }
      else break;
    }
    return { kind: 'Param' as const, name: nl.name, label: nl.label, labelEn: nl.labelEn, value, min, max, sources, assumed, range: this.range(start, this.last()) };
  }

  private namedDecl(): A.DefDecl | A.OutputDecl {
    const token = this.p;
    let kind: 'Def' | 'Output', member: boolean;
    const tt = this.type[token]!;
    if (tt === T.MemberDefine) { this.p++; kind = 'Def'; member = true; }
    else if (tt === T.MemberOutput) { this.p++; kind = 'Output'; member = true; }
    else if (tt === T.Member) {
      this.p++;
      if (this.is(T.Define)) { this.p++; kind = 'Def'; } else if (this.is(T.Output)) { this.p++; kind = 'Output'; } else throw BAIL;
      member = true;
    } else if (tt === T.Define) { this.p++; kind = 'Def'; member = false; }
    else if (tt === T.Output) { this.p++; kind = 'Output'; member = false; }
    else throw BAIL;
    const nl = this.labels(this.take(T.Identifier));
    this.take(T.Equals);
    const b = this.body();
    return { kind, member, name: nl.name, label: nl.label, labelEn: nl.labelEn, body: b.body, sources: b.sources, range: this.range(token, this.last()) } as A.DefDecl | A.OutputDecl;
  }

  private body(): { body: A.Body; sources: A.Citation[] } {
    if (this.is(T.Table)) return { body: tableBody(this.decisionTable()), sources: [] };
    if (this.is(T.Rule) || this.is(T.Exception)) {
      const rules: A.RuleClause[] = [];
      do rules.push(this.ruleClause()); while (this.is(T.Rule) || this.is(T.Exception));
      let otherwise: A.Expr | null = null;
      let otherwiseRange: Range | null = null;
      let otherwiseSources: A.Citation[] = [];
      if (this.is(T.Otherwise)) {
        const o = this.take(T.Otherwise);
        otherwise = this.expr();
        otherwiseRange = this.from(o, otherwise.range);
        if (this.is(T.Source)) otherwiseSources = this.citations();
      }
      return { body: { kind: 'Rules' as const, rules, otherwise, otherwiseRange, otherwiseSources }, sources: [] };
    }
    const e = this.expr();
    const sources: A.Citation[] = [];
    if (this.is(T.Source)) sources.push(...this.citations());
    return { body: { kind: 'Expr' as const, expr: e }, sources };
  }

  private decisionTable(): A.DecisionTable {
    const t = this.take(T.Table);
    let policy: A.HitPolicy = 'unique', written = false;
    const pt = this.peek();
    if (pt !== undefined && hitPolicies.has(pt)) { this.p++; policy = hitPolicies.get(pt)!; written = true; }
    this.take(T.LParen);
    const columns: A.TableColumn[] = [];
    for (;;) {
      const e = this.expr();
      columns.push({ expr: e, text: this.source.slice(e.range.start.offset, e.range.end.offset) });
      if (!this.is(T.Comma)) break;
      this.p++;
    }
    this.take(T.RParen);
    this.take(T.Colon);
    const rows: A.TableRow[] = [];
    do rows.push(this.tableRow()); while (this.is(T.Row));
    let otherwise: A.Expr | null = null;
    let otherwiseSources: A.Citation[] = [];
    if (this.is(T.Otherwise)) {
      this.p++;
      otherwise = this.expr();
      if (this.is(T.Source)) otherwiseSources = this.citations();
    }
    return { lang: tableLang(this.image(t)), policy, policyWritten: written, columns, rows, otherwise, otherwiseSources, range: this.range(t, this.last()) };
  }

  private tableRow(): A.TableRow {
    const start = this.take(T.Row);
    let name: A.Name | null = null;
    if (this.is(T.Identifier)) { const n = this.p++; name = { text: this.image(n), range: this.range(n) }; }
    const cells: A.TableCell[] = [];
    do { this.take(T.Bar); cells.push(this.tableCell()); } while (this.is(T.Bar));
    this.take(T.Arrow);
    const result = this.expr();
    const sources = this.is(T.Source) ? this.citations() : [];
    return { name, cells, result, sources, range: this.range(start, this.last()) };
  }

  private tableCell(): A.TableCell {
    const t = this.p;
    const tt = this.peek();
    if (tt === undefined) throw BAIL;
    if (tt === T.Dash || tt === T.AnyValue || (tt === T.Any && this.peek(1) !== T.LParen)) { this.p++; return { kind: 'any', range: this.range(t) }; }
    const readWord = (value: A.Expr, w: number): ReadBound => ({ type: this.type[w]!, image: this.image(w), range: this.range(w), value });
    const second = (): ReadBound | undefined => {
      const n = this.peek();
      if (n === undefined || !(boundWords.has(n) || unaryFirst.has(n))) return undefined;
      const b = this.bound();
      return readWord(b.value, b.word);
    };
    if (boundWords.has(tt)) { this.p++; const v = this.unaryExpr(); const b1 = readWord(v, t); return boundsCell(b1, second()); }
    const v = this.unaryExpr();
    const w = this.peek();
    if (w !== undefined && boundWords.has(w)) { const wi = this.p++; const b1 = readWord(v, wi); return boundsCell(b1, second()); }
    const values = [v];
    while (this.is(T.Or)) { this.p++; values.push(this.unaryExpr()); }
    return { kind: 'values', values, range: span(values[0]!.range, values[values.length - 1]!.range) };
  }

  private ruleClause(): A.RuleClause {
    const start = this.p++;
    const n = this.take(T.Identifier);
    const overrides: A.Name[] = [];
    if (this.is(T.Overrides)) {
      this.p++;
      for (;;) {
        const o = this.take(T.Identifier);
        overrides.push({ text: this.image(o), range: this.range(o) });
        if (!this.is(T.Comma)) break;
        this.p++;
      }
    }
    let sources: A.Citation[] = [];
    if (this.is(T.Source)) sources = this.citations();
    this.take(T.Colon);
    this.take(T.When);
    const when = this.expr();
    this.take(T.Then);
    const then = this.expr();
    return {
      kind: this.type[start]! === T.Rule ? 'rule' as const : 'exception' as const,
      name: { text: this.image(n), range: this.range(n) }, overrides, sources, when, then, range: this.range(start, this.last()),
    };
  }

  private schema(): A.SchemaDecl {
    const start = this.take(T.Schema);
    const nl = this.labels(this.takeWord());
    const fields: A.FieldDecl[] = [];
    for (;;) {
      const t = this.p < this.n ? this.p : -1;
      if (t < 0 || !anyWordTypes.has(this.type[t]!)) break;
      let k = 1;
      while (k < 3 && this.is(T.StringLit, k)) k++;
      if (!this.is(T.Colon, k)) break;
      fields.push(this.field());
    }
    return { kind: 'Schema' as const, name: nl.name, label: nl.label, labelEn: nl.labelEn, fields, range: this.range(start, this.last()) };
  }

  private field(): A.FieldDecl {
    const nl = this.labels(this.takeWord());
    this.take(T.Colon);
    const type = this.typeRef();
    const { min, max } = this.bounds();
    let dflt: A.Expr | null = null;
    if (this.is(T.Equals)) { this.p++; dflt = this.expr(); }
    return { name: nl.name, label: nl.label, labelEn: nl.labelEn, type, min, max, default: dflt, range: span(nl.name.range, this.range(this.last())) };
  }

  private typeRef(): A.TypeRef {
    const t = this.p < this.n ? this.p : -1;
    if (t < 0) throw BAIL;
    const tt = this.type[t]!;
    const simple = simpleTypes.get(tt);
    if (simple !== undefined) { this.p++; return { kind: simple, range: this.range(t) } as A.TypeRef; }
    const period = moneyTypes.get(tt);
    if (period !== undefined) { this.p++; return { kind: 'money' as const, period, range: this.range(t) }; }
    if (tt === T.EnumType) {
      this.p++;
      this.take(T.LParen);
      const values: { name: A.Name; label: string | null; labelEn?: string | null }[] = [];
      for (;;) {
        values.push(this.labels(this.takeWord()));
        if (!this.is(T.Comma)) break;
        this.p++;
      }
      this.take(T.RParen);
      return { kind: 'enum' as const, values, range: this.range(t, this.last()) };
    }
    if (tt === T.ListType) {
      this.p++;
      this.take(T.LParen);
      const of = this.takeWord();
      this.take(T.RParen);
      return { kind: 'list' as const, of: { text: this.image(of), range: this.range(of) }, range: this.range(t, this.last()) };
    }
    if (tt === T.Identifier) { this.p++; return { kind: 'ref' as const, name: { text: this.image(t), range: this.range(t) }, range: this.range(t) }; }
    throw BAIL;
  }

  // ── expressions ───────────────────────────────────────────────────────────────────────
  /** A left-associative chain of one precedence level: operand (op operand)*. */
  private chain(operand: () => A.Expr, opOf: (type: TokenType) => A.BinaryOp | undefined): A.Expr {
    let left = operand();
    while (this.p < this.n) {
      const op = opOf(this.type[this.p]!);
      if (op === undefined) break;
      this.p++;
      const right = operand();
      left = { kind: 'Binary', op, left, right, range: span(left.range, right.range) };
    }
    return left;
  }

  // operands and operator tables made once, so a chain allocates nothing per call
  private readonly andOperand = () => this.andExpr();
  private readonly notOperand = () => this.notExpr();
  private readonly mulOperand = () => this.mulExpr();
  private readonly unaryOperand = () => this.unaryExpr();
  private readonly cmpOperand = () => this.cmpExpr();
  private readonly primaryOperand = () => this.primary();
  private expr(): A.Expr {
    this.enter();
    const e = this.chain(this.andOperand, orOp);
    this.depth--;
    return e;
  }
  private andExpr(): A.Expr { return this.chain(this.notOperand, andOp); }

  private notExpr(): A.Expr { return this.prefixed(T.Not, 'not', this.notOperand, this.cmpOperand); }

  /** `op x` (不 x, −x), nested as often as written; else the next level's expression. */
  private prefixed(token: TokenType, op: 'not' | 'neg', self: () => A.Expr, next: () => A.Expr): A.Expr {
    const t = this.p < this.n ? this.p : -1;
    if (t < 0 || this.type[t]! !== token) return next();
    this.p++;
    this.enter();
    const arg = self();
    this.depth--;
    return { kind: 'Unary' as const, op, arg, range: this.from(t, arg.range) };
  }

  private cmpExpr(): A.Expr {
    let left = this.addExpr();
    const t = this.p < this.n ? this.p : -1;
    if (t >= 0) {
      const op = cmpOps.get(this.type[t]!);
      if (op !== undefined) {
        this.p++;
        const right = this.addExpr();
        const b: A.Expr & { kind: 'Binary' } = { kind: 'Binary', op, left, right, range: span(left.range, right.range) };
        if (this.type[t]! === T.Is || this.type[t]! === T.IsNot) b.word = true;
        left = b;
      }
    }
    return left;
  }

  private addExpr(): A.Expr { return this.chain(this.mulOperand, addOp); }
  private mulExpr(): A.Expr { return this.chain(this.unaryOperand, mulOp); }

  private unaryExpr(): A.Expr { return this.prefixed(T.Minus, 'neg', this.unaryOperand, this.primaryOperand); }

  private literal(): A.Expr {
    const n = this.take(T.NumberLit);
    let unit: number | undefined;
    const u = this.p < this.n ? this.p : -1;
    if (u >= 0 && unitTypes.has(this.type[u]!)) { this.p++; unit = u; }
    return numberLiteral(unit === undefined ? undefined : this.type[unit], this.image(n), this.range(n, unit ?? n));
  }

  private fieldPath(): A.Name[] {
    const path: A.Name[] = [];
    do {
      this.take(T.Dot);
      const n = this.takeWord();
      path.push({ text: this.image(n), range: this.range(n) });
    } while (this.is(T.Dot));
    return path;
  }

  private primary(): A.Expr {
    const t = this.p < this.n ? this.p : -1;
    if (t < 0) throw BAIL;
    const tt = this.type[t]!;
    switch (tt) {
      case T.NumberLit: return this.literal();
      case T.DateLit: this.p++; return { kind: 'Date' as const, text: this.image(t), range: this.range(t) };
      case T.StringLit: this.p++; return { kind: 'Text' as const, text: this.str(t), range: this.range(t) };
      case T.True: this.p++; return { kind: 'Bool' as const, value: true, range: this.range(t) };
      case T.False: this.p++; return { kind: 'Bool' as const, value: false, range: this.range(t) };
      case T.None: this.p++; return { kind: 'None' as const, range: this.range(t) };
      case T.Age: this.p++; return { kind: 'Age' as const, range: this.range(t) };
      case T.AsOf: this.p++; return { kind: 'AsOf' as const, range: this.range(t) };
      case T.Identifier: {
        this.p++;
        if (!this.is(T.Dot)) return { kind: 'Ref' as const, name: this.image(t), range: this.range(t) };
        const path = this.fieldPath();
        return { kind: 'Field', base: 'linked', path: [{ text: this.image(t), range: this.range(t) }, ...path], range: this.from(t, path[path.length - 1]!.range) };
      }
      case T.Household: {
        this.p++;
        const path = this.fieldPath();
        return { kind: 'Field' as const, base: 'household' as const, path, range: this.from(t, path[path.length - 1]?.range ?? this.range(t)) };
      }
      case T.Member: {
        this.p++;
        const path = this.is(T.Dot) ? this.fieldPath() : [];
        return path.length === 0
          ? { kind: 'Members', range: this.range(t) }
          : { kind: 'Field', base: 'member', path, range: this.from(t, path[path.length - 1]!.range) };
      }
      case T.LParen: {
        this.p++;
        const e = this.expr();
        const r = this.take(T.RParen);
        return { ...e, range: e.kind === 'Error' ? this.range(t, r) : e.range };
      }
      case T.LBracket: {
        this.p++;
        const items: A.Expr[] = [];
        if (exprFirst.has(this.peek()!)) {
          for (;;) {
            items.push(this.expr());
            if (!this.is(T.Comma)) break;
            this.p++;
          }
        }
        const r = this.take(T.RBracket);
        return { kind: 'List' as const, items, range: this.range(t, r) };
      }
      case T.If: {
        this.p++;
        const cond = this.expr();
        this.take(T.Then);
        const then = this.expr();
        this.take(T.Otherwise);
        const els = this.expr();
        return { kind: 'If' as const, cond, then, else: els, range: this.from(t, els.range) };
      }
      case T.AtLeast: case T.AtMost: {
        this.p++;
        const bound = this.addExpr();
        this.take(T.LParen);
        const e = this.expr();
        const r = this.take(T.RParen);
        return { kind: 'Call' as const, fn: tt === T.AtLeast ? 'atLeast' as const : 'atMost' as const, args: [bound, e], range: this.range(t, r) };
      }
      case T.Tier: return this.tier();
      case T.RoundTo: {
        this.p++;
        this.take(T.LParen);
        const x = this.expr();
        this.take(T.Comma);
        const u = this.p;
        if (!roundUnits.has(this.type[u]!)) throw BAIL;
        this.p++;
        this.take(T.Comma);
        const k = this.p;
        if (!roundRules.has(this.type[k]!)) throw BAIL;
        this.p++;
        const r = this.take(T.RParen);
        return { kind: 'Call', fn: 'roundTo', range: this.range(t, r), args: [
          x, { kind: 'Text', text: roundUnits.get(this.type[u]!)!, range: this.range(u) }, { kind: 'Text', text: roundRules.get(this.type[k]!)!, range: this.range(k) },
        ] };
      }
    }
    const dateFn = dateFns.get(tt);
    if (dateFn !== undefined) {
      this.p++;
      this.take(T.LParen);
      const args: A.Expr[] = [];
      for (;;) { args.push(this.expr()); if (!this.is(T.Comma)) break; this.p++; }
      const r = this.take(T.RParen);
      return { kind: 'Call', fn: dateFn, args, range: this.range(t, r) };
    }
    if (!fnTypes.has(tt)) throw BAIL;
    this.p++;
    const args: A.Expr[] = [];
    let where: A.Expr | null = null;
    this.take(T.LParen);
    args.push(this.expr());
    if (this.is(T.Comma)) { this.p++; args.push(this.expr()); }
    else if (this.is(T.Where)) { this.p++; where = this.expr(); }
    this.take(T.RParen);
    const range = this.range(t, this.last());
    if (calls.has(tt)) return { kind: 'Call', fn: calls.get(tt)!, args, range };
    if ((tt === T.Min || tt === T.Max) && args.length === 2) return { kind: 'Call', fn: tt === T.Min ? 'min' : 'max', args, range };
    return { kind: 'Aggregate', fn: aggs.get(tt)!, arg: args[0]!, where, range };
  }

  private bound(): { word: number; value: A.Expr } {
    const t = this.p < this.n ? this.p : -1;
    if (t >= 0 && boundWords.has(this.type[t]!)) { this.p++; return { word: t, value: this.unaryExpr() }; }
    const value = this.unaryExpr();
    const w = this.p < this.n ? this.p : -1;
    if (w < 0 || !boundWords.has(this.type[w]!)) throw BAIL;
    this.p++;
    return { word: w, value };
  }

  private tier(): A.Expr {
    const t = this.take(T.Tier);
    const subject = this.addExpr();
    this.take(T.Colon);
    const brackets: A.TierBracket[] = [];
    do {
      const b1 = this.bound();
      let b2: { word: number; value: A.Expr } | undefined;
      const n = this.peek();
      if (n !== undefined && (boundWords.has(n) || unaryFirst.has(n))) b2 = this.bound();
      this.take(T.Arrow);
      const result = this.expr();
      const bracket: A.TierBracket = { lower: null, upper: null, result, range: span(b1.value.range.start.offset < this.range(b1.word).start.offset ? b1.value.range : this.range(b1.word), result.range) };
      for (const b of [b1, b2]) {
        if (!b) continue;
        const bt = this.type[b.word]!;
        const bd: A.TierBound = { value: b.value, inclusive: bt === T.From || bt === T.UpTo, word: this.image(b.word) };
        if (bt === T.From || bt === T.Above) bracket.lower = bd; else bracket.upper = bd;
      }
      brackets.push(bracket);
      const m = this.peek();
      if (m === undefined || !(boundWords.has(m) || unaryFirst.has(m))) break;
    } while (true);
    let otherwise: A.Expr | null = null;
    if (this.is(T.Otherwise)) {
      this.p++;
      if (this.is(T.Arrow)) this.p++;
      otherwise = this.expr();
    }
    return { kind: 'Tier' as const, subject, brackets, otherwise, range: this.range(t, this.last()) };
  }
}

const fast = new FastParser();
