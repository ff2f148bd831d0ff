// Dates where the policies apply (China Standard Time), and the date arithmetic publishing needs.
import { isDate, MIN_YEAR } from '../../dsl/index.js';
import { DomainError } from './domain-error.js';

/** A new version dated more than this many years after today needs explicit confirmation. */
export const FAR_FUTURE_YEARS = 10;

/** 'YYYY-MM-DD' plus n years (29 February → 28 February in a common year). */
export function addYears(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const year = y + n;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = m === 2 && d === 29 && !leap ? 28 : d;
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The `as_of` (or another date) a request gives, checked once for every route: a real date
 *  'YYYY-MM-DD' from MIN_YEAR on, or a 400 naming the field. */
export function requireDate(text: string, path = 'as_of'): string {
  if (isDate(text as unknown)) return text;
  throw new DomainError('invalid', 'request.invalid', `日期 ${text.slice(0, 20)} 不存在或格式不对，应为 YYYY-MM-DD（${MIN_YEAR} 年以后）`,
    `${path} must be a real date YYYY-MM-DD (from ${MIN_YEAR} on)`, [{ path, message: text.slice(0, 40) }]);
}
