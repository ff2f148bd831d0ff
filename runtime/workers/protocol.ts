// What the main thread and a language worker say to each other. Plain data only: compiled
// policies hold functions and cannot cross threads, so the worker proves a job finishes within
// the budget and returns its (JSON-safe) findings; the main thread compiles what it evaluates.
//
// A policy's header info can be megabytes (one entry per parameter: a 1 MB source gives 3.5 MB),
// and copying that across threads (structured clone) and serialising it again for the answer
// takes the event loop ~100 ms. So the worker sends it already serialised, as UTF-8 bytes in a
// transferred buffer (no copy), with a small digest of it beside; the main thread writes the
// bytes into answers as they are and parses them only when a caller reads the info itself.
import type { Diagnostic, PolicyInfo, ScenarioReport } from '../../dsl/index.js';

export type JobKind = 'analyze' | 'compile' | 'test';

export interface Job {
  id: number;
  kind: JobKind;
  source: string;
  file?: string;
  scenarios?: string;
  modules: Record<string, string>;
  /** Published policies this source may reference (`引用`), by id: what analyze's `linked` resolves. */
  linked?: Record<string, { version: number; source: string }>;
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
  /** `error` as the HTTP answers write a message: "中文 / English" (docs/api.md). */
  results: (Omit<ScenarioReport['results'][number], 'error'> & { error?: string })[];
}

/** What listings show of a policy's header info (small, whatever the source's size). */
export interface InfoDigest {
  id: string; title: string; program: string; jurisdiction: string;
  effective: string | null; note: string | null;
  /** Parameters whose value is marked assumed. */
  assumed_parameters: number;
}

/** An analysis as it crosses from a worker: the diagnostics (capped, small) as data, the info as JSON bytes. */
export interface WireAnalysis {
  diagnostics: Diagnostic[];
  hasErrors: boolean;
  /** UTF-8 JSON of the PolicyInfo (its buffer is transferred); absent when the source has no header. */
  info?: Uint8Array;
  digest?: InfoDigest;
}

export type JobResult =
  | { id: number; ok: true; analysis: WireAnalysis; compiled?: boolean; test?: TestRun }
  /** `depth`: the job overflowed the stack (deeply nested or chained source). */
  | { id: number; ok: false; limit: 'depth' | 'internal'; message: string };

/** At most this many diagnostics cross back per job; the rest are counted in one more. */
export const MAX_DIAGNOSTICS = 200;
