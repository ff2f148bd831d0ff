// Tokens of the policy language. Every keyword has a Chinese and an English spelling (one
// token type, two patterns), so the parser and the highlighter see one vocabulary.
import { createToken, Lexer, type TokenType, type IToken } from 'chevrotain';

const identifierRe = /[\p{L}_][\p{L}\p{N}_]*/uy;
/** Any word: a name or a keyword (field names after a dot, the words of a policy id). */
export const AnyWord = createToken({ name: 'AnyWord', pattern: Lexer.NA });
export const Identifier = createToken({
  categories: [AnyWord],
  name: 'Identifier',
  pattern: {
    exec(text: string, offset: number) {
      identifierRe.lastIndex = offset;
      return identifierRe.exec(text) as RegExpExecArray | null;
    },
  },
  line_breaks: false,
});

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\u3000]+/, group: Lexer.SKIPPED, line_breaks: true });
export const Comment = createToken({ name: 'Comment', pattern: /(?:#|\/\/)[^\n]*/, group: 'comments' });
export const StringLit = createToken({ name: 'StringLit', pattern: /「[^」\n]*」|"(?:[^"\\\n]|\\.)*"|“[^”\n]*”/ });
export const DateLit = createToken({ name: 'DateLit', pattern: /\d{4}-\d{2}-\d{2}/ });
export const NumberLit = createToken({ name: 'NumberLit', pattern: /\d+(?:\.\d+)?/ });

/** Keyword categories shown by the highlighter. */
export type KeywordRole = 'keyword' | 'unit' | 'type' | 'builtin' | 'literal' | 'operator';
export interface KeywordInfo { token: TokenType; zh: string[]; en: string[]; role: KeywordRole; doc?: string }
export const keywordInfos: KeywordInfo[] = [];

// Keywords are whole words: the lexer reads a word as an Identifier and then looks it up here
// (one regex per position instead of one per keyword). Spellings with a space (`is not`) or a
// slash (`元/月`) are tokens of their own, tried before Identifier.
const keywordByWord = new Map<string, TokenType>();
const phraseTokens: TokenType[] = [];
function kw(name: string, zh: string[], en: string[], role: KeywordRole = 'keyword', doc?: string): TokenType {
  const phrases = [...zh, ...en].filter((w) => /\s/.test(w));
  const token = phrases.length
    ? createToken({ name, pattern: new RegExp(phrases.map((w) => w.replace(/ /g, '\\s+')).join('|')), longer_alt: Identifier, categories: [AnyWord] })
    : createToken({ name, pattern: Lexer.NA, categories: [AnyWord] });
  if (phrases.length) phraseTokens.push(token);
  for (const w of [...zh, ...en]) if (!/\s/.test(w)) keywordByWord.set(w, token);
  keywordInfos.push({ token, zh, en, role, doc });
  return token;
}

// Header and declarations
export const Policy = kw('Policy', ['政策'], ['policy']);
export const Program = kw('Program', ['项目'], ['program']);
export const Jurisdiction = kw('Jurisdiction', ['辖区'], ['jurisdiction']);
export const Effective = kw('Effective', ['生效'], ['effective']);
export const Note = kw('Note', ['说明'], ['note']);
export const Source = kw('Source', ['依据'], ['source']);
export const Assumed = kw('Assumed', ['假定'], ['assumed']);
export const Use = kw('Use', ['使用'], ['use']);
export const Parameter = kw('Parameter', ['参数'], ['parameter']);
export const MemberDefine = kw('MemberDefine', ['成员定义'], []);
export const MemberOutput = kw('MemberOutput', ['成员输出'], []);
export const Define = kw('Define', ['定义'], ['define']);
export const Output = kw('Output', ['输出'], ['output']);
export const Schema = kw('Schema', ['模式'], ['schema']);
export const Range_ = kw('Range', ['范围'], ['range']);
export const Rule = kw('Rule', ['规则'], ['rule']);
export const Exception = kw('Exception', ['例外'], ['exception']);
export const Overrides = kw('Overrides', ['优先于'], ['overrides']);
export const When = kw('When', ['当'], ['when']);
export const Otherwise = kw('Otherwise', ['否则'], ['otherwise', 'else']);
export const If = kw('If', ['如果'], ['if']);
export const Then = kw('Then', ['那么', '时', '则'], ['then']);
export const Where = kw('Where', ['其中'], ['where']);
export const Tier = kw('Tier', ['分档'], ['tier']);
// Operators spelled as words
export const And = kw('And', ['并且', '且'], ['and'], 'operator');
export const Or = kw('Or', ['或者', '或'], ['or'], 'operator');
export const IsNot = kw('IsNot', ['不是'], ['is not'], 'operator');
export const AtLeast = kw('AtLeast', ['不低于'], ['at least'], 'builtin', '不低于 下限 (x)：x 小于下限时取下限 / at least a (x): clamps x from below');
export const AtMost = kw('AtMost', ['不高于'], ['at most'], 'builtin', '不高于 上限 (x)：x 大于上限时取上限 / at most a (x): clamps x from above');
export const Below = kw('Below', ['不满'], ['below'], 'operator', '不满 n：小于 n，不含 n / below n: < n');
export const Not = kw('Not', ['不'], ['not'], 'operator');
export const Is = kw('Is', ['是'], ['is'], 'operator');
export const In = kw('In', ['属于'], ['in'], 'operator');
export const From = kw('From', ['以上'], ['from'], 'operator', '以上：大于或等于，含本数（民法典第1259条）/ from n: >= n');
export const Above = kw('Above', ['超过'], ['above'], 'operator', '超过：大于，不含本数 / above n: > n');
export const UpTo = kw('UpTo', ['以下'], ['to'], 'operator', '以下：小于或等于，含本数 / to n: <= n');
// Built-in values and functions
export const Household = kw('Household', ['家庭'], ['household'], 'builtin');
export const Member = kw('Member', ['成员'], ['members', 'member'], 'builtin');
export const Age = kw('Age', ['年龄'], ['age'], 'builtin', '成员在评估日已满的周岁 / whole years completed on the evaluation date');
export const AsOf = kw('AsOf', ['评估日'], ['as_of'], 'builtin', '评估日期 / the evaluation date');
export const Round = kw('Round', ['舍入到分'], ['round'], 'builtin', '四舍五入到分（0.01 元）/ round half up to 0.01 yuan');
export const Monthly = kw('Monthly', ['按月'], ['monthly'], 'builtin', '按年金额 ÷ 12 / a yearly amount ÷ 12');
export const Yearly = kw('Yearly', ['按年'], ['yearly'], 'builtin', '按月金额 × 12 / a monthly amount × 12');
export const Present = kw('Present', ['有值'], ['present'], 'builtin');
export const Count = kw('Count', ['人数', '计数'], ['count'], 'builtin', '满足条件的成员人数 / number of members (matching a filter)');
export const Sum = kw('Sum', ['合计'], ['sum'], 'builtin', '对成员求和 / sum over members');
export const Any = kw('Any', ['存在'], ['any'], 'builtin', '至少一名成员满足 / some member satisfies');
export const All = kw('All', ['全部'], ['all'], 'builtin', '所有成员都满足 / every member satisfies');
export const Min = kw('Min', ['最小'], ['min'], 'builtin');
export const Max = kw('Max', ['最大'], ['max'], 'builtin');
export const Ids = kw('Ids', ['编号'], ['ids'], 'builtin', '满足条件的成员编号列表 / ids of the members (matching a filter)');
export const True = kw('True', ['真'], ['true'], 'literal');
export const False = kw('False', ['假'], ['false'], 'literal');
export const None = kw('None', ['无'], ['none'], 'literal');
// Types (schema fields)
export const TextListType = kw('TextListType', ['文本列表'], ['text list'], 'type');
export const TextType = kw('TextType', ['文本'], ['text'], 'type');
export const BoolType = kw('BoolType', ['布尔'], ['bool'], 'type');
export const IntegerType = kw('IntegerType', ['整数'], ['integer'], 'type');
export const NumberType = kw('NumberType', ['数'], ['number'], 'type');
export const MoneyMonthType = createToken({ name: 'MoneyMonthType', pattern: /金额\s*\/\s*月|money\s*\/\s*month/, longer_alt: Identifier });
export const MoneyYearType = createToken({ name: 'MoneyYearType', pattern: /金额\s*\/\s*年|money\s*\/\s*year/, longer_alt: Identifier });
export const MoneyType = kw('MoneyType', ['金额'], ['money'], 'type');
export const DateType = kw('DateType', ['日期'], ['date'], 'type');
export const EnumType = kw('EnumType', ['枚举'], ['enum'], 'type');
export const ListType = kw('ListType', ['列表'], ['list'], 'type');
// Units
export const PerMonth = createToken({ name: 'PerMonth', pattern: /元\s*\/\s*月|yuan\s*\/\s*month/, longer_alt: Identifier });
export const PerYear = createToken({ name: 'PerYear', pattern: /元\s*\/\s*年|yuan\s*\/\s*year/, longer_alt: Identifier });
export const Yuan = kw('Yuan', ['元'], ['yuan'], 'unit');
export const Months = kw('Months', ['个月'], ['months', 'month'], 'unit');
export const Years = kw('Years', ['年'], ['years', 'year'], 'unit');
export const Days = kw('Days', ['天', '日'], ['days', 'day'], 'unit');
export const Percent = createToken({ name: 'Percent', pattern: /%|％/ });
keywordInfos.push(
  { token: MoneyMonthType, zh: ['金额/月'], en: ['money/month'], role: 'type' },
  { token: MoneyYearType, zh: ['金额/年'], en: ['money/year'], role: 'type' },
  { token: PerMonth, zh: ['元/月'], en: ['yuan/month'], role: 'unit' },
  { token: PerYear, zh: ['元/年'], en: ['yuan/year'], role: 'unit' },
);

// Punctuation and operators
export const Arrow = createToken({ name: 'Arrow', pattern: /→|->/ });
export const LessEq = createToken({ name: 'LessEq', pattern: /<=|≤/ });
export const GreaterEq = createToken({ name: 'GreaterEq', pattern: />=|≥/ });
export const NotEq = createToken({ name: 'NotEq', pattern: /!=|≠/ });
export const Less = createToken({ name: 'Less', pattern: /</ });
export const Greater = createToken({ name: 'Greater', pattern: />/ });
export const Equals = createToken({ name: 'Equals', pattern: /==|=/ });
export const Plus = createToken({ name: 'Plus', pattern: /\+/ });
export const Minus = createToken({ name: 'Minus', pattern: /-|−/ });
export const Times = createToken({ name: 'Times', pattern: /\*|×/ });
export const Divide = createToken({ name: 'Divide', pattern: /\/|÷/ });
export const LParen = createToken({ name: 'LParen', pattern: /\(|（/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)|）/ });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[|【/ });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]|】/ });
export const Comma = createToken({ name: 'Comma', pattern: /,|，|、/ });
export const Colon = createToken({ name: 'Colon', pattern: /:|：/ });
export const Dot = createToken({ name: 'Dot', pattern: /\./ });

