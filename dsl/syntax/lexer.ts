// Tokens of the policy language. Every keyword has a Chinese and an English spelling (one
// token type, two patterns), so the parser and the highlighter see one vocabulary.
import { createToken, Lexer, type TokenType, type IToken } from 'chevrotain';

export const identifierRe = /[\p{L}_][\p{L}\p{N}_]*/uy;
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
export interface KeywordInfo { token: TokenType; zh: string[]; en: string[]; role: KeywordRole; doc?: { zh: string; en: string } }
export const keywordInfos: KeywordInfo[] = [];

// Keywords are whole words: the lexer reads a word as an Identifier and then looks it up here
// (one regex per position instead of one per keyword). Spellings with a space (`is not`) or a
// slash (`元/月`) are tokens of their own, tried before Identifier.
export const keywordByWord = new Map<string, TokenType>();
export const phraseTokens: TokenType[] = [];
function kw(name: string, zh: string[], en: string[], role: KeywordRole = 'keyword', doc?: { zh: string; en: string }): TokenType {
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
export const Link = kw('Link', ['引用'], ['link'], 'keyword', { zh: '引用 编号「标题」 简称 名称：读另一项政策在同一评估日的结果', en: 'link <id> "<title>" as <name>: read another policy\'s results on the same date' });
export const LinkAs = kw('LinkAs', ['简称'], ['as']);
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
// Decision tables (决策表): the table, its rows, hit policies and the "any value" cell
export const Table = kw('Table', ['决策表'], ['table'], 'keyword', { zh: '决策表：每行一条规则，依据逐行注明', en: 'decision table: one rule per row, each row cites its source' });
export const Row = kw('Row', ['行'], ['row']);
export const Unique = kw('Unique', ['唯一'], ['unique'], 'keyword', { zh: '唯一命中：各行不能重叠（默认）', en: 'unique hit: rows may not overlap (the default)' });
export const First = kw('First', ['首个'], ['first'], 'keyword', { zh: '首个命中：按行序取第一条匹配的行', en: 'first hit: the first matching row in order wins' });
export const AnyValue = kw('AnyValue', ['任意'], [], 'literal', { zh: '任意值：本列不限', en: 'any value: this column does not matter' });
// Operators spelled as words
export const And = kw('And', ['并且', '且'], ['and'], 'operator');
export const Or = kw('Or', ['或者', '或'], ['or'], 'operator');
export const IsNot = kw('IsNot', ['不是'], ['is not'], 'operator');
export const AtLeast = kw('AtLeast', ['不低于'], ['at least'], 'builtin', { zh: '不低于 下限 (x)：x 小于下限时取下限', en: 'at least a (x): clamps x from below' });
export const AtMost = kw('AtMost', ['不高于'], ['at most'], 'builtin', { zh: '不高于 上限 (x)：x 大于上限时取上限', en: 'at most a (x): clamps x from above' });
export const Below = kw('Below', ['不满'], ['below'], 'operator', { zh: '不满 n：小于 n，不含 n', en: 'below n: < n' });
export const Not = kw('Not', ['不'], ['not'], 'operator');
export const Is = kw('Is', ['是'], ['is'], 'operator');
export const In = kw('In', ['属于'], ['in'], 'operator');
export const From = kw('From', ['以上'], ['from'], 'operator', { zh: '以上：大于或等于，含本数（民法典第1259条）', en: 'from n: >= n' });
export const Above = kw('Above', ['超过'], ['above'], 'operator', { zh: '超过：大于，不含本数', en: 'above n: > n' });
export const UpTo = kw('UpTo', ['以下'], ['to'], 'operator', { zh: '以下：小于或等于，含本数', en: 'to n: <= n' });
// Built-in values and functions
export const Household = kw('Household', ['家庭'], ['household'], 'builtin');
export const Member = kw('Member', ['成员'], ['members', 'member'], 'builtin');
export const Age = kw('Age', ['年龄'], ['age'], 'builtin', { zh: '成员在评估日已满的周岁', en: 'whole years completed on the evaluation date' });
export const AsOf = kw('AsOf', ['评估日'], ['as_of'], 'builtin', { zh: '评估日期', en: 'the evaluation date' });
export const Round = kw('Round', ['舍入到分'], ['round'], 'builtin', { zh: '四舍五入到分（0.01 元）', en: 'round half up to 0.01 yuan' });
export const Monthly = kw('Monthly', ['按月'], ['monthly'], 'builtin', { zh: '按年金额 ÷ 12', en: 'a yearly amount ÷ 12' });
export const Yearly = kw('Yearly', ['按年'], ['yearly'], 'builtin', { zh: '按月金额 × 12', en: 'a monthly amount × 12' });
export const Present = kw('Present', ['有值'], ['present'], 'builtin');
export const Count = kw('Count', ['人数', '计数'], ['count'], 'builtin', { zh: '满足条件的成员人数', en: 'number of members (matching a filter)' });
export const Sum = kw('Sum', ['合计'], ['sum'], 'builtin', { zh: '对成员求和', en: 'sum over members' });
export const Any = kw('Any', ['存在'], ['any'], 'builtin', { zh: '至少一名成员满足', en: 'some member satisfies' });
export const All = kw('All', ['全部'], ['all'], 'builtin', { zh: '所有成员都满足', en: 'every member satisfies' });
export const Min = kw('Min', ['最小'], ['min'], 'builtin');
export const Max = kw('Max', ['最大'], ['max'], 'builtin');
export const Ids = kw('Ids', ['编号'], ['ids'], 'builtin', { zh: '满足条件的成员编号列表', en: 'ids of the members (matching a filter)' });
// Date and rounding operations
export const DaysBetween = kw('DaysBetween', ['相差天数'], ['days_between'], 'builtin', { zh: '相差天数(起, 止)：两个日期相差的天数', en: 'days from the first date to the second' });
export const MonthsBetween = kw('MonthsBetween', ['相差月数'], ['months_between'], 'builtin', { zh: '相差月数(起, 止)：已满的整月数', en: 'whole months completed' });
export const YearsBetween = kw('YearsBetween', ['相差年数'], ['years_between'], 'builtin', { zh: '相差年数(起, 止)：已满的整年数（同周岁）', en: 'whole years completed (as age)' });
export const YearOf = kw('YearOf', ['年份'], ['year_of'], 'builtin', { zh: '年份(日期)', en: 'the year of a date' });
export const MonthOf = kw('MonthOf', ['月份'], ['month_of'], 'builtin', { zh: '月份(日期)：1–12', en: 'the month of a date, 1–12' });
export const Prorate = kw('Prorate', ['折算'], ['prorate'], 'builtin', { zh: '折算(年额, 起, 止)：按天折算年额，止日不含', en: 'a yearly amount over [from, to), by days' });
export const RoundTo = kw('RoundTo', ['舍入'], ['round_to'], 'builtin', { zh: '舍入(x, 元|角|分, 四舍五入|向下|向上)', en: 'round_to(x, yuan|jiao|fen, half_up|down|up)' });
export const Jiao = kw('Jiao', ['角'], ['jiao'], 'unit');
export const Fen = kw('Fen', ['分'], ['fen'], 'unit');
export const HalfUp = kw('HalfUp', ['四舍五入'], ['half_up'], 'keyword', { zh: '四舍五入：五入，远离零', en: 'half up: halves away from zero' });
export const Down = kw('Down', ['向下'], ['down'], 'keyword', { zh: '向下：舍去零头（向零）', en: 'down: drop the remainder (toward zero)' });
export const Up = kw('Up', ['向上'], ['up'], 'keyword', { zh: '向上：有零头即进一（远离零）', en: 'up: any remainder rounds away from zero' });
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
/** A decision table's column separator, and the dash of an "any value" cell. */
export const Bar = createToken({ name: 'Bar', pattern: /\||｜/ });
export const Dash = createToken({ name: 'Dash', pattern: /—/ });
export const Dot = createToken({ name: 'Dot', pattern: /\./ });

const wordKeywords = keywordInfos.map((k) => k.token).filter((t) => !phraseTokens.includes(t) && ![MoneyMonthType, MoneyYearType, PerMonth, PerYear].includes(t));
export const allTokens: TokenType[] = [
  AnyWord, WhiteSpace, Comment, StringLit, DateLit, NumberLit,
  MoneyMonthType, MoneyYearType, PerMonth, PerYear, ...phraseTokens,
  Identifier, ...wordKeywords, Percent,
  Arrow, LessEq, GreaterEq, NotEq, Less, Greater, Equals, Plus, Minus, Times, Divide,
  LParen, RParen, LBracket, RBracket, Comma, Colon, Dot, Bar, Dash,
];

/** Chevrotain's own lexer over the same definitions: the reference the hand-written scanner (scanner.ts)
 *  reproduces token for token (kept for tests and tools; `lex` does not use it). */
export const policyLexer = new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: false, skipValidations: true });

export interface LexResult { tokens: IToken[]; comments: IToken[]; errors: { offset: number; line: number; column: number; length: number; text: string }[] }

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
