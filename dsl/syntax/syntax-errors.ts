// Syntax errors in an officer's words: what was expected, named by its keywords (那么 / then),
// not by Chevrotain's token names; "did you mean" for a misspelt keyword; and a keyword written
// against a name without a space (`是城市`, `城市户那么`), as Chinese is written, said as such.
// Chevrotain's messages are replaced by a small JSON record (errorMessages below) that this file
// turns into the diagnostic.
import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import * as T from './lexer.js';
import { diagnostic, type Diagnostic, type Message, type Range } from '../base/diagnostics.js';
import { nearest } from '../base/nearest.js';
import { tokenRange } from './ast-build.js';

/** What the parser expected at an error: token names, and the token read before it. */
interface Expectation { expected: string[]; previous?: number }

const record = (expected: TokenType[], previous?: IToken): string =>
  JSON.stringify({ expected: [...new Set(expected.map((t) => t.name))], previous: previous && !isNaN(previous.startOffset) ? previous.startOffset : undefined } satisfies Expectation);

/** Chevrotain's error message provider: records the expected tokens instead of English prose. */
export const errorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, previous }) => record([expected], previous),
  buildNotAllInputParsedMessage: () => record(declarationStarts),
  buildNoViableAltMessage: ({ expectedPathsPerAlt, previous }) => record(expectedPathsPerAlt.flatMap((alt) => alt.map((path) => path[0]!)).filter(Boolean), previous),
  buildEarlyExitMessage: ({ expectedIterationPaths, previous }) => record(expectedIterationPaths.map((path) => path[0]!).filter(Boolean), previous),
};

/** After a complete declaration only a new one may follow (what "redundant input" means here). */
const declarationStarts = [T.Define, T.Output, T.Parameter, T.MemberDefine, T.MemberOutput, T.Schema, T.Use];

const tokenByName = new Map<string, TokenType>(T.allTokens.map((t) => [t.name, t]));
const keywordOf = new Map(T.keywordInfos.map((k) => [k.token, k]));

/** The words for tokens that are not keywords. */
const otherWords: Record<string, Message> = {
  Identifier: { zh: '名称', en: 'a name' }, AnyWord: { zh: '名称', en: 'a name' },
  StringLit: { zh: '带引号的文本「…」', en: 'a quoted text "…"' }, NumberLit: { zh: '数字', en: 'a number' },
  DateLit: { zh: '日期（如 2024-01-01）', en: 'a date (such as 2024-01-01)' }, Percent: { zh: '「%」', en: '"%"' },
  Arrow: { zh: '「→」', en: '"->"' }, LessEq: { zh: '「≤」', en: '"<="' }, GreaterEq: { zh: '「≥」', en: '">="' }, NotEq: { zh: '「≠」', en: '"!="' },
  Less: { zh: '「<」', en: '"<"' }, Greater: { zh: '「>」', en: '">"' }, Equals: { zh: '「=」', en: '"="' }, Plus: { zh: '「+」', en: '"+"' },
  Minus: { zh: '「−」', en: '"-"' }, Times: { zh: '「×」', en: '"*"' }, Divide: { zh: '「÷」', en: '"/"' },
  LParen: { zh: '「（」', en: '"("' }, RParen: { zh: '「）」', en: '")"' }, LBracket: { zh: '「【」', en: '"["' }, RBracket: { zh: '「】」', en: '"]"' },
  Comma: { zh: '「，」', en: '","' }, Colon: { zh: '「：」', en: '":"' }, Bar: { zh: '「|」', en: '"|"' }, Dash: { zh: '「—」', en: '"—"' }, Dot: { zh: '「.」', en: '"."' },
  EOF: { zh: '文件结尾', en: 'the end of the file' },
};

/** Keywords whose English is two words read as two tokens (成员定义 = member define). */
const englishOnlyAsPhrase: Record<string, string> = { MemberDefine: 'member define', MemberOutput: 'member output' };

/** A token named as an author writes it: a keyword by its first spelling in each language. */
export function tokenWords(name: string): Message {
  const t = tokenByName.get(name);
  const k = t && keywordOf.get(t);
  if (k) {
    const zh = k.zh[0] ?? k.en[0]!, en = k.en[0] ?? englishOnlyAsPhrase[name] ?? k.zh[0]!;
    return { zh: `「${zh}」`, en: `"${en}"` };
  }
  return otherWords[name] ?? { zh: name, en: name };
}

/** At most this many expected words are listed; more are summed up as "…". */
const LIST_AT_MOST = 7;
function expectedWords(names: string[]): Message {
  const words = names.map(tokenWords);
  const unique = (l: string[]) => [...new Set(l)];
  const zh = unique(words.map((w) => w.zh)), en = unique(words.map((w) => w.en));
  const list = (l: string[], or: string, more: string) => l.length <= LIST_AT_MOST ? l.slice(0, -1).join('、') + (l.length > 1 ? or : '') + l[l.length - 1]! : l.slice(0, LIST_AT_MOST).join('、') + more;
  return {
    zh: list(zh, '或', ' 等'),
    en: en.length <= LIST_AT_MOST ? en.slice(0, -1).join(', ') + (en.length > 1 ? ' or ' : '') + en[en.length - 1]! : en.slice(0, LIST_AT_MOST).join(', ') + ', …',
  };
}

