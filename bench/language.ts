// Language benchmarks. Issue 2: parse + check of a generated 2,000-line policy (target < 20 ms).
// Issue 8: editor latency: parse + check + compile + run 100 scenarios of the dibao policy after
// a one-character edit (target: median < 50 ms).
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { stringify } from 'yaml';
import { analyze, check, compileSource, parse, parseScenarios, runScenarios } from '../dsl/index.js';
import { generatePolicy } from './lib/generate-policy.js';
import { loadPolicy, type PolicyUnderTest } from './lib/policy.js';
import { generateHouseholds, AS_OF } from './lib/households.js';
import { reference } from './lib/reference.js';
import { repoRoot } from '../base/repo-root.js';
import { median, now, percentile, setupLine } from './lib/system.js';

export interface LatencyResult { name: string; medianMs: number; p90Ms: number; medianCpuMs: number; runs: number; targetMs: number; ok: boolean; okCpu: boolean; detail: string }

const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;

export function parseCheckBench(runs = 30, warmup = 10): LatencyResult {
  const pol = loadPolicy();
  const src = generatePolicy(2000);
  const lines = src.split('\n').length - 1;
  const first = analyze(src, { file: 'bench-large.policy', modules: pol.modules });
  const errors = first.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`generated policy has ${errors.length} errors: ${errors.slice(0, 3).map((d) => `${d.range.start.line}: ${d.message.en}`).join('; ')}`);
  for (let i = 0; i < warmup; i++) analyze(src, { file: 'bench-large.policy', modules: pol.modules });
  const ms: number[] = [], cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = now(), c = process.cpuUsage();
    const a = analyze(src, { file: 'bench-large.policy', modules: pol.modules });
    ms.push(now() - t); cpu.push(cpuMs(process.cpuUsage(c)));
    if (a.hasErrors) throw new Error('generated policy stopped checking');
  }
  // where the time goes: lexing + parsing alone, then checking an already parsed file (CPU ms)
  const moduleAsts = new Map(Object.entries(pol.modules).map(([name, text]) => [name, parse(text).ast]));
  const parseCpu: number[] = [], checkCpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    let c = process.cpuUsage();
    const ast = parse(src).ast;
    parseCpu.push(cpuMs(process.cpuUsage(c)));
    c = process.cpuUsage();
    check(ast, moduleAsts);
    checkCpu.push(cpuMs(process.cpuUsage(c)));
  }
  const info = first.info!;
  const m = median(ms);
  return {
    name: 'parse + check, generated 2,000-line policy', medianMs: m, p90Ms: percentile(ms, 90), medianCpuMs: median(cpu), runs, targetMs: 20, ok: m < 20, okCpu: median(cpu) < 20,
    detail: `${lines} lines, ${info.parameters.length} parameters, ${info.outputs.length} outputs, ${first.diagnostics.length} diagnostics (0 errors); warm-up ${warmup}; CPU medians of the parts: lex + parse ${median(parseCpu).toFixed(1)} ms, check ${median(checkCpu).toFixed(1)} ms`,
  };
}

/** 100 scenarios: the policy's own suite, then generated households with their exact expected outputs. */
export function hundredScenarios(pol: PolicyUnderTest, count = 100): string {
  const file = join(repoRoot(), dirname(pol.file), 'scenarios.yaml');
  const own = existsSync(file) ? parseScenarios(readFileSync(file, 'utf8'), file).suite?.scenarios ?? [] : [];
  const fresh = generateHouseholds(Math.max(0, count - own.length), 777);
  const generated = fresh.map((h) => {
    const r = reference(h, AS_OF);
    const fen = r.fen.toString().padStart(3, '0');
    return { name: `generated ${h.id}`, as_of: AS_OF, household: h, expect: { eligible: r.eligible, monthly_amount: `${fen.slice(0, -2)}.${fen.slice(-2)}` } };
  });
  const ownPlain = own.slice(0, count).map((s) => ({ name: s.name, as_of: s.as_of, household: s.household, expect: s.expect, ...(s.decided_by ? { decided_by: s.decided_by } : {}) }));
  return stringify({ policy: pol.compiled.info.id, scenarios: [...ownPlain, ...generated] });
}

export function editorLatencyBench(runs = 30, warmup = 10): LatencyResult {
  const pol = loadPolicy();
  const yamlText = hundredScenarios(pol);
  const parsed = parseScenarios(yamlText, 'bench.yaml');
  if (!parsed.suite) throw new Error(`scenario suite does not parse: ${parsed.diagnostics[0]?.message.en}`);
  const suite = parsed.suite;
  // The one-character edit: the officer retypes a digit of the urban standard (650 → 651 → 650 …).
  const at = pol.source.indexOf('= 650 元/月');
  if (at < 0) throw new Error('cannot find the urban standard to edit');
  const variant = (k: number) => pol.source.slice(0, at + 4) + String(k % 10) + pol.source.slice(at + 5);
  const one = (k: number) => {
    const t = now(), c = process.cpuUsage();
    const r = compileSource(variant(k), { file: pol.file, modules: pol.modules });
    if (!r.compiled) throw new Error('edited policy does not compile');
    const report = runScenarios(r.compiled, suite);
    return { ms: now() - t, cpu: cpuMs(process.cpuUsage(c)), report };
  };
  const base = one(0);   // 650 (unchanged text) — all scenarios expected to pass
  for (let i = 0; i < warmup; i++) one(i + 1);
  const ms: number[] = [], cpu: number[] = [];
  for (let i = 0; i < runs; i++) { const r = one(i + 1); ms.push(r.ms); cpu.push(r.cpu); }
  const m = median(ms);
  return {
    name: 'editor: one-char edit → parse + check + compile + 100 scenarios', medianMs: m, p90Ms: percentile(ms, 90), medianCpuMs: median(cpu), runs,
    // issue 8 asked < 50 ms; issue 17 tightened it: the editor loop stays < 20 ms of CPU
    targetMs: 20, ok: m < 20, okCpu: median(cpu) < 20,
    detail: `${pol.file}; ${suite.scenarios.length} scenarios (runScenarios as the studio's live test cases call it: outputs and decided_by compared, no explanation built); on the unedited text ${base.report.passed} pass, ${base.report.failed} fail; YAML parsed once outside the timing; warm-up ${warmup}`,
  };
}

export function runLanguage(): LatencyResult[] {
  console.log(`\n## Language benchmarks\n${setupLine()}`);
  const out = [parseCheckBench(), editorLatencyBench()];
  for (const r of out) console.log(`${r.name}: median ${r.medianMs.toFixed(1)} ms (CPU ${r.medianCpuMs.toFixed(1)} ms), p90 ${r.p90Ms.toFixed(1)} ms over ${r.runs} runs (target < ${r.targetMs} ms: ${r.ok ? 'met' : 'MISSED'})\n  ${r.detail}`);
  return out;
}
