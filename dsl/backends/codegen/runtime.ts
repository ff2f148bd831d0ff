// The runtime helpers generated code calls (bound to local constants at the top of its source):
// money.ts's exact arithmetic plus the few operations that can fault, with the same messages as
// the closures (closures.ts).
import { UNSET, EvalFault, sameValue } from '../context.js';
import { add, sub, mul, div, neg, cmp, eq, isZero, roundFen, min, max, frac, Ratio, type Num } from '../../base/money.js';
import { addMonths, addDays } from '../../base/dates.js';
import { dateRoundOp } from '../../base/date-round-ops.js';

type Dur = { duration: Num; unit: string };

/** Runtime helpers the generated code calls (bound to local constants at the top of the source). */
export const R = {
  UNSET, Ratio, add, sub, mul, div, neg, cmp, eq, roundFen, min, max, sameValue, frac, dateRoundOp,
  /** n/d (d > 0, safe integers) rounded half-up to a whole number, as roundHalfUp does. */
  roundPair: (n: number, d: number): number => {
    const abs = n < 0 ? -n : n;
    const r = abs % d;
    let q = (abs - r) / d;
    if (r * 2 >= d) q += 1;
    return n < 0 && q !== 0 ? -q : q;
  },
  fault: (k: [string, string, number]) => { throw new EvalFault(k[0], k[1], k[2]); },
  conflict: (names: string[], lines: number[], a: number, b: number) => {
    throw new EvalFault(`规则「${names[a]}」与「${names[b]}」同时适用但结果不同`, `rules "${names[a]}" and "${names[b]}" both apply with different values`, lines[b]!);
  },
  divide: (x: Num | null, y: Num | null, line: number): Num | null => {
    if (x === null || y === null) return null;
    if (isZero(y)) throw new EvalFault('除数为零', 'division by zero', line);
    return div(x, y);
  },
  negDur: (d: Dur | null) => d && { ...d, duration: neg(d.duration) },
  dateAdd: (d: number | null | undefined, dur: Dur | null | undefined, sign: number, line: number): number | null => {
    if (d === null || dur === null || d === undefined) return null;
    const n = dur!.duration;
    if (typeof n !== 'number') throw new EvalFault('期限必须是整数', 'a duration added to a date must be whole', line);
    return dur!.unit === 'days' ? addDays(d, sign * n) : addMonths(d, sign * n * (dur!.unit === 'years' ? 12 : 1));
  },
  durAdd: (x: Dur, y: Dur, minus: boolean) => ({ duration: (minus ? sub : add)(x.duration, y.duration), unit: x.unit }),
  durMul: (x: Dur, y: Num) => ({ duration: mul(x.duration, y), unit: x.unit }),
  moneyDur: (m: Num | null, d: Dur | null, perYear: boolean, line: number): Num | null => {
    if (m === null || d === null) return null;
    const months = d.unit === 'years' ? mul(d.duration, 12) : d.unit === 'months' ? d.duration : null;
    if (months === null) throw new EvalFault('按日计的期限不能与月/年金额相乘', 'a duration in days cannot multiply an amount per month or year', line);
    return perYear ? div(mul(m, months), 12) : mul(m, months);
  },
};
