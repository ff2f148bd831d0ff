// Literal expressions to runtime values (money in fen, dates as yyyymmdd, percent as a
// fraction). Used for parameters, schema defaults, range bounds and tier bounds.
import type * as A from '../syntax/ast.js';
import { parseDecimal, mul, div, neg, type Num } from '../base/money.js';
import { parseDate } from '../base/dates.js';

export type ConstValue = Num | boolean | string | null | string[] | { duration: Num; unit: 'months' | 'years' | 'days' };

/** The value of a constant expression, or undefined when the expression is not a constant. */
export function constantValue(e: A.Expr): ConstValue | undefined {
  switch (e.kind) {
    case 'Number': return parseDecimal(e.text);
    case 'Money': { const v = parseDecimal(e.text); return v === undefined ? undefined : mul(v, 100); }
    case 'Percent': { const v = parseDecimal(e.text); return v === undefined ? undefined : div(v, 100); }
    case 'Date': return parseDate(e.text);
    case 'Duration': { const v = parseDecimal(e.text); return v === undefined ? undefined : { duration: v, unit: e.unit }; }
    case 'Text': return e.text;
    case 'Bool': return e.value;
    case 'None': return null;
    case 'List': {
      const items = e.items.map(constantValue);
      return items.every((i) => typeof i === 'string') ? (items as string[]) : undefined;
    }
    case 'Unary': {
      if (e.op !== 'neg') return undefined;
      const v = constantValue(e.arg);
      return typeof v === 'number' || (typeof v === 'object' && v !== null && 'n' in v) ? neg(v as Num) : undefined;
    }
    default: return undefined;
  }
}
