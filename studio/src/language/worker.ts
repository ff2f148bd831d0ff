// The language worker: runs the policy checker and the scenario runner off the UI thread, and
// answers Monaco's language-service requests, all through dsl/index.ts.
import {
  analyze, assumptionsOf, compileSource, decisionTables, createLanguageService, householdJsonSchema, policyJsonSchema, parseScenarios, runScenarios,
  type CompiledPolicy,
} from '../../../dsl/index.js';
import type { Analysis, FromWorker, ToWorker } from './protocol';
import type { ScenarioSummary } from './types';

type Service = ReturnType<typeof createLanguageService>;

let modules: Record<string, string> = {};
let service: Service | null = null;
let compiled: CompiledPolicy | undefined;
const post = (m: FromWorker) => (self as unknown as Worker).postMessage(m);


/** The policy's household schema, with `x-reads`: the input paths its outputs read (the checked
 *  program's dependencies), so the form shows only those fields (household/schemaForm.ts). */
function policySchemaWithReads(text: string): Record<string, unknown> {
  const checked = analyze(text, { modules }).checked;
  const reads = checked ? [...new Set(checked.outputs.flatMap((o) => [...o.deps.inputs]))] : null;
  const schema = policyJsonSchema(text, modules);
  return reads ? { ...schema, 'x-reads': reads } : schema;
}

function analyse(version: number, source: string, scenariosText: string): Analysis {
  const t0 = performance.now();
  const r = compileSource(source, { file: 'policy.policy', modules });
  compiled = r.compiled;
  const diagnostics = r.diagnostics;
  const hasErrors = diagnostics.some((d) => d.severity === 'error');
  let scenarioDiagnostics: Analysis['scenarioDiagnostics'] = [];
  let scenarios: ScenarioSummary[] = [];
  let report: Analysis['report'] = null;
  if (scenariosText.trim()) {
    const parsed = parseScenarios(scenariosText, 'scenarios.yaml');
    scenarioDiagnostics = parsed.diagnostics;
    if (parsed.suite) {
      scenarios = parsed.suite.scenarios.map((s) => ({ name: s.name, as_of: s.as_of, household: s.household as ScenarioSummary['household'], expect: s.expect as ScenarioSummary['expect'], range: s.range }));
      if (compiled) {
        try {
          report = runScenarios(compiled, parsed.suite) as Analysis['report'];
        } catch (e) {
          scenarioDiagnostics = [...scenarioDiagnostics, {
            range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
            severity: 'error', code: 'studio.scenario-run', message: { zh: `运行测试用例出错：${String(e)}`, en: `Running scenarios failed: ${String(e)}` },
          }];
        }
      }
    }
  }
  return {
    version, source, scenariosText: scenariosText, diagnostics, hasErrors, info: (r.info ?? null) as Analysis['info'], compiled: !!compiled,
    scenarioDiagnostics, scenarios, report, assumptions: compiled ? assumptionsOf(compiled.program) : [], ms: Math.round(performance.now() - t0),
  };
}

function serviceFor(): Service {
  if (!service) service = createLanguageService(modules);
  return service;
}

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  try {
    if (msg.type === 'init') {
      modules = msg.modules;
      service = null;
      post({ type: 'ready' });
    } else if (msg.type === 'update') {
      let analysis: Analysis;
      try {
        analysis = analyse(msg.version, msg.source, msg.scenarios);
      } catch (e) {
        // never leave the editor waiting: report the fault as a diagnostic
        const at = { line: 1, column: 1, offset: 0 };
        compiled = undefined;
        analysis = {
          version: msg.version, source: msg.source, scenariosText: msg.scenarios, hasErrors: true, info: null, compiled: false,
          diagnostics: [{ range: { start: at, end: at }, severity: 'error', code: 'studio.internal', message: { zh: `内部错误：${String(e)}`, en: `Internal error: ${String(e)}` } }],
          scenarioDiagnostics: [], scenarios: [], report: null, assumptions: [], ms: 0,
        };
      }
      post({ type: 'analysis', analysis });
    } else if (msg.type === 'request') {
      let result: unknown = null;
      const text = msg.text ?? '';
      const pos = msg.pos ?? { line: 1, column: 1 };
      switch (msg.method) {
        case 'completions': result = serviceFor().completions(text, pos, msg.lang); break;
        case 'hover': result = serviceFor().hover(text, pos, msg.lang); break;
        case 'definition': result = serviceFor().definition(text, pos); break;
        case 'format': result = serviceFor().format(text); break;
        case 'semanticTokens': result = serviceFor().semanticTokens(text); break;
        // the household this policy reads: common fields plus the policy's own (e.g. incident_type)
        // the header of any source (the versions list marks versions whose effective date is assumed)
        // the decision tables of a text, with ranges, for the grid editor (studio/src/table)
        case 'tables': result = decisionTables(text); break;
        case 'info': result = analyze(text, { modules }).info ?? null; break;
        case 'schema': result = msg.text ? policySchemaWithReads(msg.text) : householdJsonSchema(modules); break;
        case 'evaluate':
          result = compiled
            ? compiled.evaluate(msg.household, msg.asOf ?? new Date().toISOString().slice(0, 10), { trace: true })
            : { ok: false, errors: [{ path: '', message: 'policy has errors / 政策有错误' }] };
          break;
      }
      post({ type: 'response', id: msg.id, result });
    }
  } catch (e) {
    if (msg.type === 'request') post({ type: 'response', id: msg.id, error: e instanceof Error ? e.message : String(e) });
    else console.error('language worker', e);
  }
};
