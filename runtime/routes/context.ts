// What route modules get: the services (no store access from routes).
import type { ApiKey } from '../auth.js';
import type { DecisionService } from '../services/decisions.js';
import type { EvaluationService } from '../services/evaluation.js';
import type { Language } from '../services/language.js';
import type { PolicyService } from '../services/policies.js';
import type { UserService } from '../services/users.js';

export interface RouteContext {
  policies: PolicyService;
  evaluation: EvaluationService;
  decisions: DecisionService;
  lang: Language;
  users: UserService;
  keys: Map<string, ApiKey>;
  reviewRequired: boolean;
  startedAt: Date;
  version: string;
}

export const errorResponses = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), {
  description: ({ 400: 'invalid request', 401: 'no or unknown API key', 403: 'role not allowed', 404: 'not found', 409: 'conflict',
    410: 'retired', 413: 'too large', 415: 'not JSON', 422: 'refused', 428: 'If-Match required', 429: 'too many queued jobs (Retry-After)', 503: 'store unavailable' } as Record<number, string>)[c] ?? 'error',
  schema: { $ref: '#/components/schemas/Error' },
}]));