const wordKeywords = keywordInfos.map((k) => k.token).filter((t) => !phraseTokens.includes(t) && ![MoneyMonthType, MoneyYearType, PerMonth, PerYear].includes(t));
export const allTokens: TokenType[] = [
  AnyWord, WhiteSpace, Comment, StringLit, DateLit, NumberLit,
  MoneyMonthType, MoneyYearType, PerMonth, PerYear, ...phraseTokens,
  Identifier, ...wordKeywords, Percent,
  Arrow, LessEq, GreaterEq, NotEq, Less, Greater, Equals, Plus, Minus, Times, Divide,
  LParen, RParen, LBracket, RBracket, Comma, Colon, Dot,
];

/** Chevrotain's own lexer over the same definitions: the reference the hand-written scanner below
 *  reproduces token for token (kept for tests and tools; `lex` does not use it). */
export const policyLexer = new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: false, skipValidations: true });

export interface LexResult { tokens: IToken[]; comments: IToken[]; errors: { offset: number; line: number; column: number; length: number; text: string }[] }

// ── the scanner ─────────────────────────────────────────────────────────────────────────────
// A hand-written equivalent of `policyLexer.tokenize` followed by the keyword lookup: the same
// patterns tried in the same order (first match wins; a phrase token yields to a longer
// Identifier, as `longer_alt` does), the same error recovery (drop characters until some
// pattern matches), the same line/column rules (only WhiteSpace and the phrase tokens count
// line breaks: \n, \r\n and a lone \r). Chevrotain's generic loop spends ~0.5 µs per token
// trying patterns one by one; dispatching on the first character is several times faster.