const isCjk = (s: string) => /\p{Script=Han}/u.test(s);
/** Every keyword spelling written without spaces, longest first (a joined keyword is its longest match). */
const spellings: { word: string; token: TokenType }[] = T.keywordInfos.flatMap((k) => [...k.zh, ...k.en].filter((w) => !/[\s/]/.test(w)).map((word) => ({ word, token: k.token })))
  .sort((a, b) => [...b.word].length - [...a.word].length);

/** A keyword and a name written as one word: the keyword and the name, or undefined. */
function splitJoined(word: string, at: 'start' | 'end', allowed?: Set<TokenType>): { keyword: string; name: string } | undefined {
  for (const s of spellings) {
    if (!isCjk(s.word) || word === s.word || (allowed && !allowed.has(s.token))) continue;
    const rest = at === 'start' ? (word.startsWith(s.word) ? word.slice(s.word.length) : '') : (word.endsWith(s.word) ? word.slice(0, -s.word.length) : '');
    if (rest && /^[\p{L}_][\p{L}\p{N}_]*$/u.test(rest) && !T.keywordByWord.has(rest)) return { keyword: s.word, name: rest };
  }
  return undefined;
}

const isWord = (t: IToken | undefined) => !!t && (t.tokenType === T.Identifier || keywordOf.has(t.tokenType)) && /^[\p{L}_]/u.test(t.image);

/**
 * The one diagnostic for a recognition error (`atEnd`: where an error at the end of the
 * declaration is put; `fileEnds`: whether that is the end of the file). `tokens` are the tokens parsed (to find the token
 * before the error); `declared` are names declared in the file (a declared name is not taken
 * apart into a keyword and a name).
 */
export function grammarDiagnostic(message: string, found: IToken | undefined, tokens: IToken[], declared: Set<string>, atEnd: Range, fileEnds: boolean): Diagnostic {
  let exp: Expectation;
  try { exp = JSON.parse(message) as Expectation; } catch { exp = { expected: [] }; }
  // the parser reads one declaration at a time: its end expected means a new declaration
  if (exp.expected.includes('EOF')) exp.expected = [...exp.expected.filter((n) => n !== 'EOF'), ...declarationStarts.map((t) => t.name)];
  const expectedTypes = new Set(exp.expected.map((n) => tokenByName.get(n)).filter((t): t is TokenType => !!t));
  const real = found && found.tokenType.name !== 'EOF' && !isNaN(found.startOffset) ? found : undefined;
  const previous = exp.previous !== undefined ? tokens.find((t) => t.startOffset === exp.previous) : undefined;
  // `城市户那么 …`: the word before ends with a keyword that was expected here
  if (isWord(previous) && !declared.has(previous!.image)) {
    const j = splitJoined(previous!.image, 'end', expectedTypes);
    if (j) return joined(j, tokenRange(previous!));
  }
  if (real && isWord(real) && !declared.has(real.image)) {
    // `是城市`: the word read starts (or ends) with a keyword
    const j = splitJoined(real.image, 'start') ?? splitJoined(real.image, 'end', expectedTypes);
    if (j) return joined(j, tokenRange(real));
  }
  const what = expectedWords(exp.expected.length ? exp.expected : ['EOF']);
  const detail: Message = real
    ? { zh: `此处应为${what.zh}，不应是「${real.image}」`, en: `expected ${what.en} here, not "${real.image}"` }
    : fileEnds ? { zh: `文件在此结束，但还应有${what.zh}`, en: `the file ends here, but ${what.en} should follow` }
      : { zh: `此处还应有${what.zh}`, en: `${what.en} should follow here` };
  const hint = real && isWord(real) ? keywordHint(real.image, expectedTypes) : undefined;
  if (hint) { detail.zh += `；是否应为「${hint}」？`; detail.en += `; did you mean "${hint}"?`; }
  return diagnostic('syntax.grammar', real ? tokenRange(real) : atEnd, { detail });
}

function joined(j: { keyword: string; name: string }, range: Range): Diagnostic {
  const k = T.keywordInfos.find((i) => i.zh.includes(j.keyword) || i.en.includes(j.keyword))!;
  return diagnostic('syntax.joined-keyword', range, { keyword: j.keyword, keywordEn: k.en[0] ?? j.keyword, name: j.name });
}

/** A misspelt keyword: the expected keyword nearest to the word (one of two letters, …). */
function keywordHint(word: string, expected: Set<TokenType>): string | undefined {
  if ([...word].length < 2) return undefined;
  const candidates = T.keywordInfos.filter((k) => expected.has(k.token));
  const words = candidates.flatMap((k) => (isCjk(word) ? k.zh : k.en)).filter((w) => [...w].length >= 2);
  return nearest(word, words);
}
