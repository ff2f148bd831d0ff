// The runtime's one door into the policy language (dsl/index.ts): analysis, compilation with a
// cache (a published version is compiled once), scenario runs, and the household schema.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, basename } from 'node:path';
import { createHash } from 'node:crypto';
import {
  analyze, compileSource, householdJsonSchema, parseScenarios, runScenarios, validateHousehold,
  type CompiledPolicy, type Diagnostic,
} from '../../dsl/index.js';

export type ModuleSources = Record<string, string>;
export type { CompiledPolicy, Diagnostic };
export type AnalyzeResult = ReturnType<typeof analyze>;
export type PolicyInfo = NonNullable<AnalyzeResult['info']>;
export type ScenarioReport = ReturnType<typeof runScenarios>;

/** Every policies/common/*.policy as 'common/<basename>'. */
export function loadModules(policiesDir: string): ModuleSources {
  const modules: ModuleSources = {};
  const dir = join(policiesDir, 'common');
  if (!existsSync(dir)) return modules;
  for (const f of readdirSync(dir).sort()) {
    if (f.endsWith('.policy')) modules[`common/${basename(f, '.policy')}`] = readFileSync(join(dir, f), 'utf8');
  }
  return modules;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** A bounded map: drops the oldest entry past `max`. */
class Lru<V> {
  private map = new Map<string, V>();
  constructor(private max: number) {}
  get(k: string): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) { this.map.delete(k); this.map.set(k, v); }
    return v;
  }
  set(k: string, v: V): void {
    this.map.set(k, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
}

export interface TestRun {
  ok: boolean;
  compiled: boolean;
  diagnostics: Diagnostic[];             // policy diagnostics
  scenario_diagnostics: Diagnostic[];    // YAML / suite diagnostics
  passed: number;
  failed: number;
  results: ScenarioReport['results'];
}

export class Language {
  readonly modulesHash: string;
  private analyses = new Lru<AnalyzeResult>(500);
  private compiled = new Lru<ReturnType<typeof compileSource>>(200);
  private schemaCache: object | undefined;

  constructor(readonly modules: ModuleSources) {
    this.modulesHash = sha(JSON.stringify(Object.entries(modules).sort()));
  }

  analyze(source: string, file?: string): AnalyzeResult {
    const key = `${file ?? ''}|${sha(source)}`;
    let r = this.analyses.get(key);
    if (!r) {
      r = analyze(source, { file, modules: this.modules });
      this.analyses.set(key, r);
    }
    return r;
  }

  /** Compiles once per distinct source (a published version is immutable, so its hash is its key). */
  compile(source: string, file?: string): ReturnType<typeof compileSource> {
    const key = `${file ?? ''}|${sha(source)}`;
    let r = this.compiled.get(key);
    if (!r) {
      r = compileSource(source, { file, modules: this.modules });
      this.compiled.set(key, r);
    }
    return r;
  }

  /** Compiles the policy and runs its scenario suite. */
  test(source: string, scenarios: string, file = 'policy.policy'): TestRun {
    const c = this.compile(source, file);
    const parsed = parseScenarios(scenarios, 'scenarios.yaml');
    const errors = c.diagnostics.filter((d) => d.severity === 'error');
    if (!c.compiled) {
      return { ok: false, compiled: false, diagnostics: c.diagnostics, scenario_diagnostics: parsed.diagnostics, passed: 0, failed: 0, results: [] };
    }
    if (!parsed.suite) {
      return { ok: false, compiled: true, diagnostics: c.diagnostics, scenario_diagnostics: parsed.diagnostics, passed: 0, failed: 0, results: [] };
    }
    const report = runScenarios(c.compiled, parsed.suite);
    const suiteErrors = parsed.diagnostics.filter((d) => d.severity === 'error');
    return {
      ok: errors.length === 0 && suiteErrors.length === 0 && report.failed === 0,
      compiled: true,
      diagnostics: c.diagnostics,
      scenario_diagnostics: parsed.diagnostics,
      passed: report.passed,
      failed: report.failed,
      results: report.results,
    };
  }

  householdSchema(): object {
    return (this.schemaCache ??= householdJsonSchema(this.modules));
  }

  validateHousehold(json: unknown): { ok: boolean; errors: { path: string; message: string }[] } {
    return validateHousehold(this.modules, json);
  }
}