// Character classes of the Identifier pattern [\p{L}_][\p{L}\p{N}_]*, decided once per char code
// by the regex itself: 0 unknown, 1 neither, 2 continues a name only (digits), 3 starts one.
const idClass = new Int8Array(0x10000);
const idStartRe = /[\p{L}_]/u, idPartRe = /[\p{L}\p{N}_]/u;
function classOf(c: number): number {
  let k = idClass[c]!;
  if (k === 0) {
    const ch = String.fromCharCode(c);
    k = idStartRe.test(ch) ? 3 : idPartRe.test(ch) ? 2 : 1;
    idClass[c] = k;
  }
  return k;
}
const isSurrogate = (c: number) => c >= 0xd800 && c <= 0xdfff;

/** Length of the Identifier at `offset`, or -1. Astral characters go through the regex itself. */
let identImage: string | null = null;
function identifierAt(text: string, offset: number): number {
  identImage = null;
  const c = text.charCodeAt(offset);
  if (c !== c) return -1;
  if (isSurrogate(c)) return identifierByRegex(text, offset);
  if (classOf(c) !== 3) return -1;
  let i = offset + 1;
  const n = text.length;
  while (i < n) {
    const d = text.charCodeAt(i);
    if (isSurrogate(d)) return identifierByRegex(text, offset);
    if (classOf(d) === 1) break;
    i++;
  }
  return i - offset;
}
function identifierByRegex(text: string, offset: number): number {
  identifierRe.lastIndex = offset;
  const m = identifierRe.exec(text);
  if (m === null) return -1;
  identImage = m[0];
  return identImage.length;
}

