// Typed API errors and the one Express error middleware that turns anything thrown into the
// JSON error shape { error: { code, message, message_zh, message_en, details } }.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DomainError, capped, MAX_ERROR_DETAILS, type ErrorDetail, type ErrorKind } from './services/domain-error.js';
import { StoreError } from './store/types.js';

export { capped, MAX_ERROR_DETAILS, type ErrorDetail };

/** A bilingual message: `message` is "中文 / English". */
export interface Bilingual { zh: string; en: string }

export class ApiError extends Error {
  readonly details: ErrorDetail[];

  constructor(
    readonly status: number,
    readonly code: string,
    readonly text: Bilingual,
    details: ErrorDetail[] = [],
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(`${text.zh} / ${text.en}`);
    this.name = 'ApiError';
    this.details = capped(details);
  }

  toJSON(): { error: Record<string, unknown> } {
    return {
      error: {
        code: this.code,
        message: this.message,
        message_zh: this.text.zh,
        message_en: this.text.en,
        details: this.details,
        ...this.extra,
      },
    };
  }
}

export const badRequest = (code: string, zh: string, en: string, details: ErrorDetail[] = []) =>
  new ApiError(400, code, { zh, en }, details);
export const notFound = (code: string, zh: string, en: string, details: ErrorDetail[] = []) =>
  new ApiError(404, code, { zh, en }, details);
export const conflict = (code: string, zh: string, en: string, details: ErrorDetail[] = [], extra: Record<string, unknown> = {}) =>
  new ApiError(409, code, { zh, en }, details, extra);
export const unprocessable = (code: string, zh: string, en: string, details: ErrorDetail[] = [], extra: Record<string, unknown> = {}) =>
  new ApiError(422, code, { zh, en }, details, extra);

/** Mapping of body-parser / http-errors `type`s to our codes. */
const PARSER_ERRORS: Record<string, { status: number; code: string; zh: string; en: string }> = {
  'entity.parse.failed': { status: 400, code: 'request.malformed_json', zh: '请求体不是合法的 JSON', en: 'Request body is not valid JSON' },
  'entity.too.large': { status: 413, code: 'request.too_large', zh: '请求体过大', en: 'Request body is too large' },
  'encoding.unsupported': { status: 415, code: 'request.unsupported_encoding', zh: '不支持的内容编码', en: 'Unsupported content encoding' },
  'charset.unsupported': { status: 415, code: 'request.unsupported_charset', zh: '不支持的字符集', en: 'Unsupported charset' },
  'request.aborted': { status: 400, code: 'request.aborted', zh: '请求被中止', en: 'Request aborted' },
  'request.size.invalid': { status: 400, code: 'request.size_invalid', zh: '请求体长度与 Content-Length 不符', en: 'Request size did not match Content-Length' },
  'parameters.too.many': { status: 413, code: 'request.too_many_parameters', zh: '参数过多', en: 'Too many parameters' },
};

export type Logger = (entry: Record<string, unknown>) => void;

/**
 * The last middleware: never leaks a stack or a raw JS message, never answers 500 for a client
 * error. An unexpected error is logged with its stack and answered with a generic bilingual
 * message and the request id (X-Request-Id), which finds the log line.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let apiError = toApiError(err);
    if (apiError.status >= 500) {
      const id = String(res.getHeader('X-Request-Id') ?? '');
      log({ level: 'error', msg: 'unhandled error', id, method: req.method, path: req.path,
            error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
            stack: err instanceof Error ? err.stack : undefined });
      if (apiError.code === 'internal') apiError = internalError(id);
    }
    if (res.headersSent) { res.end(); return; }
    for (const [k, v] of Object.entries(apiError.headers)) res.setHeader(k, v);
    res.status(apiError.status).json(apiError.toJSON());
  };
}

/** The one answer to an unexpected error: no detail of it, only where to look it up. */
export function internalError(requestId: string): ApiError {
  return new ApiError(500, 'internal',
    { zh: `服务器内部错误（请求编号 ${requestId}）`, en: `Internal server error (request id ${requestId})` },
    [], { request_id: requestId });
}

const KIND_STATUS: Record<ErrorKind, number> = {
  invalid: 400, not_found: 404, gone: 410, conflict: 409, unprocessable: 422, too_large: 413, unavailable: 503, forbidden: 403, unauthorized: 401, too_many: 429,
};

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof DomainError) {
    // retry_after_s (a busy service) becomes the Retry-After header as well
    const retry = err.extra.retry_after_s;
    return new ApiError(KIND_STATUS[err.kind], err.code, { zh: err.zh, en: err.en }, err.details, err.extra,
      typeof retry === 'number' ? { 'Retry-After': String(retry) } : {});
  }
  if (err instanceof StoreError) {
    if (err.code === 'store.conflict') {
      // another instance committed a conflicting write first (SQL store): the client reads again and retries
      return new ApiError(409, err.code, { zh: '数据已被另一请求修改，请重新读取后重试', en: 'Another request changed the data first; read it again and retry' });
    }
    return err.code === 'store.immutable'
      ? new ApiError(409, err.code, { zh: '已发布的版本不可更改', en: 'Published versions cannot be changed' })
      : new ApiError(503, err.code, { zh: '数据存储暂不可用', en: 'The data store is unavailable' });
  }
  const e = err as { type?: unknown; status?: unknown; statusCode?: unknown; expose?: unknown } | null;
  if (e && typeof e.type === 'string' && PARSER_ERRORS[e.type]) {
    const m = PARSER_ERRORS[e.type]!;
    return new ApiError(m.status, m.code, { zh: m.zh, en: m.en });
  }
  const status = Number(e?.status ?? e?.statusCode);
  if (err instanceof URIError || (status === 400 && !e?.type)) {
    return badRequest('request.bad_url', '请求地址无法解码', 'The request URL could not be decoded');
  }
  if (Number.isInteger(status) && status >= 400 && status < 500) {
    return new ApiError(status, 'request.invalid', { zh: '请求无效', en: 'Invalid request' });
  }
  return new ApiError(500, 'internal', { zh: '服务器内部错误', en: 'Internal server error' });
}

/** Catch-all for unknown /api paths. */
export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(notFound('route.not_found', `没有这个接口：${req.method} ${req.path}`, `No such endpoint: ${req.method} ${req.path}`));
};

export function methodNotAllowed(allowed: string[]): RequestHandler {
  return (req, _res, next) => {
    next(new ApiError(405, 'method.not_allowed', { zh: `此接口不支持 ${req.method}`, en: `Method ${req.method} not allowed here` },
      [], { allowed }, { Allow: allowed.join(', ') }));
  };
}
