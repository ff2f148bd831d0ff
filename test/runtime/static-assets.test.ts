// The built studio is served with caching that fits each file: hashed assets immutable for a
// year and precompressed (brotli preferred, then gzip, chosen by Accept-Encoding), index.html
// revalidated on every load. The studio folder here is a temp copy with known contents.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { acceptedEncodings } from '../../runtime/static.js';
import { makeApp, tempDir } from './helpers.js';

const JS = Buffer.from(`export const answer = ${'"社会救助", '.repeat(500)}42;\n`);
const CSS = Buffer.from(`body { color: #123456; }\n`.repeat(100));
const INDEX = '<!doctype html><meta charset="utf-8"><title>Studio</title><script type="module" src="/assets/index-abc123.js"></script>';

function studioDir(): string {
  const dir = tempDir('studio-');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), JS);
  writeFileSync(join(dir, 'assets', 'index-abc123.js.br'), brotliCompressSync(JS));
  writeFileSync(join(dir, 'assets', 'index-abc123.js.gz'), gzipSync(JS));
  writeFileSync(join(dir, 'assets', 'style-def456.css'), CSS);
  writeFileSync(join(dir, 'assets', 'style-def456.css.gz'), gzipSync(CSS)); // gzip only
  return dir;
}

/** Collects the (decoded by superagent) body as bytes whatever its type. */
const binary = (res: NodeJS.ReadableStream & { setEncoding?: unknown }, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('studio static assets', async () => {
  const dir = studioDir();
  const { app } = await makeApp({ studioDir: dir });
  const get = (path: string, acceptEncoding: string) =>
    request(app).get(path).set('Accept-Encoding', acceptEncoding).buffer(true).parse(binary);

  it('sends brotli when accepted, immutable for a year, with the JavaScript type', async () => {
    const res = await get('/assets/index-abc123.js', 'gzip, deflate, br');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['vary']).toBe('Accept-Encoding');
    expect(Number(res.headers['content-length'])).toBe(brotliCompressSync(JS).length);
    expect(Buffer.compare(res.body as Buffer, JS)).toBe(0);
  });

  it('sends gzip when brotli is not accepted or refused with q=0', async () => {
    for (const ae of ['gzip', 'br;q=0, gzip;q=0.5']) {
      const res = await get('/assets/index-abc123.js', ae);
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(Number(res.headers['content-length'])).toBe(gzipSync(JS).length);
      expect(Buffer.compare(res.body as Buffer, JS)).toBe(0);
    }
  });

  it('sends the file itself when no encoding is accepted, still immutable', async () => {
    const res = await get('/assets/index-abc123.js', 'identity');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['vary']).toBe('Accept-Encoding');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(Number(res.headers['content-length'])).toBe(JS.length);
    expect(Buffer.compare(res.body as Buffer, JS)).toBe(0);
  });

  it('falls back to gzip for CSS that has no .br, with the CSS type', async () => {
    const res = await get('/assets/style-def456.css', 'br, gzip');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(Buffer.compare(res.body as Buffer, CSS)).toBe(0);
  });

  it('index.html (and the SPA fallback) is no-cache', async () => {
    for (const path of ['/', '/index.html', '/policies/dibao/edit']) {
      const res = await request(app).get(path);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.text).toBe(INDEX);
    }
  });

  it('an unknown asset or a path escaping the folder is not a file served', async () => {
    const res = await request(app).get('/assets/missing-000.js');
    expect(res.headers['cache-control']).toBe('no-cache'); // the SPA index, not an asset
    const esc = await request(app).get('/assets/..%2Findex.html');
    expect(esc.headers['cache-control']).not.toBe('public, max-age=31536000, immutable');
    const api = await request(app).get('/api/nothing-here');
    expect(api.status).toBe(404);
  });
});

describe('acceptedEncodings', () => {
  it('reads tokens, drops q=0, and expands *', () => {
    expect([...acceptedEncodings('gzip, br;q=0')]).toEqual(['gzip']);
    expect([...acceptedEncodings('*')].sort()).toEqual(['br', 'gzip']);
    expect(acceptedEncodings(undefined).size).toBe(0);
  });
});
