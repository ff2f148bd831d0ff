// Shared by both parsers (parser.ts, fast-parser.ts) for decision tables and the date and
// rounding calls: the token → AST-name tables and the building of a bounds cell.
import type { TokenType } from 'chevrotain';
import * as T from './lexer.js';
import type * as A from './ast.js';
import type { Range } from '../base/diagnostics.js';
import { span, errorRange } from './ast-build.js';

export const dateFns = new Map<TokenType, A.CallFn>([[T.DaysBetween, 'daysBetween'], [T.MonthsBetween, 'monthsBetween'], [T.YearsBetween, 'yearsBetween'], [T.YearOf, 'yearOf'], [T.MonthOf, 'monthOf'], [T.Prorate, 'prorate']]);
/** 舍入's unit and rule words, held in the AST as Text arguments (formatter.ts prints them back as words). */
export const roundUnits = new Map<TokenType, string>([[T.Yuan, 'yuan'], [T.Jiao, 'jiao'], [T.Fen, 'fen']]);
export const roundRules = new Map<TokenType, string>([[T.HalfUp, 'half-up'], [T.Down, 'down'], [T.Up, 'up']]);
export const hitPolicies = new Map<TokenType, A.HitPolicy>([[T.Unique, 'unique'], [T.First, 'first'], [T.Sum, 'sum']]);

/** A bound as both parsers read it: the word's type, image and range, and the value. */
export interface ReadBound { type: TokenType; image: string; range: Range; value: A.Expr }

/** A table cell of one or two bounds (80 以上 不满 90); its range runs from the first thing written to the last. */
export function boundsCell(b1: ReadBound, b2: ReadBound | undefined): A.TableCell {
  const cell: A.TableCell = { kind: 'bounds', lower: null, upper: null, range: errorRange };
  const start = b1.range.start.offset < b1.value.range.start.offset ? b1.range : b1.value.range;
  const last = b2 ?? b1;
  const end = last.range.end.offset > last.value.range.end.offset ? last.range : last.value.range;
  for (const b of [b1, b2]) {
    if (!b) continue;
    const bd: A.TierBound = { value: b.value, inclusive: b.type === T.From || b.type === T.UpTo, word: b.image };
    if (b.type === T.From || b.type === T.Above) cell.lower = bd; else cell.upper = bd;
  }
  cell.range = span(start, end);
  return cell;
}

/** The keyword language of a table (决策表 / table): default row names follow it. */
export const tableLang = (image: string): 'zh' | 'en' => (/^[a-z]/i.test(image) ? 'en' : 'zh');

/** The body a table stands for until the checker lowers it (table-lower.ts). */
export function tableBody(t: A.DecisionTable): A.Body {
  return { kind: 'Rules', rules: [], otherwise: t.otherwise, otherwiseRange: t.otherwise?.range ?? null, otherwiseSources: t.otherwiseSources, table: t };
}
