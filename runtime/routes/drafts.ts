// /api/policies/{id}/draft: read (ETag), save (If-Match), check, test.
import type { Operation } from '../operation.js';
import { ApiError, badRequest } from '../errors.js';
import { ref, requestSchemas } from '../schemas.js';
import { errorResponses, type RouteContext } from './context.js';

const etag = (revision: number) => `"${revision}"`;

/** If-Match → the expected revision ('*' = any). */
export function parseIfMatch(header: string | undefined): number | '*' {
  if (header === undefined || header.trim() === '') {
    throw new ApiError(428, 'draft.if_match_required', { zh: '保存草稿需要 If-Match 请求头（取自 GET 的 ETag）', en: 'Saving the draft needs an If-Match header (the ETag from GET)' },
      [{ path: 'If-Match', message: 'required' }]);
  }
  const v = header.trim();
  if (v === '*') return '*';
  const m = /^(?:W\/)?"(\d{1,12})"$/.exec(v);
  if (!m) throw badRequest('request.invalid', 'If-Match 格式不正确', 'Malformed If-Match header', [{ path: 'If-Match', message: 'expected "<revision>"' }]);
  return Number(m[1]);
}

export function draftOperations(ctx: RouteContext): Operation[] {
  const { policies } = ctx;
  return [
    {
      method: 'get', path: '/api/policies/{policyId}/draft', action: 'draft.read', tag: 'drafts',
      summary: '读取草稿 / Read the draft (ETag = revision)',
      responses: { 200: { description: 'draft', schema: ref('Draft') }, ...errorResponses(401, 403, 404) },
      handler: ({ params }) => {
        const d = policies.getDraft(params.policyId!);
        return { body: d, headers: { ETag: etag(d.revision), 'Cache-Control': 'no-store' } };
      },
    },
    {
      method: 'put', path: '/api/policies/{policyId}/draft', action: 'draft.write', tag: 'drafts',
      summary: '保存草稿 / Save the draft (If-Match required; stale → 409)',
      headers: { 'If-Match': { schema: { type: 'string' }, description: 'the ETag from GET, e.g. "3"', required: true } },
      body: requestSchemas.DraftUpdate, bodyRequired: true,
      responses: { 200: { description: 'saved; new ETag', schema: ref('Draft') }, ...errorResponses(400, 401, 403, 404, 409, 422, 428) },
      handler: async ({ params, body, req, caller }) => {
        const expected = parseIfMatch(req.get('if-match'));
        if (body.source === undefined && body.scenarios === undefined) {
          throw badRequest('request.invalid', '请提供 source 或 scenarios', 'Give source and/or scenarios', [{ path: 'source', message: 'required (or scenarios)' }]);
        }
        // analysed in the worker, within the budget, before anything is saved (too complex → 422, nothing stored)
        await ctx.lang.analyzeBounded(body.source ?? policies.getDraft(params.policyId!).source, 'policy.policy');
        const d = await policies.putDraft(caller, params.policyId!, expected, body);
        return { body: d, headers: { ETag: etag(d.revision) } };
      },
    },
    {
      method: 'post', path: '/api/policies/{policyId}/draft/check', action: 'draft.check', tag: 'drafts',
      summary: '检查草稿 / Diagnostics of the draft (or of unsaved source in the body)',
      body: requestSchemas.DraftOverride,
      responses: { 200: { description: 'diagnostics', schema: ref('CheckResult') }, ...errorResponses(400, 401, 403, 404, 422) },
      handler: async ({ params, body }) => {
        await ctx.lang.analyzeBounded(body.source ?? policies.getDraft(params.policyId!).source, 'policy.policy');
        return { body: policies.checkDraft(params.policyId!, body) };
      },
    },
    {
      method: 'post', path: '/api/policies/{policyId}/draft/test', action: 'draft.test', tag: 'drafts',
      summary: '运行情景 / Run the draft\'s scenarios: expected vs actual per scenario',
      body: requestSchemas.DraftOverride,
      responses: { 200: { description: 'report', schema: ref('TestRun') }, ...errorResponses(400, 401, 403, 404, 422) },
      handler: async ({ params, body }) => {
        const d = policies.getDraft(params.policyId!);
        await ctx.lang.testBounded(body.source ?? d.source, body.scenarios ?? d.scenarios);
        return { body: policies.testDraft(params.policyId!, body) };
      },
    },
  ];
}
