// The evaluation contract: POST /evaluate and /evaluate/batch on published versions.
import type { RequestHandler } from 'express';
import { principal } from '../auth.js';
import type { Operation } from '../operation.js';
import { batchStream, streamParams } from '../services/batch-stream.js';
import { ndjsonQuery, onlyNdjson, streamAnswer } from './ndjson.js';
import type { BatchInput, EvaluateInput } from '../services/evaluation.js';
import { ref, requestSchemas } from '../schemas.js';
import { scanBatchBody } from '../services/batch-body.js';
import { validate } from '../validate.js';
import { errorResponses, type RouteContext } from './context.js';

const requestId = (res: { getHeader(name: string): unknown }) => { const id = res.getHeader('X-Request-Id'); return typeof id === 'string' ? id : null; };

export function evaluateOperations(ctx: RouteContext): Operation[] {
  const { evaluation, decisions } = ctx;
  return [
    {
      method: 'post', path: '/api/policies/{policyId}/evaluate', action: 'evaluate', tag: 'evaluation',
      summary: '计算一户 / Evaluate one household with the version in force on as_of (or the pinned version)',
      description: 'The decision is recorded before the answer goes out: `decision_id` in the body and the `Decision-Id` header (`record: false`, a dry run: tester and admin only, else 403 auth.forbidden). 404 for an unknown policy or when no version is in force on as_of; 410 when the policy is retired; 400 with each bad field\'s JSON path.',
      body: requestSchemas.EvaluateRequest, bodyRequired: true,
      query: { trace: { type: 'string', enum: ['true', 'false'], description: 'false: answer without `trace` (as `"trace": false` in the body; either one turns it off)' } },
      responses: { 200: { description: 'outputs and trace (no trace with trace=false); header Decision-Id when recorded', schema: ref('EvaluateResponse') }, ...errorResponses(400, 401, 403, 404, 410, 413, 415, 503) },
      // whenCompiled: synchronous once the version is compiled; its first use compiles it off the hot path
      // The decision is stored before the answer goes out (Decision-Id header and decision_id).
      handler: async ({ params, body, query, caller, res }) => {
        const input = query.trace === 'false' ? { ...(body as EvaluateInput), trace: false } : body as EvaluateInput;
        return await evaluation.whenCompiled(params.policyId!, input, () => decisions.evaluate(params.policyId!, input, { caller, requestId: requestId(res) }));
      },
    },
    {
      method: 'post', path: '/api/policies/{policyId}/evaluate/batch', action: 'evaluate', tag: 'evaluation',
      summary: '批量计算 / Evaluate up to 10,000 households; one result per household, in order',
      description: 'With `Content-Type: application/x-ndjson` (one household per line, `as_of` and `version` as query parameters) the answer is JSON Lines, streamed, with no household limit: see docs/api.md. Each household with outputs is recorded as a decision (its `decision_id` in its result), all in one statement, before the answer goes out. Errors of the first 100 households that have one are given in full; later ones are their code only (`omitted: true`, no details). `error_count` counts every household with an error, `errors_omitted` those given by code only.',
      body: requestSchemas.BatchRequest, bodyRequired: true,
      ndjson: { query: {
        as_of: { type: 'string', format: 'date', description: 'evaluation date (default today in China)' },
        version: { type: 'string', pattern: '^[1-9][0-9]{0,8}$', description: 'pin a published version' },
        record: { type: 'string', enum: ['true', 'false'], description: 'false: a dry run (tester and admin only)' },
      } },
      precheck: (body) => {
        const list = (body as { households?: unknown } | null)?.households;
        if (Array.isArray(list)) evaluation.checkBatchSize(list.length);
      },
      // a dry run whose households the version's reader takes is answered from the body's bytes
      // (no JSON.parse of the households); any other body is parsed and answered below
      fromBytes: (bytes, { params, caller }) => {
        const scanned = scanBatchBody(bytes);
        if (scanned === undefined || scanned.households === undefined) return undefined;
        // the parsed body's schema check, households aside (they are the policy's to check)
        if (validate(requestSchemas.BatchRequest, { ...scanned.fields, households: [] }).length) return undefined;
        return decisions.dryBatchText(params.policyId!, scanned.fields as { as_of?: string; version?: number; record?: unknown }, bytes, scanned.households, caller);
      },
      responses: { 200: { description: 'results', schema: ref('BatchResponse') }, ...errorResponses(400, 401, 403, 404, 410, 413, 415, 503) },
      handler: async ({ params, body, caller, res }) => ({
        body: await evaluation.whenCompiled(params.policyId!, body as BatchInput, () => decisions.batch(params.policyId!, body as BatchInput, { caller, requestId: requestId(res) })),
      }),
    },
  ];
}

/**
 * POST /api/policies/{policyId}/evaluate/batch with Content-Type application/x-ndjson: the
 * streamed batch (runtime/services/batch-stream.ts, routes/ndjson.ts). `auth` is the same
 * authentication and role check the JSON operation has.
 */
export function ndjsonBatchRoute(ctx: RouteContext, auth: RequestHandler[]): [string, ...RequestHandler[]] {
  const { evaluation, decisions } = ctx;
  const handler: RequestHandler = async (req, res) => {
    const { text, record } = ndjsonQuery(req, ['as_of', 'version', 'record']);
    const { asOf, version } = streamParams({ as_of: text('as_of'), version: text('version') }, evaluation.today);
    const id = String(req.params['policyId']);
    // ?record=false is a dry run, for the roles that may (403 before the first byte otherwise)
    const caller = principal(req);
    const recorded = decisions.recording(caller, record);
    // resolved and compiled before the first byte: an unknown policy is still a 404
    await evaluation.whenCompiled(id, { as_of: asOf, version }, () => undefined);
    // each input chunk's households are evaluated and recorded (one INSERT) before their lines go out
    const ctx = { caller, requestId: requestId(res) };
    await streamAnswer(res, () => batchStream(evaluation, id, asOf, version, req, res, recorded ? (v, households, items) => decisions.recordResults(ctx, id, v, asOf, households, items) : undefined));
  };
  return ['/api/policies/:policyId/evaluate/batch', onlyNdjson, ...auth, handler];
}