const sticky = (t: TokenType) => new RegExp((t.PATTERN as RegExp).source, 'y');
/** Phrase tokens (元/月, is not, …) by first character, in the order of allTokens. */
const phraseByChar = new Map<number, { type: TokenType; re: RegExp }[]>();
for (const [type, firsts] of [
  [MoneyMonthType, '金m'], [MoneyYearType, '金m'], [PerMonth, '元y'], [PerYear, '元y'],
  ...phraseTokens.map((t) => [t, (t.PATTERN as RegExp).source.split('|').map((a) => a[0]).join('')] as const),
] as const) {
  for (const ch of new Set(firsts)) {
    const c = ch.charCodeAt(0);
    if (!phraseByChar.has(c)) phraseByChar.set(c, []);
    phraseByChar.get(c)!.push({ type, re: sticky(type) });
  }
}

const isDigit = (c: number) => c >= 48 && c <= 57;
// The match found by scan(): its type (null: skipped white space) and the line breaks it holds.
let mType: TokenType | null = null;
let mLines = 0;
let mLastLT = -1;

/** Length of the token at `offset` (-1: no pattern matches); sets mType, mLines, mLastLT. */
function scan(text: string, offset: number): number {
  const c = text.charCodeAt(offset);
  const n = text.length;
  mLines = 0;
  switch (c) {
    case 32: case 9: case 13: case 10: case 0x3000: {
      let i = offset;
      for (; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 10) { mLines++; mLastLT = i - offset; }
        else if (d === 13) {
          mLines++;
          if (text.charCodeAt(i + 1) === 10) i++;
          mLastLT = i - offset;
        } else if (d !== 32 && d !== 9 && d !== 0x3000) break;
      }
      mType = null;
      return i - offset;
    }
    case 35: /* # */ return comment(text, offset + 1, offset);
    case 47: /* / */
      if (text.charCodeAt(offset + 1) === 47) return comment(text, offset + 2, offset);
      mType = Divide; return 1;
    case 0x300c: /* 「 */ return quoted(text, offset, 0x300d);
    case 0x201c: /* “ */ return quoted(text, offset, 0x201d);
    case 34: { /* " */
      for (let i = offset + 1; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 34) { mType = StringLit; return i + 1 - offset; }
        if (d === 10) return -1;
        if (d === 92) {
          const e = text.charCodeAt(i + 1);
          if (e !== e || e === 10 || e === 13 || e === 0x2028 || e === 0x2029) return -1;
          i++;
        }
      }
      return -1;
    }
    case 37: case 0xff05: mType = Percent; return 1;
    case 0x2192: mType = Arrow; return 1;
    case 45: /* - */ if (text.charCodeAt(offset + 1) === 62) { mType = Arrow; return 2; } mType = Minus; return 1;
    case 0x2212: mType = Minus; return 1;
    case 60: /* < */ if (text.charCodeAt(offset + 1) === 61) { mType = LessEq; return 2; } mType = Less; return 1;
    case 0x2264: mType = LessEq; return 1;
    case 62: /* > */ if (text.charCodeAt(offset + 1) === 61) { mType = GreaterEq; return 2; } mType = Greater; return 1;
    case 0x2265: mType = GreaterEq; return 1;
    case 33: /* ! */ if (text.charCodeAt(offset + 1) === 61) { mType = NotEq; return 2; } return -1;
    case 0x2260: mType = NotEq; return 1;
    case 61: /* = */ mType = Equals; return text.charCodeAt(offset + 1) === 61 ? 2 : 1;
    case 43: mType = Plus; return 1;
    case 42: case 0xd7: mType = Times; return 1;
    case 0xf7: mType = Divide; return 1;
    case 40: case 0xff08: mType = LParen; return 1;
    case 41: case 0xff09: mType = RParen; return 1;
    case 91: case 0x3010: mType = LBracket; return 1;
    case 93: case 0x3011: mType = RBracket; return 1;
    case 44: case 0xff0c: case 0x3001: mType = Comma; return 1;
    case 58: case 0xff1a: mType = Colon; return 1;
    case 46: mType = Dot; return 1;
  }
  if (isDigit(c)) {
    let i = offset + 1;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    // DateLit \d{4}-\d{2}-\d{2} comes first
    if (i - offset >= 4 && text.charCodeAt(offset + 4) === 45 && isDigit(text.charCodeAt(offset + 5)) && isDigit(text.charCodeAt(offset + 6))
      && text.charCodeAt(offset + 7) === 45 && isDigit(text.charCodeAt(offset + 8)) && isDigit(text.charCodeAt(offset + 9))) {
      mType = DateLit; return 10;
    }
    if (text.charCodeAt(i) === 46 && isDigit(text.charCodeAt(i + 1))) {
      i += 2;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    }
    mType = NumberLit; return i - offset;
  }
  const phrases = phraseByChar.get(c);
  if (phrases !== undefined) {
    for (const p of phrases) {
      p.re.lastIndex = offset;
      if (!p.re.test(text)) continue;
      const len = p.re.lastIndex - offset;
      const idLen = identifierAt(text, offset);
      if (idLen > len) { mType = Identifier; return idLen; }
      // a phrase may span lines (is\nnot): count its line breaks as Chevrotain does
      for (let i = offset; i < offset + len; i++) {
        const d = text.charCodeAt(i);
        if (d === 10) { mLines++; mLastLT = i - offset; }
        else if (d === 13) { mLines++; if (text.charCodeAt(i + 1) === 10 && i + 1 < offset + len) i++; mLastLT = i - offset; }
      }
      identImage = null;
      mType = p.type; return len;
    }
  }
  const idLen = identifierAt(text, offset);
  if (idLen !== -1) { mType = Identifier; return idLen; }
  return -1;
}

