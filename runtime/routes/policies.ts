// /api/policies: list, create, read one, diff, retire.
import type { Operation } from '../operation.js';
import { readView } from '../auth.js';
import { badRequest } from '../errors.js';
import { ref, requestSchemas } from '../schemas.js';
import { errorResponses, type RouteContext } from './context.js';

/** '3' → 3, 'draft' → 'draft', undefined → undefined; anything else 400. */
export function versionRef(name: string, value: string | undefined): number | 'draft' | undefined {
  if (value === undefined) return undefined;
  if (value === 'draft') return 'draft';
  if (/^[1-9]\d{0,8}$/.test(value)) return Number(value);
  throw badRequest('request.invalid', `${name} 应为版本号或 draft`, `${name} must be a version number or "draft"`, [{ path: name, message: value }]);
}

export function policyOperations(ctx: RouteContext): Operation[] {
  const { policies } = ctx;
  return [
    {
      method: 'get', path: '/api/policies', action: 'policy.list', tag: 'policies',
      summary: '政策列表 / List policies (a client: the published ones, without draft fields)',
      responses: { 200: { description: 'policies', schema: { type: 'object', properties: { policies: { type: 'array', items: ref('PolicySummary') } } } }, ...errorResponses(401, 403) },
      handler: async ({ caller }) => {
        // each policy's header is analysed in the worker (once per source: cached), never on the event loop
        await ctx.lang.prefetch(policies.listedSources());
        return { body: { policies: policies.list(readView(caller)) } };
      },
    },
    {
      method: 'post', path: '/api/policies', action: 'policy.create', tag: 'policies',
      summary: '新建政策 / Create a policy', body: requestSchemas.CreatePolicyRequest, bodyRequired: true,
      responses: { 201: { description: 'created', schema: ref('PolicySummary') }, ...errorResponses(400, 401, 403, 409) },
      handler: async ({ body, caller }) => {
        const created = await policies.create(caller, body);
        return { status: 201, body: created, headers: { Location: `/api/policies/${created.id}` } };
      },
    },
    {
      method: 'get', path: '/api/policies/{policyId}', action: 'policy.read', tag: 'policies',
      summary: '政策详情 / One policy (summary, header info, versions, publish requests; a client: the published side only)',
      responses: { 200: { description: 'policy', schema: ref('PolicySummary') }, ...errorResponses(401, 403, 404) },
      handler: async ({ params, caller }) => {
        const p = policies.policy(params.policyId!);
        await ctx.lang.prefetch([p.versions[p.versions.length - 1]?.source ?? p.draft.source]);
        return { body: policies.get(params.policyId!, readView(caller)) };
      },
    },
    {
      method: 'get', path: '/api/policies/{policyId}/diff', action: 'draft.read', tag: 'versions',
      summary: '版本差异 / Line diff between versions or a version and the draft',
      description: 'from defaults to the latest version, to defaults to draft.',
      query: { from: { type: 'string', pattern: '^([1-9][0-9]*|draft)$' }, to: { type: 'string', pattern: '^([1-9][0-9]*|draft)$' } },
      responses: { 200: { description: 'diff', schema: { type: 'object', properties: { from: {}, to: {}, source: ref('LineDiff'), scenarios: ref('LineDiff') } } }, ...errorResponses(400, 401, 403, 404) },
      handler: ({ params, query }) => ({ body: policies.diff(params.policyId!, versionRef('from', query.from), versionRef('to', query.to)) }),
    },
    {
      method: 'post', path: '/api/policies/{policyId}/retire', action: 'policy.retire', tag: 'policies',
      summary: '停用政策 / Retire a policy (admin); evaluation then answers 410',
      body: requestSchemas.RetireRequest,
      responses: { 200: { description: 'retired', schema: ref('PolicySummary') }, ...errorResponses(400, 401, 403, 404, 409) },
      handler: async ({ params, body, caller }) => ({ body: await policies.retire(caller, params.policyId!, body.reason) }),
    },
  ];
}
