// Editor-independent language services (LSP-shaped data, 1-based positions): diagnostics,
// semantic tokens, completions, hover, go to definition, formatting. The studio wraps these
// for Monaco; nothing here knows about an editor.
import { lex } from '../syntax/scanner.js';
import { keywordInfos, Identifier, StringLit, NumberLit, DateLit, Percent, type KeywordInfo } from '../syntax/lexer.js';
import type { IToken } from 'chevrotain';
import { analyze, type ModuleSources, type Analysis, type AnalyzeOptions } from '../analyze.js';
import { format } from '../syntax/formatter.js';
import type { Diagnostic, Range } from '../base/diagnostics.js';
import type { SchemaInfo, FieldInfo, Program, Type } from '../check/types.js';
import { typeText } from '../check/types.js';
import { tokenRange } from '../syntax/parser.js';
import { tableRowHover } from './table-hover.js';
import { paramValueText } from './param-value.js';

export interface Pos { line: number; column: number }
export interface SemanticToken { line: number; column: number; length: number; type: string }
export interface Completion { label: string; kind: 'keyword' | 'parameter' | 'definition' | 'output' | 'field' | 'enum' | 'function' | 'snippet'; detail?: string; insertText?: string }
export interface Hover { contents: string; range: Range }
export type Lang = 'zh' | 'en';
/** One text per language: the editor shows the one it speaks. */
const say = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);

export interface LanguageService {
  analyze(text: string): Analysis;
  diagnostics(text: string): Diagnostic[];
  semanticTokens(text: string): SemanticToken[];
  /** `lang`: the editor's language (the texts shown); the policy's own words stay as written. */
  completions(text: string, pos: Pos, lang?: Lang): Completion[];
  hover(text: string, pos: Pos, lang?: Lang): Hover | null;
  definition(text: string, pos: Pos): Range | null;
  format(text: string): string;
}

const keywordOf = new Map<unknown, KeywordInfo>(keywordInfos.map((k) => [k.token, k]));
const inside = (r: Range, p: Pos) =>
  (p.line > r.start.line || (p.line === r.start.line && p.column >= r.start.column)) &&
  (p.line < r.end.line || (p.line === r.end.line && p.column <= r.end.column));

