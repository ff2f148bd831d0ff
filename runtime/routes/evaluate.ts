// The evaluation contract: POST /evaluate and /evaluate/batch on published versions.
import type { Operation } from '../operation.js';
import type { BatchInput, EvaluateInput } from '../services/evaluation.js';
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
      // whenCompiled: synchronous once the version is compiled; its first use compiles it off the hot path
      handler: ({ params, body, query }) => {
        const input = query.trace === 'false' ? { ...(body as EvaluateInput), trace: false } : body as EvaluateInput;
        return evaluation.whenCompiled(params.policyId!, input, () => ({ body: evaluation.evaluate(params.policyId!, input) }));
      },
    },
    {
      method: 'post', path: '/api/policies/{policyId}/evaluate/batch', action: 'evaluate', tag: 'evaluation',
      summary: '批量计算 / Evaluate up to 10,000 households; one result per household, in order',
      description: 'Errors of the first 100 households that have one are given in full; later ones are their code only (`omitted: true`, no details). `error_count` counts every household with an error, `errors_omitted` those given by code only.',
      body: requestSchemas.BatchRequest, bodyRequired: true,
      precheck: (body) => {
        const list = (body as { households?: unknown } | null)?.households;
        if (Array.isArray(list)) evaluation.checkBatchSize(list.length);
      },
      responses: { 200: { description: 'results', schema: ref('BatchResponse') }, ...errorResponses(400, 401, 403, 404, 410, 413, 415) },
      handler: ({ params, body }) => evaluation.whenCompiled(params.policyId!, body as BatchInput, () => ({ body: evaluation.batch(params.policyId!, body) })),
    },
  ];
}
