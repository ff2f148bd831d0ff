// GET /api/health: liveness, no key needed. GET /api/me: who the caller is (any role).
import type { Operation } from '../operation.js';
import { ref } from '../schemas.js';
import { errorResponses, type RouteContext } from './context.js';

export function healthOperations(ctx: RouteContext): Operation[] {
  return [{
    method: 'get', path: '/api/health', action: null, tag: 'system',
    summary: '健康检查 / Health check',
    responses: { 200: { description: 'ok', schema: { type: 'object', properties: { status: { type: 'string' }, policies: { type: 'integer' }, uptime_s: { type: 'number' },
      language: { type: 'object', description: 'the language worker pool: workers, ready, running, queued', properties: { workers: { type: 'integer' }, ready: { type: 'integer' }, running: { type: 'integer' }, queued: { type: 'integer' } } } } } } },
    handler: () => ({
      body: {
        status: 'ok',
        version: ctx.version,
        // a count only: health never analyses a policy (a large draft must not stall a liveness probe)
        policies: ctx.policies.count(),
        auth: ctx.keys.size === 0 && !ctx.users.anyUsers ? 'open' : 'keys',
        // people can sign in with a name and password (as last read: health never waits on the
        // SQL store)
        accounts: ctx.users.anyUsers,
        review_required: ctx.reviewRequired,
        uptime_s: Math.round((Date.now() - ctx.startedAt.getTime()) / 1000),
        language: ctx.lang.pool.state(),
      },
    }),
  }, {
    method: 'get', path: '/api/me', action: 'me.read', tag: 'system',
    summary: '当前身份 / Who the caller is: the key\'s name and role',
    description: 'The studio reads this to show only what the role may do (the server still checks every action). In local open mode: {name: "local", role: "admin", open: true}.',
    responses: { 200: { description: 'the caller', schema: ref('Me') }, ...errorResponses(401) },
    handler: ({ caller }) => ({ body: { name: caller.name, role: caller.role, open: caller.open, ...(caller.user ? { user: true } : {}) } }),
  }];
}
