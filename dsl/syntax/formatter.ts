// Canonical pretty-printing from the AST: one spelling per keyword (Chinese, or English when
// the file starts with `policy`), one declaration per line, rules and tiers one clause per line,
// parentheses only where precedence needs them. Comments are kept. format(format(x)) = format(x).
// A file that does not parse is returned unchanged: formatting never loses text.
import type * as A from './ast.js';
import { parse } from './parse.js';

type Style = 'zh' | 'en';
/** Each keyword's canonical spelling [Chinese, English] (also read by eval/derivation.ts). */
export const words: Record<string, [string, string]> = {
  policy: ['政策', 'policy'], program: ['项目', 'program'], jurisdiction: ['辖区', 'jurisdiction'], effective: ['生效', 'effective'],
  note: ['说明', 'note'], source: ['依据', 'source'], assumed: ['假定', 'assumed'], use: ['使用', 'use'], parameter: ['参数', 'parameter'],
  define: ['定义', 'define'], memberDefine: ['成员定义', 'member define'], output: ['输出', 'output'], memberOutput: ['成员输出', 'member output'],
  schema: ['模式', 'schema'], range: ['范围', 'range'], rule: ['规则', 'rule'], exception: ['例外', 'exception'], overrides: ['优先于', 'overrides'],
  when: ['当', 'when'], then: ['时', 'then'], ifThen: ['那么', 'then'], otherwise: ['否则', 'otherwise'], if: ['如果', 'if'], where: ['其中', 'where'],
  tier: ['分档', 'tier'], and: ['并且', 'and'], or: ['或者', 'or'], not: ['不', 'not'], is: ['是', 'is'], isNot: ['不是', 'is not'], in: ['属于', 'in'],
  household: ['household', 'household'], member: ['成员', 'member'], members: ['成员', 'members'], age: ['年龄', 'age'], asOf: ['评估日', 'as_of'],
  round: ['舍入到分', 'round'], monthly: ['按月', 'monthly'], yearly: ['按年', 'yearly'], present: ['有值', 'present'], count: ['人数', 'count'],
  sum: ['合计', 'sum'], any: ['存在', 'any'], all: ['全部', 'all'], min: ['最小', 'min'], max: ['最大', 'max'], ids: ['编号', 'ids'],
  atLeast: ['不低于', 'at least'], atMost: ['不高于', 'at most'], true: ['真', 'true'], false: ['假', 'false'], none: ['无', 'none'],
  yuan: ['元', 'yuan'], perMonth: ['元/月', 'yuan/month'], perYear: ['元/年', 'yuan/year'], months: ['个月', 'months'], years: ['年', 'years'], days: ['天', 'days'],
  text: ['文本', 'text'], bool: ['布尔', 'bool'], number: ['数', 'number'], integer: ['整数', 'integer'], money: ['金额', 'money'],
  moneyMonth: ['金额/月', 'money/month'], moneyYear: ['金额/年', 'money/year'], date: ['日期', 'date'], textlist: ['文本列表', 'text list'],
  enum: ['枚举', 'enum'], list: ['列表', 'list'], link: ['引用', 'link'], linkAs: ['简称', 'as'],
  daysBetween: ['相差天数', 'days_between'], monthsBetween: ['相差月数', 'months_between'], yearsBetween: ['相差年数', 'years_between'],
  yearOf: ['年份', 'year_of'], monthOf: ['月份', 'month_of'], prorate: ['折算', 'prorate'], roundTo: ['舍入', 'round_to'],
  jiao: ['角', 'jiao'], fen: ['分', 'fen'], 'half-up': ['四舍五入', 'half_up'], down: ['向下', 'down'], up: ['向上', 'up'],
  table: ['决策表', 'table'], row: ['行', 'row'], unique: ['唯一', 'unique'], first: ['首个', 'first'], anyValue: ['任意', 'any'],
};

