// Chevrotain parser: tokens → typed AST (ast.ts) with source ranges. Error recovery is on, so
// one typo yields one precise diagnostic and the rest of the file still parses.
import { EmbeddedActionsParser, type IToken, type TokenType } from 'chevrotain';
import * as T from './lexer.js';
import { tokensOf, type TokenBuffer } from './lexer.js';
import type * as A from './ast.js';
import { diagnostic, type Diagnostic, type Range } from '../base/diagnostics.js';
import { MAX_NESTING } from './depth.js';

export function tokenRange(first: IToken, last: IToken = first): Range {
  return {
    start: { line: first.startLine ?? 1, column: first.startColumn ?? 1, offset: first.startOffset },
    end: { line: last.endLine ?? 1, column: (last.endColumn ?? 0) + 1, offset: (last.endOffset ?? first.startOffset) + 1 },
  };
}
export const span = (a: Range, b: Range): Range => ({ start: a.start, end: b.end });
const unquote = (image: string) => (image.startsWith('"') ? image.slice(1, -1).replace(/\\(.)/g, '$1') : image.slice(1, -1));

const errorRange: Range = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
const calls = new Map<TokenType, A.CallFn>([[T.Round, 'round'], [T.Monthly, 'monthly'], [T.Yearly, 'yearly'], [T.Present, 'present']]);
const aggs = new Map<TokenType, A.AggregateFn>([[T.Count, 'count'], [T.Sum, 'sum'], [T.Any, 'any'], [T.All, 'all'], [T.Ids, 'ids'], [T.Min, 'min'], [T.Max, 'max']]);
const cmpOps = new Map<TokenType, A.BinaryOp>([[T.Less, '<'], [T.LessEq, '<='], [T.Greater, '>'], [T.GreaterEq, '>='], [T.Equals, '='], [T.NotEq, '!='], [T.Is, '='], [T.IsNot, '!='], [T.In, 'in']]);
const errorExpr = (): A.Expr => ({ kind: 'Error', range: errorRange });
const errorBody = (): A.Body => ({ kind: 'Expr', expr: errorExpr() });
const emptyFile = (): A.PolicyFile => ({ header: null, uses: [], decls: [], schemas: [], comments: [], range: errorRange });

