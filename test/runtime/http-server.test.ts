// The runtime's HTTP server (runtime/http-server.ts): requests and responses are made with the
// Express app's prototypes, so app.handle's Object.setPrototypeOf changes nothing, and Express
// works on them as on its own.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../runtime/http-server.js';

describe('createHttpServer', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => { await close?.(); close = undefined; });

  const listen = async (app: Parameters<typeof createHttpServer>[0]) => {
    const server = createHttpServer(app);
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    close = () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  it('hands Express requests and responses that already have the app\'s prototypes', async () => {
    const app = express();
    app.post('/echo/:id', express.json(), (req, res) => { res.status(201).set('X-Id', req.params['id']).json({ got: req.body, type: req.get('content-type'), isJson: req.is('json') }); });
    const born: boolean[] = [];
    const listener = Object.assign((req: IncomingMessage, res: ServerResponse) => {
      born.push(Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response);
      app(req, res);
    }, { request: app.request, response: app.response });
    const url = await listen(listener);
    const r = await fetch(`${url}/echo/a1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":[1,2]}' });
    expect(r.status).toBe(201);
    expect(r.headers.get('x-id')).toBe('a1');
    expect(await r.json()).toEqual({ got: { n: [1, 2] }, type: 'application/json', isJson: 'json' });
    expect(born).toEqual([true]);
  });

  it('answers like app.listen\'s server: 404 by Express for an unknown path, errors by its handler', async () => {
    const app = express();
    app.get('/boom', () => { throw new Error('boom'); });
    app.use(((err, _req, res, _next) => { res.status(500).json({ error: (err as Error).message }); }) as express.ErrorRequestHandler);
    const url = await listen(app);
    expect((await fetch(`${url}/nowhere`)).status).toBe(404);
    const r = await fetch(`${url}/boom`);
    expect(r.status).toBe(500);
    expect(await r.json()).toEqual({ error: 'boom' });
  });
});