function comment(text: string, from: number, offset: number): number {
  const end = text.indexOf('\n', from);
  mType = Comment;
  return (end < 0 ? text.length : end) - offset;
}
function quoted(text: string, offset: number, close: number): number {
  for (let i = offset + 1; i < text.length; i++) {
    const d = text.charCodeAt(i);
    if (d === close) { mType = StringLit; return i + 1 - offset; }
    if (d === 10) return -1;
  }
  return -1;
}

/** The tokens of one text in flat arrays (no token objects): what the parser's fast path reads.
 *  The arrays are reused from call to call — valid until the next `scanTokens`. */
export interface TokenBuffer {
  n: number;
  type: TokenType[];
  start: Int32Array; end: Int32Array;            // offsets, end inclusive (as IToken.endOffset)
  line: Int32Array; col: Int32Array; endLine: Int32Array; endCol: Int32Array;
  /** Images that are not text.substring(start, end + 1) (only astral-plane oddities), by index. */
  images: Map<number, string> | null;
  /** The image of each word (name or keyword) token, one string per distinct word. */
  words: (string | undefined)[];
  comments: IToken[];
  errors: LexResult['errors'];
}

let cap = 0;
const buf: TokenBuffer = {
  n: 0, type: [], start: new Int32Array(0), end: new Int32Array(0), line: new Int32Array(0), col: new Int32Array(0), endLine: new Int32Array(0), endCol: new Int32Array(0),
  images: null, words: [], comments: [], errors: [],
};
function grow(min: number): void {
  let c = Math.max(1024, cap * 2);
  while (c < min) c *= 2;
  const g = (a: Int32Array) => { const b = new Int32Array(c); b.set(a.subarray(0, buf.n)); return b; };
  buf.start = g(buf.start); buf.end = g(buf.end); buf.line = g(buf.line); buf.col = g(buf.col); buf.endLine = g(buf.endLine); buf.endCol = g(buf.endCol);
  cap = c;
}

// Every word seen (up to 20,000 words of up to 64 characters): its keyword type and one string object for all its occurrences, so
// names in the AST are shared, already hashed strings (the checker's lookups by name compare
// pointers) and a re-parse after an edit allocates no new name strings.
const wordCache = new Map<string, { image: string; type: TokenType }>();