class PolicyParser extends EmbeddedActionsParser {
  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 4 });
    this.performSelfAnalysis();
  }

  private last(): IToken { return this.LA(0); }

  // Chevrotain re-reads the alternatives of OR on every call; building those arrays once (their
  // closures use only `this` and return values) keeps parsing fast enough for every keystroke.
  private alts = new Map<string, { ALT: () => unknown }[]>();
  private cached<T>(key: string, make: () => { ALT: () => T }[]): { ALT: () => T }[] {
    let a = this.alts.get(key);
    if (!a) { a = make(); this.alts.set(key, a); }
    return a as { ALT: () => T }[];
  }

  // ── file ────────────────────────────────────────────────────────────────────────────────
  /** What the file rule has read so far; kept outside the rule so an error at the very end
   *  (which unwinds the whole rule) still leaves every complete declaration. */
  public collected: A.PolicyFile = emptyFile();

  public file = this.RULE('file', (): void => {
    const f = this.collected;
    this.OPTION(() => { const h = this.SUBRULE(this.header); this.ACTION(() => { if (h) f.header = h; }); });
    this.MANY(() => {
      this.OR([
        { ALT: () => { const u = this.SUBRULE(this.use); this.ACTION(() => u && f.uses.push(u)); } },
        { ALT: () => { const d = this.SUBRULE(this.param); this.ACTION(() => d && f.decls.push(d)); } },
        { ALT: () => { const d = this.SUBRULE(this.namedDecl); this.ACTION(() => d && f.decls.push(d)); } },
        { ALT: () => { const s = this.SUBRULE(this.schema); this.ACTION(() => s && f.schemas.push(s)); } },
      ]);
    });
  });

  private text = this.RULE('text', (): string => {
    const t = this.OR([{ ALT: () => this.CONSUME(T.StringLit) }, { ALT: () => this.CONSUME(T.Identifier) }]);
    return this.ACTION(() => (t.tokenType === T.StringLit ? unquote(t.image) : t.image));
  }, { recoveryValueFunc: () => '' });

  private citations = this.RULE('citations', (): A.Citation[] => {
    const list: A.Citation[] = [];
    this.CONSUME(T.Source);
    this.AT_LEAST_ONE(() => {
      const t = this.CONSUME(T.StringLit);
      this.ACTION(() => list.push({ text: unquote(t.image), range: tokenRange(t) }));
    });
    return list;
  }, { recoveryValueFunc: () => [] });

  private header = this.RULE('header', (): A.Header => {
    const start = this.CONSUME(T.Policy);
    const idFirst = this.CONSUME(T.AnyWord);
    let idLast = idFirst;
    this.MANY(() => {
      this.CONSUME(T.Minus);
      idLast = this.OR1([{ ALT: () => this.CONSUME1(T.AnyWord) }, { ALT: () => this.CONSUME(T.NumberLit) }]);
    });
    let title: string | null = null;
    this.OPTION(() => { const t = this.CONSUME(T.StringLit); this.ACTION(() => { title = unquote(t.image); }); });
    const h: A.Header = { id: { text: '', range: errorRange }, title: null, program: null, jurisdiction: null, effective: null, note: null, sources: [], range: errorRange };
    this.MANY1(() => {
      this.OR2([
        { ALT: () => { this.CONSUME(T.Program); const v = this.SUBRULE(this.text); this.ACTION(() => { h.program = v; }); } },
        { ALT: () => { this.CONSUME(T.Jurisdiction); const v = this.SUBRULE1(this.text); this.ACTION(() => { h.jurisdiction = v; }); } },
        { ALT: () => { this.CONSUME(T.Note); const v = this.SUBRULE2(this.text); this.ACTION(() => { h.note = v; }); } },
        { ALT: () => {
          this.CONSUME(T.Effective); const d = this.CONSUME(T.DateLit);
          let assumed: A.Citation | null = null;
          this.OPTION1(() => { this.CONSUME(T.Assumed); const t = this.CONSUME1(T.StringLit); this.ACTION(() => { assumed = { text: unquote(t.image), range: tokenRange(t) }; }); });
          this.ACTION(() => { h.effective = { text: d.image, range: tokenRange(d), assumed }; });
        } },
        { ALT: () => { const c = this.SUBRULE(this.citations); this.ACTION(() => h.sources.push(...c)); } },
      ]);
    });
    return this.ACTION(() => ({ ...h, title, id: { text: this.sourceText(idFirst, idLast), range: tokenRange(idFirst, idLast) }, range: tokenRange(start, this.last()) }));
  });

  // The policy id is several tokens (words joined by hyphens): read it back from the source.
  public source = '';
  private sourceText(a: IToken, b: IToken): string {
    return this.source.slice(a.startOffset, (b.endOffset ?? a.startOffset) + 1);
  }

  private use = this.RULE('use', (): A.Use => {
    const start = this.CONSUME(T.Use);
    const m = this.CONSUME(T.StringLit);
    return this.ACTION(() => ({ module: unquote(m.image), range: tokenRange(start, m) }));
  });

  private nameLabel = this.RULE('nameLabel', (): { name: A.Name; label: string | null; labelEn: string | null } => {
    const n = this.CONSUME(T.Identifier);
    let label: string | null = null, labelEn: string | null = null;
    // a Chinese label, then optionally an English one: area「城乡类别」"Urban or rural"
    this.OPTION(() => {
      const l = this.CONSUME(T.StringLit);
      this.ACTION(() => { label = unquote(l.image); });
      this.OPTION1(() => { const e = this.CONSUME1(T.StringLit); this.ACTION(() => { labelEn = unquote(e.image); }); });
    });
    return this.ACTION(() => ({ name: { text: n.image, range: tokenRange(n) }, label, labelEn }));
  });

  // Schema, field and enum names may be words that are also keywords (members, date, …).
  private wordLabel = this.RULE('wordLabel', (): { name: A.Name; label: string | null; labelEn: string | null } => {
    const n = this.CONSUME(T.AnyWord);
    let label: string | null = null, labelEn: string | null = null;
    // a Chinese label, then optionally an English one: area「城乡类别」"Urban or rural"
    this.OPTION(() => {
      const l = this.CONSUME(T.StringLit);
      this.ACTION(() => { label = unquote(l.image); });
      this.OPTION1(() => { const e = this.CONSUME1(T.StringLit); this.ACTION(() => { labelEn = unquote(e.image); }); });
    });
    return this.ACTION(() => ({ name: { text: n.image, range: tokenRange(n) }, label, labelEn }));
  });

  private param = this.RULE('param', (): A.ParamDecl => {
    const start = this.CONSUME(T.Parameter);
    const nl = this.SUBRULE(this.nameLabel);
    this.CONSUME(T.Equals);
    const value = this.SUBRULE(this.expr);
    let min: A.Expr | null = null, max: A.Expr | null = null;
    this.OPTION(() => {
      this.CONSUME(T.Range_);
      this.CONSUME(T.LBracket);
      min = this.SUBRULE1(this.expr);
      this.CONSUME(T.Comma);
      max = this.SUBRULE2(this.expr);
      this.CONSUME(T.RBracket);
    });
    const sources: A.Citation[] = [];
    let assumed: A.Citation | null = null;
    this.MANY(() => {
      this.OR([
        { ALT: () => { const c = this.SUBRULE(this.citations); this.ACTION(() => sources.push(...c)); } },
        { ALT: () => { this.CONSUME(T.Assumed); const t = this.CONSUME(T.StringLit); this.ACTION(() => { assumed = { text: unquote(t.image), range: tokenRange(t) }; }); } },
      ]);
    });
    return this.ACTION(() => (nl ? { kind: 'Param' as const, name: nl.name, label: nl.label, labelEn: nl.labelEn, value: value ?? errorExpr(), min, max, sources, assumed, range: tokenRange(start, this.last()) } : undefined)) as A.ParamDecl;
  });

  // 定义/成员定义/输出/成员输出 (define, member define, output, member output): the same shape,
  // `name [label] = body`, told apart by the words that introduce them.
  private declIntro = this.RULE('declIntro', (): { token: IToken; kind: 'Def' | 'Output'; member: boolean } => this.OR([
    { ALT: () => ({ token: this.CONSUME(T.MemberDefine), kind: 'Def' as const, member: true }) },
    { ALT: () => ({ token: this.CONSUME(T.MemberOutput), kind: 'Output' as const, member: true }) },
    { ALT: () => { const token = this.CONSUME(T.Member); this.CONSUME(T.Define); return { token, kind: 'Def' as const, member: true }; } },
    { ALT: () => { const token = this.CONSUME1(T.Member); this.CONSUME(T.Output); return { token, kind: 'Output' as const, member: true }; } },
    { ALT: () => ({ token: this.CONSUME1(T.Define), kind: 'Def' as const, member: false }) },
    { ALT: () => ({ token: this.CONSUME1(T.Output), kind: 'Output' as const, member: false }) },
  ]));

  private namedDecl = this.RULE('namedDecl', (): A.DefDecl | A.OutputDecl => {
    const intro = this.SUBRULE(this.declIntro);
    const nl = this.SUBRULE(this.nameLabel);
    this.CONSUME(T.Equals);
    const b = this.SUBRULE(this.body);
    return this.ACTION(() => (nl && intro ? {
      kind: intro.kind, member: intro.member, name: nl.name, label: nl.label, labelEn: nl.labelEn,
      body: b?.body ?? errorBody(), sources: b?.sources ?? [], range: tokenRange(intro.token, this.last()),
    } : undefined)) as A.DefDecl | A.OutputDecl;
  });

  private body = this.RULE('body', (): { body: A.Body; sources: A.Citation[] } => {
    return this.OR([
      { ALT: () => {
        const rules: A.RuleClause[] = [];
        this.AT_LEAST_ONE(() => { const r = this.SUBRULE(this.ruleClause); this.ACTION(() => r && rules.push(r)); });
        let otherwise: A.Expr | null = null;
        let otherwiseRange: Range | null = null;
        let otherwiseSources: A.Citation[] = [];
        this.OPTION(() => {
          const o = this.CONSUME(T.Otherwise);
          otherwise = this.SUBRULE(this.expr);
          this.ACTION(() => { otherwiseRange = span(tokenRange(o), otherwise!.range); });
          this.OPTION2(() => { otherwiseSources = this.SUBRULE2(this.citations); });
        });
        return this.ACTION(() => ({ body: { kind: 'Rules' as const, rules, otherwise, otherwiseRange, otherwiseSources: otherwiseSources ?? [] }, sources: [] }));
      } },
      { ALT: () => {
        const e = this.SUBRULE1(this.expr);
        const sources: A.Citation[] = [];
        this.OPTION1(() => { const c = this.SUBRULE(this.citations); this.ACTION(() => sources.push(...c)); });
        return this.ACTION(() => ({ body: { kind: 'Expr' as const, expr: e }, sources }));
      } },
    ]);
  });

  private ruleClause = this.RULE('ruleClause', (): A.RuleClause => {
    const start = this.OR([{ ALT: () => this.CONSUME(T.Rule) }, { ALT: () => this.CONSUME(T.Exception) }]);
    const n = this.CONSUME(T.Identifier);
    const overrides: A.Name[] = [];
    this.OPTION(() => {
      this.CONSUME(T.Overrides);
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => { const o = this.CONSUME1(T.Identifier); this.ACTION(() => overrides.push({ text: o.image, range: tokenRange(o) })); } });
    });
    let sources: A.Citation[] = [];
    this.OPTION1(() => { sources = this.SUBRULE(this.citations); });
    this.CONSUME(T.Colon);
    this.CONSUME(T.When);
    const when = this.SUBRULE(this.expr);
    this.CONSUME(T.Then);
    const then = this.SUBRULE1(this.expr);
    return this.ACTION(() => ({
      kind: start.tokenType === T.Rule ? 'rule' as const : 'exception' as const,
      name: { text: n.image, range: tokenRange(n) }, overrides, sources: sources ?? [], when: when ?? errorExpr(), then: then ?? errorExpr(), range: tokenRange(start, this.last()),
    }));
  });

  // ── schema ──────────────────────────────────────────────────────────────────────────────
  private schema = this.RULE('schema', (): A.SchemaDecl => {
    const start = this.CONSUME(T.Schema);
    const nl = this.SUBRULE(this.wordLabel);
    const fields: A.FieldDecl[] = [];
    // A field is `name [label] :`; look past the name so the next 模式/参数 ends the schema.
    this.MANY({
      GATE: () => {
        let k = 2;
        while (k < 4 && this.LA(k).tokenType === T.StringLit) k++;
        return this.LA(k).tokenType === T.Colon;
      },
      DEF: () => { const f = this.SUBRULE(this.field); this.ACTION(() => f && f.type && fields.push(f)); },
    });
    return this.ACTION(() => (nl ? { kind: 'Schema' as const, name: nl.name, label: nl.label, labelEn: nl.labelEn, fields, range: tokenRange(start, this.last()) } : undefined)) as A.SchemaDecl;
  });

  private field = this.RULE('field', (): A.FieldDecl => {
    const nl = this.SUBRULE(this.wordLabel);
    this.CONSUME(T.Colon);
    const type = this.SUBRULE(this.typeRef);
    let min: A.Expr | null = null, max: A.Expr | null = null, dflt: A.Expr | null = null;
    this.OPTION(() => {
      this.CONSUME(T.Range_);
      this.CONSUME(T.LBracket);
      min = this.SUBRULE(this.expr);
      this.CONSUME(T.Comma);
      max = this.SUBRULE1(this.expr);
      this.CONSUME(T.RBracket);
    });
    this.OPTION1(() => {
      this.CONSUME(T.Equals);
      dflt = this.SUBRULE2(this.expr);
    });
    return this.ACTION(() => (nl && type ? { name: nl.name, label: nl.label, labelEn: nl.labelEn, type, min, max, default: dflt, range: span(nl.name.range, tokenRange(this.last())) } : undefined)) as A.FieldDecl;
  });

  private typeRef = this.RULE('typeRef', (): A.TypeRef => {
    return this.OR([
      { ALT: () => { const t = this.CONSUME(T.TextType); return this.ACTION(() => ({ kind: 'text' as const, range: tokenRange(t) })); } },
      { ALT: () => { const t = this.CONSUME(T.BoolType); return this.ACTION(() => ({ kind: 'bool' as const, range: tokenRange(t) })); } },
      { ALT: () => { const t = this.CONSUME(T.NumberType); return this.ACTION(() => ({ kind: 'number' as const, range: tokenRange(t) })); } },
      { ALT: () => { const t = this.CONSUME(T.IntegerType); return this.ACTION(() => ({ kind: 'integer' as const, range: tokenRange(t) })); } },
      { ALT: () => { const t = this.CONSUME(T.DateType); return this.ACTION(() => ({ kind: 'date' as const, range: tokenRange(t) })); } },
      { ALT: () => { const t = this.CONSUME(T.TextListType); return this.ACTION(() => ({ kind: 'textlist' as const, range: tokenRange(t) })); } },
      { ALT: () => { const t = this.CONSUME(T.MoneyType); return this.ACTION(() => ({ kind: 'money' as const, period: 'none' as const, range: tokenRange(t) })); } },
      { ALT: () => { const t = this.CONSUME(T.MoneyMonthType); return this.ACTION(() => ({ kind: 'money' as const, period: 'month' as const, range: tokenRange(t) })); } },
      { ALT: () => { const t = this.CONSUME(T.MoneyYearType); return this.ACTION(() => ({ kind: 'money' as const, period: 'year' as const, range: tokenRange(t) })); } },
      { ALT: () => {
        const t = this.CONSUME(T.EnumType);
        this.CONSUME(T.LParen);
        const values: { name: A.Name; label: string | null; labelEn?: string | null }[] = [];
        this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => { const v = this.SUBRULE1(this.wordLabel); this.ACTION(() => v && values.push(v)); } });
        this.CONSUME(T.RParen);
        return this.ACTION(() => ({ kind: 'enum' as const, values, range: tokenRange(t, this.last()) }));
      } },
      { ALT: () => {
        const t = this.CONSUME(T.ListType);
        this.CONSUME1(T.LParen);
        const of = this.CONSUME(T.AnyWord);
        this.CONSUME1(T.RParen);
        return this.ACTION(() => ({ kind: 'list' as const, of: { text: of.image, range: tokenRange(of) }, range: tokenRange(t, this.last()) }));
      } },
      { ALT: () => { const n = this.CONSUME1(T.Identifier); return this.ACTION(() => ({ kind: 'ref' as const, name: { text: n.image, range: tokenRange(n) }, range: tokenRange(n) })); } },
    ]);
  });

  // ── expressions ─────────────────────────────────────────────────────────────────────────
  public expr = this.RULE('expr', (): A.Expr => this.SUBRULE(this.orExpr), { recoveryValueFunc: errorExpr });

  private binaryChain(operand: () => A.Expr, next: () => A.Expr, ops: [TokenType, A.BinaryOp][]): A.Expr {
    let left = operand();
    this.MANY({
      DEF: () => {
        const opTok = this.OR(this.cached(ops.map(([, o]) => o).join(), () => ops.map(([tt]) => ({ ALT: () => this.CONSUME(tt) }))));
        const right = next();
        this.ACTION(() => {
          const op = ops.find(([tt]) => tt === opTok.tokenType)![1];
          left = { kind: 'Binary', op, left: left ?? errorExpr(), right: right ?? errorExpr(), range: span((left ?? errorExpr()).range, (right ?? errorExpr()).range) };
        });
      },
    });
    return left;
  }

  private orExpr = this.RULE('orExpr', (): A.Expr => this.binaryChain(() => this.SUBRULE(this.andExpr), () => this.SUBRULE1(this.andExpr), [[T.Or, 'or']]), { recoveryValueFunc: errorExpr });
  private andExpr = this.RULE('andExpr', (): A.Expr => this.binaryChain(() => this.SUBRULE(this.notExpr), () => this.SUBRULE1(this.notExpr), [[T.And, 'and']]), { recoveryValueFunc: errorExpr });

  private notExpr = this.RULE('notExpr', (): A.Expr => this.OR(this.cached('not', () => [
    { ALT: () => {
      const t = this.CONSUME(T.Not);
      const arg = this.SUBRULE(this.notExpr);
      return this.ACTION(() => ({ kind: 'Unary' as const, op: 'not' as const, arg, range: span(tokenRange(t), arg.range) }));
    } },
    { ALT: () => this.SUBRULE(this.cmpExpr) },
  ])), { recoveryValueFunc: errorExpr });

  private cmpExpr = this.RULE('cmpExpr', (): A.Expr => {
    let left = this.SUBRULE(this.addExpr);
    this.OPTION(() => {
      const opTok = this.OR(this.cached('cmp', () => [
        { ALT: () => this.CONSUME(T.Less) }, { ALT: () => this.CONSUME(T.LessEq) },
        { ALT: () => this.CONSUME(T.Greater) }, { ALT: () => this.CONSUME(T.GreaterEq) },
        { ALT: () => this.CONSUME(T.Equals) }, { ALT: () => this.CONSUME(T.NotEq) },
        { ALT: () => this.CONSUME(T.Is) }, { ALT: () => this.CONSUME(T.IsNot) }, { ALT: () => this.CONSUME(T.In) },
      ]));
      const right = this.SUBRULE1(this.addExpr);
      this.ACTION(() => {
        left = { kind: 'Binary', op: cmpOps.get(opTok.tokenType)!, left, right, range: span(left.range, right.range), ...(opTok.tokenType === T.Is || opTok.tokenType === T.IsNot ? { word: true } : {}) };
      });
    });
    return left;
  }, { recoveryValueFunc: errorExpr });

  private addExpr = this.RULE('addExpr', (): A.Expr => this.binaryChain(() => this.SUBRULE(this.mulExpr), () => this.SUBRULE1(this.mulExpr), [[T.Plus, '+'], [T.Minus, '-']]), { recoveryValueFunc: errorExpr });
  private mulExpr = this.RULE('mulExpr', (): A.Expr => this.binaryChain(() => this.SUBRULE(this.unaryExpr), () => this.SUBRULE1(this.unaryExpr), [[T.Times, '*'], [T.Divide, '/']]), { recoveryValueFunc: errorExpr });

  private unaryExpr = this.RULE('unaryExpr', (): A.Expr => this.OR(this.cached('unary', () => [
    { ALT: () => {
      const t = this.CONSUME(T.Minus);
      const arg = this.SUBRULE(this.unaryExpr);
      return this.ACTION(() => ({ kind: 'Unary' as const, op: 'neg' as const, arg, range: span(tokenRange(t), arg.range) }));
    } },
    { ALT: () => this.SUBRULE(this.primary) },
  ])), { recoveryValueFunc: errorExpr });

  private literal = this.RULE('literal', (): A.Expr => {
    const n = this.CONSUME(T.NumberLit);
    let unit: IToken | undefined;
    this.OPTION(() => {
      unit = this.OR(this.cached('unit', () => [
        { ALT: () => this.CONSUME(T.Yuan) }, { ALT: () => this.CONSUME(T.PerMonth) }, { ALT: () => this.CONSUME(T.PerYear) },
        { ALT: () => this.CONSUME(T.Percent) }, { ALT: () => this.CONSUME(T.Months) }, { ALT: () => this.CONSUME(T.Years) },
        { ALT: () => this.CONSUME(T.Days) },
      ]));
    });
    return this.ACTION((): A.Expr => {
      const range = tokenRange(n, unit ?? n);
      const text = n.image;
      switch (unit?.tokenType) {
        case undefined: return { kind: 'Number', text, range };
        case T.Yuan: return { kind: 'Money', text, period: 'none', range };
        case T.PerMonth: return { kind: 'Money', text, period: 'month', range };
        case T.PerYear: return { kind: 'Money', text, period: 'year', range };
        case T.Percent: return { kind: 'Percent', text, range };
        case T.Months: return { kind: 'Duration', text, unit: 'months', range };
        case T.Years: return { kind: 'Duration', text, unit: 'years', range };
        default: return { kind: 'Duration', text, unit: 'days', range };
      }
    });
  }, { recoveryValueFunc: errorExpr });

  private fieldPath = this.RULE('fieldPath', (): A.Name[] => {
    const path: A.Name[] = [];
    this.AT_LEAST_ONE(() => {
      this.CONSUME(T.Dot);
      const n = this.CONSUME(T.AnyWord);
      this.ACTION(() => path.push({ text: n.image, range: tokenRange(n) }));
    });
    return path;
  }, { recoveryValueFunc: () => [] });

  private callArgs = this.RULE('callArgs', (): { args: A.Expr[]; where: A.Expr | null } => {
    const args: A.Expr[] = [];
    let where: A.Expr | null = null;
    this.CONSUME(T.LParen);
    const first = this.SUBRULE(this.expr);
    this.ACTION(() => args.push(first));
    this.OPTION(() => {
      this.OR([
        { ALT: () => { this.CONSUME(T.Comma); const e = this.SUBRULE1(this.expr); this.ACTION(() => args.push(e)); } },
        { ALT: () => { this.CONSUME(T.Where); where = this.SUBRULE2(this.expr); } },
      ]);
    });
    this.CONSUME(T.RParen);
    return { args, where };
  }, { recoveryValueFunc: () => ({ args: [errorExpr()], where: null }) });

  private primary = this.RULE('primary', (): A.Expr => this.OR(this.cached('primary', () => [
    { ALT: () => this.SUBRULE(this.literal) },
    { ALT: () => { const t = this.CONSUME(T.DateLit); return this.ACTION(() => ({ kind: 'Date' as const, text: t.image, range: tokenRange(t) })); } },
    { ALT: () => { const t = this.CONSUME(T.StringLit); return this.ACTION(() => ({ kind: 'Text' as const, text: unquote(t.image), range: tokenRange(t) })); } },
    { ALT: () => { const t = this.CONSUME(T.True); return this.ACTION(() => ({ kind: 'Bool' as const, value: true, range: tokenRange(t) })); } },
    { ALT: () => { const t = this.CONSUME(T.False); return this.ACTION(() => ({ kind: 'Bool' as const, value: false, range: tokenRange(t) })); } },
    { ALT: () => { const t = this.CONSUME(T.None); return this.ACTION(() => ({ kind: 'None' as const, range: tokenRange(t) })); } },
    { ALT: () => { const t = this.CONSUME(T.Age); return this.ACTION(() => ({ kind: 'Age' as const, range: tokenRange(t) })); } },
    { ALT: () => { const t = this.CONSUME(T.AsOf); return this.ACTION(() => ({ kind: 'AsOf' as const, range: tokenRange(t) })); } },
    { ALT: () => { const t = this.CONSUME(T.Identifier); return this.ACTION(() => ({ kind: 'Ref' as const, name: t.image, range: tokenRange(t) })); } },
    { ALT: () => {
      const t = this.CONSUME(T.Household);
      const path = this.SUBRULE(this.fieldPath) ?? [];
      return this.ACTION(() => ({ kind: 'Field' as const, base: 'household' as const, path, range: span(tokenRange(t), path[path.length - 1]?.range ?? tokenRange(t)) }));
    } },
    { ALT: () => {
      const t = this.CONSUME(T.Member);
      let path: A.Name[] = [];
      this.OPTION(() => { path = this.SUBRULE1(this.fieldPath) ?? []; });
      return this.ACTION((): A.Expr => path.length === 0
        ? { kind: 'Members', range: tokenRange(t) }
        : { kind: 'Field', base: 'member', path, range: span(tokenRange(t), path[path.length - 1]!.range) });
    } },
    { ALT: () => {
      const l = this.CONSUME(T.LParen);
      const e = this.SUBRULE(this.expr);
      const r = this.CONSUME(T.RParen);
      return this.ACTION(() => ({ ...e, range: e.kind === 'Error' ? tokenRange(l, r) : e.range }));
    } },
    { ALT: () => {
      const l = this.CONSUME(T.LBracket);
      const items: A.Expr[] = [];
      this.MANY_SEP({ SEP: T.Comma, DEF: () => { const e = this.SUBRULE1(this.expr); this.ACTION(() => items.push(e)); } });
      const r = this.CONSUME(T.RBracket);
      return this.ACTION(() => ({ kind: 'List' as const, items, range: tokenRange(l, r) }));
    } },
    { ALT: () => {
      const t = this.CONSUME(T.If);
      const cond = this.SUBRULE2(this.expr);
      this.CONSUME(T.Then);
      const then = this.SUBRULE3(this.expr);
      this.CONSUME(T.Otherwise);
      const els = this.SUBRULE4(this.expr);
      return this.ACTION(() => ({ kind: 'If' as const, cond, then, else: els, range: span(tokenRange(t), els.range) }));
    } },
    { ALT: () => {
      const t = this.OR1([{ ALT: () => this.CONSUME(T.AtLeast) }, { ALT: () => this.CONSUME1(T.AtMost) }]);
      const bound = this.SUBRULE(this.addExpr);
      this.CONSUME2(T.LParen);
      const e = this.SUBRULE5(this.expr);
      const r = this.CONSUME2(T.RParen);
      return this.ACTION(() => ({ kind: 'Call' as const, fn: t.tokenType === T.AtLeast ? 'atLeast' as const : 'atMost' as const, args: [bound, e], range: tokenRange(t, r) }));
    } },
    { ALT: () => {
      const t = this.OR2(this.cached('fn', () => [
        { ALT: () => this.CONSUME(T.Round) }, { ALT: () => this.CONSUME(T.Monthly) }, { ALT: () => this.CONSUME(T.Yearly) },
        { ALT: () => this.CONSUME(T.Present) }, { ALT: () => this.CONSUME(T.Count) }, { ALT: () => this.CONSUME(T.Sum) },
        { ALT: () => this.CONSUME(T.Any) }, { ALT: () => this.CONSUME(T.All) }, { ALT: () => this.CONSUME(T.Ids) },
        { ALT: () => this.CONSUME(T.Min) }, { ALT: () => this.CONSUME(T.Max) },
      ]));
      const a = this.SUBRULE(this.callArgs) ?? { args: [errorExpr()], where: null };
      return this.ACTION((): A.Expr => {
        const range = tokenRange(t, this.last());
        const tt = t.tokenType;
        if (calls.has(tt)) return { kind: 'Call', fn: calls.get(tt)!, args: a.args, range };
        if ((tt === T.Min || tt === T.Max) && a.args.length === 2) return { kind: 'Call', fn: tt === T.Min ? 'min' : 'max', args: a.args, range };
        return { kind: 'Aggregate', fn: aggs.get(tt)!, arg: a.args[0] ?? errorExpr(), where: a.where, range };
      });
    } },
    { ALT: () => this.SUBRULE(this.tier) },
  ])), { recoveryValueFunc: errorExpr });

  private boundWord = this.RULE('boundWord', (): IToken => this.OR([
    { ALT: () => this.CONSUME(T.From) }, { ALT: () => this.CONSUME(T.Above) },
    { ALT: () => this.CONSUME(T.Below) }, { ALT: () => this.CONSUME(T.UpTo) },
  ]));

  private bound = this.RULE('bound', (): { word: IToken; value: A.Expr } => this.OR([
    { ALT: () => { const word = this.SUBRULE(this.boundWord); const value = this.SUBRULE(this.unaryExpr); return { word, value }; } },
    { ALT: () => { const value = this.SUBRULE1(this.unaryExpr); const word = this.SUBRULE1(this.boundWord); return { word, value }; } },
  ]));

  private tier = this.RULE('tier', (): A.Expr => {
    const t = this.CONSUME(T.Tier);
    const subject = this.SUBRULE(this.addExpr);
    this.CONSUME(T.Colon);
    const brackets: A.TierBracket[] = [];
    this.AT_LEAST_ONE(() => {
      const b1 = this.SUBRULE(this.bound);
      let b2: { word: IToken; value: A.Expr } | undefined;
      this.OPTION(() => { b2 = this.SUBRULE1(this.bound); });
      this.CONSUME(T.Arrow);
      const result = this.SUBRULE(this.expr);
      this.ACTION(() => {
        if (!b1 || !result) return;
        if (!b1.word || !b1.value) return;
        const bracket: A.TierBracket = { lower: null, upper: null, result, range: span(b1.value.range.start.offset < tokenRange(b1.word).start.offset ? b1.value.range : tokenRange(b1.word), result.range) };
        for (const b of [b1, b2]) {
          if (!b || !b.word || !b.value) continue;
          const tt = b.word.tokenType;
          const bd: A.TierBound = { value: b.value, inclusive: tt === T.From || tt === T.UpTo, word: b.word.image };
          if (tt === T.From || tt === T.Above) bracket.lower = bd; else bracket.upper = bd;
        }
        brackets.push(bracket);
      });
    });
    let otherwise: A.Expr | null = null;
    this.OPTION1(() => {
      this.CONSUME(T.Otherwise);
      this.OPTION2(() => this.CONSUME1(T.Arrow));
      otherwise = this.SUBRULE1(this.expr);
    });
    return this.ACTION(() => ({ kind: 'Tier' as const, subject: subject ?? errorExpr(), brackets, otherwise, range: tokenRange(t, this.last()) }));
  }, { recoveryValueFunc: errorExpr });
}

