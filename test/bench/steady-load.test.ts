// The steady load generator (bench/lib/steady-load.ts) against a local server whose behaviour the
// test sets: requests spread evenly (not in bursts), a stall counted in the latency of every
// request due during it (from the due time, not the send), and failures counted, never timed.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { quantile, steadyLoad } from '../../bench/lib/steady-load.js';

let server: Server | undefined;
afterEach(async () => { await new Promise((ok) => (server ? server.close(ok) : ok(undefined))); server = undefined; });

/** A server answering every POST through `answer`; resolves its URL. */
async function serve(answer: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += String(c); });
    req.on('end', () => answer(req, res, body));
  });
  await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
}

const json = (res: ServerResponse, status: number, v: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(v)); };

describe('steadyLoad', () => {
  it('quantile is the smallest sample with at least q of them at or below it', () => {
    const s = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(quantile(s, 0.5)).toBe(5);
    expect(quantile(s, 0.9)).toBe(9);
    expect(quantile(s, 0.99)).toBe(10);
    expect(quantile(s, 0.1)).toBe(1);
    expect(quantile(new Float64Array(0), 0.99)).toBe(0);
  });

  it('sends one request every 1/rate s, each body in rotation, and checks the answers', async () => {
    const arrivals: number[] = [];
    const bodies: string[] = [];
    const url = await serve((_req, res, body) => { arrivals.push(performance.now()); bodies.push(body); json(res, 200, { outputs: { n: JSON.parse(body).n } }); });
    const r = await steadyLoad({ url, bodies: ['{"n":0}', '{"n":1}'], rate: 200, durationS: 1, connections: 2, maxConnections: 8,
      check: (b) => typeof (b as { outputs?: { n?: unknown } }).outputs?.n === 'number', checkEvery: 1 });
    expect(r).toMatchObject({ sent: 200, ok: 200, errors: 0, non2xx: 0, wrong: 0, checked: 200 });
    // the 2 requests opening the connections come first; then 200 at 5 ms intervals: about 50 in
    // each quarter of the second (a burst would put them all in the first; the bounds leave room
    // for a timer that a busy machine delays)
    const scheduled = arrivals.slice(2);
    const first = scheduled[0]!;
    expect(scheduled[scheduled.length - 1]! - first).toBeGreaterThan(900);
    const quarters = [0, 1, 2, 3].map((q) => scheduled.filter((t) => t - first >= q * 250 && t - first < (q + 1) * 250).length);
    for (const n of quarters) { expect(n).toBeGreaterThan(25); expect(n).toBeLessThan(75); }
    expect(bodies.slice(2, 6)).toEqual(['{"n":0}', '{"n":1}', '{"n":0}', '{"n":1}']);
  });

  it('counts a stall in the latency of every request due during it, from its due time', async () => {
    let stallUntil = 0, stalled = false;
    const url = await serve((_req, res) => {
      const t = performance.now();
      // once, 300 ms into the run, the server answers nothing for 200 ms
      if (!stalled && stallUntil === 0 && t > start + 300) { stallUntil = t + 200; stalled = true; }
      const wait = Math.max(0, stallUntil - t);
      setTimeout(() => json(res, 200, { outputs: {} }), wait);
    });
    const start = performance.now();
    // one connection at most: requests due during the stall wait for it, as in a real queue
    const r = await steadyLoad({ url, bodies: ['{}'], rate: 100, durationS: 1, connections: 1, maxConnections: 1, check: () => true });
    expect(r.ok).toBe(100);
    // about 20 requests were due during the stall: the first waited ≈ 200 ms, each later one less;
    // measured from the send, the ones queued on the client side would have looked fast
    expect(r.max).toBeGreaterThan(150);
    expect(r.p90).toBeGreaterThan(20);
    expect(r.serviceP99).toBeLessThanOrEqual(r.p99);
  });

  it('counts non-2xx answers, wrong bodies and transport errors apart from the latencies', async () => {
    let k = 0;
    const url = await serve((req, res) => {
      const i = k++;
      if (i % 10 === 3) json(res, 500, { error: 'x' });
      else if (i % 10 === 5) req.socket.destroy();
      else if (i % 10 === 7) { res.writeHead(200); res.end('not json'); }
      else json(res, 200, { outputs: {} });
    });
    const r = await steadyLoad({ url, bodies: ['{}'], rate: 100, durationS: 1, connections: 1, maxConnections: 4, check: () => true, checkEvery: 1 });
    expect(r.sent).toBe(100);
    expect(r.non2xx).toBeGreaterThan(5);
    expect(r.errors).toBeGreaterThan(5);
    expect(r.wrong).toBeGreaterThan(5);
    expect(r.ok + r.non2xx + r.errors).toBe(100);
  });
});