/** Scans `text` into the shared token buffer (the same tokens as `lex`, without objects). */
export function scanTokens(text: string): TokenBuffer {
  const comments: IToken[] = [];
  const errors: LexResult['errors'] = [];
  const n = text.length;
  const types = buf.type;
  const words = buf.words;
  buf.n = 0; buf.images = null; buf.comments = comments; buf.errors = errors;
  let count = 0, offset = 0, line = 1, column = 1;
  while (offset < n) {
    const len = scan(text, offset);
    if (len !== -1) {
      let type = mType;
      if (type !== null) {
        let image: string | null = null;
        if (type === Identifier) {
          const raw = identImage !== null ? identImage : text.substring(offset, offset + len);
          let w = wordCache.get(raw);
          if (w === undefined) {
            w = { image: raw, type: keywordByWord.get(raw) ?? Identifier };
            if (raw.length <= 64) {
              if (wordCache.size >= 20000) wordCache.clear();
              wordCache.set(raw, w);
            }
          }
          image = w.image;
          type = w.type;
        }
        const startLine = line, startCol = column;
        let endLine = line, endCol = column + len - 1;
        if (mLines !== 0) {
          line += mLines;
          column = len - mLastLT;
          const lastIsLT = mLastLT === len - 1;
          if (!(mLines === 1 && lastIsLT)) { endLine = line - (lastIsLT ? 1 : 0); endCol = column - 1 + (lastIsLT ? 1 : 0); }
        } else column += len;
        if (type === Comment) {
          comments.push({
            image: text.substring(offset, offset + len), startOffset: offset, endOffset: offset + len - 1, startLine, endLine, startColumn: startCol, endColumn: endCol,
            tokenTypeIdx: type.tokenTypeIdx!, tokenType: type,
          });
        } else {
          if (count === cap) { buf.n = count; grow(count + 1); }
          types[count] = type;
          words[count] = image ?? undefined;
          buf.start[count] = offset; buf.end[count] = offset + len - 1;
          buf.line[count] = startLine; buf.col[count] = startCol;
          buf.endLine[count] = endLine; buf.endCol[count] = endCol;
          if (identImage !== null && image !== null && image !== text.substring(offset, offset + len)) (buf.images ??= new Map()).set(count, image);
          count++;
        }
      } else if (mLines !== 0) {
        line += mLines;
        column = len - mLastLT;
      } else column += len;
      identImage = null;
      offset += len;
    } else {
      // drop characters until some pattern matches (Chevrotain's recovery)
      const start = offset, errLine = line, errColumn = column;
      do offset++; while (offset < n && scan(text, offset) === -1);
      identImage = null;
      const length = offset - start;
      column += length;
      errors.push({ offset: start, line: errLine, column: errColumn, length, text: text.substr(start, length) });
    }
  }
  buf.n = count;
  types.length = count;
  words.length = count;
  return buf;
}

/** Token objects (Chevrotain's IToken) for the tokens of a buffer. */
export function tokensOf(text: string, b: TokenBuffer): IToken[] {
  const out: IToken[] = new Array(b.n);
  for (let i = 0; i < b.n; i++) {
    const type = b.type[i]!;
    out[i] = {
      image: b.images?.get(i) ?? b.words[i] ?? text.substring(b.start[i]!, b.end[i]! + 1), startOffset: b.start[i]!, endOffset: b.end[i]!,
      startLine: b.line[i]!, endLine: b.endLine[i]!, startColumn: b.col[i]!, endColumn: b.endCol[i]!, tokenTypeIdx: type.tokenTypeIdx!, tokenType: type,
    };
  }
  return out;
}

export function lex(text: string): LexResult {
  const b = scanTokens(text);
  return { tokens: tokensOf(text, b), comments: b.comments, errors: b.errors };
}

/** The same through Chevrotain's lexer (reference for tests of the scanner). */
export function lexWithChevrotain(text: string): LexResult {
  const r = policyLexer.tokenize(text);
  for (const t of r.tokens) {
    if (t.tokenType !== Identifier) continue;
    const k = keywordByWord.get(t.image);
    if (k) { t.tokenType = k; t.tokenTypeIdx = k.tokenTypeIdx!; }
  }
  return {
    tokens: r.tokens,
    comments: (r.groups['comments'] ?? []) as IToken[],
    errors: r.errors.map((e) => ({ offset: e.offset, line: e.line ?? 1, column: e.column ?? 1, length: e.length, text: text.substr(e.offset, e.length) })),
  };
}
