// The shapes the studio receives from dsl/ (mirrors docs/dsl-api.md) and from the runtime.
// Kept here so screens and their component tests do not import the language itself.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface Position { line: number; column: number; offset: number }
export interface Range { start: Position; end: Position }
export interface Diagnostic {
  range: Range; severity: 'error' | 'warning' | 'info'; code: string;
  message: { zh: string; en: string }; file?: string;
}

export interface ParameterInfo {
  name: string; label: string | null; type: string; value: string; unit: string;
  min: string | null; max: string | null; sources: string[];
  assumed: string | null; range: Range; valueRange: Range;
}
export interface OutputInfo { name: string; label: string | null; type: string; perMember: boolean }
export interface PolicyInfo {
  id: string; title: string; program: string; jurisdiction: string;
  effective: string | null; effectiveAssumed?: string | null; note: string | null; sources: string[];
  parameters: ParameterInfo[];
  outputs: OutputInfo[];
}

/** What an answer rests on that no source gives: an assumed parameter or an assumed effective date. */
export type Assumption = { parameter: string; text: string } | { version: string; text: string };

export interface TraceEntry {
  output: string; label: string | null; value: Json;
  decided_by: { kind: 'rule' | 'exception' | 'otherwise' | 'expression'; name: string | null; sources: string[]; range: Range };
  definitions: { name: string; value: Json; member?: string }[];
  inputs: { path: string; value: Json }[];
}

export interface ScenarioResult {
  name: string; ok: boolean; error?: string;
  outputs: { name: string; expected: Json; actual: Json; ok: boolean }[];
  decided_by?: { output: string; expected: string; actual: string | null; ok: boolean }[];
  trace?: TraceEntry[];
}
export interface ScenarioReport { passed: number; failed: number; results: ScenarioResult[] }

export interface ScenarioSummary { name: string; as_of: string; household: unknown; expect: Record<string, Json>; range: Range }

export type EvalResult =
  | { ok: true; outputs: Record<string, Json>; assumptions?: Assumption[]; trace?: TraceEntry[] }
  | { ok: false; errors: { path: string; message: string }[] };
