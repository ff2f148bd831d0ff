// Publishing: POST /publish (direct, or a pending request when reviewers exist), and the
// publish requests a reviewer approves or rejects.
import type { Operation } from '../operation.js';
import { ref, requestSchemas } from '../schemas.js';
import { errorResponses, type RouteContext } from './context.js';

export function publishOperations(ctx: RouteContext): Operation[] {
  const { policies } = ctx;
  return [
    {
      method: 'post', path: '/api/policies/{policyId}/publish', action: 'publish', tag: 'publishing',
      summary: '发布草稿 / Publish the draft as the next version',
      description: 'Refused (422, reasons in details) when the draft has errors or failing scenarios, the date or note is missing, '
        + 'the date is before the previous version\'s, or the draft is identical to the latest version. A date that differs from the '
        + 'header\'s 生效 is used and reported in warnings. When any key has the reviewer role, '
        + 'this files a publish request instead (202) that a different reviewer/admin key approves.',
      body: requestSchemas.PublishRequest,
      responses: {
        201: { description: 'published', schema: { type: 'object', properties: { status: { type: 'string', enum: ['published'] }, version: ref('VersionSummary') } } },
        202: { description: 'publish request filed', schema: { type: 'object', properties: { status: { type: 'string', enum: ['pending'] }, request: ref('PublishRequestRecord') } } },
        ...errorResponses(400, 401, 403, 404, 409, 422),
      },
      handler: async ({ params, body, caller }) => {
        // the draft's scenarios run in the worker within the budget; publish() reads that run
        const d = policies.getDraft(params.policyId!);
        await ctx.lang.testBounded(d.source, d.scenarios);
        const r = await policies.publish(caller, params.policyId!, body);
        return r.status === 'published'
          ? { status: 201, body: { policy: params.policyId, ...r }, headers: { Location: `/api/policies/${params.policyId}/versions/${r.version.version}` } }
          : { status: 202, body: { policy: params.policyId, ...r } };
      },
    },
    {
      method: 'get', path: '/api/policies/{policyId}/publish-requests', action: 'publish.read', tag: 'publishing',
      summary: '发布申请 / Publish requests',
      responses: { 200: { description: 'requests', schema: { type: 'object', properties: { requests: { type: 'array', items: ref('PublishRequestRecord') } } } }, ...errorResponses(401, 403, 404) },
      handler: ({ params }) => ({ body: { policy: params.policyId, requests: policies.publishRequests(params.policyId!) } }),
    },
    {
      method: 'post', path: '/api/policies/{policyId}/publish-requests/{requestId}/approve', action: 'publish.approve', tag: 'publishing',
      summary: '批准发布 / Approve a publish request (reviewer or admin, not the requester)',
      body: requestSchemas.Decision,
      responses: { 201: { description: 'published', schema: { type: 'object', properties: { version: ref('VersionSummary'), request: ref('PublishRequestRecord') } } }, ...errorResponses(400, 401, 403, 404, 409, 422) },
      handler: async ({ params, body, caller }) => {
        // the request's scenarios run in the worker within the budget; approve() reads that run
        const r = policies.policy(params.policyId!).publish_requests.find((x) => x.id === params.requestId);
        if (r) await ctx.lang.testBounded(r.source, r.scenarios);
        return { status: 201, body: { policy: params.policyId, ...(await policies.approve(caller, params.policyId!, params.requestId!, body.note)) } };
      },
    },
    {
      method: 'post', path: '/api/policies/{policyId}/publish-requests/{requestId}/reject', action: 'publish.approve', tag: 'publishing',
      summary: '驳回发布 / Reject a publish request',
      body: requestSchemas.Decision,
      responses: { 200: { description: 'rejected', schema: ref('PublishRequestRecord') }, ...errorResponses(400, 401, 403, 404, 409) },
      handler: async ({ params, body, caller }) => ({ body: { policy: params.policyId, request: await policies.reject(caller, params.policyId!, params.requestId!, body.note) } }),
    },
  ];
}
