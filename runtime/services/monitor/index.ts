// Wiring of the registry and monitoring runs for one app (createApp calls it once).
import type { SqlStore } from '../../sql/types.js';
import { RegistryRepository } from '../../store/registry.js';
import { RunRepository } from '../../store/registry-runs.js';
import type { DecisionService } from '../decisions.js';
import type { EvaluationService } from '../evaluation.js';
import type { Language } from '../language.js';
import type { PolicyService } from '../policies.js';
import { EntitlementsEvaluator, type MonitorEvaluator } from './evaluator.js';
import { RegistryService } from './registry.js';
import { MonitorService } from './runs.js';
import { MonitorWorker, type WorkerOptions } from './worker.js';

export interface MonitorOptions extends WorkerOptions { chunkSize?: number; evaluator?: MonitorEvaluator }

export function createMonitoring(deps: { sql: () => Promise<SqlStore>; lang: Language; policies: PolicyService; evaluation: EvaluationService; decisions: DecisionService;
  log?: (e: Record<string, unknown>) => void }, opts: MonitorOptions = {}) {
  const registryRepo = new RegistryRepository(deps.sql);
  const runs = new RunRepository(deps.sql);
  // a run's decisions live in its results: the decisions API reads them there
  deps.decisions.addSource({ find: (id) => runs.decision(id), list: (f) => runs.decisions(f) });
  const evaluator = opts.evaluator ?? new EntitlementsEvaluator(deps.evaluation);
  const worker = new MonitorWorker(runs, registryRepo, evaluator, deps.decisions, { ...opts, threads: opts.evaluator ? 0 : opts.threads, thread: opts.thread, log: opts.log ?? deps.log });
  return {
    evaluator,
    registry: new RegistryService(registryRepo, (h) => deps.lang.validateHousehold(h)),
    monitor: new MonitorService(runs, registryRepo, worker, { chunkSize: opts.chunkSize, log: deps.log }),
  };
}