const parser = new PolicyParser();

// ── fast path ───────────────────────────────────────────────────────────────────────────────
// A plain recursive-descent reading of the same grammar, for the common case of a file without
// syntax errors: it takes the decisions Chevrotain takes on valid input (the same alternatives
// in the same order, repetitions entered on their first token) and builds the same AST, object
// for object. At the first token it does not expect it gives up (BAIL) and the file is parsed
// again by the Chevrotain parser above, whose error recovery and messages are the reference;
// so it never has to report anything. Chevrotain's generic machinery (lookahead functions,
// recovery bookkeeping, rule stacks) costs ~0.7 µs per token; this costs a tenth of that.
const BAIL = { bail: true };
const anyWordTypes = new Set<TokenType>(T.allTokens.filter((t) => t === T.Identifier || (t.CATEGORIES ?? []).includes(T.AnyWord)));
const unitTypes = new Set<TokenType>([T.Yuan, T.PerMonth, T.PerYear, T.Percent, T.Months, T.Years, T.Days]);
const fnTypes = new Set<TokenType>([T.Round, T.Monthly, T.Yearly, T.Present, T.Count, T.Sum, T.Any, T.All, T.Ids, T.Min, T.Max]);
const boundWords = new Set<TokenType>([T.From, T.Above, T.Below, T.UpTo]);
const declStarts = new Set<TokenType>([T.Use, T.Parameter, T.MemberDefine, T.MemberOutput, T.Member, T.Define, T.Output, T.Schema]);
const headerItems = new Set<TokenType>([T.Program, T.Jurisdiction, T.Note, T.Effective, T.Source]);
/** First tokens of unaryExpr (and so of expr after `not`). */
const unaryFirst = new Set<TokenType>([T.Minus, T.NumberLit, T.DateLit, T.StringLit, T.True, T.False, T.None, T.Age, T.AsOf, T.Identifier,
  T.Household, T.Member, T.LParen, T.LBracket, T.If, T.AtLeast, T.AtMost, ...fnTypes, T.Tier]);
