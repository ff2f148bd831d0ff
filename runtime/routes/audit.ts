// GET /api/audit: the append-only audit log (admin only).
import type { Operation } from '../operation.js';
import { ref } from '../schemas.js';
import { errorResponses, type RouteContext } from './context.js';

export function auditOperations(ctx: RouteContext): Operation[] {
  return [{
    method: 'get', path: '/api/audit', action: 'audit.read', tag: 'audit',
    summary: '审计日志 / Audit log (admin): who, what, when, policy, revision',
    query: {
      policy: { type: 'string', maxLength: 64 },
      action: { type: 'string', maxLength: 64 },
      after: { type: 'string', pattern: '^[0-9]{1,12}$', description: 'only entries with seq > after' },
      limit: { type: 'string', pattern: '^[1-9][0-9]{0,5}$', description: 'newest N (default 1000)' },
    },
    responses: { 200: { description: 'entries, oldest first', schema: { type: 'object', properties: { total: { type: 'integer' }, entries: { type: 'array', items: ref('AuditEntry') } } } }, ...errorResponses(400, 401, 403) },
    handler: ({ query }) => ({
      body: ctx.policies.audit({
        policy: query.policy, action: query.action,
        after: query.after !== undefined ? Number(query.after) : undefined,
        limit: query.limit !== undefined ? Number(query.limit) : undefined,
      }),
    }),
  }];
}
