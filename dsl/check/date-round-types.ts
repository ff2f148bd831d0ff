// The types of the date and rounding operations (相差天数 … 舍入): what each argument must be
// and what the call gives. Pure; the checker reports the mismatches it returns.
import type * as A from '../syntax/ast.js';
import { T, type Type } from './types.js';
import type { DateRoundFn } from '../base/date-round-ops.js';

const moneyAny: Type = { k: 'money', p: 'none' };
/** Expected argument types; a money argument accepts any period unless `yearly` (折算 takes a yearly amount or one with no period). */
const signatures: Record<DateRoundFn, { args: Type[]; result: (args: Type[]) => Type }> = {
  daysBetween: { args: [T.date, T.date], result: () => T.number },
  monthsBetween: { args: [T.date, T.date], result: () => T.number },
  yearsBetween: { args: [T.date, T.date], result: () => T.number },
  yearOf: { args: [T.date], result: () => T.number },
  monthOf: { args: [T.date], result: () => T.number },
  prorate: { args: [moneyAny, T.date, T.date], result: () => T.money('none') },
  roundTo: { args: [moneyAny, T.text, T.text], result: (a) => (a[0]?.k === 'money' ? { k: 'money', p: a[0].p } : T.money('none')) },
};

export function isDateRoundFn(fn: A.CallFn): fn is DateRoundFn {
  return fn in signatures;
}

export type ArgProblem = { index: number; expected: Type } | { count: number; expected: number };

/** The call's result type and the arguments that do not fit (their types inferred by the caller). */
export function dateRoundCall(fn: DateRoundFn, argTypes: Type[]): { type: Type; problems: ArgProblem[] } {
  const sig = signatures[fn];
  const problems: ArgProblem[] = [];
  if (argTypes.length !== sig.args.length) problems.push({ count: argTypes.length, expected: sig.args.length });
  sig.args.forEach((want, i) => {
    const got = argTypes[i];
    if (!got || got.k === 'error') return;
    const ok = want.k === 'money' ? got.k === 'money' && (fn !== 'prorate' || got.p !== 'month') : got.k === want.k;
    if (!ok) problems.push({ index: i, expected: fn === 'prorate' && i === 0 ? T.money('year') : want });
  });
  const nullable = argTypes.some((t) => t.nullable);
  const type = sig.result(argTypes);
  return { type: nullable ? { ...type, nullable: true } : type, problems };
}
