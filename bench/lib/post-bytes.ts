// The batch benchmarks' HTTP client (bench/http.ts): one POST of a body encoded once beforehand,
// on a keep-alive connection, its answer gathered as the bytes that came (no decoding while the
// clock runs). The client is not what is measured, so it is the cheapest fair one: fetch (undici)
// with a string body encodes the body again for every request and hands the answer over through
// web streams and a TextDecoder, ≈ 15 ms of client CPU per 10,000-household JSON batch (4.5 MB in,
// 1.8 MB out) against ≈ 5 ms here — and that CPU ran before the server saw the first byte and
// after it had sent the last, so the server waited for it. The caller still decodes and checks
// every answer (outside its timed span).
import { Agent, request } from 'node:http';

export interface Posted {
  status: number;
  /** The answer's bytes as they arrived. */
  chunks: Buffer[];
  bytes: number;
}

/** A keep-alive agent of one connection: sequential requests reuse it (no connect per request). */
export const oneConnection = (): Agent => new Agent({ keepAlive: true, maxSockets: 1, maxFreeSockets: 1 });

/** POSTs `body` to `url` with `contentType`; resolves with the whole answer (rejects on a transport error). */
export function postBytes(agent: Agent, url: string, contentType: string, body: Buffer): Promise<Posted> {
  const target = new URL(url);
  return new Promise((ok, fail) => {
    const req = request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: 'POST', agent,
      headers: { 'content-type': contentType, 'content-length': body.length } }, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (c: Buffer) => { chunks.push(c); bytes += c.length; });
      res.on('end', () => ok({ status: res.statusCode ?? 0, chunks, bytes }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(body);
  });
}

/** The answer's text (UTF-8), for the check after the timed span. */
export const textOf = (p: Posted): string => Buffer.concat(p.chunks, p.bytes).toString('utf8');
