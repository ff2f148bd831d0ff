// Ranges: a parameter's value inside its declared 范围, and a tier's brackets neither
// overlapping nor leaving gaps (a gap is a warning; an uncovered subject needs 否则).
import type * as A from '../syntax/ast.js';
import { diagnostic, type Range } from '../base/diagnostics.js';
import { cmp, mul, type Num } from '../base/money.js';
import { describeType, type Type } from './types.js';
import { showConst } from './info.js';
import type { CheckState } from './state.js';

const isNum = (v: unknown): v is Num => typeof v === 'number' || (typeof v === 'object' && v !== null && 'n' in v && 'd' in v);

/** A parameter with 范围 [lo, hi]: the bounds in order, the value inside them. */
export function checkParamRange(cx: CheckState, d: A.ParamDecl & { min: A.Expr; max: A.Expr }, v: unknown, t: Type, lo: unknown, hi: unknown): void {
  const months = (x: unknown): Num | undefined => {
    if (!x || typeof x !== 'object' || !('duration' in x)) return undefined;
    const d = x as { duration: Num; unit: string };
    return d.unit === 'months' ? d.duration : d.unit === 'years' ? mul(d.duration, 12) : undefined;
  };
  const outOfRange = () => cx.err('check.out-of-range', d.value.range, { name: d.name.text, value: showConst(v, t), min: showConst(lo, t), max: showConst(hi, t) });
  const [mv, mlo, mhi] = [months(v), months(lo), months(hi)];
  if (mv !== undefined && mlo !== undefined && mhi !== undefined) {
    if (cmp(mlo, mhi) > 0) cx.err('check.range-order', d.min.range);
    else if (cmp(mv, mlo) < 0 || cmp(mv, mhi) > 0) outOfRange();
  } else if (t.k === 'duration') {
    cx.err('check.type-mismatch', d.min.range, { expected: '以月或年计的期限 a duration in months or years', actual: describeType(t) });
  }
  if (isNum(lo) && isNum(hi) && isNum(v)) {
    if (cmp(lo, hi) > 0) cx.err('check.range-order', d.min.range);
    else if (cmp(v, lo) < 0 || cmp(v, hi) > 0) outOfRange();
  }
}

export interface Interval { lo: Num | null; loIn: boolean; hi: Num | null; hiIn: boolean; text: string; range: Range }

export function interval(b: A.TierBracket, bounds: (Num | null)[], st: Type): Interval {
  return { lo: bounds[0] ?? null, loIn: b.lower?.inclusive ?? false, hi: bounds[1] ?? null, hiIn: b.upper?.inclusive ?? false, text: intervalText(b, bounds, st), range: b.range };
}

/** Overlaps and gaps between a tier's brackets, in order of lower bound. */
export function checkTierIntervals(cx: CheckState, e: Extract<A.Expr, { kind: 'Tier' }>, intervals: Interval[]): void {
  const sorted = [...intervals].sort((x, y) => (x.lo === null ? -1 : y.lo === null ? 1 : cmp(x.lo, y.lo)));
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i]!, b = sorted[i + 1]!;
    if (a.hi === null) { cx.err('check.tier-overlap', b.range, { a: a.text, b: b.text }); continue; }
    if (b.lo === null) { cx.err('check.tier-overlap', b.range, { a: a.text, b: b.text }); continue; }
    const c = cmp(a.hi, b.lo);
    if (c > 0 || (c === 0 && a.hiIn && b.loIn)) cx.err('check.tier-overlap', b.range, { a: a.text, b: b.text });
    else if (c < 0 || (c === 0 && !a.hiIn && !b.loIn)) cx.diagnostics.push(diagnostic('check.tier-gap', b.range, { a: a.text, b: b.text }));
  }
  const covered = sorted.length > 0 && sorted[0]!.lo === null && sorted[sorted.length - 1]!.hi === null;
  if (!e.otherwise && !covered) cx.err('check.output-undefined-path', e.range, { name: '分档 tier' });
}

function intervalText(b: A.TierBracket, bounds: (Num | null)[], st: Type): string {
  const lo = bounds[0] != null ? showConst(bounds[0], st) : '-∞';
  const hi = bounds[1] != null ? showConst(bounds[1], st) : '+∞';
  return `${b.lower?.inclusive ? '[' : '('}${lo}, ${hi}${b.upper?.inclusive ? ']' : ')'}`;
}
