// The operations of the language that can fault or that mix units — one definition, called by
// both backends (the closures directly, the generated code through its runtime table R): an
// exact division that faults on zero, dates plus durations, amounts per period over a duration,
// and two rules disagreeing. Plain + − × ÷ and comparisons are money.ts's; rounding is
// money.ts's roundHalfUp (roundPairHalfUp for numerator/denominator pairs).
import { add, sub, mul, div, neg, isZero, type Num } from '../base/money.js';
import { addMonths, addDays } from '../base/dates.js';
import { EvalFault } from './context.js';

export type Dur = { duration: Num; unit: string };

/** The messages of the policy faults (a fault of the policy, never of the household). */
export const FAULTS = {
  divisionByZero: { zh: '除数为零', en: 'division by zero' },
  invalidExpression: { zh: '表达式有误', en: 'invalid expression' },
  durationNotWhole: { zh: '期限必须是整数', en: 'a duration added to a date must be whole' },
  daysTimesPeriodAmount: { zh: '按日计的期限不能与月/年金额相乘', en: 'a duration in days cannot multiply an amount per month or year' },
} as const;

export function fault(m: { zh: string; en: string }, line: number): never {
  throw new EvalFault(m.zh, m.en, line);
}

/** x ÷ y exactly; null when either is null; a fault when y is zero. */
export function divide(x: Num | null, y: Num | null, line: number): Num | null {
  if (x === null || y === null) return null;
  if (isZero(y)) fault(FAULTS.divisionByZero, line);
  return div(x, y);
}

/** A date (yyyymmdd) plus or minus (sign) a whole duration; days add days, months and years add
 *  calendar months (the day clamped to the month's end). */
export function dateAdd(d: number | null | undefined, dur: Dur | null | undefined, sign: number, line: number): number | null {
  if (d === null || dur === null || d === undefined || dur === undefined) return null;
  const n = dur.duration;
  if (typeof n !== 'number') fault(FAULTS.durationNotWhole, line);
  return dur.unit === 'days' ? addDays(d, sign * n) : addMonths(d, sign * n * (dur.unit === 'years' ? 12 : 1));
}

export const durAdd = (x: Dur, y: Dur, minus: boolean): Dur => ({ duration: (minus ? sub : add)(x.duration, y.duration), unit: x.unit });
export const durMul = (x: Dur, y: Num): Dur => ({ duration: mul(x.duration, y), unit: x.unit });
export const negDur = (d: Dur | null): Dur | null => d && { ...d, duration: neg(d.duration) };

/** An amount per month (perYear: per year) over a duration in months or years: 500 元/月 × 3 个月 = 1500 元. */
export function moneyOverDuration(m: Num | null, d: Dur | null, perYear: boolean, line: number): Num | null {
  if (m === null || d === null) return null;
  const months = d.unit === 'years' ? mul(d.duration, 12) : d.unit === 'months' ? d.duration : null;
  if (months === null) fault(FAULTS.daysTimesPeriodAmount, line);
  return perYear ? div(mul(m, months), 12) : mul(m, months);
}

/** Two active rules with different values: the policy is at fault (at the second rule's line). */
export function ruleConflict(names: readonly string[], lines: readonly number[], a: number, b: number): never {
  throw new EvalFault(`规则「${names[a]}」与「${names[b]}」同时适用但结果不同`, `rules "${names[a]}" and "${names[b]}" both apply with different values`, lines[b]!);
}
