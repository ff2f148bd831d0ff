// The language work a job does, written once: the worker runs it under the budget, and the
// Language service runs the same functions on the main thread for callers without a budget
// (the CLI, seeding).
import {
  analyze, compileSource, parseScenarios, runScenarios, type CompiledPolicy, type Diagnostic,
} from '../../dsl/index.js';
import { MAX_DIAGNOSTICS, type AnalysisSummary, type InfoDigest, type Job, type JobResult, type TestRun, type WireAnalysis } from './protocol.js';
import { joined } from '../services/domain-error.js';

export type CompileResult = ReturnType<typeof compileSource>;

/** Compiles the policy (already compiled: `c`) and runs its scenario suite. */
export function testRun(c: CompileResult, scenarios: string): TestRun {
  const parsed = parseScenarios(scenarios, 'scenarios.yaml');
  const base = { diagnostics: c.diagnostics, scenario_diagnostics: parsed.diagnostics, passed: 0, failed: 0, results: [] };
  if (!c.compiled) return { ok: false, compiled: false, ...base };
  if (!parsed.suite) return { ok: false, compiled: true, ...base };
  // (diagnostics are capped where they leave: summarize / capDiagnostics)
  const report = runScenarios(c.compiled as CompiledPolicy, parsed.suite);
  const errors = c.diagnostics.some((d) => d.severity === 'error') || parsed.diagnostics.some((d) => d.severity === 'error');
  return { ...base, ok: !errors && report.failed === 0, compiled: true, passed: report.passed, failed: report.failed,
    results: report.results.map(({ error, ...r }) => (error ? { ...r, error: joined(error) } : r)) };
}

/** The first MAX_DIAGNOSTICS diagnostics, and one more that counts the rest (per severity). */
export function capDiagnostics(list: Diagnostic[], file?: string): Diagnostic[] {
  if (list.length <= MAX_DIAGNOSTICS) return list;
  const rest = list.slice(MAX_DIAGNOSTICS);
  const errors = rest.filter((d) => d.severity === 'error').length;
  const at = rest[0]!.range;
  return [...list.slice(0, MAX_DIAGNOSTICS), {
    range: at, severity: errors ? 'error' : 'warning', code: 'policy.diagnostics_truncated', ...(file ? { file } : {}),
    message: {
      zh: `另有 ${rest.length} 条诊断未列出（其中错误 ${errors} 条）`,
      en: `${rest.length} more diagnostics not listed (${errors} of them errors)`,
    },
  }];
}

export const summarize = (a: { diagnostics: Diagnostic[]; hasErrors: boolean; info?: AnalysisSummary['info'] }, file?: string): AnalysisSummary =>
  ({ diagnostics: capDiagnostics(a.diagnostics, file), hasErrors: a.hasErrors, ...(a.info ? { info: a.info } : {}) });

/** JSON values only cross threads (exact numbers serialise through their toJSON). */
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** What a listing shows of the header info. */
export function digestOf(info: NonNullable<AnalysisSummary['info']>): InfoDigest {
  return {
    id: info.id, title: info.title, program: info.program, jurisdiction: info.jurisdiction, effective: info.effective, note: info.note,
    assumed_parameters: info.parameters.filter((x) => x.assumed !== null && x.assumed !== undefined).length,
  };
}

/** The analysis as it leaves the worker: the info serialised once, here, off the event loop. */
export function toWire(a: AnalysisSummary): WireAnalysis {
  const base = { diagnostics: plain(a.diagnostics), hasErrors: a.hasErrors };
  return a.info ? { ...base, info: new TextEncoder().encode(JSON.stringify(a.info)), digest: digestOf(a.info) } : base;
}

/** The buffers a result hands over (moved, not copied). */
export const transfers = (r: JobResult): ArrayBuffer[] => (r.ok && r.analysis.info ? [r.analysis.info.buffer as ArrayBuffer] : []);

/** The checker reports its own faults as an `internal` diagnostic; a stack overflow among them is a depth refusal. */
const overflowed = (list: Diagnostic[]) => list.some((d) => d.code === 'internal' && /call stack/i.test(d.message.en));

/** Runs one job. A stack overflow (a deeply nested or chained source) is a `depth` refusal. */
export function runJob(job: Job): JobResult {
  const linked = job.linked;
  const opts: { file?: string; modules: Record<string, string>; linked?: (id: string) => { version: number; source: string } | undefined; linkedIds?: string[] } =
    { file: job.file, modules: job.modules, ...(linked ? { linked: (id: string) => (Object.hasOwn(linked, id) ? linked[id] : undefined), linkedIds: Object.keys(linked) } : {}) };
  try {
    if (job.kind === 'analyze') {
      const a = analyze(job.source, opts);
      if (overflowed(a.diagnostics)) return { id: job.id, ok: false, limit: 'depth', message: 'Maximum call stack size exceeded' };
      return { id: job.id, ok: true, analysis: toWire(summarize(a, job.file)) };
    }
    const c = compileSource(job.source, opts);
    if (overflowed(c.diagnostics)) return { id: job.id, ok: false, limit: 'depth', message: 'Maximum call stack size exceeded' };
    const analysis = summarize({ diagnostics: c.diagnostics, hasErrors: c.diagnostics.some((d) => d.severity === 'error'), info: c.info }, job.file);
    if (job.kind === 'compile') return { id: job.id, ok: true, analysis: toWire(analysis), compiled: c.compiled !== undefined };
    const run = testRun(c, job.scenarios ?? '');
    return { id: job.id, ok: true, analysis: toWire(analysis), compiled: c.compiled !== undefined,
      test: plain({ ...run, diagnostics: analysis.diagnostics, scenario_diagnostics: capDiagnostics(run.scenario_diagnostics) }) };
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) return { id: job.id, ok: false, limit: 'depth', message: e.message };
    return { id: job.id, ok: false, limit: 'internal', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}
