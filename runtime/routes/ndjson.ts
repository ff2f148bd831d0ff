// The JSON Lines form of a batch endpoint (the evaluate batch, the entitlements batch): mounted
// before the JSON operation of the same path, it takes Content-Type application/x-ndjson and
// passes any other on (next('route')). Everything said before the first byte (a bad query
// parameter, a content encoding, a role that may not dry-run) is an ordinary JSON error; after
// it, a fault is the last line. The lines themselves: runtime/services/batch-stream.ts.
import type { Request, RequestHandler, Response } from 'express';
import { keyPath, nameIndex, unknownFieldMessage } from '../../dsl/index.js';
import { ApiError } from '../errors.js';
import { DomainError, joined } from '../services/domain-error.js';
import { StreamClosed } from '../services/batch-stream.js';

/** The media type of batch requests and answers as JSON Lines (one JSON value per line). */
export const NDJSON = 'application/x-ndjson';

/** Only a JSON Lines body is for this route; any other goes on to the JSON operation. */
export const onlyNdjson: RequestHandler = (req, _res, next) => { next(req.is(NDJSON) === NDJSON ? undefined : 'route'); };

/** The query parameters (its body holds only households), checked: a misspelt one (asof) must
 *  not silently evaluate with today's date; `record` is true or false. */
export function ndjsonQuery(req: Request, names: string[]): { text(name: string): string | undefined; record: boolean | undefined } {
  const enc = req.headers['content-encoding'];
  if (enc !== undefined && enc !== 'identity') {
    throw new ApiError(415, 'request.unsupported_encoding', { zh: 'JSON Lines 请求体不支持内容编码', en: 'A JSON Lines body must not be content-encoded' }, [{ path: 'Content-Encoding', message: String(enc).slice(0, 40) }]);
  }
  const index = nameIndex(names);
  const query = req.query as Record<string, unknown>;
  const unknown = Object.keys(query).filter((k) => !index.names.includes(k));
  if (unknown.length) {
    throw new DomainError('invalid', 'request.invalid', '查询参数有误', 'Unknown query parameters',
      unknown.slice(0, 20).map((k) => ({ path: keyPath('query', k), message: joined(unknownFieldMessage(k, index)) })));
  }
  const text = (name: string) => (query[name] === undefined ? undefined : typeof query[name] === 'string' ? query[name] : '');
  const recordText = text('record');
  if (recordText !== undefined && recordText !== 'true' && recordText !== 'false') {
    throw new DomainError('invalid', 'request.invalid', 'record 只能是 true 或 false', 'record must be true or false', [{ path: 'query.record', message: recordText.slice(0, 40) }]);
  }
  return { text, record: recordText === undefined ? undefined : recordText === 'true' };
}

/** Answers 200 JSON Lines written by `stream`; a fault once the headers are sent is the last line. */
export async function streamAnswer(res: Response, stream: () => Promise<unknown>): Promise<void> {
  res.statusCode = 200;
  res.setHeader('Content-Type', `${NDJSON}; charset=utf-8`);
  res.setHeader('Cache-Control', 'no-store');
  try {
    await stream();
  } catch (e) {
    if (e instanceof StreamClosed || res.destroyed) return;
    res.write(JSON.stringify({ done: false, error: { code: 'stream.failed', message: '批量计算中断 / the batch stopped', message_zh: '批量计算中断', message_en: 'the batch stopped' } }) + '\n');
  }
  res.end();
}
