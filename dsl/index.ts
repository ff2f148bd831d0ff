// The public entry point of the policy language. Runtime, studio, CLI and benchmarks use the
// language only through these functions. Pure: no I/O, runs in Node and in a web worker.
import { parse } from './syntax/parse.js';
import { check } from './check/index.js';
import { compile, setDefaultCompileMode, defaultCompileMode, type CompiledPolicy, type EvalResult, type CompileMode, type CompileOptions } from './backends/index.js';
import type { PolicyFile } from './syntax/ast.js';
import type { Diagnostic } from './base/diagnostics.js';
import type { PolicyInfo, Program, SchemaInfo } from './check/types.js';
export { analyze, compileSource, householdSchema, householdJsonSchema, policyJsonSchema, validateHousehold, type ModuleSources, type AnalyzeOptions, type Analysis } from './analyze.js';
export { parse, check, compile, setDefaultCompileMode, defaultCompileMode };
export type { CompileMode, CompileOptions };
export type { CompiledPolicy, EvalResult, Diagnostic, PolicyInfo, Program, SchemaInfo, PolicyFile };
export type { ParamInfo, OutputInfo } from './check/types.js';
export type { Range, Position, Severity } from './base/diagnostics.js';
export type { TraceEntry, DecidedBy } from './eval/trace.js';
export { traceJsonInto, freshTraceJsonInto } from './eval/trace-json.js';
export type { Derivation, DerivationNode, DerivationRule, Bilingual } from './eval/derivation.js';
export { assumptionsOf, type Assumption } from './eval/assumptions.js';
export type { Json } from './eval/values.js';
export { diagnosticCodes, messageOf } from './base/diagnostics.js';
export { format } from './syntax/formatter.js';
export { parseScenarios, runScenarios, type ScenarioSuite, type Scenario, type ScenarioReport, type ScenarioResult, type PolicyResolver } from './scenarios/index.js';
export { linkedResults } from './scenarios/linked.js';
export { createLanguageService, type LanguageService } from './services/index.js';
export { keywordInfos } from './syntax/lexer.js';
export * as money from './base/money.js';
export { parseDate, formatDate, isDate, todayInChina, MIN_YEAR, addYears, FAR_FUTURE_YEARS } from './base/dates.js';
// Helpers the doors (HTTP, CLI, simulation) share with the decoder, so a message or a path is
// written once: did-you-mean for names, household paths, bilingual "unknown field" texts.
export { nearest } from './base/nearest.js';
export { nameIndex, nearestName, keyPath, unknownFieldMessage, moreErrorsMessage, householdPath, type NameIndex } from './eval/suggest.js';
export { diagnostic, zeroRange } from './base/diagnostics.js';
export { checkScenario } from './scenarios/check.js';
export type { Num } from './base/money.js';
export { linkOrder } from './link/order.js';
export { evaluateTogether, type Together } from './link/together.js';
export type { LinkedResult, LinkedValue, EvaluateOptions } from './link/evaluate.js';
export type { LinkedLookup } from './check/linked.js';
export { fieldNamesByRecord, moneyTextFen, type DecodeOptions } from './eval/validate.js';
export { yuanText } from './eval/yuan-text.js';
export { Utf8Sink } from './eval/utf8-sink.js';
export { decisionTables, tableAt, type GridTable, type GridRow, type GridCell, type GridBound } from './services/table-grid.js';
