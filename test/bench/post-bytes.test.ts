// The batch benchmarks' client (bench/lib/post-bytes.ts) against a local server: the body's bytes
// arrive exactly as given (Content-Length and content type said), the answer comes back whole
// (every chunk of a long one, a multi-byte character split between chunks included), sequential
// requests share one keep-alive connection, and a failed connection rejects.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { oneConnection, postBytes, textOf } from '../../bench/lib/post-bytes.js';

let server: Server | undefined;
afterEach(async () => { await new Promise((ok) => (server ? server.close(ok) : ok(undefined))); server = undefined; });

describe('postBytes', () => {
  it('sends the bytes as given, gathers the whole answer, and keeps one connection for sequential requests', async () => {
    const seen: { type: string | undefined; length: string | undefined; body: Buffer }[] = [];
    const sockets = new Set<Socket>();
    server = createServer((req, res) => {
      sockets.add(req.socket);
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        const body = Buffer.concat(parts);
        seen.push({ type: req.headers['content-type'], length: req.headers['content-length'], body });
        // the answer in three writes, the second ending in the middle of 中 (e4 b8 ad)
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"got":');
        res.write(Buffer.concat([Buffer.from(String(body.length)), Buffer.from(',"t":"'), Buffer.from([0xe4, 0xb8])]));
        setTimeout(() => res.end(Buffer.concat([Buffer.from([0xad]), Buffer.from('"}')])), 5);
      });
    });
    await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/batch?x=1`;
    const agent = oneConnection();
    // 300,000 bytes: more than one socket write and read; 中 is 3 bytes, so 100,000 of them
    const body = Buffer.from('中'.repeat(100_000), 'utf8');
    const a = await postBytes(agent, url, 'application/x-ndjson', body);
    const b = await postBytes(agent, url, 'application/json', Buffer.from('{}'));
    agent.destroy();
    expect(seen.map((s) => [s.type, s.length, s.body.length])).toEqual([['application/x-ndjson', '300000', 300000], ['application/json', '2', 2]]);
    expect(seen[0]!.body.equals(body)).toBe(true);
    expect(a.status).toBe(200);
    expect(a.chunks.length).toBeGreaterThan(1);
    expect(textOf(a)).toBe('{"got":300000,"t":"中"}');
    expect(a.bytes).toBe(Buffer.byteLength('{"got":300000,"t":"中"}'));
    expect(textOf(b)).toBe('{"got":2,"t":"中"}');
    expect(sockets.size).toBe(1);
  });

  it('rejects when nothing listens', async () => {
    server = createServer();
    await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok));
    const port = (server.address() as AddressInfo).port;
    await new Promise((ok) => server!.close(ok));
    server = undefined;
    const agent = oneConnection();
    await expect(postBytes(agent, `http://127.0.0.1:${port}/`, 'application/json', Buffer.from('{}'))).rejects.toThrow();
    agent.destroy();
  });
});
