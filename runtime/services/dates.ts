// The request date check every route shares (dates themselves live in dsl/base/dates.ts).
import { isDate, MIN_YEAR } from '../../dsl/index.js';
import { DomainError } from './domain-error.js';

/** The `as_of` (or another date) a request gives, checked once for every route: a real date
 *  'YYYY-MM-DD' from MIN_YEAR on, or a 400 naming the field. */
export function requireDate(text: string, path = 'as_of'): string {
  if (isDate(text as unknown)) return text;
  throw new DomainError('invalid', 'request.invalid', `日期 ${text.slice(0, 20)} 不存在或格式不对，应为 YYYY-MM-DD（${MIN_YEAR} 年以后）`,
    `${path} must be a real date YYYY-MM-DD (from ${MIN_YEAR} on)`, [{ path, message: text.slice(0, 40) }]);
}
