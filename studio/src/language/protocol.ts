// Messages between the studio and its language worker (worker.ts). The worker owns the dsl:
// it checks the policy, runs the scenarios and answers editor-service requests.
import type { Assumption, Diagnostic, EvalResult, Json, PolicyInfo, ScenarioReport, ScenarioSummary } from './types';

export interface Analysis {
  version: number;                   // the update this answers (older answers are dropped)
  source: string;                    // the policy text analysed (offsets in info refer to it)
  scenariosText: string;
  diagnostics: Diagnostic[];
  hasErrors: boolean;
  info: PolicyInfo | null;
  compiled: boolean;
  scenarioDiagnostics: Diagnostic[];
  scenarios: ScenarioSummary[];
  report: ScenarioReport | null;
  /** what every answer of this policy rests on that no source gives (assumed parameters, date) */
  assumptions?: Assumption[];
  ms: number;
}

export type ServiceMethod = 'completions' | 'hover' | 'definition' | 'format' | 'semanticTokens' | 'evaluate' | 'schema' | 'info' | 'tables';

export type ToWorker =
  | { type: 'init'; modules: Record<string, string> }
  | { type: 'update'; version: number; source: string; scenarios: string }
  | { type: 'request'; id: number; method: ServiceMethod; text?: string; pos?: { line: number; column: number };
      household?: Json; asOf?: string; /** the editor's language, for hovers and completions */ lang?: 'zh' | 'en' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'analysis'; analysis: Analysis }
  | { type: 'response'; id: number; result?: unknown; error?: string };

export type { EvalResult };
