// What the main thread and a language worker say to each other. Plain data only: compiled
// policies hold functions and cannot cross threads, so the worker proves a job finishes within
// the budget and returns its (JSON-safe) findings; the main thread compiles what it evaluates.
import type { Diagnostic, PolicyInfo, ScenarioReport } from '../../dsl/index.js';

export type JobKind = 'analyze' | 'compile' | 'test';

export interface Job {
  id: number;
  kind: JobKind;
  source: string;
  file?: string;
  scenarios?: string;
  modules: Record<string, string>;
}

/** An analysis without the syntax tree: what the HTTP answers and the services read. */
export interface AnalysisSummary {
  diagnostics: Diagnostic[];
  hasErrors: boolean;
  info?: PolicyInfo;
}

/** A scenario run: the policy's and the suite's diagnostics and expected vs actual per scenario. */
export interface TestRun {
  ok: boolean;
  compiled: boolean;
  diagnostics: Diagnostic[];             // policy diagnostics
  scenario_diagnostics: Diagnostic[];    // YAML / suite diagnostics
  passed: number;
  failed: number;
  results: ScenarioReport['results'];
}

export type JobResult =
  | { id: number; ok: true; analysis: AnalysisSummary; compiled?: boolean; test?: TestRun }
  /** `depth`: the job overflowed the stack (deeply nested or chained source). */
  | { id: number; ok: false; limit: 'depth' | 'internal'; message: string };

/** At most this many diagnostics cross back per job; the rest are counted in one more. */
export const MAX_DIAGNOSTICS = 200;
