// Express wiring: logging, the /api operations (auth → role → JSON body → schema → service),
// the OpenAPI document and docs page, the built studio with SPA fallback, and the error
// middleware. createApp() is what tests drive with supertest.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express } from 'express';
import { authenticate, parseApiKeys, requireRole, reviewRequired as needsReview, type ApiKey } from './auth.js';
import { apiNotFound, errorHandler, type Logger } from './errors.js';
import { createLogger, requestLog } from './log.js';
import { mount, type Operation } from './operation.js';
import { BODY_LIMIT_MB } from './body-bytes.js';
import { buildOpenApi, renderDocsHtml } from './openapi.js';
import { repoRoot } from '../base/repo-root.js';
import { policiesDir as defaultPoliciesDir, studioDistDir } from './paths.js';
import { auditOperations } from './routes/audit.js';
import type { RouteContext } from './routes/context.js';
import { draftOperations } from './routes/drafts.js';
import { evaluateOperations, ndjsonBatchRoute } from './routes/evaluate.js';
import { healthOperations } from './routes/health.js';
import { policyOperations } from './routes/policies.js';
import { publishOperations } from './routes/publish.js';
import { schemaOperations } from './routes/schema.js';
import { simulationOperations } from './routes/simulations.js';
import { versionOperations } from './routes/versions.js';
import { decisionOperations } from './routes/decisions.js';
import { userOperations } from './routes/users.js';
import { monitorOperations } from './routes/monitor.js';
import { registryOperations } from './routes/registry.js';
import { createMonitoring, type MonitorOptions } from './services/monitor/index.js';
import { DecisionService } from './services/decisions.js';
import { EvaluationService } from './services/evaluation.js';
import { studioStatic } from './static.js';
import { sharedMemorySql } from './sql/open.js';
import type { SqlStore } from './sql/types.js';
import { DecisionRepository } from './store/decisions.js';
import { UserRepository } from './store/users.js';
import { UserService } from './services/users.js';
import { Language, loadModules, type ModuleSources } from './services/language.js';
import { PolicyService } from './services/policies.js';
import { outputSchemas } from './services/programmes.js';
import { linkedSourcesOf } from './services/linked-sources.js';
import { entitlementOperations, ndjsonEntitlementsRoute } from './routes/entitlements.js';
import { programmeOperations } from './routes/programmes.js';
import { StoreError, type Store } from './store/types.js';
import type { LanguagePool } from './workers/pool.js';

export const BODY_LIMIT = `${BODY_LIMIT_MB}mb`;

export interface AppOptions {
  store: Store;
  /** Where decision records go; default: a process-wide in-memory PGlite (opened on first use). */
  sql?: SqlStore;
  /** The embedded store's decision journal folder (runtime/store/decision-journal.ts); absent: decisions go straight to `sql`. */
  decisionJournal?: string;
  /** API_KEYS text ("key:role,…") or parsed keys; empty = local open mode. */
  keys?: string | Map<string, ApiKey>;
  /** Schema modules; default: policies/common/*.policy. */
  modules?: ModuleSources;
  policiesDir?: string;
  /** Built studio folder; default studio/dist (served when it exists). */
  studioDir?: string | null;
  log?: Logger;
  /** Where checks and compilations requested over HTTP run; default the process-wide pool. */
  pool?: LanguagePool;
  now?: () => Date;
  today?: () => string;
  /** Monitoring runs: this instance's name, lease, poll interval, chunk size (docs/monitoring.md). */
  monitor?: MonitorOptions;
}

export interface StudioApp extends Express {
  locals: Express['locals'] & { ctx: RouteContext; operations: Operation[]; monitoring: ReturnType<typeof createMonitoring> };
}

