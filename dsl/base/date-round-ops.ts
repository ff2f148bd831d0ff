// The date and rounding operations of the language (相差天数, 相差月数, 相差年数, 年份, 月份, 折算,
// 舍入), written once: both backends call `dateRoundOp` with the evaluated arguments. Dates are
// yyyymmdd integers, money is fen; any missing argument gives no value, as arithmetic does.
import { daysBetween, monthsBetween, yearsBetween, yearOf, monthOf, daysPerYear, type DateInt } from './dates.js';
import { prorate, roundFenTo, type Num, type RoundingRule } from './money.js';

export type DateRoundFn = 'daysBetween' | 'monthsBetween' | 'yearsBetween' | 'yearOf' | 'monthOf' | 'prorate' | 'roundTo';
export const dateRoundFns: readonly DateRoundFn[] = ['daysBetween', 'monthsBetween', 'yearsBetween', 'yearOf', 'monthOf', 'prorate', 'roundTo'];

/** The units `舍入` rounds to, in fen. */
export const roundingSteps = { yuan: 100, jiao: 10, fen: 1 } as const;
export type RoundingUnit = keyof typeof roundingSteps;
export const roundingRules: readonly RoundingRule[] = ['half-up', 'down', 'up'];

export function dateRoundOp(fn: DateRoundFn, a: unknown, b?: unknown, c?: unknown): Num | null {
  if (a === null || a === undefined || b === null || c === null) return null;
  switch (fn) {
    case 'daysBetween': return daysBetween(a as DateInt, b as DateInt);
    case 'monthsBetween': return monthsBetween(a as DateInt, b as DateInt);
    case 'yearsBetween': return yearsBetween(a as DateInt, b as DateInt);
    case 'yearOf': return yearOf(a as DateInt);
    case 'monthOf': return monthOf(a as DateInt);
    case 'prorate': return prorate(a as Num, daysPerYear(b as DateInt, c as DateInt));
    case 'roundTo': return roundFenTo(a as Num, roundingSteps[b as RoundingUnit], c as RoundingRule);
  }
}
