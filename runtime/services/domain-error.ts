// Errors the services raise, by kind; errors.ts maps a kind to an HTTP status.
import type { ErrorDetail } from '../errors.js';

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
    super(`${zh} / ${en}`);
    this.name = 'DomainError';
  }
}
