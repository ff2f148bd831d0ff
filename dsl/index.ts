// The public entry point of the policy language. Runtime, studio, CLI and benchmarks use the
// language only through these functions. Pure: no I/O, runs in Node and in a web worker.
import { parse } from './parse.js';
import { check } from './checker/index.js';
import { compile, setDefaultCompileMode, defaultCompileMode, type CompiledPolicy, type EvalResult, type CompileMode, type CompileOptions } from './compiler/index.js';
import type { PolicyFile } from './ast.js';
import type { Diagnostic } from './diagnostics.js';
import type { PolicyInfo, Program, SchemaInfo } from './types.js';
export { analyze, compileSource, householdSchema, householdJsonSchema, policyJsonSchema, validateHousehold, type ModuleSources, type AnalyzeOptions, type Analysis } from './analyze.js';
export { parse, check, compile, setDefaultCompileMode, defaultCompileMode };
export type { CompileMode, CompileOptions };
export type { CompiledPolicy, EvalResult, Diagnostic, PolicyInfo, Program, SchemaInfo, PolicyFile };
export type { Range, Position, Severity } from './diagnostics.js';
export type { TraceEntry, DecidedBy } from './trace.js';
export { assumptionsOf, type Assumption } from './assumptions.js';
export type { Json } from './values.js';
export { diagnosticCodes, messageOf } from './diagnostics.js';
export { format } from './formatter.js';
export { parseScenarios, runScenarios, type ScenarioSuite, type Scenario, type ScenarioReport, type ScenarioResult } from './scenarios/index.js';
export { createLanguageService, type LanguageService } from './services/index.js';
export { keywordInfos } from './lexer.js';
export * as money from './money.js';
export { parseDate, formatDate } from './dates.js';
export { fieldNamesByRecord, type DecodeOptions } from './schema/validate.js';
