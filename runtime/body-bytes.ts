// A JSON body read as bytes ahead of express.json, for an operation that can answer from them
// (Operation.fromBytes: the dry-run JSON batch). Only a plain body is read here: JSON in UTF-8,
// not compressed, with a Content-Length within the limit; any other request goes on untouched
// to express.json, which gives its answers (415, 413, …). When the operation does not take the
// bytes, they are parsed here exactly as express.json parses them (body-parser's strict mode:
// a BOM dropped, an empty body is {}, the first character `{` or `[`, JSON.parse; its error
// types, so the error middleware answers the same), and express.json, finding the request read,
// leaves req.body as it is.
import type { RequestHandler } from 'express';
import { principal, type Principal } from './auth.js';
import { BytePool, type LentBytes } from './services/byte-pool.js';

/** The JSON body limit (app.ts BODY_LIMIT), in MB as the bytes package reads `50mb` (2^20 bytes). */
export const BODY_LIMIT_MB = 50;
const LIMIT_BYTES = BODY_LIMIT_MB * 1024 * 1024;

/** The content types read here: JSON in UTF-8 (as the default, or said). */
const PLAIN_JSON = /^application\/json(?:;\s*charset=utf-8)?$/i;

/** The answer's JSON, as text or as its UTF-8 bytes (lent: released once sent); undefined: not
 *  answered from the bytes. `bytes` are read during the call only (their buffer is reused after). */
export type FromBytes = (bytes: Buffer, ctx: { params: Record<string, string>; caller: Principal }) => string | Buffer | LentBytes | undefined;

/** Bodies from this size on are read into a kept buffer (BODIES), smaller ones gathered as they come. */
const KEPT_FROM = 64 * 1024;
/** Large bodies' buffers kept for the next body (byte-pool.ts): joining a 4.5 MB batch's chunks
 *  into fresh memory (Buffer.concat) mapped, faulted in and unmapped 4.5 MB per request (with the
 *  answer's fresh sink, up to ≈ 1,100 page faults a batch); two buffers (a body read while
 *  another is answered), each up to 16 MB. */
const BODIES = new BytePool(2, 16 * 1024 * 1024);

/** An error the error middleware maps by its type, as it maps body-parser's (errors.ts). */
const parserError = (type: string, status: number, message: string) => Object.assign(new Error(message), { type, status, statusCode: status, expose: true });

/** The body as express.json (strict) makes it of these bytes; throws its error otherwise. */
export function parseJsonBody(bytes: Buffer): unknown {
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);   // iconv-lite's decode drops the BOM
  if (text.length === 0) return {};
  const first = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d]|$)/.exec(text)?.[1];
  if (first !== '{' && first !== '[') throw parserError('entity.parse.failed', 400, 'strict violation');
  try { return JSON.parse(text) as unknown; } catch (e) { throw parserError('entity.parse.failed', 400, e instanceof Error ? e.message : 'invalid JSON'); }
}

/** Whether the request's body is one read here (see the top of this file). */
function plainBody(headers: Record<string, string | string[] | undefined>): boolean {
  const type = headers['content-type'], length = headers['content-length'];
  return typeof type === 'string' && PLAIN_JSON.test(type) && headers['content-encoding'] === undefined && headers['transfer-encoding'] === undefined
    && typeof length === 'string' && /^[1-9][0-9]{0,9}$/.test(length) && Number(length) <= LIMIT_BYTES;
}

/** The middleware reading a plain body's bytes and answering with `fromBytes`'s JSON when it gives one. */
export function bodyBytes(fromBytes: FromBytes): RequestHandler {
  return (req, res, next) => {
    if (!plainBody(req.headers)) { next(); return; }
    const body = new BodyBytes(Number(req.headers['content-length']));
    let done = false;
    const fail = () => { if (!done) { done = true; next(parserError('request.aborted', 400, 'request aborted')); } };
    req.on('data', (chunk: Buffer) => { body.add(chunk); });
    req.on('error', fail);
    req.on('close', fail);
    req.on('end', () => {
      if (done) return;
      done = true;
      const bytes = body.bytes();
      let answer: ReturnType<FromBytes>;
      try { answer = fromBytes(bytes, { params: req.params as Record<string, string>, caller: principal(req) }); } catch { answer = undefined; }
      if (answer !== undefined) {
        body.release();
        // the headers and bytes sendJson (operation.ts) gives a 200 JSON answer
        const buf = typeof answer === 'string' ? Buffer.from(answer, 'utf8') : Buffer.isBuffer(answer) ? answer : answer.bytes;
        res.statusCode = 200;
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.setHeader('Content-Length', buf.length);
        // lent bytes are written again once every one has gone to the socket (not when cut short)
        if (typeof answer === 'object' && !Buffer.isBuffer(answer)) res.once('finish', answer.release);
        res.end(buf);
        return;
      }
      try { req.body = parseJsonBody(bytes); } catch (e) { next(e); return; } finally { body.release(); }
      next();
    });
  };
}

/** A body's bytes as they come: copied into a kept buffer of its Content-Length when large (the
 *  parser holds it to that length), gathered and joined at the end otherwise. */
class BodyBytes {
  #kept: Buffer | undefined;
  #n = 0;
  readonly #chunks: Buffer[] = [];
  constructor(length: number) {
    if (length >= KEPT_FROM) this.#kept = BODIES.atLeast(length);
  }

  add(chunk: Buffer): void {
    const kept = this.#kept;
    if (kept !== undefined && this.#n + chunk.length <= kept.length) { chunk.copy(kept, this.#n); this.#n += chunk.length; }
    else { if (kept !== undefined) { this.#chunks.push(Buffer.from(kept.subarray(0, this.#n))); this.#kept = undefined; } this.#chunks.push(chunk); }
  }

  /** The whole body (valid until release()). */
  bytes(): Buffer {
    if (this.#kept !== undefined) return this.#kept.subarray(0, this.#n);
    return this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks);
  }

  /** The bytes are read no more: the kept buffer goes back for the next body. */
  release(): void {
    if (this.#kept !== undefined) BODIES.give(this.#kept);
    this.#kept = undefined;
  }
}
