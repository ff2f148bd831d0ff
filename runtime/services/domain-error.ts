// Errors the services raise, by kind; errors.ts maps a kind to an HTTP status.
/** One problem in a request: where (a JSON path or a parameter name) and what, in both languages. */
export interface ErrorDetail { path: string; message: string }

import { moreErrorsMessage } from '../../dsl/index.js';

/** A text in both languages as the HTTP contract writes `message`: "中文 / English" (docs/api.md).
 *  The language hands texts over as {zh, en}; they are joined here, at the edge, and nowhere else. */
export function joined(m: { zh: string; en: string }): string {
  return `${m.zh} / ${m.en}`;
}

/** A detail from the language's `{ path, message: { zh, en } }`. */
export const detailOf = (e: { path: string; message: { zh: string; en: string } }): ErrorDetail => ({ path: e.path, message: joined(e.message) });

/** Details listed in one error answer; the rest are counted in a last entry (bounded answers). */
export const MAX_ERROR_DETAILS = 100;

/** At most MAX_ERROR_DETAILS details and one that counts the rest. A list already cut that way
 *  (the household decoder stops at the same number and counts the rest itself) passes unchanged,
 *  so its count is never lost by cutting twice. */
export function capped(details: ErrorDetail[], path = '(body)'): ErrorDetail[] {
  if (details.length <= MAX_ERROR_DETAILS + 1) return details;
  return [...details.slice(0, MAX_ERROR_DETAILS), { path, message: joined(moreErrorsMessage(details.length - MAX_ERROR_DETAILS)) }];
}

export type ErrorKind = 'invalid' | 'not_found' | 'gone' | 'conflict' | 'unprocessable' | 'too_large' | 'unavailable' | 'forbidden' | 'unauthorized' | 'too_many';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    readonly zh: string,
    readonly en: string,
    readonly details: ErrorDetail[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(joined({ zh, en }));
    this.name = 'DomainError';
  }
}
