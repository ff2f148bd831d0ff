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
        + 'the date is not after the latest version\'s (equal only with "correction": {"supersedes": <latest>, "reason": "…"}, which '
        + 'replaces the latest version from that date and leaves it stored and pinnable), the date is more than 10 years after today '
        + 'without "confirm_far_future": true, or the draft is identical to the latest version. A date that differs from the '
        + 'header\'s 生效 is used and reported in warnings. When any key has the reviewer role, '
        + 'this files a publish request instead (202) that a different reviewer/admin key approves.',
      body: requestSchemas.PublishRequest,
      responses: {
        201: { description: 'published', schema: { type: 'object', properties: { status: { type: 'string', enum: ['published'] }, version: ref('VersionSummary') } } },
        202: { description: 'publish request filed', schema: { type: 'object', properties: { status: { type: 'string', enum: ['pending'] }, request: ref('PublishRequestRecord') } } },
        ...errorResponses(400, 401, 403, 404, 409, 422),
      },
      handler: async ({ params, body, caller }) => {
        // whether this goes to review depends on the accounts too: count them now
        await ctx.users.refresh().catch(() => undefined);   // unreadable: the counts last read stand
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
      method: 'get', path: '/api/policies/{policyId}/publish-requests/{requestId}', action: 'publish.read', tag: 'publishing',
      summary: '审核发布申请 / One publish request: its snapshot, hash, diff against the version it follows, scenario results',
      description: 'Exactly what approval would publish: the snapshot filed with the request (later edits of the draft do not '
        + 'change it), its diff against the base version, and its scenario results; impact names the simulation that costs it '
        + '(POST …/simulations with candidate = the request id). Approve by naming its hash.',
      responses: { 200: { description: 'the request with its snapshot', schema: ref('PublishRequestReview') }, ...errorResponses(401, 403, 404) },
      handler: ({ params }) => ({ body: policies.publishRequest(params.policyId!, params.requestId!), headers: { 'Cache-Control': 'no-store' } }),
    },
    {
      method: 'post', path: '/api/policies/{policyId}/publish-requests/{requestId}/approve', action: 'publish.approve', tag: 'publishing',
      summary: '批准发布 / Approve a publish request (reviewer or admin, not the requester), naming the snapshot hash',
      description: 'The body must name the hash of the snapshot the reviewer looked at ({"hash": "…"} from GET of the request): '
        + 'missing → 422 publish_request.hash_required; a different hash (e.g. the current draft\'s) → 409 publish_request.hash_mismatch.',
      body: requestSchemas.Approval,
      responses: { 201: { description: 'published', schema: { type: 'object', properties: { version: ref('VersionSummary'), request: ref('PublishRequestRecord') } } }, ...errorResponses(400, 401, 403, 404, 409, 422) },
      handler: async ({ params, body, caller }) => {
        // the request's scenarios run in the worker within the budget; approve() reads that run
        const r = policies.policy(params.policyId!).publish_requests.find((x) => x.id === params.requestId);
        if (r) await ctx.lang.testBounded(r.source, r.scenarios);
        return { status: 201, body: { policy: params.policyId, ...(await policies.approve(caller, params.policyId!, params.requestId!, body)) } };
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