export function format(source: string): string {
  const { ast, diagnostics } = parse(source);
  if (diagnostics.some((d) => d.severity === 'error')) return source;
  const style: Style = /^\s*(?:(?:#|\/\/)[^\n]*\n\s*)*policy\b/.test(source) ? 'en' : 'zh';
  return new Printer(style, source, ast).print();
}

class Printer {
  private out: string[] = [];
  private comments: A.PolicyFile['comments'];
  constructor(private style: Style, private source: string, private ast: A.PolicyFile) {
    this.comments = [...ast.comments];
  }
  private w(k: keyof typeof words): string { return words[k]![this.style === 'zh' ? 0 : 1]; }
  private str(s: string): string {
    if (this.style === 'zh' && !s.includes('」')) return `「${s}」`;
    return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  }
  private label(l: string | null): string { return l === null ? '' : this.str(l); }
  /** A keyword followed by a string: 依据「x」 in Chinese, `source "x"` in English. */
  private kws(k: keyof typeof words, texts: string[]): string {
    const sep = this.style === 'zh' ? '' : ' ';
    return `${this.w(k)}${texts.map((t) => sep + this.str(t)).join(this.style === 'zh' ? '' : '')}`;
  }
  private cites(c: A.Citation[]): string { return c.length ? ` ${this.kws('source', c.map((x) => x.text))}` : ''; }

  /** Comments that start before `offset`, emitted on their own lines. */
  private flushComments(offset: number, indent: string): void {
    while (this.comments.length && this.comments[0]!.range.start.offset < offset) this.out.push(indent + this.comments.shift()!.text);
  }
  private blankBefore(offset: number): boolean {
    const before = this.source.slice(0, offset);
    return /\n[ \t\u3000]*\n[ \t\u3000]*(?:(?:#|\/\/)[^\n]*\n[ \t\u3000]*)*$/.test(before);
  }
  private trailing(endOffset: number): string {
    const c = this.comments[0];
    if (!c) return '';
    const between = this.source.slice(endOffset, c.range.start.offset);
    if (between.includes('\n')) return '';
    this.comments.shift();
    return ` ${c.text}`;
  }

  print(): string {
    const a = this.ast;
    const h = a.header;
    const items: { offset: number; end: number; emit: () => void }[] = [];
    if (h) items.push({ offset: h.range.start.offset, end: h.range.end.offset, emit: () => this.header(h) });
    for (const u of a.uses) items.push({ offset: u.range.start.offset, end: u.range.end.offset, emit: () => this.line(`${h ? '  ' : ''}${this.kws('use', [u.module])}`, u.range.end.offset) });
    for (const d of a.decls) items.push({ offset: d.range.start.offset, end: d.range.end.offset, emit: () => this.decl(d) });
    for (const s of a.schemas) items.push({ offset: s.range.start.offset, end: s.range.end.offset, emit: () => this.schema(s) });
    items.sort((x, y) => x.offset - y.offset);
    let first = true;
    for (const it of items) {
      const isUse = a.uses.some((u) => u.range.start.offset === it.offset);
      if (!first && !isUse && this.blankBefore(it.offset) && this.out[this.out.length - 1] !== '') this.out.push('');
      this.flushComments(it.offset, isUse && h ? '  ' : '');
      it.emit();
      first = false;
    }
    this.flushComments(Infinity, '');
    return this.out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
  }

  private line(text: string, endOffset: number): void { this.out.push(text + this.trailing(endOffset)); }

  private header(h: A.Header): void {
    this.out.push(`${this.w('policy')} ${h.id.text}${h.title !== null ? (this.style === 'zh' ? '' : ' ') + this.str(h.title) : ''}`);
    if (h.program !== null) this.out.push(`  ${this.kws('program', [h.program])}`);
    if (h.jurisdiction !== null) this.out.push(`  ${this.w('jurisdiction')}${h.jurisdictionCode ? ` ${h.jurisdictionCode.text}` : ''}${this.style === 'en' ? ' ' : ''}${this.str(h.jurisdiction)}`);
    if (h.effective) this.out.push(`  ${this.w('effective')} ${h.effective.text}${h.effective.assumed ? ` ${this.kws('assumed', [h.effective.assumed.text])}` : ''}`);
    if (h.note !== null) this.out.push(`  ${this.kws('note', [h.note])}`);
    if (h.sources.length) this.out.push(`  ${this.kws('source', h.sources.map((s) => s.text))}`);
    for (const l of h.links ?? []) this.out.push(`  ${this.w('link')} ${l.policy.text}${l.title !== null ? (this.style === 'zh' ? '' : ' ') + this.str(l.title) : ''} ${this.w('linkAs')} ${l.alias.text}`);
    this.flushComments(h.range.end.offset, '  ');
  }

  private nameLabel(n: A.Name, l: string | null, en?: string | null): string {
    const sep = this.style === 'zh' ? '' : ' ';
    return `${n.text}${l !== null ? sep + this.label(l) : ''}${l !== null && en ? sep + `"${en.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : ''}`;
  }

  /** Display width: CJK characters take two columns. */
  private width(t: string): number {
    let n = 0;
    for (const ch of t) n += ch.codePointAt(0)! > 0x2e80 ? 2 : 1;
    return n;
  }
  private fits(t: string): boolean { return !t.includes('\n') && this.width(t) <= 100; }

  /** An expression on lines of its own at `indent`; a long 并且/或者 chain gets one operand per line. */
  private block(e: A.Expr, indent: string): string {
    const one = indent + this.expr(e, 0, indent);
    if (this.fits(one) || e.kind !== 'Binary' || (e.op !== 'and' && e.op !== 'or')) return one;
    const parts: A.Expr[] = [];
    const flat = (x: A.Expr) => { if (x.kind === 'Binary' && x.op === e.op) { flat(x.left); flat(x.right); } else parts.push(x); };
    flat(e);
    const prec = e.op === 'and' ? 3 : 2;
    return parts.map((p, i) => `${indent}${i === 0 ? '' : this.w(e.op as 'and' | 'or') + ' '}${this.expr(p, prec, indent)}`).join('\n');
  }

  private decl(d: A.Decl): void {
    if (d.kind === 'Param') {
      let s = `${this.w('parameter')} ${this.nameLabel(d.name, d.label, d.labelEn)} = ${this.expr(d.value, 0, '')}`;
      if (d.min && d.max) s += ` ${this.w('range')} [${this.expr(d.min, 0, '')}, ${this.expr(d.max, 0, '')}]`;
      let tail = this.cites(d.sources);
      if (d.assumed) tail += ` ${this.kws('assumed', [d.assumed.text])}`;
      if (this.fits(s + tail)) this.line(s + tail, d.range.end.offset);
      else { this.out.push(s); this.line(`  ${tail.trim()}`, d.range.end.offset); }
      return;
    }
    const kw = d.kind === 'Def' ? (d.member ? this.w('memberDefine') : this.w('define')) : (d.member ? this.w('memberOutput') : this.w('output'));
    const head = `${kw} ${this.nameLabel(d.name, d.label, d.labelEn)} =`;
    if (d.body.kind === 'Expr' && !d.body.table) {
      const text = this.expr(d.body.expr, 0, '  ');
      const cites = this.cites(d.sources);
      const one = `${head}${text.startsWith('\n') ? '' : ' '}${text}`;
      if (text.includes('\n') || this.fits(one + cites)) { this.line(one + cites, d.range.end.offset); return; }
      this.out.push(head);
      this.out.push(this.block(d.body.expr, '  '));
      if (cites) this.out[this.out.length - 1] += this.fits(this.out[this.out.length - 1]! + cites) ? cites : `\n  ${cites.trim()}`;
      this.line(this.out.pop()!, d.range.end.offset);
      return;
    }
    if (d.body.table) { this.table(head, d.body.table, d.sources, d.range.end.offset); return; }
    if (d.body.kind !== 'Rules') return;
    this.out.push(head);
    for (const r of d.body.rules) {
      this.flushComments(r.range.start.offset, '  ');
      const ov = r.overrides.length ? ` ${this.w('overrides')} ${r.overrides.map((o) => o.text).join(', ')}` : '';
      const ruleHead = `  ${this.w(r.kind)} ${r.name.text}${ov}${this.cites(r.sources)}:`;
      const cond = this.expr(r.when, 0, '    '), value = this.expr(r.then, 0, '    ');
      const one = `${ruleHead} ${this.w('when')} ${cond} ${this.w('then')} ${value}`;
      if (this.fits(one)) { this.line(one, r.range.end.offset); continue; }
      this.out.push(ruleHead);
      const when = `    ${this.w('when')} ${cond} ${this.w('then')}`;
      if (this.fits(when)) this.out.push(when);
      else { this.out.push(this.block(r.when, '    ').replace(/^ {4}/, `    ${this.w('when')} `)); this.out.push(`    ${this.w('then')}`); }
      const v = `      ${value}`;
      this.line(v.includes('\n') ? v : this.block(r.then, '      '), r.range.end.offset);
    }
    if (d.body.otherwise) {
      this.flushComments(d.body.otherwise.range.start.offset, '  ');
      this.line(`  ${this.w('otherwise')} ${this.expr(d.body.otherwise, 0, '    ')}${this.cites(d.body.otherwiseSources)}`, d.body.otherwise.range.end.offset);
    }
  }

  /** A decision table, one row per line, its cells aligned in columns (by display width: a Chinese character takes two). */
  private table(head: string, t: A.DecisionTable, sources: A.Citation[], end: number): void {
    this.out.push(head + this.cites(sources));
    this.out.push(`  ${this.w('table')} ${this.w(t.policy === 'sum' ? 'sum' : t.policy)} (${t.columns.map((c) => this.expr(c.expr, 0, '')).join(', ')}):`);
    const cells = t.rows.map((r) => [
      r.name ? `${this.w('row')} ${r.name.text}` : this.w('row'),
      ...r.cells.map((c) => this.tableCell(c)),
      this.expr(r.result, 0, '      '),
    ]);
    const widths: number[] = [];
    for (const row of cells) row.forEach((c, i) => { widths[i] = Math.max(widths[i] ?? 0, displayWidth(c)); });
    const pad = (s: string, i: number) => s + ' '.repeat(widths[i]! - displayWidth(s));
    t.rows.forEach((r, k) => {
      this.flushComments(r.range.start.offset, '    ');
      const row = cells[k]!;
      const value = row[row.length - 1]!;
      const lead = row.slice(0, -1).map(pad).join(' | ');
      const cites = this.cites(r.sources);
      this.line(`    ${lead} → ${cites ? pad(value, row.length - 1) + cites : value}`, r.range.end.offset);
    });
    if (t.otherwise) this.line(`    ${this.w('otherwise')} ${this.expr(t.otherwise, 0, '      ')}${this.cites(t.otherwiseSources)}`, Math.max(t.otherwise.range.end.offset, end));
  }

  private tableCell(c: A.TableCell): string {
    if (c.kind === 'any') return '—';
    if (c.kind === 'values') return c.values.map((v) => this.expr(v, 7, '')).join(this.style === 'zh' ? ' 或 ' : ' or ');
    return this.bounds(c.lower, c.upper, '');
  }

  /** Tier and table bounds: 80 以上 不满 90 / from 80 below 90. */
  private bounds(lower: A.TierBound | null, upper: A.TierBound | null, indent: string): string {
    return [lower, upper].filter((x): x is A.TierBound => x !== null).map((bd) => {
      const word = bd === lower ? (bd.inclusive ? ['以上', 'from'] : ['超过', 'above']) : (bd.inclusive ? ['以下', 'to'] : ['不满', 'below']);
      const v = this.expr(bd.value, 7, indent);
      // Chinese statutes write 80以上 / 90以下 after the number and 超过 / 不满 before it
      if (this.style === 'zh') return word[0] === '以上' || word[0] === '以下' ? `${v} ${word[0]}` : `${word[0]} ${v}`;
      return `${word[1]} ${v}`;
    }).join(' ');
  }

  private schema(s: A.SchemaDecl): void {
    this.out.push(`${this.w('schema')} ${this.nameLabel(s.name, s.label, s.labelEn)}`);
    for (const f of s.fields) {
      this.flushComments(f.range.start.offset, '  ');
      let t = `  ${this.nameLabel(f.name, f.label, f.labelEn)}: ${this.type(f.type)}`;
      if (f.min && f.max) t += ` ${this.w('range')} [${this.expr(f.min, 0, '')}, ${this.expr(f.max, 0, '')}]`;
      if (f.default) t += ` = ${this.expr(f.default, 0, '')}`;
      this.line(t, f.range.end.offset);
    }
  }

  private type(t: A.TypeRef): string {
    switch (t.kind) {
      case 'money': return t.period === 'month' ? this.w('moneyMonth') : t.period === 'year' ? this.w('moneyYear') : this.w('money');
      case 'enum': return `${this.w('enum')}(${t.values.map((v) => this.nameLabel(v.name, v.label, v.labelEn)).join(', ')})`;
      case 'list': return `${this.w('list')}(${t.of.text})`;
      case 'ref': return t.name.text;
      default: return this.w(t.kind);
    }
  }

  private expr(e: A.Expr, parent: number, indent: string): string {
    const prec = precedence(e);
    const s = this.exprInner(e, indent);
    return prec < parent ? `(${s})` : s;
  }

  private exprInner(e: A.Expr, indent: string): string {
    switch (e.kind) {
      case 'Number': return e.text;
      case 'Money': return `${e.text} ${e.period === 'month' ? this.w('perMonth') : e.period === 'year' ? this.w('perYear') : this.w('yuan')}`;
      case 'Percent': return `${e.text}%`;
      case 'Date': return e.text;
      case 'Duration': return `${e.text} ${this.w(e.unit)}`;
      case 'Text': return this.str(e.text);
      case 'Bool': return this.w(e.value ? 'true' : 'false');
      case 'None': return this.w('none');
      case 'Error': return '';
      case 'List': return `[${e.items.map((i) => this.expr(i, 0, indent)).join(', ')}]`;
      case 'Ref': return e.name;
      case 'Field': return `${e.base === 'linked' ? '' : `${e.base === 'household' ? this.w('household') : this.w('member')}.`}${e.path.map((p) => p.text).join('.')}`;
      case 'Members': return this.w('members');
      case 'Age': return this.w('age');
      case 'AsOf': return this.w('asOf');
      case 'Unary': return e.op === 'not' ? `${this.w('not')} ${this.expr(e.arg, 3, indent)}` : `-${this.expr(e.arg, 7, indent)}`;
      case 'Binary': {
        const p = precedence(e);
        const op = e.word ? (e.op === '=' ? this.w('is') : this.w('isNot'))
          : ({ and: this.w('and'), or: this.w('or'), in: this.w('in'), '*': '×', '/': '÷', '-': '−', '<=': '≤', '>=': '≥', '!=': '≠' } as Record<string, string>)[e.op] ?? e.op;
        // comparisons do not chain; arithmetic is left-associative
        const lp = p === 4 ? 5 : p;
        const rp = p === 4 ? 5 : p + 1;
        return `${this.expr(e.left, lp, indent)} ${op} ${this.expr(e.right, rp, indent)}`;
      }
      case 'If': return `${this.w('if')} ${this.expr(e.cond, 0, indent)} ${this.w('ifThen')} ${this.expr(e.then, 0, indent)} ${this.w('otherwise')} ${this.expr(e.else, 0, indent)}`;
      case 'Call': {
        if (e.fn === 'atLeast' || e.fn === 'atMost') return `${this.w(e.fn)} ${this.expr(e.args[0]!, 5, indent)} (${this.expr(e.args[1]!, 0, indent)})`;
        // 舍入(x, 元, 四舍五入): the unit and the rule are keywords, held as Text arguments
        if (e.fn === 'roundTo') return `${this.w('roundTo')}(${this.expr(e.args[0]!, 0, indent)}, ${e.args.slice(1).map((a) => (a.kind === 'Text' && a.text in words ? this.w(a.text as keyof typeof words) : this.expr(a, 0, indent))).join(', ')})`;
        return `${this.w(e.fn)}(${e.args.map((a) => this.expr(a, 0, indent)).join(', ')})`;
      }
      case 'Aggregate': return `${this.w(e.fn)}(${this.expr(e.arg, 0, indent)}${e.where ? ` ${this.w('where')} ${this.expr(e.where, 0, indent)}` : ''})`;
      case 'Tier': {
        const inner = indent + '  ';
        const lines = e.brackets.map((b) => `${inner}${this.bounds(b.lower, b.upper, inner)} → ${this.expr(b.result, 0, inner)}`);
        if (e.otherwise) lines.push(`${inner}${this.w('otherwise')} ${this.expr(e.otherwise, 0, inner)}`);
        return `${this.w('tier')} ${this.expr(e.subject, 5, indent)}:\n${lines.join('\n')}`;
      }
    }
  }
}

/** Columns a string takes in a monospaced editor: East Asian wide characters take two. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/.test(ch) ? 2 : 1;
  return w;
}

/** How tightly an expression binds (higher binds tighter): parentheses go where a child binds looser. */
export function precedence(e: A.Expr): number {
  if (e.kind === 'Binary') {
    if (e.op === 'or') return 1;
    if (e.op === 'and') return 2;
    switch (e.op) {
      case '<': case '<=': case '>': case '>=': case '=': case '!=': case 'in': return 4;
      case '+': case '-': return 5;
      default: return 6;
    }
  }
  if (e.kind === 'Unary') return e.op === 'not' ? 3 : 7;
  if (e.kind === 'If' || e.kind === 'Tier') return 0;
  return 8;
}
