// Runtime values to the contract's JSON and back: money as "x.xx" strings (rounded half-up
// at output), dates as 'YYYY-MM-DD', numbers as JSON numbers when whole.
import type { Type } from '../check/types.js';
import { fenToYuan, numToText, mul, type Num } from '../base/money.js';
import { formatDate } from '../base/dates.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function toJson(v: unknown, t: Type): Json {
  if (v === null || v === undefined) return null;
  switch (t.k) {
    case 'money': return fenToYuan(v as Num);
    case 'number': return typeof v === 'number' ? v : numToText(v as Num);
    case 'percent': return numToText(mul(v as Num, 100)) + '%';
    case 'date': return formatDate(v as number);
    case 'duration': return `${numToText((v as { duration: Num }).duration)} ${(v as { unit: string }).unit}`;
    case 'textlist': return [...(v as string[])];
    case 'bool': return Boolean(v);
    default: return typeof v === 'object' ? JSON.parse(JSON.stringify(v)) as Json : (v as Json);
  }
}

/** An object used as a map from ids or names to values: without a prototype, so that a member id
 *  or output name like `__proto__`, `constructor` or `toString` is an ordinary key (B8: a member
 *  with id `__proto__` vanished from per-member outputs). */
export const jsonMap = (): Record<string, Json> => Object.create(null) as Record<string, Json>;
