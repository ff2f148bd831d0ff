// Chevrotain parser: tokens → typed AST (ast.ts) with source ranges. Error recovery is on, so
// one typo yields one precise diagnostic and the rest of the file still parses.
import { EmbeddedActionsParser, type IToken, type TokenType } from 'chevrotain';
import * as T from './lexer.js';
import { tokensOf, type TokenBuffer } from './scanner.js';
import type * as A from './ast.js';
import { diagnostic, type Diagnostic, type Range } from '../base/diagnostics.js';
import { MAX_NESTING } from './depth.js';

import { FastParser, declStarts, isBail } from './fast-parser.js';
import { errorMessages, grammarDiagnostic } from './syntax-errors.js';
import { tokenRange, span, unquote, calls, aggs, cmpOps, errorExpr, errorBody, emptyFile, errorRange, numberLiteral } from './ast-build.js';
import { dateFns, roundUnits, roundRules, hitPolicies, boundsCell, tableLang, tableBody, type ReadBound } from './table-build.js';

export { tokenRange, span };

class PolicyParser extends EmbeddedActionsParser {
  /**
   * `validate`: Chevrotain's grammar checks (ambiguities, left recursion…). They cost about half
   * of the parser's start-up, paid by every process (each CLI call, server, worker), and they can
   * only fail on a change to this file: test/dsl/parser.test.ts runs them (checkGrammar()).
   */
  constructor(validate = false) {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 4, errorMessageProvider: errorMessages, skipValidations: !validate });
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
    const { id, title } = this.SUBRULE(this.idAndTitle);
    const h: A.Header = { id: { text: '', range: errorRange }, title: null, program: null, jurisdiction: null, effective: null, note: null, sources: [], range: errorRange };
    this.MANY1(() => {
      this.OR2([
        { ALT: () => { this.CONSUME(T.Program); const v = this.SUBRULE(this.text); this.ACTION(() => { h.program = v; }); } },
        { ALT: () => {
          this.CONSUME(T.Jurisdiction);
          let code: IToken | undefined;
          this.OPTION2(() => { code = this.CONSUME1(T.NumberLit); });
          const v = this.SUBRULE1(this.text);
          this.ACTION(() => { h.jurisdiction = v; if (code) h.jurisdictionCode = { text: code.image, range: tokenRange(code) }; });
        } },
        { ALT: () => { const l = this.SUBRULE(this.link); this.ACTION(() => { (h.links ??= []).push(l); }); } },
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
    return this.ACTION(() => ({ ...h, title, id, range: tokenRange(start, this.last()) }));
  });

  /** A policy id (words and numbers joined by hyphens, read back from the source) and the title after it, if any. */
  private idAndTitle = this.RULE('idAndTitle', (): { id: A.Name; title: string | null } => {
    const idFirst = this.CONSUME(T.AnyWord);
    let idLast = idFirst;
    this.MANY(() => {
      this.CONSUME(T.Minus);
      idLast = this.OR([{ ALT: () => this.CONSUME1(T.AnyWord) }, { ALT: () => this.CONSUME(T.NumberLit) }]);
    });
    let title: string | null = null;
    this.OPTION(() => { const t = this.CONSUME(T.StringLit); this.ACTION(() => { title = unquote(t.image); }); });
    return this.ACTION(() => ({ id: { text: this.sourceText(idFirst, idLast), range: tokenRange(idFirst, idLast) }, title }));
  }, { recoveryValueFunc: () => ({ id: { text: '', range: errorRange }, title: null }) });

  // The policy id is several tokens (words joined by hyphens): read it back from the source.
  public source = '';
  private sourceText(a: IToken, b: IToken): string {
    return this.source.slice(a.startOffset, (b.endOffset ?? a.startOffset) + 1);
  }

  /** `引用 id「标题」 简称 名称` / `link id "title" as name` (a header item). */
  private link = this.RULE('link', (): A.LinkDecl => {
    const start = this.CONSUME(T.Link);
    const { id, title } = this.SUBRULE(this.idAndTitle);
    this.CONSUME(T.LinkAs);
    const alias = this.CONSUME(T.Identifier);
    return this.ACTION(() => ({ policy: id, title, alias: { text: alias.image, range: tokenRange(alias) }, range: tokenRange(start, alias) }));
  });

  private use = this.RULE('use', (): A.Use => {
    const start = this.CONSUME(T.Use);
    const m = this.CONSUME(T.StringLit);
    return this.ACTION(() => ({ module: unquote(m.image), range: tokenRange(start, m) }));
  });

  private nameLabel = this.RULE('nameLabel', (): { name: A.Name; label: string | null; labelEn: string | null } => {
    const n = this.CONSUME(T.Identifier);
    const l = this.SUBRULE(this.labels);
    return this.ACTION(() => ({ name: { text: n.image, range: tokenRange(n) }, ...l }));
  });

  // a Chinese label, then optionally an English one: area「城乡类别」"Urban or rural"
  private labels = this.RULE('labels', (): { label: string | null; labelEn: string | null } => {
    let label: string | null = null, labelEn: string | null = null;
    this.OPTION(() => {
      const l = this.CONSUME(T.StringLit);
      this.ACTION(() => { label = unquote(l.image); });
      this.OPTION1(() => { const e = this.CONSUME1(T.StringLit); this.ACTION(() => { labelEn = unquote(e.image); }); });
    });
    return { label, labelEn };
  }, { recoveryValueFunc: () => ({ label: null, labelEn: null }) });

  // Schema, field and enum names may be words that are also keywords (members, date, …).
  private wordLabel = this.RULE('wordLabel', (): { name: A.Name; label: string | null; labelEn: string | null } => {
    const n = this.CONSUME(T.AnyWord);
    const l = this.SUBRULE(this.labels);
    return this.ACTION(() => ({ name: { text: n.image, range: tokenRange(n) }, ...l }));
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
        const t = this.SUBRULE(this.decisionTable);
        return this.ACTION(() => ({ body: t ? tableBody(t) : errorBody(), sources: [] }));
      } },
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

  // ── decision tables ─────────────────────────────────────────────────────────────────────
  private decisionTable = this.RULE('decisionTable', (): A.DecisionTable => {
    const t = this.CONSUME(T.Table);
    let policy: A.HitPolicy = 'unique', written = false;
    this.OPTION(() => {
      const p = this.OR([{ ALT: () => this.CONSUME(T.Unique) }, { ALT: () => this.CONSUME(T.First) }, { ALT: () => this.CONSUME(T.Sum) }]);
      this.ACTION(() => { written = true; policy = hitPolicies.get(p.tokenType)!; });
    });
    this.CONSUME(T.LParen);
    const columns: A.TableColumn[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => {
      const e = this.SUBRULE(this.expr);
      this.ACTION(() => { if (e) columns.push({ expr: e, text: this.source.slice(e.range.start.offset, e.range.end.offset) }); });
    } });
    this.CONSUME(T.RParen);
    this.CONSUME(T.Colon);
    const rows: A.TableRow[] = [];
    this.AT_LEAST_ONE(() => { const r = this.SUBRULE(this.tableRow); this.ACTION(() => r && rows.push(r)); });
    let otherwise: A.Expr | null = null;
    let otherwiseSources: A.Citation[] = [];
    this.OPTION1(() => {
      this.CONSUME(T.Otherwise);
      otherwise = this.SUBRULE1(this.expr);
      this.OPTION2(() => { otherwiseSources = this.SUBRULE(this.citations); });
    });
    return this.ACTION(() => ({ lang: tableLang(t.image), policy, policyWritten: written, columns, rows, otherwise, otherwiseSources: otherwiseSources ?? [], range: tokenRange(t, this.last()) }));
  });

  private tableRow = this.RULE('tableRow', (): A.TableRow => {
    const start = this.CONSUME(T.Row);
    let name: A.Name | null = null;
    this.OPTION(() => { const n = this.CONSUME(T.Identifier); this.ACTION(() => { name = { text: n.image, range: tokenRange(n) }; }); });
    const cells: A.TableCell[] = [];
    this.AT_LEAST_ONE(() => { this.CONSUME(T.Bar); const c = this.SUBRULE(this.tableCell); this.ACTION(() => c && cells.push(c)); });
    this.CONSUME(T.Arrow);
    const result = this.SUBRULE(this.expr);
    let sources: A.Citation[] = [];
    this.OPTION1(() => { sources = this.SUBRULE(this.citations); });
    return this.ACTION(() => ({ name, cells, result: result ?? errorExpr(), sources: sources ?? [], range: tokenRange(start, this.last()) }));
  });

  private tableCell = this.RULE('tableCell', (): A.TableCell => this.OR([
    { GATE: () => this.LA(1).tokenType !== T.Any || this.LA(2).tokenType !== T.LParen, ALT: () => {
      const t = this.OR1([{ ALT: () => this.CONSUME(T.Dash) }, { ALT: () => this.CONSUME(T.AnyValue) }, { ALT: () => this.CONSUME(T.Any) }]);
      return this.ACTION((): A.TableCell => ({ kind: 'any', range: tokenRange(t) }));
    } },
    { ALT: () => {
      const w = this.SUBRULE(this.boundWord);
      const v = this.SUBRULE(this.unaryExpr);
      let b2: { word: IToken; value: A.Expr } | undefined;
      this.OPTION(() => { b2 = this.SUBRULE(this.bound); });
      return this.ACTION(() => cellOfBounds(w, v, b2));
    } },
    { ALT: () => {
      const v = this.SUBRULE1(this.unaryExpr);
      return this.OR2([
        { ALT: () => {
          const w = this.SUBRULE1(this.boundWord);
          let b2: { word: IToken; value: A.Expr } | undefined;
          this.OPTION1(() => { b2 = this.SUBRULE1(this.bound); });
          return this.ACTION(() => cellOfBounds(w, v, b2));
        } },
        { ALT: () => {
          const values = [v];
          this.MANY(() => { this.CONSUME(T.Or); const x = this.SUBRULE2(this.unaryExpr); this.ACTION(() => values.push(x)); });
          return this.ACTION((): A.TableCell => {
            const read = values.filter((x) => x);   // after a recovered error a value may be missing
            return { kind: 'values', values: read, range: read.length ? span(read[0]!.range, read[read.length - 1]!.range) : errorRange };
          });
        } },
      ]);
    } },
  ]));

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

  private notExpr = this.RULE('notExpr', (): A.Expr => this.prefixed('not', T.Not, 'not', () => this.SUBRULE(this.notExpr), () => this.SUBRULE(this.cmpExpr)), { recoveryValueFunc: errorExpr });

  /** `op x` (不 x, −x), nested as often as written; else the next level's rule. */
  private prefixed(key: string, token: TokenType, op: 'not' | 'neg', self: () => A.Expr, next: () => A.Expr): A.Expr {
    return this.OR(this.cached(key, () => [
      { ALT: () => {
        const t = this.CONSUME(token);
        const arg = self();
        return this.ACTION(() => ({ kind: 'Unary' as const, op, arg, range: span(tokenRange(t), arg.range) }));
      } },
      { ALT: next },
    ]));
  }

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

  private unaryExpr = this.RULE('unaryExpr', (): A.Expr => this.prefixed('unary', T.Minus, 'neg', () => this.SUBRULE(this.unaryExpr), () => this.SUBRULE(this.primary)), { recoveryValueFunc: errorExpr });

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
    return this.ACTION((): A.Expr => numberLiteral(unit?.tokenType, n.image, tokenRange(n, unit ?? n)));
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
    { ALT: () => {
      const t = this.CONSUME(T.Identifier);
      // `低保.eligible`: an output of a referenced policy (引用), by the link's name
      let path: A.Name[] = [];
      this.OPTION9(() => { path = this.SUBRULE9(this.fieldPath) ?? []; });
      return this.ACTION((): A.Expr => (path.length
        ? { kind: 'Field', base: 'linked', path: [{ text: t.image, range: tokenRange(t) }, ...path], range: span(tokenRange(t), path[path.length - 1]!.range) }
        : { kind: 'Ref', name: t.image, range: tokenRange(t) }));
    } },
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
    { ALT: () => this.SUBRULE(this.dateCall) },
    { ALT: () => this.SUBRULE(this.roundToCall) },
  ])), { recoveryValueFunc: errorExpr });

  private dateCall = this.RULE('dateCall', (): A.Expr => {
    const t = this.OR(this.cached('dateFn', () => [...dateFns.keys()].map((tt) => ({ ALT: () => this.CONSUME(tt) }))));
    this.CONSUME(T.LParen);
    const args: A.Expr[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => { const e = this.SUBRULE(this.expr); this.ACTION(() => args.push(e)); } });
    const r = this.CONSUME(T.RParen);
    return this.ACTION((): A.Expr => ({ kind: 'Call', fn: dateFns.get(t.tokenType)!, args, range: tokenRange(t, r) }));
  }, { recoveryValueFunc: errorExpr });

  private roundToCall = this.RULE('roundToCall', (): A.Expr => {
    const t = this.CONSUME(T.RoundTo);
    this.CONSUME(T.LParen);
    const x = this.SUBRULE(this.expr);
    this.CONSUME(T.Comma);
    const u = this.OR([{ ALT: () => this.CONSUME(T.Yuan) }, { ALT: () => this.CONSUME(T.Jiao) }, { ALT: () => this.CONSUME(T.Fen) }]);
    this.CONSUME1(T.Comma);
    const k = this.OR1([{ ALT: () => this.CONSUME(T.HalfUp) }, { ALT: () => this.CONSUME(T.Down) }, { ALT: () => this.CONSUME(T.Up) }]);
    const r = this.CONSUME(T.RParen);
    return this.ACTION((): A.Expr => ({ kind: 'Call', fn: 'roundTo', range: tokenRange(t, r), args: [
      x, { kind: 'Text', text: roundUnits.get(u.tokenType)!, range: tokenRange(u) }, { kind: 'Text', text: roundRules.get(k.tokenType)!, range: tokenRange(k) },
    ] }));
  }, { recoveryValueFunc: errorExpr });

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

