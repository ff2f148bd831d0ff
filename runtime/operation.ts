// One declaration per endpoint: method, path, role, request schemas, response description and
// the handler. app.ts mounts them (with authentication, role check and schema validation at
// the edge) and openapi.ts documents the very same declarations.
import type { Request, Response, Router, RequestHandler } from 'express';
import { ApiError, methodNotAllowed, type ErrorDetail } from './errors.js';
import { principal, requireRole, type Action, type Principal } from './auth.js';
import { validate, type JsonSchema } from './validate.js';
import { JsonText } from './json-text.js';
import { jsonBytes } from './json-bytes.js';
import { bodyBytes, type FromBytes } from './body-bytes.js';

export interface HandlerContext<B = any, Q = Record<string, string | undefined>> {
  body: B;
  params: Record<string, string>;
  query: Q;
  caller: Principal;
  req: Request;
  res: Response;
}

export interface Reply { status?: number; body: unknown; headers?: Record<string, string> }

export interface Operation {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI-style path: /api/policies/{policyId}. */
  path: string;
  /** Express path when it differs (e.g. a wildcard). */
  expressPath?: string;
  /** Who may call it; null = public (no key needed). */
  action: Action | null;
  tag: string;
  summary: string;
  description?: string;
  body?: JsonSchema;
  bodyRequired?: boolean;
  query?: Record<string, JsonSchema>;
  /** The endpoint also takes and answers JSON Lines (application/x-ndjson, a route of its own:
   *  routes/ndjson.ts); `query`: the parameters that mode reads (the body holds only households). */
  ndjson?: { query: Record<string, JsonSchema> };
  headers?: Record<string, { schema: JsonSchema; description: string; required?: boolean }>;
  responses: Record<string, { description: string; schema?: JsonSchema | { $ref: string } }>;
  /** The answer read from the body's bytes, ahead of JSON.parse (a hot path): its JSON text or
   *  that text's UTF-8 bytes (status 200; lent bytes are released once sent), or undefined when it does not take them, and then the body is parsed and the
   *  operation runs as for any request. Asked only for a plain JSON body (body-bytes.ts); `bytes` are read during the call only. */
  fromBytes?: FromBytes;
  /** Runs on the parsed body before schema validation (e.g. a size limit that answers 413). */
  precheck?(body: unknown): void;
  handler(ctx: HandlerContext): Reply | Promise<Reply>;
}

export const toExpressPath = (op: Operation) => op.expressPath ?? op.path.replace(/\{(\w+)\}/g, ':$1');

const isJsonType = (req: Request) => typeof req.is(['application/json', 'application/*+json']) === 'string';

function hasBody(req: Request): boolean {
  const len = req.headers['content-length'];
  return (len !== undefined && len !== '0') || req.headers['transfer-encoding'] !== undefined;
}

function validateRequest(op: Operation, req: Request): { body: unknown; query: Record<string, string | undefined> } {
  const details: ErrorDetail[] = [];
  let body: unknown = undefined;
  if (op.body) {
    if (hasBody(req) && !isJsonType(req)) {
      throw new ApiError(415, 'request.unsupported_media_type', { zh: '请求体须为 JSON（Content-Type: application/json）', en: 'The body must be JSON (Content-Type: application/json)' },
        [{ path: 'Content-Type', message: String(req.headers['content-type'] ?? '') }]);
    }
    body = req.body;
    if (body === undefined) {
      if (op.bodyRequired) details.push({ path: '(body)', message: '缺少请求体 / a JSON body is required' });
      body = {};
    }
    if (!details.length) {
      op.precheck?.(body);
      for (const d of validate(op.body, body)) details.push(d);   // no spread: validate() caps the list, but stay safe
    }
  }
  const query: Record<string, string | undefined> = {};
  // req.query parses the URL on every access: skip it when there is no query string.
  if (op.query && req.url.includes('?')) for (const [name, schema] of Object.entries(op.query)) {
    const raw = (req.query as Record<string, unknown>)[name];
    if (raw === undefined) continue;
    if (typeof raw !== 'string') { details.push({ path: name, message: '只能出现一次 / must be given once, as a string' }); continue; }
    for (const d of validate(schema, raw, name)) details.push(d);
    query[name] = raw;
  }
  if (details.length) {
    throw new ApiError(400, 'request.invalid', { zh: '请求内容不符合要求', en: 'The request is invalid' }, details);
  }
  return { body, query };
}

/**
 * Sends a JSON answer. The common case (no ETag, not HEAD) is written directly: one
 * JSON.stringify, one Buffer (json-bytes.ts: a long answer in pieces, through ICU's converter), Content-Type and Content-Length set once — the same bytes and
 * headers as res.json() without express's send() machinery (content-type parsing, charset
 * rewriting, freshness check). Anything that may need a 304 or a body-less answer goes
 * through res.json().
 */
export function sendJson(req: Request, res: Response, status: number, body: unknown): void {
  if (req.method === 'HEAD' || res.hasHeader('ETag') || res.hasHeader('Last-Modified') || status === 204 || status === 304) {
    if (body instanceof JsonText) res.status(status).type('application/json; charset=utf-8').send(body.toBuffer());
    else res.status(status).json(body);
    return;
  }
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  if (body instanceof JsonText) {
    // already serialised (in a language worker): its parts are written as they are
    res.setHeader('Content-Length', body.byteLength);
    for (const part of body.parts) res.write(part);
    res.end();
    return;
  }
  const buf = jsonBytes(body) ?? Buffer.alloc(0);
  res.setHeader('Content-Length', buf.length);
  res.end(buf);
}

function handle(op: Operation): RequestHandler {
  return async (req, res) => {
    const { body, query } = validateRequest(op, req);
    const reply = await op.handler({ body, query, params: req.params as Record<string, string>, caller: principal(req), req, res });
    // a handler that streamed its own answer (an export file) has nothing more to send
    if (res.headersSent) { if (!res.writableEnded) res.end(); return; }
    if (reply.headers) for (const [k, v] of Object.entries(reply.headers)) res.setHeader(k, v);
    sendJson(req, res, reply.status ?? 200, reply.body);
  };
}

/** Mounts every operation on the router (`auth` identifies the caller), plus 405 for other methods on a known path. */
export function mount(router: Router, ops: Operation[], auth: RequestHandler, jsonParser: RequestHandler): void {
  const byPath = new Map<string, Operation[]>();
  for (const op of ops) {
    const p = toExpressPath(op);
    byPath.set(p, [...(byPath.get(p) ?? []), op]);
    const chain: RequestHandler[] = op.action === null ? [] : [auth, requireRole(op.action)];
    if (op.body && op.fromBytes) chain.push(bodyBytes(op.fromBytes));
    if (op.body) chain.push(jsonParser);
    router[op.method](p, ...chain, handle(op));
  }
  for (const [p, list] of byPath) {
    const allowed = list.map((o) => o.method.toUpperCase());
    if (allowed.includes('GET')) allowed.push('HEAD');
    router.all(p, methodNotAllowed(allowed));
  }
}
