// Serving the built studio: Vite's hashed assets (/assets/<name>-<hash>.js|css) never change
// under the same name, so they are cached for a year as immutable and sent precompressed
// (scripts/build.mjs writes .br and .gz beside each one); index.html names the current hashes,
// so it is revalidated on every load (no-cache). Any other GET outside /api is the SPA's index.
import { existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import express, { type Request, type Response, type NextFunction, type Router } from 'express';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const NO_CACHE = 'no-cache';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

/** Extensions worth compressing (text); fonts/images are sent as they are. */
export const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.json', '.svg', '.map', '.html', '.wasm', '.ttf']);

const ENCODINGS = [
  { token: 'br', ext: '.br' },
  { token: 'gzip', ext: '.gz' },
] as const;

/** Which encodings the client accepts (q=0 refuses one); brotli is preferred when both are. */
export function acceptedEncodings(header: string | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) continue;
    if (name === '*') { accepted.add('br'); accepted.add('gzip'); } else accepted.add(name);
  }
  return accepted;
}

function isFile(path: string): boolean {
  try { return statSync(path).isFile(); } catch { return false; }
}

function assetHandler(dir: string) {
  const root = normalize(join(dir, 'assets')) + sep;
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    let rel: string;
    try { rel = decodeURIComponent(req.path); } catch { return next(); }
    const file = normalize(join(root, rel));
    if (!file.startsWith(root) || !isFile(file)) return next();
    const ext = extname(file);
    res.setHeader('Cache-Control', IMMUTABLE);
    res.setHeader('Content-Type', TYPES[ext] ?? 'application/octet-stream');
    let send = file;
    if (COMPRESSIBLE.has(ext)) {
      res.setHeader('Vary', 'Accept-Encoding');
      const accepted = acceptedEncodings(req.headers['accept-encoding']);
      const enc = ENCODINGS.find((e) => accepted.has(e.token) && isFile(file + e.ext));
      if (enc) { res.setHeader('Content-Encoding', enc.token); send = file + enc.ext; }
    }
    // headers are already set: sendFile must not replace Content-Type from the .br/.gz name
    res.sendFile(send, { cacheControl: false, lastModified: true, etag: false, headers: {} }, (err) => { if (err) next(err); });
  };
}

function sendIndex(dir: string) {
  return (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', NO_CACHE);
    res.sendFile(join(dir, 'index.html'), { cacheControl: false }, (err) => { if (err) next(err); });
  };
}

/** The studio's static files, or undefined when the folder holds no built studio. */
export function studioStatic(dir: string): Router | undefined {
  if (!existsSync(join(dir, 'index.html'))) return undefined;
  const router = express.Router();
  router.use('/assets', assetHandler(dir));
  router.get(['/', '/index.html'], sendIndex(dir));
  // other files Vite copies from public/ (favicon…): short revalidated caching
  router.use(express.static(dir, { index: false, fallthrough: true, cacheControl: false, setHeaders: (res) => res.setHeader('Cache-Control', NO_CACHE) }));
  // SPA fallback: any other GET outside /api is the studio's index.html.
  router.get(/^(?!\/api(?:\/|$)).*/, sendIndex(dir));
  return router;
}
