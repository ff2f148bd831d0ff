// The evaluation contract: POST /evaluate and /evaluate/batch on published versions.
import type { RequestHandler } from 'express';
import { principal } from '../auth.js';
import { keyPath, nameIndex, unknownFieldMessage } from '../../dsl/index.js';
import { ApiError } from '../errors.js';
import { DomainError, joined } from '../services/domain-error.js';
import type { Operation } from '../operation.js';
import { batchStream, streamParams, StreamClosed } from '../services/batch-stream.js';
import type { BatchInput, EvaluateInput } from '../services/evaluation.js';
import { ref, requestSchemas } from '../schemas.js';
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
      precheck: (body) => {
        const list = (body as { households?: unknown } | null)?.households;
        if (Array.isArray(list)) evaluation.checkBatchSize(list.length);
      },
      responses: { 200: { description: 'results', schema: ref('BatchResponse') }, ...errorResponses(400, 401, 403, 404, 410, 413, 415, 503) },
      handler: async ({ params, body, caller, res }) => ({
        body: await evaluation.whenCompiled(params.policyId!, body as BatchInput, () => decisions.batch(params.policyId!, body as BatchInput, { caller, requestId: requestId(res) })),
      }),
    },
  ];
}

/** The query parameters of the JSON Lines batch (its body holds only households). */
const NDJSON_QUERY = nameIndex(['as_of', 'version', 'record']);

/** The media type of batch requests and answers as JSON Lines (one JSON value per line). */
export const NDJSON = 'application/x-ndjson';

/**
 * POST /api/policies/{policyId}/evaluate/batch with Content-Type application/x-ndjson: the
 * streamed batch (runtime/services/batch-stream.ts). Mounted before the JSON operation of the
 * same path, it passes any other content type on to it (next('route')); `auth` is the same
 * authentication and role check the operation has.
 */
export function ndjsonBatchRoute(ctx: RouteContext, auth: RequestHandler[]): [string, ...RequestHandler[]] {
  const { evaluation, decisions } = ctx;
  const onlyNdjson: RequestHandler = (req, _res, next) => { next(req.is(NDJSON) === NDJSON ? undefined : 'route'); };
  const handler: RequestHandler = async (req, res) => {
    const enc = req.headers['content-encoding'];
    if (enc !== undefined && enc !== 'identity') {
      throw new ApiError(415, 'request.unsupported_encoding', { zh: 'JSON Lines 请求体不支持内容编码', en: 'A JSON Lines body must not be content-encoded' }, [{ path: 'Content-Encoding', message: String(enc).slice(0, 40) }]);
    }
    const query = req.query as Record<string, unknown>;
    // a misspelt parameter (asof) must not silently evaluate with today's date
    const unknown = Object.keys(query).filter((k) => !NDJSON_QUERY.names.includes(k));
    if (unknown.length) {
      throw new DomainError('invalid', 'request.invalid', '查询参数有误', 'Unknown query parameters',
        unknown.slice(0, 20).map((k) => ({ path: keyPath('query', k), message: joined(unknownFieldMessage(k, NDJSON_QUERY)) })));
    }
    const text = (name: string) => (query[name] === undefined ? undefined : typeof query[name] === 'string' ? query[name] : '');
    const recordText = text('record');
    if (recordText !== undefined && recordText !== 'true' && recordText !== 'false') {
      throw new DomainError('invalid', 'request.invalid', 'record 只能是 true 或 false', 'record must be true or false', [{ path: 'query.record', message: recordText.slice(0, 40) }]);
    }
    const { asOf, version } = streamParams({ as_of: text('as_of'), version: text('version') }, evaluation.today);
    const id = String(req.params['policyId']);
    // ?record=false is a dry run, for the roles that may (403 before the first byte otherwise)
    const caller = principal(req);
    const record = recordText === undefined ? undefined : recordText === 'true';
    decisions.recording(caller, record);
    // resolved and compiled before the first byte: an unknown policy is still a 404
    await evaluation.whenCompiled(id, { as_of: asOf, version }, () => undefined);
    // each input chunk's households are evaluated and recorded (one INSERT) before their lines go out
    const run = async (households: unknown[]) => (await decisions.batch(id, { households, as_of: asOf, version, record }, { caller, requestId: requestId(res) })).results;
    res.statusCode = 200;
    res.setHeader('Content-Type', `${NDJSON}; charset=utf-8`);
    res.setHeader('Cache-Control', 'no-store');
    try {
      await batchStream(evaluation, id, asOf, version, req, res, run);
    } catch (e) {
      if (e instanceof StreamClosed || res.destroyed) return;
      // headers are sent: the fault is the last line (logged by the service for evaluation faults)
      res.write(JSON.stringify({ done: false, error: { code: 'stream.failed', message: '批量计算中断 / the batch stopped', message_zh: '批量计算中断', message_en: 'the batch stopped' } }) + '\n');
    }
    res.end();
  };
  return ['/api/policies/:policyId/evaluate/batch', onlyNdjson, ...auth, handler];
}
