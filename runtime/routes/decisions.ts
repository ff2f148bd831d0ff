// Decision records: GET /api/decisions/{decisionId}, GET /api/decisions (filters, paged by id
// cursor, newest first), POST /api/decisions/{decisionId}/replay[?under=current].
import type { Operation } from '../operation.js';
import { ref } from '../schemas.js';
import { decisionNotFound, MAX_DECISIONS_PER_PAGE } from '../services/decisions.js';
import { DomainError } from '../services/domain-error.js';
import { UUID_PATTERN } from '../sql/uuid7.js';
import { POLICY_ID_PATTERN } from '../services/policies.js';
import { errorResponses, type RouteContext } from './context.js';

const NO_STORE = { 'Cache-Control': 'no-store' };
const instant = { type: 'string', maxLength: 40, pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}))?$' } as const;

export function decisionOperations(ctx: RouteContext): Operation[] {
  const { decisions } = ctx;
  const uuid = new RegExp(UUID_PATTERN);
  /** An id that is not a UUID is 404, like one that does not exist. */
  const idOf = (id: string | undefined) => { if (!id || !uuid.test(id)) throw decisionNotFound(String(id ?? '').slice(0, 80)); return id; };
  return [
    {
      method: 'get', path: '/api/decisions', action: 'decision.read', tag: 'decisions',
      summary: '决定记录列表 / Decision records, newest first, paged (a client, tester or editor: only its own key\'s)',
      description: 'Filters combine. `from`/`to`: a date (China time; `to` includes that whole day) or an RFC 3339 date-time (`to` exclusive). '
        + 'Next page: pass `next_cursor` as `cursor`; null when there is no more.',
      query: {
        policy: { type: 'string', pattern: POLICY_ID_PATTERN },
        household_id: { type: 'string', maxLength: 200 },
        caller: { type: 'string', maxLength: 200, description: 'the key name that made the decision' },
        from: { ...instant, description: 'decisions made at or after' },
        to: { ...instant, description: 'decisions made before (a date: up to the end of that day)' },
        limit: { type: 'string', pattern: '^[1-9][0-9]{0,3}$', description: `page size, 1–${MAX_DECISIONS_PER_PAGE} (default 100)` },
        cursor: { type: 'string', pattern: UUID_PATTERN, description: 'next_cursor of the previous page' },
      },
      responses: {
        200: { description: 'a page', schema: { type: 'object', required: ['decisions', 'next_cursor'], properties: { decisions: { type: 'array', items: ref('DecisionRecord') }, next_cursor: { type: ['string', 'null'] } } } },
        ...errorResponses(400, 401, 403),
      },
      handler: async ({ query, caller }) => {
        if (query.limit !== undefined && Number(query.limit) > MAX_DECISIONS_PER_PAGE) {
          throw new DomainError('invalid', 'request.invalid', `limit 最大为 ${MAX_DECISIONS_PER_PAGE}`, `limit is at most ${MAX_DECISIONS_PER_PAGE}`, [{ path: 'limit', message: query.limit }]);
        }
        return { body: await decisions.list(query, caller), headers: NO_STORE };
      },
    },
    {
      method: 'get', path: '/api/decisions/{decisionId}', action: 'decision.read', tag: 'decisions',
      summary: '决定记录 / A decision: who, when, request id, as_of, the household as received, policy, version and hashes, outputs',
      description: 'Another key\'s decision answers 404 (unless the caller is admin or reviewer), like one that does not exist.',
      responses: { 200: { description: 'the record', schema: ref('DecisionRecord') }, ...errorResponses(401, 403, 404) },
      handler: async ({ params, caller }) => {
        return { body: await decisions.get(idOf(params.decisionId), caller), headers: NO_STORE };
      },
    },
    {
      method: 'post', path: '/api/decisions/{decisionId}/replay', action: 'decision.read', tag: 'decisions',
      summary: '重算 / Replay a decision under its own version (identical: true, else a defect, logged), or with under=current a re-assessment under the version in force today',
      description: 'Without `under`: `{ identical, outputs, recorded_outputs }`. With `under=current`: the version in force today, evaluated as of today: `{ before, after, outputs: [{ name, before, after, changed }] }`. Nothing is recorded.',
      query: { under: { type: 'string', enum: ['current'] } },
      responses: { 200: { description: 'the replay', schema: ref('DecisionReplay') }, ...errorResponses(400, 401, 403, 404, 410) },
      handler: async ({ params, query, caller }) => {
        return { body: await decisions.replay(idOf(params.decisionId), caller, query.under === 'current' ? 'current' : undefined), headers: NO_STORE };
      },
    },
  ];
}
