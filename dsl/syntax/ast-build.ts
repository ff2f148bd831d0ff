// Shared by both parsers (parser.ts, fast-parser.ts): source ranges of tokens, the AST nodes
// put in place of what could not be read, and the token → AST-name tables.
import type { IToken, TokenType } from 'chevrotain';
import * as T from './lexer.js';
import type * as A from './ast.js';
import type { Position, Range } from '../base/diagnostics.js';

export function tokenRange(first: IToken, last: IToken = first): Range {
  return {
    start: position(first.startLine ?? 1, first.startColumn ?? 1, first.startOffset),
    end: position(last.endLine ?? 1, (last.endColumn ?? 0) + 1, (last.endOffset ?? first.startOffset) + 1),
  };
}

/** A position from a token's numbers, its fields small integers. Token objects hold their numbers
 *  boxed (Chevrotain makes its EOF token with NaN, and every token object, the scanner's comments
 *  too, shares that shape); one boxed number stored in a position makes V8 box the three numbers
 *  of every later position of the process: four objects a position instead of one, about twice
 *  the AST's memory and its garbage collection. So the numbers are stored as small integers, and
 *  a position holding NaN (a token Chevrotain's recovery inserted) is built on an object shape of
 *  its own (from {}, not a literal of three fields): the same fields in the same order. */
function position(line: number, column: number, offset: number): Position {
  if (line === (line | 0) && column === (column | 0) && offset === (offset | 0)) return { line: line | 0, column: column | 0, offset: offset | 0 };
  const p = {} as Position;
  p.line = line; p.column = column; p.offset = offset;
  return p;
}
export const span = (a: Range, b: Range): Range => ({ start: a.start, end: b.end });
export const unquote = (image: string) => (image.startsWith('"') ? image.slice(1, -1).replace(/\\(.)/g, '$1') : image.slice(1, -1));

export const errorRange: Range = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
export const calls = new Map<TokenType, A.CallFn>([[T.Round, 'round'], [T.Monthly, 'monthly'], [T.Yearly, 'yearly'], [T.Present, 'present']]);
export const aggs = new Map<TokenType, A.AggregateFn>([[T.Count, 'count'], [T.Sum, 'sum'], [T.Any, 'any'], [T.All, 'all'], [T.Ids, 'ids'], [T.Min, 'min'], [T.Max, 'max']]);
export const cmpOps = new Map<TokenType, A.BinaryOp>([[T.Less, '<'], [T.LessEq, '<='], [T.Greater, '>'], [T.GreaterEq, '>='], [T.Equals, '='], [T.NotEq, '!='], [T.Is, '='], [T.IsNot, '!='], [T.In, 'in']]);
export const errorExpr = (): A.Expr => ({ kind: 'Error', range: errorRange });
export const errorBody = (): A.Body => ({ kind: 'Expr', expr: errorExpr() });
export const emptyFile = (): A.PolicyFile => ({ header: null, uses: [], decls: [], schemas: [], comments: [], range: errorRange });

/** A number literal and the unit written after it (none, 元, 元/月, 元/年, %, 个月, 年, 天), as
 *  both parsers build it. */
export function numberLiteral(unit: TokenType | undefined, text: string, range: Range): A.Expr {
  switch (unit) {
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
