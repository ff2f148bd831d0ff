// A steady open-loop load generator (issue 17: "1,000 req/s, p99 < 5 ms"), in the manner of wrk2:
// request i is due at start + i/rate, the requests spread evenly over each second (not sent in a
// burst at its start, as autocannon's rate limit does: see bench/http.ts), each sent on a free
// keep-alive connection (a new one is opened, up to a cap, when all are busy, so a slow answer
// does not hold back the schedule), and its latency counted from the time it was DUE, not from
// when it went out: when this client falls behind (its timer late, its core busy, every
// connection busy at the cap) the delay is the server's latency as a user would see it, never
// omitted (coordinated omission). Percentiles are exact, from every sample sorted.
import { Agent, request } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { pace } from './steady-pace.js';

export interface SteadyOptions {
  /** The full URL every request is POSTed to. */
  url: string;
  /** Request bodies (JSON), sent in rotation. */
  bodies: string[];
  /** Requests per second, spread evenly. */
  rate: number;
  durationS: number;
  /** Keep-alive connections opened before the clock starts. */
  connections: number;
  /** At most this many connections: when all are busy, requests wait for one (their latency runs on). */
  maxConnections: number;
  /**
   * Checks an answer's parsed body (every `checkEvery`-th 200 answer is parsed): false counts it
   * as wrong. Every answer's status is checked (200).
   */
  check: (body: unknown) => boolean;
  checkEvery?: number;
  /** A send later than this after its due time counts as late (it is in the latency either way). */
  lateMs?: number;
  /** How long to wait for the answers still out after the last send, before counting them as errors. */
  drainMs?: number;
}

export interface SteadyResult {
  /** Requests due (and sent) in the run. */
  sent: number;
  /** Answers with status 200 (their latencies are the percentiles). */
  ok: number;
  /** Transport errors and answers not received within drainMs after the last send. */
  errors: number;
  non2xx: number;
  /** Sampled 200 answers whose body failed the check (or was not JSON). */
  wrong: number;
  /** Answers parsed and checked. */
  checked: number;
  /** Sends later than lateMs after their due time, the latest and the mean lateness (ms): the
   *  schedule polls for the due time (bench/lib/steady-pace.ts), so lateness is this client's own
   *  stalls (GC, a busy core), and it is in the latency. */
  lateSends: number;
  maxLateMs: number;
  meanLateMs: number;
  /** Latency from the due time to the last byte of the answer, ms: exact percentiles. */
  p50: number; p90: number; p99: number; p999: number; max: number;
  /** The same from the actual send (what the server and loopback took, without the client's delays). */
  serviceP99: number;
  /** Answers per second over the scheduled duration. */
  reqPerSec: number;
  bytesPerAnswer: number;
  /** Connections opened in all (the initial ones included). */
  connectionsUsed: number;
}

/** The q-quantile of sorted samples (the smallest value with at least q of the samples at or below it). */
export function quantile(sorted: Float64Array, q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Runs the schedule; resolves when every answer is in (or drainMs has passed after the last send). */
export async function steadyLoad(o: SteadyOptions): Promise<SteadyResult> {
  const target = new URL(o.url);
  const agent = new Agent({ keepAlive: true, maxSockets: o.maxConnections, maxFreeSockets: o.maxConnections, scheduling: 'fifo' });
  const sockets = new WeakSet<Socket>();
  let connectionsUsed = 0;
  const checkEvery = o.checkEvery ?? 10, lateMs = o.lateMs ?? 1, drainMs = o.drainMs ?? 10_000;
  const total = Math.round(o.rate * o.durationS);
  const fromDue = new Float64Array(total), fromSend = new Float64Array(total);
  const r = { ok: 0, errors: 0, non2xx: 0, wrong: 0, checked: 0, lateSends: 0, maxLateMs: 0, sumLateMs: 0, bytes: 0 };
  let outstanding = 0, finished: (() => void) | undefined;

  /** One POST; `done` gets the status, the body's size and its text when asked for (decoding a
   *  100 KB traced answer costs this client more than the server's own work), or an error. */
  const post = (body: string, done: (status: number | undefined, text: () => string, bytes: number) => void) => {
    const req = request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (c: Buffer) => { chunks.push(c); bytes += c.length; });
      res.on('end', () => done(res.statusCode, () => Buffer.concat(chunks, bytes).toString('utf8'), bytes));
      res.on('error', () => done(undefined, () => '', 0));
    });
    req.on('socket', (s) => { if (!sockets.has(s)) { sockets.add(s); connectionsUsed++; } });
    req.on('error', () => done(undefined, () => '', 0));
    req.end(body);
  };

  // the initial connections, opened (and the server's first answers on them) before the clock starts
  await Promise.all(Array.from({ length: Math.min(o.connections, o.maxConnections) }, (_, i) =>
    new Promise<void>((ok) => post(o.bodies[i % o.bodies.length]!, () => ok()))));

  const send = (i: number, due: number) => {
    const sentAt = performance.now();
    const late = sentAt - due;
    if (late > lateMs) r.lateSends++;
    if (late > r.maxLateMs) r.maxLateMs = late;
    r.sumLateMs += late;
    outstanding++;
    let answered = false;
    post(o.bodies[i % o.bodies.length]!, (status, text, bytes) => {
      if (answered) return;
      answered = true;
      const end = performance.now();
      outstanding--;
      if (status === undefined) r.errors++;
      else if (status !== 200) r.non2xx++;
      else {
        fromDue[r.ok] = end - due;
        fromSend[r.ok] = end - sentAt;
        r.ok++;
        r.bytes += bytes;
        if (i % checkEvery === 0) {
          r.checked++;
          let good = false;
          try { good = o.check(JSON.parse(text())); } catch { /* not JSON: wrong */ }
          if (!good) r.wrong++;
        }
      }
      if (!outstanding && finished) finished();
    });
  };

  // the first request due 5 ms from now; each sent at its due time (bench/lib/steady-pace.ts)
  await pace(total, 1000 / o.rate, performance.now() + 5, send);
  await new Promise<void>((ok) => {
    if (!outstanding) { ok(); return; }
    finished = ok;
    setTimeout(ok, drainMs).unref();
  });
  r.errors += outstanding; // not answered in time
  agent.destroy();

  const byDue = fromDue.subarray(0, r.ok).sort(), bySend = fromSend.subarray(0, r.ok).sort();
  return {
    sent: total, ok: r.ok, errors: r.errors, non2xx: r.non2xx, wrong: r.wrong, checked: r.checked,
    lateSends: r.lateSends, maxLateMs: round2(r.maxLateMs), meanLateMs: round2(total ? r.sumLateMs / total : 0),
    p50: round2(quantile(byDue, 0.5)), p90: round2(quantile(byDue, 0.9)), p99: round2(quantile(byDue, 0.99)), p999: round2(quantile(byDue, 0.999)),
    max: round2(byDue.length ? byDue[byDue.length - 1]! : 0), serviceP99: round2(quantile(bySend, 0.99)),
    reqPerSec: r.ok / o.durationS, bytesPerAnswer: r.ok ? r.bytes / r.ok : 0, connectionsUsed,
  };
}