/** `links`: how the editor reads referenced policies (引用), as analyze's `linked` / `linkedIds`. */
export function createLanguageService(modules: ModuleSources = {}, links: Pick<AnalyzeOptions, 'linked' | 'linkedIds'> = {}): LanguageService {
  let last: { text: string; analysis: Analysis } | null = null;
  const analysisOf = (text: string): Analysis => {
    if (last?.text !== text) last = { text, analysis: analyze(text, { modules, ...links }) };
    return last.analysis;
  };
  const householdOf = (a: Analysis): SchemaInfo | undefined => a.checked?.household;
  const memberOf = (h: SchemaInfo | undefined): SchemaInfo | undefined => {
    const f = h?.fields.find((x) => x.type.k === 'list');
    return f && f.type.k === 'list' ? f.type.of : undefined;
  };
  const tokenAt = (text: string, pos: Pos): { tokens: IToken[]; index: number } => {
    const tokens = lex(text).tokens;
    const index = tokens.findIndex((t) => inside(tokenRange(t), pos));
    return { tokens, index };
  };
  /** The schema a dotted path before a token walks into: household.dibao. → dibao_status. */
  const fieldOwner = (a: Analysis, tokens: IToken[], index: number): SchemaInfo | undefined => {
    const path: string[] = [];
    let i = index - 1;
    while (i >= 1 && tokens[i]!.image === '.') { path.unshift(tokens[i - 1]!.image); i -= 2; }
    if (path.length === 0) return undefined;
    const base = path.shift()!;
    const h = householdOf(a);
    // `低保.` after a 引用's name: the referenced policy's outputs
    const linkedTo = a.checked?.links?.find((l) => l.alias === base)?.outputs;
    let s: SchemaInfo | undefined = linkedTo ?? (['household', '家庭'].includes(base) ? h : ['成员', 'member', 'members'].includes(base) ? memberOf(h) : undefined);
    for (const p of path) {
      const f: FieldInfo | undefined = s?.fields.find((x) => x.name === p);
      s = f?.type.k === 'record' ? f.type.of : undefined;
    }
    return s;
  };

  const symbolDoc = (p: Program | undefined, name: string, lang: Lang): { contents: string; range: Range } | null => {
    const d = p?.ast.decls.find((x) => x.name.text === name);
    if (!d || !p) return null;
    if (d.kind === 'Param') {
      const info = p.info.parameters.find((x) => x.name === name)!;
      const lines = [`**${say(lang, '参数', 'parameter')} ${name}**${d.label ? `「${d.label}」` : ''}`, `${say(lang, '类型', 'type')}: ${typeIn(lang, d.kind === 'Param' ? p.params.find((x) => x.decl === d)?.type : undefined) ?? info.type}`,
        `${say(lang, '当前值', 'value')}: **${paramValueText(info, lang)}**`];
      if (info.min !== null) lines.push(`${say(lang, '法定范围', 'legal range')}: [${info.min}, ${info.max}]`);
      if (info.sources.length) lines.push(`${say(lang, '依据', 'source')}: ${info.sources.join('；')}`);
      if (info.assumed) lines.push(`⚠ ${say(lang, '假定', 'assumed')}: ${info.assumed}`);
      return { contents: lines.join('\n\n'), range: d.name.range };
    }
    const t = d.kind === 'Def' ? (d.member ? p.memberDefs : p.defs).find((x) => x.decl === d)?.type : p.outputs.find((x) => x.decl === d)?.type;
    const what = d.kind === 'Def' ? (d.member ? say(lang, '成员定义', 'member definition') : say(lang, '定义', 'definition')) : (d.member ? say(lang, '成员输出', 'member output') : say(lang, '输出', 'output'));
    const cites = d.body.kind === 'Rules' ? d.body.rules.flatMap((r) => r.sources.map((s) => `${r.name.text}：${s.text}`)) : d.sources.map((s) => s.text);
    const lines = [`**${what} ${name}**${d.label ? `「${d.label}」` : ''}`, `${say(lang, '类型', 'type')}: ${typeIn(lang, t) ?? '?'}`];
    if (cites.length) lines.push(`${say(lang, '依据', 'source')}: ${cites.join('；')}`);
    return { contents: lines.join('\n\n'), range: d.name.range };
  };

  return {
    analyze: analysisOf,
    diagnostics: (text) => analysisOf(text).diagnostics,
    format,

    semanticTokens(text) {
      const a = analysisOf(text);
      const l = lex(text);
      const names = new Map<string, string>();
      for (const d of a.ast.decls) names.set(d.name.text, d.kind === 'Param' ? 'parameter' : d.kind === 'Def' ? 'definition' : 'output');
      const all = [...l.tokens.map((t) => ({ t, comment: false })), ...l.comments.map((t) => ({ t, comment: true }))]
        .sort((x, y) => x.t.startOffset - y.t.startOffset);
      const out: SemanticToken[] = [];
      all.forEach(({ t, comment }, i) => {
        let type: string;
        if (comment) type = 'comment';
        else if (t.tokenType === StringLit) type = 'string';
        else if (t.tokenType === NumberLit || t.tokenType === DateLit || t.tokenType === Percent) type = 'number';
        else if (t.tokenType === Identifier) {
          const prev = all[i - 1]?.t;
          type = prev?.image === '.' ? 'property' : names.get(t.image) ?? 'variable';
        } else {
          const k = keywordOf.get(t.tokenType);
          type = k ? k.role : 'operator';
        }
        // a token may span lines only if it is a comment or string; report by its first line
        out.push({ line: t.startLine ?? 1, column: t.startColumn ?? 1, length: t.image.length, type });
      });
      return out;
    },

    completions(text, pos, lang = 'zh') {
      const a = analysisOf(text);
      const tokens = lex(text).tokens;
      // the token just before the cursor
      const before = tokens.filter((t) => (t.startLine! < pos.line) || (t.startLine === pos.line && t.startColumn! < pos.column));
      const prev = before[before.length - 1];
      const typingWord = prev && (prev.endLine === pos.line && (prev.endColumn ?? 0) + 1 === pos.column) && prev.image !== '.';
      const dotIndex = typingWord ? before.length - 2 : before.length - 1;
      if (before[dotIndex]?.image === '.') {
        const owner = fieldOwner(a, before, dotIndex + 1);
        return (owner?.fields ?? []).map((f) => ({ label: f.name, kind: 'field' as const, detail: `${labelText(f, lang)} ${fieldTypeText(f, lang)}`.trim() }));
      }
      const items: Completion[] = [];
      for (const d of a.ast.decls) {
        items.push({ label: d.name.text, kind: d.kind === 'Param' ? 'parameter' : d.kind === 'Def' ? 'definition' : 'output', detail: d.label ?? undefined });
      }
      const member = memberOf(householdOf(a));
      for (const f of member?.fields ?? []) items.push({ label: f.name, kind: 'field', detail: `${say(lang, '成员', 'member')} ${labelText(f, lang)}`.trim() });
      for (const f of member?.fields ?? []) if (f.type.k === 'enum') for (const v of f.type.values) items.push({ label: v.label ?? v.name, kind: 'enum', detail: `${f.name} = ${v.name}` });
      for (const f of householdOf(a)?.fields ?? []) if (f.type.k === 'enum') for (const v of f.type.values) items.push({ label: v.label ?? v.name, kind: 'enum', detail: `${f.name} = ${v.name}` });
      for (const k of keywordInfos) {
        for (const w of [...k.zh, ...k.en]) items.push({ label: w, kind: k.role === 'builtin' ? 'function' : 'keyword', detail: keywordWords(k, lang) + (k.doc ? ` — ${k.doc[lang]}` : '') });
      }
      items.push(
        { label: '规则', kind: 'snippet', detail: '规则 … 依据 … : 当 … 时 …', insertText: '规则 ${1:名称} 依据「${2:出处}」: 当 ${3:条件} 时 ${4:值}' },
        { label: '分档', kind: 'snippet', detail: '分档 年龄: 80 以上 不满 90 → …', insertText: '分档 ${1:年龄}:\n  ${2:80} 以上 不满 ${3:90} → ${4:500 元/月}\n  否则 ${5:0 元/月}' },
        { label: '决策表', kind: 'snippet', detail: '决策表 唯一 (年龄): 行 | 80 以上 不满 90 → … 依据「…」', insertText: '决策表 ${1|唯一,首个,合计|} (${2:年龄}):\n    行 | ${3:80 以上 不满 90} → ${4:500 元/月} 依据「${5:出处}」\n    行 | ${6:90 以上} → ${7:600 元/月} 依据「${8:出处}」' },
      );
      const seen = new Set<string>();
      return items.filter((x) => (seen.has(x.label + x.kind) ? false : (seen.add(x.label + x.kind), true)));
    },

    hover(text, pos, lang = 'zh') {
      const a = analysisOf(text);
      const { tokens, index } = tokenAt(text, pos);
      if (index < 0) return null;
      const t = tokens[index]!;
      const range = tokenRange(t);
      const row = tableRowHover(a.ast, text, t.startOffset);
      if (t.tokenType === Identifier || tokens[index - 1]?.image === '.') {
        if (tokens[index - 1]?.image === '.') {
          const owner = fieldOwner(a, tokens, index);
          const f = owner?.fields.find((x) => x.name === t.image);
          if (f) return { contents: `**${f.name}**${quotedLabel(f, lang)}\n\n${say(lang, '类型', 'type')}: ${fieldTypeText(f, lang)}${f.required ? say(lang, '（必填）', ' (required)') : ''}`, range };
          return null;
        }
        const link = a.checked?.links?.find((l) => l.alias === t.image);
        if (link) return { contents: say(lang, `**引用 ${link.policy}**「${link.title}」\n\n第 ${link.version} 版：${link.outputs.fields.map((f) => f.name).join('、')}`, `**link ${link.policy}** "${link.title}"\n\nversion ${link.version}: ${link.outputs.fields.map((f) => f.name).join(', ')}`), range };
        const doc = symbolDoc(a.checked, t.image, lang);
        if (doc) return { contents: doc.contents, range };
        const member = memberOf(householdOf(a));
        const f = member?.fields.find((x) => x.name === t.image);
        if (f) return { contents: `**${say(lang, '成员', 'member')}.${f.name}**${quotedLabel(f, lang)}\n\n${say(lang, '类型', 'type')}: ${fieldTypeText(f, lang)}`, range };
        return row ? { contents: row, range } : null;
      }
      if (row) return { contents: row, range };
      const k = keywordOf.get(t.tokenType);
      if (k) return { contents: `**${keywordWords(k, lang)}**${k.doc ? `\n\n${k.doc[lang]}` : ''}`, range };
      return null;
    },

    definition(text, pos) {
      const a = analysisOf(text);
      const { tokens, index } = tokenAt(text, pos);
      if (index < 0) return null;
      const t = tokens[index]!;
      if (t.tokenType !== Identifier) return null;
      const d = a.ast.decls.find((x) => x.name.text === t.image);
      if (d) return d.name.range;
      for (const decl of a.ast.decls) {
        if (decl.kind !== 'Param' && decl.body.kind === 'Rules') {
          const r = decl.body.rules.find((x) => x.name.text === t.image);
          if (r) return r.name.range;
        }
      }
      return null;
    },
  };
}

