// The request log stays cheap: lines are batched (flushed on a short timer, when large, and on
// exit), and a silent logger costs a request only its X-Request-Id.
import express from 'express';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { bufferedWriter, createLogger, LOG_FLUSH_MS, requestLog } from '../../runtime/log.js';

describe('bufferedWriter', () => {
  it('writes nothing at once, then every pending line in one write after the delay', () => {
    vi.useFakeTimers();
    try {
      const writes: string[] = [];
      const w = bufferedWriter((t) => writes.push(t));
      w.push('a\n'); w.push('b\n'); w.push('c\n');
      expect(writes).toEqual([]);
      vi.advanceTimersByTime(LOG_FLUSH_MS);
      expect(writes).toEqual(['a\nb\nc\n']);
      w.push('d\n');
      w.flush();
      expect(writes).toEqual(['a\nb\nc\n', 'd\n']);
      vi.advanceTimersByTime(LOG_FLUSH_MS * 2);
      expect(writes.length).toBe(2);
    } finally { vi.useRealTimers(); }
  });

  it('writes at once when the pending lines reach the size limit', () => {
    const writes: string[] = [];
    const w = bufferedWriter((t) => writes.push(t), 1000, 10);
    w.push('12345\n');
    expect(writes).toEqual([]);
    w.push('67890\n');
    expect(writes).toEqual(['12345\n67890\n']);
    w.flush();
    expect(writes.length).toBe(1);
  });
});

describe('requestLog', () => {
  const app = (log: ReturnType<typeof createLogger>) => {
    const a = express();
    a.use(requestLog(log, { 'X-Content-Type-Options': 'nosniff' }));
    a.get('/x', (_req, res) => { res.json({ ok: true }); });
    return a;
  };

  it('logs one JSON line per request with a given write function, with the caller\'s request id', async () => {
    const lines: string[] = [];
    const log = createLogger({ LOG: 'on' }, (l) => lines.push(l));
    const r = await request(app(log)).get('/x?secret=1').set('X-Request-Id', 'abc-1');
    expect(r.headers['x-request-id']).toBe('abc-1');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    await new Promise((ok) => setTimeout(ok, 10));
    expect(lines.length).toBe(1);
    const j = JSON.parse(lines[0]!);
    expect(j).toMatchObject({ level: 'info', msg: 'request', id: 'abc-1', method: 'GET', path: '/x', status: 200 });
    expect(lines[0]!.endsWith('\n')).toBe(true);
  });

  it('silent (LOG=silent): still an X-Request-Id (a UUID when the caller\'s is malformed), no line', async () => {
    const r = await request(app(createLogger({ LOG: 'silent' }))).get('/x').set('X-Request-Id', 'bad id!');
    expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });
});
