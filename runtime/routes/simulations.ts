// Impact-analysis jobs over HTTP (issue 7; docs/simulation.md):
//   POST   /api/policies/{policyId}/simulations  { candidate, baseline, population, as_of } → 202 { job }
//   GET    /api/simulations/{jobId}              → { status, progress, result, … }
//   DELETE /api/simulations/{jobId}              → cancels a queued/running job; forgets a finished one
//   GET    /api/simulations                      → the jobs in memory (without results)
// An Express router (the operation table has no DELETE): it authenticates like every other
// /api route, allows the roles that may read policies, and throws DomainError/ApiError for the
// app's error middleware. Mount it in createApp before the /api 404 handler:
//   app.use(simulationsRouter(ctx));
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import { authenticate, principal, requireRole, type ApiKey } from '../auth.js';
import type { EvaluationService } from '../services/evaluation.js';
import type { Language } from '../services/language.js';
import type { PolicyService } from '../services/policies.js';
import { SimulationService, type SimulationServiceOptions } from '../services/simulations.js';
import { methodNotAllowed } from '../errors.js';

export interface SimulationsDeps {
  policies: PolicyService;
  evaluation: EvaluationService;
  lang: Language;
  keys: Map<string, ApiKey>;
  /** The job service; default: one created for this router (see simulationService()). */
  simulations?: SimulationService;
  options?: SimulationServiceOptions;
}

const services = new WeakMap<object, SimulationService>();

/** The job service of a set of deps (one per app context, created on first use). */
export function simulationService(deps: SimulationsDeps): SimulationService {
  if (deps.simulations) return deps.simulations;
  let s = services.get(deps);
  if (!s) { s = new SimulationService(deps.lang, deps.policies, deps.evaluation, deps.options); services.set(deps, s); }
  return s;
}

const wrap = (fn: (req: Request, res: Response) => void | Promise<void>): RequestHandler =>
  (req: Request, res: Response, next: NextFunction) => { Promise.resolve().then(() => fn(req, res)).catch(next); };

export function simulationsRouter(deps: SimulationsDeps): Router {
  const jobs = simulationService(deps);
  const router = express.Router();
  const guard = [authenticate(deps.keys), requireRole('policy.read')];
  const json = express.json({ limit: '50mb', type: ['application/json', 'application/*+json'] });

  router.post('/api/policies/:policyId/simulations', ...guard, json, wrap((req, res) => {
    const job = jobs.create(String(req.params.policyId), req.body ?? {}, principal(req));
    res.status(202).setHeader('Location', `/api/simulations/${job.id}`);
    res.json(job);
  }));
  router.all('/api/policies/:policyId/simulations', methodNotAllowed(['POST']));

  router.get('/api/simulations', ...guard, wrap((_req, res) => { res.setHeader('Cache-Control', 'no-store'); res.json({ jobs: jobs.list() }); }));
  router.all('/api/simulations', methodNotAllowed(['GET', 'HEAD']));

  router.get('/api/simulations/:jobId', ...guard, wrap((req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(jobs.get(String(req.params.jobId)));
  }));
  router.delete('/api/simulations/:jobId', ...guard, wrap((req, res) => { res.json(jobs.cancel(String(req.params.jobId))); }));
  router.all('/api/simulations/:jobId', methodNotAllowed(['GET', 'HEAD', 'DELETE']));
  return router;
}