const readBound = (word: IToken, value: A.Expr): ReadBound => ({ type: word.tokenType, image: word.image, range: tokenRange(word), value });
/** A bounds cell from what Chevrotain read; after a recovered error a part may be missing (the cell then holds no test: the file has a syntax error anyway). */
function cellOfBounds(w: IToken | undefined, v: A.Expr | undefined, b2: { word: IToken; value: A.Expr } | undefined): A.TableCell {
  if (!w || !v) return { kind: 'any', range: errorRange };
  return boundsCell(readBound(w, v), b2?.word && b2.value ? readBound(b2.word, b2.value) : undefined);
}

const parser = new PolicyParser();

/** Builds the parser with Chevrotain's grammar checks on; throws on a grammar defect (tests call it). */
export function checkGrammar(): void { new PolicyParser(true); }

const fast = new FastParser();
/** A declaration (or the header) with a syntax error: its source offsets, and the names it may declare. */
export interface ErrorSpan { start: number; end: number; names: string[] }
/** The error span holding an offset (spans are in source order and do not overlap: a binary search). */
export function spanAt(spans: readonly ErrorSpan[], offset: number): ErrorSpan | undefined {
  let lo = 0, hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1, s = spans[mid]!;
    if (offset < s.start) hi = mid - 1; else if (offset >= s.end) lo = mid + 1; else return s;
  }
  return undefined;
}
export interface ParseResult { ast: A.PolicyFile; diagnostics: Diagnostic[]; /** Where the syntax errors are (the checker's findings there are their echoes). */ errorSpans: ErrorSpan[] }

