// Scenario suites (YAML): a tester's households with hand-worked expected outputs, and the
// runner that compares them exactly with a compiled policy's answers.
import YAML, { isMap, isSeq, LineCounter } from 'yaml';
import { diagnostic, type Diagnostic, type Range } from '../diagnostics.js';
import type { CompiledPolicy } from '../compiler/index.js';
import type { Json } from '../values.js';
import type { TraceEntry } from '../trace.js';

export interface Scenario {
  name: string; as_of: string; household: unknown; expect: Record<string, Json>;
  decided_by?: Record<string, string>; range: Range;
}
export interface ScenarioSuite { policy?: string; scenarios: Scenario[] }
export interface ScenarioResult {
  name: string; ok: boolean; error?: string; range: Range;
  outputs: { name: string; expected: Json; actual: Json; ok: boolean }[];
  decided_by?: { output: string; expected: string; actual: string | null; ok: boolean }[];
  trace?: TraceEntry[];
}
export interface ScenarioReport { passed: number; failed: number; results: ScenarioResult[] }

const zero: Range = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };

export function parseScenarios(text: string, file?: string): { suite?: ScenarioSuite; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const lc = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const rangeOf = (r: [number, number, number] | undefined | null): Range => {
    if (!r) return zero;
    const a = lc.linePos(r[0]), b = lc.linePos(r[1]);
    return { start: { line: a.line, column: a.col, offset: r[0] }, end: { line: b.line, column: b.col, offset: r[1] } };
  };
  for (const e of doc.errors) diagnostics.push(diagnostic('scenario.yaml', rangeOf([e.pos[0], e.pos[1], e.pos[1]]), { detail: e.message.split('\n')[0]! }));
  if (diagnostics.length) { if (file) diagnostics.forEach((d) => (d.file = file)); return { diagnostics }; }
  const shape = (path: string, detail: string, r: Range = zero) => diagnostics.push(diagnostic('scenario.shape', r, { path, detail }));
  const root = doc.contents;
  if (!isMap(root)) { shape('$', '应为包含 scenarios 的对象 / must be a mapping with `scenarios`'); return { diagnostics }; }
  const list = root.get('scenarios', true);
  if (!isSeq(list)) { shape('scenarios', '应为列表 / must be a list'); return { diagnostics }; }
  const suite: ScenarioSuite = { scenarios: [] };
  const policy = root.get('policy');
  if (typeof policy === 'string') suite.policy = policy;
  list.items.forEach((item, i) => {
    const r = rangeOf((item as { range?: [number, number, number] }).range);
    if (!isMap(item)) { shape(`scenarios[${i}]`, '应为对象 / must be a mapping', r); return; }
    const js = item.toJSON() as Record<string, unknown>;
    const name = js['name'];
    const asOf = js['as_of'];
    const expect = js['expect'];
    if (typeof name !== 'string' || !name) { shape(`scenarios[${i}].name`, '缺少名称 / needs a name', r); return; }
    const asOfText = asOf instanceof Date ? asOf.toISOString().slice(0, 10) : asOf;
    if (typeof asOfText !== 'string') { shape(`scenarios[${i}].as_of`, '缺少评估日 YYYY-MM-DD / needs as_of YYYY-MM-DD', r); return; }
    if (!expect || typeof expect !== 'object' || Array.isArray(expect)) { shape(`scenarios[${i}].expect`, '缺少预期输出 / needs expected outputs', r); return; }
    if (!js['household'] || typeof js['household'] !== 'object') { shape(`scenarios[${i}].household`, '缺少家庭 / needs a household', r); return; }
    const decided = js['decided_by'];
    suite.scenarios.push({
      name, as_of: asOfText, household: js['household'], expect: expect as Record<string, Json>,
      ...(decided && typeof decided === 'object' ? { decided_by: decided as Record<string, string> } : {}), range: r,
    });
  });
  if (file) diagnostics.forEach((d) => (d.file = file));
  return { suite, diagnostics };
}

/** Exact comparison: money strings compare by value ("650" = "650.00"), lists in order. */
export function sameJson(expected: Json, actual: Json): boolean {
  if (expected === actual) return true;
  if (typeof expected === 'number' && typeof actual === 'string') return sameJson(String(expected), actual);
  if (typeof expected === 'string' && typeof actual === 'string') {
    const m = /^-?\d+(\.\d+)?$/;
    if (m.test(expected) && m.test(actual)) return Number(expected) === Number(actual) && normal(expected) === normal(actual);
    return false;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) return expected.length === actual.length && expected.every((x, i) => sameJson(x, actual[i]!));
  if (expected && actual && typeof expected === 'object' && typeof actual === 'object' && !Array.isArray(expected) && !Array.isArray(actual)) {
    const ka = Object.keys(expected), kb = Object.keys(actual);
    return ka.length === kb.length && ka.every((k) => sameJson(expected[k]!, actual[k]!));
  }
  return false;
}
function normal(s: string): string {
  const [i, f = ''] = s.replace(/^-/, '').split('.');
  return (s.startsWith('-') ? '-' : '') + String(BigInt(i!)) + '.' + f.replace(/0+$/, '');
}

export function runScenarios(compiled: CompiledPolicy, suite: ScenarioSuite, opts: { trace?: boolean } = {}): ScenarioReport {
  const results: ScenarioResult[] = suite.scenarios.map((s) => {
    const r = compiled.evaluate(s.household, s.as_of, { trace: true });
    if (!r.ok) {
      return { name: s.name, ok: false, range: s.range, error: r.errors.map((e) => `${e.path}: ${e.message}`).join('; '), outputs: [] };
    }
    const outputs = Object.entries(s.expect).map(([name, expected]) => {
      const actual = name in r.outputs ? r.outputs[name]! : null;
      const known = name in r.outputs;
      return { name, expected, actual: known ? actual : null, ok: known && sameJson(expected, actual) };
    });
    const decidedBy = s.decided_by ? Object.entries(s.decided_by).map(([output, expected]) => {
      const entry = r.trace?.find((t) => t.output === output);
      const actual = entry ? (entry.decided_by.name ?? (entry.decided_by.kind === 'otherwise' ? '否则' : null)) : null;
      return { output, expected, actual, ok: actual === expected || (entry?.decided_by.kind === 'otherwise' && (expected === '否则' || expected === 'otherwise')) };
    }) : undefined;
    const ok = outputs.every((o) => o.ok) && (decidedBy?.every((d) => d.ok) ?? true);
    return { name: s.name, ok, range: s.range, outputs, ...(decidedBy ? { decided_by: decidedBy } : {}), ...(opts.trace ? { trace: r.trace } : {}) };
  });
  const passed = results.filter((r) => r.ok).length;
  return { passed, failed: results.length - passed, results };
}
