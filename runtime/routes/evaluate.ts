// The evaluation contract: POST /evaluate and /evaluate/batch on published versions.
import type { Operation } from '../operation.js';
import type { EvaluateInput } from '../services/evaluation.js';
import { ref, requestSchemas } from '../schemas.js';
import { errorResponses, type RouteContext } from './context.js';

export function evaluateOperations(ctx: RouteContext): Operation[] {
  const { evaluation } = ctx;
  return [
    {
      method: 'post', path: '/api/policies/{policyId}/evaluate', action: 'evaluate', tag: 'evaluation',
      summary: '计算一户 / Evaluate one household with the version in force on as_of (or the pinned version)',
      description: '404 for an unknown policy or when no version is in force on as_of; 410 when the policy is retired; 400 with each bad field\'s JSON path.',
      body: requestSchemas.EvaluateRequest, bodyRequired: true,
      query: { trace: { type: 'string', enum: ['true', 'false'], description: 'false: answer without `trace` (as `"trace": false` in the body; either one turns it off)' } },
      responses: { 200: { description: 'outputs and trace (no trace with trace=false)', schema: ref('EvaluateResponse') }, ...errorResponses(400, 401, 403, 404, 410, 413, 415) },
      handler: ({ params, body, query }) => {
        const input = body as EvaluateInput;
        return { body: evaluation.evaluate(params.policyId!, query.trace === 'false' ? { ...input, trace: false } : input) };
      },
    },
    {
      method: 'post', path: '/api/policies/{policyId}/evaluate/batch', action: 'evaluate', tag: 'evaluation',
      summary: '批量计算 / Evaluate up to 10,000 households; one result per household, in order',
      body: requestSchemas.BatchRequest, bodyRequired: true,
      precheck: (body) => {
        const list = (body as { households?: unknown } | null)?.households;
        if (Array.isArray(list)) evaluation.checkBatchSize(list.length);
      },
      responses: { 200: { description: 'results', schema: ref('BatchResponse') }, ...errorResponses(400, 401, 403, 404, 410, 413, 415) },
      handler: ({ params, body }) => ({ body: evaluation.batch(params.policyId!, body) }),
    },
  ];
}
