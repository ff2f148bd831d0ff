// The scanner: the hand-written lexer `lex` uses (Chevrotain's lexer in lexer.ts is its reference).
import type { TokenType, IToken } from 'chevrotain';
import { identifierRe, Arrow, Bar, Colon, Dash, Comma, Comment, DateLit, Divide, Dot, Equals, Greater, GreaterEq, Identifier, LBracket, LParen, Less, LessEq, Minus, MoneyMonthType, MoneyYearType, NotEq, NumberLit, PerMonth, PerYear, Percent, Plus, RBracket, RParen, StringLit, Times, WhiteSpace, allTokens, keywordByWord, phraseTokens, type LexResult } from './lexer.js';

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
    case 124: case 0xff5c: mType = Bar; return 1;
    case 0x2014: mType = Dash; return 1;
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
