// Structured logs: one JSON line per request (and per notable event) on stdout; silent when
// NODE_ENV=test or LOG=silent.
//
// Cheap on the request path: stdout to a file or a pipe is a synchronous write on Linux, so
// lines are not written one by one but collected and written together — at the latest
// LOG_FLUSH_MS later, at once when LOG_FLUSH_BYTES are pending, and synchronously when the
// process exits (process.exit, a signal handler's exit, an uncaught exception). Only a hard
// kill (SIGKILL, power loss) can lose the last few milliseconds of lines.
import { randomUUID } from 'node:crypto';
import { writeSync } from 'node:fs';
import type { RequestHandler } from 'express';
import { principal } from './auth.js';
import type { Logger } from './errors.js';

export const LOG_FLUSH_MS = 20;
export const LOG_FLUSH_BYTES = 64 * 1024;

const SILENT: unique symbol = Symbol('silent logger');
type MaybeSilent = Logger & { [SILENT]?: true };

/** Collects lines and hands them to `write` in batches (see the top of this file). */
export function bufferedWriter(write: (text: string) => void, flushMs = LOG_FLUSH_MS, maxBytes = LOG_FLUSH_BYTES):
  { push(line: string): void; flush(): void } {
  let pending: string[] = [];
  let bytes = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) { clearTimeout(timer); timer = undefined; }
    if (!pending.length) return;
    const text = pending.length === 1 ? pending[0]! : pending.join('');
    pending = []; bytes = 0;
    write(text);
  };
  return {
    push(line) {
      pending.push(line);
      bytes += line.length;
      if (bytes >= maxBytes) flush();
      else if (!timer) { timer = setTimeout(flush, flushMs); timer.unref(); }
    },
    flush,
  };
}

let stdoutWriter: ReturnType<typeof bufferedWriter> | undefined;
/** The process-wide stdout writer: batched while running, flushed synchronously on exit. */
function stdout(): ReturnType<typeof bufferedWriter> {
  if (!stdoutWriter) {
    let exiting = false;
    const w = bufferedWriter((text) => {
      if (exiting) { try { writeSync(1, text); } catch { /* stdout gone */ } } else process.stdout.write(text);
    });
    process.once('exit', () => { exiting = true; w.flush(); });
    stdoutWriter = w;
  }
  return stdoutWriter;
}

/**
 * The logger. With the default `write` the lines go to stdout in batches; a `write` passed in
 * gets every line at once (tests).
 */
export function createLogger(env: NodeJS.ProcessEnv = process.env, write?: (line: string) => void): Logger {
  const silent = env.LOG === 'silent' || (env.NODE_ENV === 'test' && env.LOG !== 'on');
  if (silent) { const off: MaybeSilent = () => undefined; off[SILENT] = true; return off; }
  const out = write ?? ((line: string) => stdout().push(line));
  return (entry) => out(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', ...entry })}\n`);
}

const REQUEST_ID = /^[\w.-]{1,64}$/;

/** Sets X-Request-Id (the caller's, when well-formed, or a new UUID) and `headers` on every
 *  answer, and logs one line per request when it is finished. */
export function requestLog(log: Logger, headers: Record<string, string> = {}): RequestHandler {
  const silent = (log as MaybeSilent)[SILENT] === true;
  const fixed = Object.entries(headers);
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', id);
    for (const [k, v] of fixed) res.setHeader(k, v);
    if (silent) { next(); return; }   // LOG=silent: the id header only, no timing or listener
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const p = principal(req);
      const q = req.originalUrl.indexOf('?');
      log({
        level: res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
        msg: 'request', id, method: req.method, path: q < 0 ? req.originalUrl : req.originalUrl.slice(0, q), status: res.statusCode,
        ms: Number((process.hrtime.bigint() - start) / 1000n) / 1000,
        bytes: Number(res.getHeader('content-length') ?? 0), who: p.name, role: p.role,
      });
    });
    next();
  };
}
