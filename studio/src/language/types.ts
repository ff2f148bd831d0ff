// The shapes the studio receives from dsl/ and from the runtime, in one place for the screens.

// The language's own types, taken from dsl/ (type-only: nothing of the language is bundled into
// the main thread by these imports; the web worker runs it).
import type { Json, Position, Range, Diagnostic, PolicyInfo, TraceEntry, Assumption, ScenarioResult, ScenarioReport, ParamInfo as ParameterInfo, OutputInfo, DerivationNode } from '../../../dsl/index.js';
export type { Json, Position, Range, Diagnostic, PolicyInfo, TraceEntry, Assumption, ScenarioResult, ScenarioReport, ParameterInfo, OutputInfo, DerivationNode };

export interface ScenarioSummary { name: string; as_of: string; household: unknown; expect: Record<string, Json>; range: Range }

export type EvalResult =
  | { ok: true; outputs: Record<string, Json>; assumptions?: Assumption[]; trace?: TraceEntry[] }
  | { ok: false; errors: { path: string; message: { zh: string; en: string } }[] };
