// The runtime table R the generated code calls (bound to local constants at the top of its
// source): money.ts's exact arithmetic and operations.ts's faulting operations — the same
// functions the closures call, so both backends share one definition of each.
import { EvalFault, sameValue } from '../context.js';
import { add, sub, mul, div, neg, cmp, eq, roundFen, roundPairHalfUp, min, max, frac, Ratio } from '../../base/money.js';
import { ageOn } from '../../base/dates.js';
import { dateRoundOp } from '../../base/date-round-ops.js';
import { divide, dateAdd, durAdd, durMul, negDur, moneyOverDuration, ruleConflict } from '../operations.js';

export const R = {
  Ratio, add, sub, mul, div, neg, cmp, eq, roundFen, min, max, sameValue, frac, ageOn, dateRoundOp,
  roundPair: roundPairHalfUp,
  /** A fraction pair's leaf that is not a number: its numerator when it is a Ratio of safe
   *  integers (the denominator is then read by the caller), else undefined (the pair stops). */
  ratioN: (x: unknown): number | undefined => (x instanceof Ratio && typeof x.n === 'number' && typeof x.d === 'number' ? x.n : undefined),
  /** k: [zh, en, line] passed in K. */
  fault: (k: [string, string, number]) => { throw new EvalFault(k[0], k[1], k[2]); },
  conflict: ruleConflict,
  divide, negDur, dateAdd, durAdd, durMul, moneyDur: moneyOverDuration,
};
