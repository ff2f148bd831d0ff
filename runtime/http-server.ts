// The runtime's HTTP server: node:http, its requests and responses born with the Express app's
// prototypes (issue #17).
//
// Express 5 gives every request and response the app's prototypes with Object.setPrototypeOf
// (node_modules/express/lib/application.js, app.handle). Done to an object node:http has just
// made, that keeps each request's objects alive through young-generation collections: with it,
// ≈ 20 % of what a request allocates (2.8 MB at every scavenge of a server at 1,000 req/s) was
// copied and then promoted, to be found dead by the next mark-compact. A bare Express app showed
// the same (2.7–4.5 MB a scavenge), a bare node:http server doing the setPrototypeOf alone
// 1.9 MB, without it under 1 KB. When the objects are born with those prototypes (node:http's
// IncomingMessage and ServerResponse options), Express's setPrototypeOf finds the prototype
// already there and changes nothing; the objects are otherwise the same (same constructors run).
import { createServer, IncomingMessage, ServerResponse, type RequestListener, type Server } from 'node:http';
import type { Socket } from 'node:net';

/** What an Express app has: its request and response prototypes, and the handler. */
export interface PrototypedApp extends RequestListener {
  request: object;
  response: object;
}

export function createHttpServer(app: PrototypedApp): Server {
  // constructor functions, not classes: node:http calls them with `new`, and their prototype
  // must be exactly the app's (an ES class's prototype property cannot be replaced)
  function AppRequest(this: IncomingMessage, socket: Socket) { IncomingMessage.call(this, socket); }
  AppRequest.prototype = app.request;
  function AppResponse(this: ServerResponse, req: IncomingMessage, options?: unknown) { (ServerResponse as unknown as (this: ServerResponse, ...a: unknown[]) => void).call(this, req, options); }
  AppResponse.prototype = app.response;
  return createServer({ IncomingMessage: AppRequest as unknown as typeof IncomingMessage, ServerResponse: AppResponse as unknown as typeof ServerResponse }, app);
}