const exprFirst = new Set<TokenType>([T.Not, ...unaryFirst]);
const simpleTypes = new Map<TokenType, A.TypeRef['kind']>([[T.TextType, 'text'], [T.BoolType, 'bool'], [T.NumberType, 'number'], [T.IntegerType, 'integer'], [T.DateType, 'date'], [T.TextListType, 'textlist']]);
const moneyTypes = new Map<TokenType, A.Period>([[T.MoneyType, 'none'], [T.MoneyMonthType, 'month'], [T.MoneyYearType, 'year']]);

const orOp = (t: TokenType): A.BinaryOp | undefined => (t === T.Or ? 'or' : undefined);
const andOp = (t: TokenType): A.BinaryOp | undefined => (t === T.And ? 'and' : undefined);
const addOp = (t: TokenType): A.BinaryOp | undefined => (t === T.Plus ? '+' : t === T.Minus ? '-' : undefined);
const mulOp = (t: TokenType): A.BinaryOp | undefined => (t === T.Times ? '*' : t === T.Divide ? '/' : undefined);

/** Thrown when nesting passes MAX_NESTING: the declaration is kept with an error node (parse.too-deep). */
const TOO_DEEP = { tooDeep: true };

class FastParser {
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

  private citations(): A.Citation[] {
    const list: A.Citation[] = [];
    this.take(T.Source);
    do { const t = this.take(T.StringLit); list.push({ text: this.str(t), range: this.range(t) }); } while (this.is(T.StringLit));
    return list;
  }

