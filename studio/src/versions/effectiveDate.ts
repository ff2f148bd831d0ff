// The effective date a new version gets by default, and why a chosen date is refused. A new
// version must start after the latest one (an equal or earlier date would rewrite decisions
// already made); the server refuses the same dates, the studio says so before asking it.
import type { MessageKey } from '../i18n/dict';
import { isDate, todayInChina, addYears, FAR_FUTURE_YEARS } from '../../../dsl/base/dates.js';

// One date check and one "today" for the whole product, re-exported for the screens. The main
// thread takes them from the pure leaf module dsl/base/dates.ts: importing dsl/index.ts here would
// bundle the parser into the editor chunk (+170 kB); the language itself runs in the web worker.
export { isDate, todayInChina, addYears, FAR_FUTURE_YEARS };

export interface Latest { version: number; effective_from: string }
export interface DateProblem { key: MessageKey; args?: Record<string, string | number> }



const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The first day of the month after `date` ('2026-12-06' → '2027-01-01'). */
export function firstOfNextMonth(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return m === 12 ? `${pad(y + 1, 4)}-01-01` : `${pad(y, 4)}-${pad(m + 1)}-01`;
}


/**
 * The default effective date: the first day of next month, but never on or before the latest
 * version's date (then the first day of the month after that version's).
 */
export function defaultEffectiveDate(today: string, latest: string | null): string {
  const next = firstOfNextMonth(today);
  return latest && next <= latest ? firstOfNextMonth(latest) : next;
}

/** Why `date` cannot date the next version (null: it can). `farFuture` is a warning the officer may confirm. */
export function effectiveDateProblem(date: string, latest: Latest | null): DateProblem | null {
  if (!isDate(date)) return { key: 'ver.publish.reason.effective' };
  if (latest && date < latest.effective_from) return { key: 'ver.date.before', args: { n: latest.version, date: latest.effective_from } };
  if (latest && date === latest.effective_from) return { key: 'ver.date.equal', args: { n: latest.version, date: latest.effective_from } };
  return null;
}

/** True when `date` is more than FAR_FUTURE_YEARS after today: the server asks for confirm_far_future. */
export function isFarFuture(date: string, today: string): boolean {
  return isDate(date) && date > addYears(today, FAR_FUTURE_YEARS);
}
