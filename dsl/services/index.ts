// Editor-independent language services (LSP-shaped data, 1-based positions): diagnostics,
// semantic tokens, completions, hover, go to definition, formatting. The studio wraps these
// for Monaco; nothing here knows about an editor. Meaning comes from the middle form (the
// analysis's `middle`, the one the backends and the trace read): a name under the cursor is
// resolved through its `reads` (meaning-at.ts) and described from its declarations
// (describe.ts). Semantic tokens, formatting and the completion of a path being typed (which
// does not parse yet) are syntax-level.
import { lex } from '../syntax/scanner.js';
import { keywordInfos, Identifier, StringLit, NumberLit, DateLit, Percent, type KeywordInfo } from '../syntax/lexer.js';
import type { IToken } from 'chevrotain';
import { analyze, type ModuleSources, type Analysis, type AnalyzeOptions } from '../analyze.js';
import { format } from '../syntax/formatter.js';
import type { Diagnostic, Range } from '../base/diagnostics.js';
import type { SchemaInfo, FieldInfo } from '../check/types.js';
import { tokenRange } from '../syntax/parser.js';
import { tableRowHover } from './table-hover.js';
import { meaningAt, type Meaning } from './meaning-at.js';
import { describe, fieldTypeText } from './describe.js';
import { say, labelIn, type Lang } from './lang.js';

export interface Pos { line: number; column: number }
export interface SemanticToken { line: number; column: number; length: number; type: string }
export interface Completion { label: string; kind: 'keyword' | 'parameter' | 'definition' | 'output' | 'field' | 'enum' | 'function' | 'snippet'; detail?: string; insertText?: string }
export interface Hover { contents: string; range: Range }
export type { Lang };

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
/** `touching`: the position just after the range counts too (the cursor at a word's end). */
const inside = (r: Range, p: Pos, touching: boolean) =>
  (p.line > r.start.line || (p.line === r.start.line && p.column >= r.start.column)) &&
  (p.line < r.end.line || (p.line === r.end.line && (touching ? p.column <= r.end.column : p.column < r.end.column)));

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
    // the token under the cursor, else the one it touches: in 按月(年标准) the cursor before 年 is on 年标准, not after (
    const under = tokens.findIndex((t) => inside(tokenRange(t), pos, false));
    const index = under >= 0 ? under : tokens.findIndex((t) => inside(tokenRange(t), pos, true));
    return { tokens, index };
  };
  /** The schema a dotted path before a token walks into: household.dibao. → dibao_status (for
   *  completion: the path being typed does not parse yet, so nothing has resolved it). */
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

  /** What the name at a token means (the middle form's resolution), or null. */
  const meaningOf = (a: Analysis, t: IToken): Meaning | null => {
    const m = a.middle;
    return m ? meaningAt(m, a.ast, tokenRange(t)) : null;
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
        return (owner?.fields ?? []).map((f) => ({ label: f.name, kind: 'field' as const, detail: `${labelIn(lang, f.label, f.labelEn) ?? ''} ${fieldTypeText(f, lang)}`.trim() }));
      }
      const items: Completion[] = [];
      const m = a.middle;
      for (const p of m?.program.params ?? []) items.push({ label: p.decl.name.text, kind: 'parameter', detail: labelIn(lang, p.decl.label, p.decl.labelEn) });
      for (const d of m ? [...m.defs, ...m.memberDefs, ...m.outputs] : []) items.push({ label: d.name, kind: d.kind === 'def' ? 'definition' : 'output', detail: labelIn(lang, d.label, d.labelEn) });
      const member = memberOf(householdOf(a));
      for (const f of member?.fields ?? []) items.push({ label: f.name, kind: 'field', detail: `${say(lang, '成员', 'member')} ${labelIn(lang, f.label, f.labelEn) ?? ''}`.trim() });
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
      const it = meaningOf(a, t);
      const row = tableRowHover(a.ast, text, t.startOffset, lang);
      // a decision table's row reads better as the row than as the rule it was lowered to
      if (it && a.middle && !(it.kind === 'clause' && row)) return { contents: describe(a.middle, it, lang), range };
      if (row) return { contents: row, range };
      const k = keywordOf.get(t.tokenType);
      if (k) return { contents: `**${keywordWords(k, lang)}**${k.doc ? `\n\n${k.doc[lang]}` : ''}`, range };
      return null;
    },

    definition(text, pos) {
      const a = analysisOf(text);
      const { tokens, index } = tokenAt(text, pos);
      const t = tokens[index];
      const it = t && meaningOf(a, t);
      return it ? declaredRange(a, it) : null;
    },
  };
}

/** Where what a name means is declared in this text: a declaration's, parameter's or rule's
 *  name, a field of the policy's own 模式, a 引用's alias; null when it is declared elsewhere
 *  (a shared module's field) or nowhere (an enum value). */
function declaredRange(a: Analysis, it: Meaning): Range | null {
  switch (it.kind) {
    case 'decl': return it.decl.nameRange;
    case 'clause': return it.clause.nameRange;
    case 'param': return a.checked?.params[it.index]?.decl.name.range ?? null;
    case 'field': {
      const f = it.fields[it.fields.length - 1]!;
      const own = a.ast.schemas.some((s) => s.fields.some((x) => x.name.range === f.range));
      return own ? f.range : null;
    }
    case 'link': return a.ast.header?.links?.find((l) => l.alias.text === it.link.alias)?.alias.range ?? null;
    case 'enum': return null;
  }
}

/** A keyword's words in the editor's language first, the other language's after (both are valid source). */
function keywordWords(k: KeywordInfo, lang: Lang): string {
  return (lang === 'en' ? [...k.en, ...k.zh] : [...k.zh, ...k.en]).join(lang === 'en' ? ', ' : '、');
}