function packageVersion(): string {
  try { return (JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0'; } catch { return '0.0.0'; }
}

export function createApp(opts: AppOptions): StudioApp {
  const keys = typeof opts.keys === 'string' || opts.keys === undefined ? parseApiKeys(opts.keys) : opts.keys;
  const log = opts.log ?? createLogger();
  const lang = new Language(opts.modules ?? loadModules(opts.policiesDir ?? defaultPoliciesDir()), opts.pool);
  const sql = opts.sql;
  const openSql = sql ? () => Promise.resolve(sql) : sharedMemorySql;
  const users = new UserService(new UserRepository(openSql), opts.now, sql !== undefined);
  // two-step publishing: a reviewer key, or an enabled reviewer account (read as last counted)
  const reviewerKey = needsReview(keys);
  const reviewRequired = () => reviewerKey || users.anyReviewers;
  const policies = new PolicyService(opts.store, lang, reviewRequired, opts.now);
  const evaluation = new EvaluationService(lang, policies, opts.today, log);
  // `引用` in a draft, a publish request or a published version resolves against the published policies
  lang.setLinkedSources(linkedSourcesOf(opts.store, () => evaluation.today()));
  const decisions = new DecisionService(evaluation, new DecisionRepository(openSql, log, opts.decisionJournal), log, opts.now);
  const monitoring = createMonitoring({ sql: openSql, lang, policies, evaluation, decisions, log }, opts.monitor);
  const ctx: RouteContext = {
    policies, evaluation, decisions, lang, keys, users, startedAt: new Date(), version: packageVersion(),
    get reviewRequired() { return reviewRequired(); },
  };
  // the server's own store: read the accounts now (a test app without one reads them on demand)
  if (sql) void users.refresh(true).catch((e: unknown) => log({ level: 'error', msg: 'cannot read accounts', error: String(e) }));
  const auth = authenticate(keys, users);

  const operations: Operation[] = [
    ...healthOperations(ctx), ...policyOperations(ctx), ...draftOperations(ctx), ...versionOperations(ctx),
    ...publishOperations(ctx), ...evaluateOperations(ctx), ...schemaOperations(ctx), ...auditOperations(ctx),
    ...simulationOperations(ctx), ...decisionOperations(ctx), ...userOperations(ctx), ...entitlementOperations(ctx), ...programmeOperations(ctx),
    ...registryOperations(monitoring.registry), ...monitorOperations(monitoring.monitor),
  ];

  const app = express() as unknown as StudioApp;
  app.disable('x-powered-by');
  app.set('etag', false);
  app.locals.ctx = ctx;
  app.locals.operations = operations;
  app.locals.monitoring = monitoring;
  app.use(requestLog(log, { 'X-Content-Type-Options': 'nosniff' }));

  const jsonParser = express.json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  // The evaluation endpoints (the hot path other systems call) are matched first: a request to
  // them does not walk the ~60 route layers of the other endpoints. (Their paths overlap no other
  // operation's, so the order changes no answer.) They are routes of the app's own router, not
  // of a router of their own mounted on it: a nested router costs every request another
  // dispatch (its closures and saved request fields, ≈ a tenth of what an evaluation allocates).
  // the batch as JSON Lines, streamed (any other content type goes on to the JSON operation)
  app.router.post(...ndjsonBatchRoute(ctx, [auth, requireRole('evaluate')]));
  mount(app.router, operations.filter((op) => op.tag === 'evaluation'), auth, jsonParser);
  const api = express.Router();
  // Several instances on one database (SQL store): the management API reads what any instance
  // committed, however recent (an approval right after the request was filed through another
  // instance). Evaluation (above) does not pay this query: NOTIFY brings a new version within ms.
  const sync = opts.store.sync?.bind(opts.store);
  if (sync) {
    api.use('/api', (req, _res, next) => {
      if (req.path === '/health') { next(); return; }
      sync().then(() => next(), (e: unknown) => {
        log({ level: 'error', msg: 'store sync failed', error: e instanceof Error ? e.message : String(e) });
        next(new StoreError('store.unavailable', 'the policy store could not be read'));
      });
    });
  }
  // rebuilt when the store changes: each published policy's outputs are typed in it
  let doc: Record<string, unknown> | undefined, docFor: unknown;
  const openapi = () => {
    if (!doc || docFor !== opts.store.data) { docFor = opts.store.data; doc = buildOpenApi(operations, lang.householdSchema(), ctx.version, outputSchemas(evaluation)); }
    return doc;
  };
  api.get('/api/openapi.json', (_req, res) => { res.json(openapi()); });
  api.get('/api/docs', (_req, res) => { res.type('html').send(renderDocsHtml(openapi())); });
  // the entitlements batch as JSON Lines, streamed (any other content type goes on to the JSON operation)
  api.post(...ndjsonEntitlementsRoute(ctx, [auth, requireRole('evaluate')]));
  mount(api, operations.filter((op) => op.tag !== 'evaluation'), auth, jsonParser);
  app.use(api);
  app.use('/api', apiNotFound);

  const studio = opts.studioDir === null ? undefined : opts.studioDir ?? studioDistDir();
  const studioRouter = studio ? studioStatic(studio) : undefined;
  if (studioRouter) {
    app.use(studioRouter);
  } else {
    app.get('/', (_req, res) => {
      res.type('html').send('<!doctype html><meta charset="utf-8"><title>Policy studio</title><p>工作室尚未构建（npm run build）/ The studio is not built (npm run build). API: <a href="/api/docs">/api/docs</a></p>');
    });
  }
  app.use((req, _res, next) => apiNotFound(req, _res, next));
  app.use(errorHandler(log));
  return app;
}
