// Impact-analysis jobs over HTTP (issue 7; docs/simulation.md):
//   POST   /api/policies/{policyId}/simulations  { candidate, baseline, population, as_of } → 202 { job }
//   GET    /api/simulations/{jobId}              → { status, progress, result, … }
//   DELETE /api/simulations/{jobId}              → cancels a queued/running job; forgets a finished one
//   GET    /api/simulations                      → the jobs in memory (without results)
// Declared as operations like every other endpoint: createApp mounts them with the others (and
// openapi.ts documents them); simulationsRouter() mounts them alone on a router (tests).
import express, { type Router } from 'express';
import { authenticate, type ApiKey } from '../auth.js';
import { ApiError } from '../errors.js';
import { mount, type Operation } from '../operation.js';
import { ref, requestSchemas } from '../schemas.js';
import type { EvaluationService } from '../services/evaluation.js';
import type { Language } from '../services/language.js';
import type { PolicyService } from '../services/policies.js';
import { checkInput, QueueFullError, SimulationService, type SimulationServiceOptions } from '../services/simulations.js';
import { errorResponses } from './context.js';

export interface SimulationsDeps {
  policies: PolicyService;
  evaluation: EvaluationService;
  lang: Language;
  keys: Map<string, ApiKey>;
  /** The job service; default: one created for these deps (see simulationService()). */
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

const NO_STORE = { 'Cache-Control': 'no-store' };

/** A full queue is 429 with Retry-After (a DomainError carries no headers). */
function queueFull(e: unknown): never {
  if (e instanceof QueueFullError) {
    throw new ApiError(429, e.code, { zh: e.zh, en: e.en }, e.details, e.extra, { 'Retry-After': String(e.retryAfter) });
  }
  throw e;
}

export function simulationOperations(deps: SimulationsDeps): Operation[] {
  const jobs = simulationService(deps);
  return [
    {
      method: 'post', path: '/api/policies/{policyId}/simulations', action: 'simulation.run', tag: 'simulation',
      summary: '影响分析 / Start an impact-analysis job: a population under a baseline and a candidate version',
      description: 'Answers 202 at once with the queued job and its Location; poll GET /api/simulations/{jobId}. '
        + 'Jobs run one at a time and live in memory only (lost on restart). 400 with each bad field\'s path; '
        + '404 for an unknown policy or version; 410 for a retired policy; 413 for too many inline households; 422 when a version does not compile or has no monthly_amount '
        + '(a draft is compiled first in a worker with a budget: past it 422 policy.too_complex); 429 with Retry-After when the caller already has '
        + 'MAX_ACTIVE_PER_CALLER queued or running jobs, or all callers together MAX_ACTIVE_TOTAL (docs/security.md). The job belongs to the calling key.',
      body: requestSchemas.SimulationRequest, bodyRequired: true,
      // The service's own check names each bad field (and answers 413 for too many households).
      precheck: (body) => { checkInput(body); },
      responses: {
        202: { description: 'the queued job (Location: /api/simulations/{jobId})', schema: ref('SimulationJob') },
        ...errorResponses(400, 401, 403, 404, 410, 413, 415, 422, 429),
      },
      handler: async ({ params, body, caller }) => {
        const job = await jobs.create(params.policyId!, body, caller).catch(queueFull);
        return { status: 202, body: job, headers: { Location: `/api/simulations/${job.id}` } };
      },
    },
    {
      method: 'get', path: '/api/simulations', action: 'simulation.read', tag: 'simulation',
      summary: '模拟任务列表 / The caller\'s simulation jobs in memory (an admin: everyone\'s), newest first (without results)',
      responses: {
        200: { description: 'jobs', schema: { type: 'object', required: ['jobs'], properties: { jobs: { type: 'array', items: ref('SimulationJob') } } } },
        ...errorResponses(401, 403),
      },
      handler: ({ caller }) => ({ body: { jobs: jobs.list(caller) }, headers: NO_STORE }),
    },
    {
      method: 'get', path: '/api/simulations/{jobId}', action: 'simulation.read', tag: 'simulation',
      summary: '模拟任务 / A job: status, progress, and the result once done (another key\'s job: 404, unless admin)',
      responses: { 200: { description: 'the job', schema: ref('SimulationJob') }, ...errorResponses(401, 403, 404) },
      handler: ({ params, caller }) => ({ body: jobs.get(params.jobId!, caller), headers: NO_STORE }),
    },
    {
      method: 'delete', path: '/api/simulations/{jobId}', action: 'simulation.read', tag: 'simulation',
      summary: '取消模拟 / Cancel a queued or running job; forget a finished one (another key\'s job: 404, unless admin)',
      responses: { 200: { description: 'the job (cancelled), or the forgotten job with deleted: true', schema: ref('SimulationJob') }, ...errorResponses(401, 403, 404) },
      handler: ({ params, caller }) => ({ body: jobs.cancel(params.jobId!, caller) }),
    },
  ];
}

/** The jobs alone on a router (authentication, roles and validation as in createApp). */
export function simulationsRouter(deps: SimulationsDeps): Router {
  const router = express.Router();
  const json = express.json({ limit: '50mb', type: ['application/json', 'application/*+json'] });
  mount(router, simulationOperations(deps), authenticate(deps.keys), json);
  return router;
}
