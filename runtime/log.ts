// Structured logs: one JSON line per request (and per notable event) on stdout; silent when
// NODE_ENV=test or LOG=silent.
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { principal } from './auth.js';
import type { Logger } from './errors.js';

export function createLogger(env: NodeJS.ProcessEnv = process.env, write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  const silent = env.LOG === 'silent' || (env.NODE_ENV === 'test' && env.LOG !== 'on');
  if (silent) return () => undefined;
  return (entry) => write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', ...entry })}\n`);
}

export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    const incoming = req.get('x-request-id');
    const id = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', id);
    res.on('finish', () => {
      const p = principal(req);
      log({
        level: res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
        msg: 'request', id, method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode,
        ms: Number((process.hrtime.bigint() - start) / 1000n) / 1000,
        bytes: Number(res.getHeader('content-length') ?? 0), who: p.name, role: p.role,
      });
    });
    next();
  };
}