/** Parses a policy or schema module from its tokens. Never throws: syntax errors come back as diagnostics. */
export function parseTokens(text: string, tokens: IToken[], comments: IToken[]): ParseResult {
  return parseBuffer(text, bufferOf(tokens), comments, () => tokens);
}

/** Parses from the lexer's token buffer (parse.ts): the fast path first, Chevrotain when it gives up. */
export function parseBuffer(text: string, b: TokenBuffer, comments: IToken[] = b.comments, tokens: () => IToken[] = () => tokensOf(text, b)): ParseResult {
  let ast: A.PolicyFile | undefined;
  const diagnostics: Diagnostic[] = [];
  const errorSpans: ErrorSpan[] = [];
  try {
    ast = fast.parse(text, b);
    for (const t of fast.tooDeep) diagnostics.push(diagnostic('syntax.too-deep', tokenRangeAt(b, t), { limit: MAX_NESTING }));
  } catch (e) {
    // not plain valid input: Chevrotain decides, with its recovery and messages. Anything else
    // is a fault of the fast parser: logged once, and Chevrotain answers (the differential
    // test, parseBothWays, lets such a fault fail instead).
    if (!isBail(e)) reportFastParserFault(e);
  }
  if (!ast) {
    // Chevrotain recurses too: declarations nested past the limit are left out before it reads them
    const kept = withoutDeepDeclarations(tokens());
    for (const t of kept.cut) diagnostics.push(diagnostic('syntax.too-deep', tokenRange(t), { limit: MAX_NESTING }));
    const r = chevrotainParseByDeclaration(text, kept.tokens);
    ast = r.ast;
    diagnostics.push(...r.diagnostics);
    errorSpans.push(...r.errorSpans);
  }
  ast.comments = comments.map((c) => ({ text: c.image, range: tokenRange(c) }));
  ast.range = { start: { line: 1, column: 1, offset: 0 }, end: endRange(text).end };
  return { ast, diagnostics, errorSpans };
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
function chevrotainParse(text: string, tokens: IToken[], into: A.PolicyFile = emptyFile()): A.PolicyFile {
  parser.source = text;
  parser.input = tokens;
  parser.collected = into;
  chevrotainOverflow = false;
  try {
    parser.file();
  } catch (e) {
    // a fault inside an action: keep what was read before it
    chevrotainOverflow = e instanceof RangeError;
  }
  return parser.collected;
}

/** Whether tokens[i] starts a declaration (成员 only before 定义 or 输出). */
function startsDeclAt(tokens: IToken[], i: number): boolean {
  const tt = tokens[i]!.tokenType;
  return tt === T.Member ? tokens[i + 1]?.tokenType === T.Define || tokens[i + 1]?.tokenType === T.Output : declStarts.has(tt);
}

/** The names a broken declaration may declare: each name before `=` (or before its labels and
 *  `=`), wherever its keyword is misspelt or missing. */
function declaredIn(chunk: IToken[]): string[] {
  const names: string[] = [];
  chunk.forEach((t, i) => {
    if (t.tokenType !== T.Identifier) return;
    let j = i + 1;
    while (chunk[j]?.tokenType === T.StringLit && j < i + 3) j++;
    if (chunk[j]?.tokenType === T.Equals) names.push(t.image);
  });
  return names;
}

/**
 * Chevrotain over one declaration at a time (the header first): one mistake gives one error,
 * the first of its declaration, instead of a cascade of follow-on errors, and a broken
 * declaration never swallows the ones after it (a misspelt 定义 used to hide the rest of the file).
 */
function chevrotainParseByDeclaration(text: string, tokens: IToken[]): { ast: A.PolicyFile; diagnostics: Diagnostic[]; errorSpans: ErrorSpan[] } {
  const collected = emptyFile();
  const diagnostics: Diagnostic[] = [];
  const errorSpans: ErrorSpan[] = [];
  const declared = new Set<string>();
  for (let i = 0; i + 1 < tokens.length; i++) if (startsDeclAt(tokens, i) && tokens[i + 1]!.tokenType === T.Identifier) declared.add(tokens[i + 1]!.image);
  let overflow = false;
  for (let from = 0; from < tokens.length || from === 0;) {
    let to = from + 1;
    while (to < tokens.length && !startsDeclAt(tokens, to)) to++;
    const chunk = tokens.slice(from, to);
    chevrotainParse(text, chunk, collected);
    overflow ||= chevrotainOverflow;
    const e = parser.errors[0];
    if (e) {
      const next = tokens[to];
      const end = next ? tokenRange(next).start : endRange(text).start;
      // an error at the end of a declaration that is not the file's end: just after its last token
      const stop = next && chunk.length ? tokenRange(chunk[chunk.length - 1]!).end : endRange(text).start;
      diagnostics.push(grammarDiagnostic(e.message, e.token, chunk, declared, { start: stop, end: stop }, !next));
      errorSpans.push({ start: chunk[0]?.startOffset ?? 0, end: end.offset, names: declaredIn(chunk) });
    }
    from = to;
  }
  if (overflow) diagnostics.push(diagnostic('syntax.too-deep', endRange(text), { limit: MAX_NESTING }));
  return { ast: collected, diagnostics, errorSpans };
}

/** The tokens without the declarations in which brackets, or runs of prefix operators (− 不),
 *  nest past MAX_NESTING, and the token where each such declaration passed it: a cheap scan, so
 *  that the recursive Chevrotain parser never sees such input. */
function withoutDeepDeclarations(tokens: IToken[]): { tokens: IToken[]; cut: IToken[] } {
  const startsDecl = (i: number) => startsDeclAt(tokens, i);
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
  try { f = fast.parse(text, bufferOf(tokens)); } catch (e) { if (!isBail(e)) throw e; f = undefined; }
  const c = chevrotainParseByDeclaration(text, tokens);
  return { fast: f, chevrotain: c.ast, errors: c.diagnostics.length };
}

let faultReported = false;
/** The first fault of the fast parser, on the console (dsl/ has no logger; hosts see stderr). */
function reportFastParserFault(e: unknown): void {
  if (faultReported) return;
  faultReported = true;
  (globalThis as { console?: { error(...a: unknown[]): void } }).console?.error('policy language: the fast parser failed; Chevrotain answered instead', e);
}

function endRange(text: string): Range {
  // the position after the last character: lines counted by \n, the column within the last line
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  const p = { line: lines, column: text.length - (text.lastIndexOf('\n') + 1) + 1, offset: text.length };
  return { start: p, end: p };
}