  private header(): A.Header {
    const start = this.take(T.Policy);
    const idFirst = this.takeWord();
    let idLast = idFirst;
    while (this.is(T.Minus)) {
      this.p++;
      const t = this.p < this.n ? this.p : -1;
      if (t >= 0 && (anyWordTypes.has(this.type[t]!) || this.type[t]! === T.NumberLit)) { this.p++; idLast = t; } else throw BAIL;
    }
    let title: string | null = null;
    if (this.is(T.StringLit)) title = this.str(this.take(T.StringLit));
    const h: A.Header = { id: { text: '', range: errorRange }, title: null, program: null, jurisdiction: null, effective: null, note: null, sources: [], range: errorRange };
    for (;;) {
      const tt = this.peek();
      if (tt === undefined || !headerItems.has(tt)) break;
      if (tt === T.Program) { this.p++; h.program = this.text(); }
      else if (tt === T.Jurisdiction) { this.p++; h.jurisdiction = this.text(); }
      else if (tt === T.Note) { this.p++; h.note = this.text(); }
      else if (tt === T.Effective) {
        this.p++; const d = this.take(T.DateLit);
        let assumed: A.Citation | null = null;
        if (this.is(T.Assumed)) { this.p++; const t = this.take(T.StringLit); assumed = { text: this.str(t), range: this.range(t) }; }
        h.effective = { text: this.image(d), range: this.range(d), assumed };
      }
      else h.sources.push(...this.citations());
    }
    return { ...h, title, id: { text: this.source.slice(this.b.start[idFirst]!, this.b.end[idLast]! + 1), range: this.range(idFirst, idLast) }, range: this.range(start, this.last()) };
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
    let min: A.Expr | null = null, max: A.Expr | null = null;
    if (this.is(T.Range_)) {
      this.p++;
      this.take(T.LBracket);
      min = this.expr();
      this.take(T.Comma);
      max = this.expr();
      this.take(T.RBracket);
    }
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
    if (this.is(T.Rule) || this.is(T.Exception)) {
      const rules: A.RuleClause[] = [];
      do rules.push(this.ruleClause()); while (this.is(T.Rule) || this.is(T.Exception));
      let otherwise: A.Expr | null = null;
      let otherwiseRange: Range | null = null;
      let otherwiseSources: A.Citation[] = [];
      if (this.is(T.Otherwise)) {
        const o = this.take(T.Otherwise);
        otherwise = this.expr();
        otherwiseRange = span(this.range(o), otherwise.range);
        if (this.is(T.Source)) otherwiseSources = this.citations();
      }
      return { body: { kind: 'Rules' as const, rules, otherwise, otherwiseRange, otherwiseSources }, sources: [] };
    }
    const e = this.expr();
    const sources: A.Citation[] = [];
    if (this.is(T.Source)) sources.push(...this.citations());
    return { body: { kind: 'Expr' as const, expr: e }, sources };
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
    let min: A.Expr | null = null, max: A.Expr | null = null, dflt: A.Expr | null = null;
    if (this.is(T.Range_)) {
      this.p++;
      this.take(T.LBracket);
      min = this.expr();
      this.take(T.Comma);
      max = this.expr();
      this.take(T.RBracket);
    }
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
  private expr(): A.Expr {
    this.enter();
    const e = this.chain(this.andOperand, orOp);
    this.depth--;
    return e;
  }
  private andExpr(): A.Expr { return this.chain(this.notOperand, andOp); }

  private notExpr(): A.Expr {
    const t = this.p < this.n ? this.p : -1;
    if (t >= 0 && this.type[t]! === T.Not) {
      this.p++;
      this.enter();
      const arg = this.notExpr();
      this.depth--;
      return { kind: 'Unary' as const, op: 'not' as const, arg, range: span(this.range(t), arg.range) };
    }
    return this.cmpExpr();
  }

  private cmpExpr(): A.Expr {
    let left = this.addExpr();
    const t = this.p < this.n ? this.p : -1;
    if (t >= 0) {
      const op = cmpOps.get(this.type[t]!);
      if (op !== undefined) {
        this.p++;
        const right = this.addExpr();
        left = { kind: 'Binary', op, left, right, range: span(left.range, right.range), ...(this.type[t]! === T.Is || this.type[t]! === T.IsNot ? { word: true } : {}) };
      }
    }
    return left;
  }

  private addExpr(): A.Expr { return this.chain(this.mulOperand, addOp); }
  private mulExpr(): A.Expr { return this.chain(this.unaryOperand, mulOp); }

  private unaryExpr(): A.Expr {
    const t = this.p < this.n ? this.p : -1;
    if (t >= 0 && this.type[t]! === T.Minus) {
      this.p++;
      this.enter();
      const arg = this.unaryExpr();
      this.depth--;
      return { kind: 'Unary' as const, op: 'neg' as const, arg, range: span(this.range(t), arg.range) };
    }
    return this.primary();
  }

  private literal(): A.Expr {
    const n = this.take(T.NumberLit);
    let unit: number | undefined;
    const u = this.p < this.n ? this.p : -1;
    if (u >= 0 && unitTypes.has(this.type[u]!)) { this.p++; unit = u; }
    const range = this.range(n, unit ?? n);
    const text = this.image(n);
    switch (unit === undefined ? undefined : this.type[unit]) {
      case undefined: return { kind: 'Number', text, range };
      case T.Yuan: return { kind: 'Money', text, period: 'none', range };
      case T.PerMonth: return { kind: 'Money', text, period: 'month', range };
      case T.PerYear: return { kind: 'Money', text, period: 'year', range };
      case T.Percent: return { kind: 'Percent', text, range };
      case T.Months: return { kind: 'Duration', text, unit: 'months', range };
      case T.Years: return { kind: 'Duration', text, unit: 'years', range };
      default: return { kind: 'Duration', text, unit: 'days', range };
    }
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
      case T.Identifier: this.p++; return { kind: 'Ref' as const, name: this.image(t), range: this.range(t) };
      case T.Household: {
        this.p++;
        const path = this.fieldPath();
        return { kind: 'Field' as const, base: 'household' as const, path, range: span(this.range(t), path[path.length - 1]?.range ?? this.range(t)) };
      }
      case T.Member: {
        this.p++;
        const path = this.is(T.Dot) ? this.fieldPath() : [];
        return path.length === 0
          ? { kind: 'Members', range: this.range(t) }
          : { kind: 'Field', base: 'member', path, range: span(this.range(t), path[path.length - 1]!.range) };
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
        return { kind: 'If' as const, cond, then, else: els, range: span(this.range(t), els.range) };
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

export interface ParseResult { ast: A.PolicyFile; diagnostics: Diagnostic[] }

/** Parses a policy or schema module from its tokens. Never throws: syntax errors come back as diagnostics. */
export function parseTokens(text: string, tokens: IToken[], comments: IToken[]): ParseResult {
  return parseBuffer(text, bufferOf(tokens), comments, () => tokens);
}

/** Parses from the lexer's token buffer (parse.ts): the fast path first, Chevrotain when it gives up. */
export function parseBuffer(text: string, b: TokenBuffer, comments: IToken[] = b.comments, tokens: () => IToken[] = () => tokensOf(text, b)): ParseResult {
  let ast: A.PolicyFile | undefined;
  const diagnostics: Diagnostic[] = [];
  try {
    ast = fast.parse(text, b);
    for (const t of fast.tooDeep) diagnostics.push(diagnostic('parse.too-deep', tokenRangeAt(b, t), { limit: MAX_NESTING }));
  } catch {
    // not plain valid input (or a fault): Chevrotain decides, with its recovery and messages
  }
  if (!ast) {
    // Chevrotain recurses too: declarations nested past the limit are left out before it reads them
    const kept = withoutDeepDeclarations(tokens());
    for (const t of kept.cut) diagnostics.push(diagnostic('parse.too-deep', tokenRange(t), { limit: MAX_NESTING }));
    ast = chevrotainParse(text, kept.tokens);
    if (chevrotainOverflow) diagnostics.push(diagnostic('parse.too-deep', endRange(text), { limit: MAX_NESTING }));
    for (const e of parser.errors) {
      const tok = e.token;
      const at = tok && !isNaN(tok.startOffset) && tok.tokenType.name !== 'EOF' ? tokenRange(tok) : endRange(text);
      diagnostics.push(diagnostic('parse.syntax', at, { detail: friendly(e.message, tok) }));
    }
  }
  ast.comments = comments.map((c) => ({ text: c.image, range: tokenRange(c) }));
  ast.range = { start: { line: 1, column: 1, offset: 0 }, end: endRange(text).end };
  return { ast, diagnostics };
}

/** A token buffer holding the given token objects (for callers that lexed themselves). */
function bufferOf(tokens: IToken[]): TokenBuffer {
  const n = tokens.length;
  const b: TokenBuffer = {
    n, type: tokens.map((t) => t.tokenType), start: new Int32Array(n), end: new Int32Array(n), line: new Int32Array(n), col: new Int32Array(n),
    endLine: new Int32Array(n), endCol: new Int32Array(n), images: new Map(), words: [], comments: [], errors: [],
  };
  tokens.forEach((t, i) => {
    b.start[i] = t.startOffset; b.end[i] = t.endOffset ?? t.startOffset; b.line[i] = t.startLine ?? 1; b.col[i] = t.startColumn ?? 1;
    b.endLine[i] = t.endLine ?? 1; b.endCol[i] = t.endColumn ?? 0;
    b.images!.set(i, t.image);
  });
  return b;
}

/** Whether the last Chevrotain parse ran out of stack (nesting the token scan did not see). */
let chevrotainOverflow = false;

/** The Chevrotain parser alone (the reference for the fast path; also used by tests). */
function chevrotainParse(text: string, tokens: IToken[]): A.PolicyFile {
  parser.source = text;
  parser.input = tokens;
  parser.collected = emptyFile();
  chevrotainOverflow = false;
  try {
    parser.file();
  } catch (e) {
    // a fault inside an action: keep what was read before it
    chevrotainOverflow = e instanceof RangeError;
  }
  return parser.collected;
}

/** The tokens without the declarations in which brackets, or runs of prefix operators (− 不),
 *  nest past MAX_NESTING, and the token where each such declaration passed it: a cheap scan, so
 *  that the recursive Chevrotain parser never sees such input. */
function withoutDeepDeclarations(tokens: IToken[]): { tokens: IToken[]; cut: IToken[] } {
  const startsDecl = (i: number) => {
    const tt = tokens[i]!.tokenType;
    return tt === T.Member ? tokens[i + 1]?.tokenType === T.Define || tokens[i + 1]?.tokenType === T.Output : declStarts.has(tt);
  };
  const out: IToken[] = [], cut: IToken[] = [];
  let declStart = 0, depth = 0, run = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (startsDecl(i)) { declStart = out.length; depth = 0; run = 0; }
    const tt = tokens[i]!.tokenType;
    if (tt === T.LParen || tt === T.LBracket) depth++;
    else if (tt === T.RParen || tt === T.RBracket) depth = Math.max(0, depth - 1);
    run = tt === T.Minus || tt === T.Not ? run + 1 : 0;
    out.push(tokens[i]!);
    if (depth + run <= MAX_NESTING) continue;
    cut.push(tokens[i]!);
    out.length = declStart;
    while (i + 1 < tokens.length && !startsDecl(i + 1)) i++;
  }
  return { tokens: out, cut };
}

function tokenRangeAt(b: TokenBuffer, i: number): Range {
  return {
    start: { line: b.line[i]!, column: b.col[i]!, offset: b.start[i]! },
    end: { line: b.endLine[i]!, column: b.endCol[i]! + 1, offset: b.end[i]! + 1 },
  };
}

/** For tests: both parsers on the same tokens (fast: undefined when the fast path gave up). */
export function parseBothWays(text: string, tokens: IToken[]): { fast?: A.PolicyFile; chevrotain: A.PolicyFile; errors: number } {
  let f: A.PolicyFile | undefined;
  try { f = fast.parse(text, bufferOf(tokens)); } catch { f = undefined; }
  const c = chevrotainParse(text, tokens);
  return { fast: f, chevrotain: c, errors: parser.errors.length };
}

function endRange(text: string): Range {
  // the position after the last character: lines counted by \n, the column within the last line
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  const p = { line: lines, column: text.length - (text.lastIndexOf('\n') + 1) + 1, offset: text.length };
  return { start: p, end: p };
}

function friendly(message: string, tok: IToken | undefined): string {
  const found = tok && tok.tokenType.name !== 'EOF' ? `「${tok.image}」` : '文件结尾 end of file';
  const m = /Expecting.*?(?:token of type|one of these possible Token sequences)[^-]*?-->\s*([^<]*?)\s*<--/s.exec(message);
  if (m) return `此处不应出现 ${found}，应为 ${m[1]} / unexpected ${found}, expected ${m[1]}`;
  return `此处不应出现 ${found} / unexpected ${found}`;
}