function fieldTypeText(f: FieldInfo, lang: Lang): string {
  switch (f.type.k) {
    case 'money': return f.type.p === 'month' ? say(lang, '金额/月', 'money/month') : f.type.p === 'year' ? say(lang, '金额/年', 'money/year') : say(lang, '金额', 'money');
    case 'enum': return `${say(lang, '枚举', 'enum')}(${f.type.values.map((v) => `${v.name}${quotedLabel(v, lang)}`).join(', ')})`;
    case 'list': return `${say(lang, '列表', 'list')}(${f.type.of.name})`;
    case 'record': return f.type.of.name;
    default: {
      const names: Record<string, [string, string]> = { text: ['文本', 'text'], bool: ['布尔', 'bool'], number: ['数', 'number'], integer: ['整数', 'integer'], date: ['日期', 'date'], textlist: ['文本列表', 'text list'] };
      const n = names[f.type.k];
      return n ? say(lang, n[0], n[1]) : f.type.k;
    }
  }
}

type Labelled = { name: string; label: string | null; labelEn?: string | null };
/** A schema field's (or enum value's) label in the editor's language: the module gives both. */
function labelText(x: Labelled, lang: Lang): string {
  return (lang === 'en' && x.labelEn) || x.label || '';
}
/** The label as the source writes it, 「中文」 or "English"; nothing when it only repeats the name. */
function quotedLabel(x: Labelled, lang: Lang): string {
  const text = labelText(x, lang);
  if (!text || text === x.name) return '';
  return lang === 'en' && x.labelEn ? ` "${text}"` : `「${text}」`;
}

/** A keyword's words in the editor's language first, the other language's after (both are valid source). */
function keywordWords(k: KeywordInfo, lang: Lang): string {
  return (lang === 'en' ? [...k.en, ...k.zh] : [...k.zh, ...k.en]).join(lang === 'en' ? ', ' : '、');
}

/** A type in one language (the checker's typeText has both). */
function typeIn(lang: Lang, t: Type | undefined): string | undefined {
  return t ? typeText(t)[lang] : undefined;
}
