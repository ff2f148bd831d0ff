// Scenario suites (YAML): a tester's households with hand-worked expected outputs, and the
// runner that compares them exactly with a compiled policy's answers.
import YAML, { isMap, isScalar, isSeq, LineCounter, type YAMLMap } from 'yaml';
import { diagnostic, zeroRange, type Diagnostic, type Message, type Range } from '../base/diagnostics.js';
import { hint } from '../base/nearest.js';
import { checkScenario } from './check.js';
import { linkedResults, type PolicyResolver } from './linked.js';
export type { PolicyResolver } from './linked.js';
import type { CompiledPolicy } from '../backends/index.js';
import type { Json } from '../eval/values.js';
import type { TraceEntry } from '../eval/trace.js';
import { errorsText } from '../eval/validate.js';

export interface Scenario {
  name: string; as_of: string; household: unknown; expect: Record<string, Json>;
  decided_by?: Record<string, string>; range: Range;
  /** Fixed results of referenced policies (`linked:` / `引用结果:`): outputs by policy id. */
  linked?: Record<string, Record<string, Json>>;
  /** Where each key of `expect` and `decided_by` is written, for errors that point at it. */
  keys?: { expect: Record<string, Range>; decided_by: Record<string, Range> };
}
/** A suite names its policy by id and may pin a version (`version: 2`). */
export interface ScenarioSuite { policy?: string; version?: number; scenarios: Scenario[] }
export interface ScenarioResult {
  /** Why the scenario could not run (an invalid household, a referenced policy that failed). */
  name: string; ok: boolean; error?: Message; range: Range;
  outputs: { name: string; expected: Json; actual: Json; ok: boolean }[];
  decided_by?: { output: string; expected: string; actual: string | null; ok: boolean }[];
  trace?: TraceEntry[];
  /** Mistakes in the scenario itself (an expect key that is no output, an unknown rule). */
  problems?: Diagnostic[];
}
export interface ScenarioReport { passed: number; failed: number; results: ScenarioResult[]; diagnostics: Diagnostic[] }

const SUITE_KEYS = ['policy', 'version', 'scenarios'];
const SCENARIO_KEYS = ['name', 'as_of', 'household', 'expect', 'decided_by', 'linked', '引用结果'];
type Node = { range?: [number, number, number] | null };

export function parseScenarios(text: string, file?: string): { suite?: ScenarioSuite; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const lc = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const rangeOf = (r: [number, number, number] | undefined | null): Range => {
    if (!r) return zeroRange;
    const a = lc.linePos(r[0]), b = lc.linePos(r[1]);
    return { start: { line: a.line, column: a.col, offset: r[0] }, end: { line: b.line, column: b.col, offset: r[1] } };
  };
  const done = () => { if (file) diagnostics.forEach((d) => (d.file = file)); return diagnostics; };
  for (const e of doc.errors) diagnostics.push(diagnostic('scenario.yaml', rangeOf([e.pos[0], e.pos[1], e.pos[1]]), { detail: { zh: yamlErrorZh[e.code] ?? '无法读取', en: e.message.split('\n')[0]! } }));
  if (diagnostics.length) return { diagnostics: done() };
  const shape = (path: string, detail: Message, r: Range = zeroRange) => diagnostics.push(diagnostic('scenario.shape', r, { path: where(path), detail }));
  /** Keys of a mapping, with their ranges; unknown ones are errors naming the nearest known key. */
  const keysOf = (map: YAMLMap, path: string, known?: string[]): Map<string, Range> => {
    const found = new Map<string, Range>();
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const r = rangeOf((pair.key as Node | null)?.range);
      if (known && !known.includes(key)) diagnostics.push(diagnostic('scenario.unknown-key', r, { path: where(path), name: key, ...hint(key, known) }));
      found.set(key, r);
    }
    return found;
  };
  const root = doc.contents;
  if (!isMap(root)) { shape('$', { zh: '应为包含 scenarios 的对象', en: 'must be a mapping with `scenarios`' }); return { diagnostics: done() }; }
  keysOf(root, '$', SUITE_KEYS);
  const list = root.get('scenarios', true);
  if (!isSeq(list)) { shape('scenarios', { zh: '应为列表', en: 'must be a list' }); return { diagnostics: done() }; }
  const suite: ScenarioSuite = { scenarios: [] };
  const policy = root.get('policy');
  if (policy !== undefined && typeof policy !== 'string') shape('policy', { zh: '应为政策编号', en: 'must be a policy id' }, rangeOf((root.get('policy', true) as Node).range));
  if (typeof policy === 'string') suite.policy = policy;
  const version = root.get('version');
  if (version !== undefined && !(typeof version === 'number' && Number.isInteger(version) && version >= 1)) {
    shape('version', { zh: '应为正整数版本号', en: 'must be a positive version number' }, rangeOf((root.get('version', true) as Node).range));
  } else if (typeof version === 'number') suite.version = version;
  const firstLine = new Map<string, number>();
  list.items.forEach((item, i) => {
    const r = rangeOf((item as Node).range);
    if (!isMap(item)) { shape(`scenarios[${i}]`, { zh: '应为对象', en: 'must be a mapping' }, r); return; }
    keysOf(item, `scenarios[${i}]`, SCENARIO_KEYS);
    const js = item.toJSON() as Record<string, unknown>;
    const name = js['name'];
    const asOf = js['as_of'];
    const expect = js['expect'];
    if (typeof name !== 'string' || !name) { shape(`scenarios[${i}].name`, { zh: '缺少名称', en: 'needs a name' }, r); return; }
    const nameRange = rangeOf((item.get('name', true) as Node).range);
    const first = firstLine.get(name);
    if (first !== undefined) diagnostics.push(diagnostic('scenario.duplicate-name', nameRange, { name, line: first }));
    else firstLine.set(name, nameRange.start.line);
    const asOfText = asOf instanceof Date ? asOf.toISOString().slice(0, 10) : asOf;
    if (typeof asOfText !== 'string') { shape(`scenarios[${i}].as_of`, { zh: '缺少评估日 YYYY-MM-DD', en: 'needs as_of YYYY-MM-DD' }, r); return; }
    if (!expect || typeof expect !== 'object' || Array.isArray(expect)) { shape(`scenarios[${i}].expect`, { zh: '缺少预期输出', en: 'needs expected outputs' }, r); return; }
    if (!js['household'] || typeof js['household'] !== 'object') { shape(`scenarios[${i}].household`, { zh: '缺少家庭', en: 'needs a household' }, r); return; }
    const decided = js['decided_by'];
    const decidedNode = item.get('decided_by', true);
    if (decided !== undefined && (!isMap(decidedNode) || !Object.values(decided as object).every((v) => typeof v === 'string'))) {
      shape(`scenarios[${i}].decided_by`, { zh: '应为「输出: 规则名」', en: 'must map outputs to rule names' }, rangeOf((decidedNode as Node).range)); return;
    }
    const fixed = js['linked'] ?? js['引用结果'];
    if (fixed !== undefined && !(isRecordOf(fixed) && Object.values(fixed).every(isRecordOf))) {
      shape(`scenarios[${i}].linked`, { zh: '应为「政策编号: {输出: 值}」', en: 'must map policy ids to their outputs' }, r); return;
    }
    const expectNode = item.get('expect', true);
    const keys = {
      expect: isMap(expectNode) ? Object.fromEntries(keysOf(expectNode, `scenarios[${i}].expect`)) : {},
      decided_by: isMap(decidedNode) ? Object.fromEntries(keysOf(decidedNode, `scenarios[${i}].decided_by`)) : {},
    };
    suite.scenarios.push({
      name, as_of: asOfText, household: js['household'], expect: expect as Record<string, Json>,
      ...(decided ? { decided_by: decided as Record<string, string> } : {}), range: r, keys,
      ...(fixed ? { linked: fixed as Record<string, Record<string, Json>> } : {}),
    });
  });
  return { suite, diagnostics: done() };
}

/** A place in the suite for a message: the root is named in words, anything else by its path. */
const where = (path: string): string | Message => (path === '$' ? { zh: '文件顶层', en: 'the top level' } : path);

/** The YAML reader's errors in Chinese (its own messages are English), by its error code. */
const yamlErrorZh: Partial<Record<string, string>> = {
  DUPLICATE_KEY: '同一对象中的键重复', BAD_INDENT: '缩进不对', TAB_AS_INDENT: '不能用制表符缩进',
  MISSING_CHAR: '缺少配对的引号或括号', MULTILINE_IMPLICIT_KEY: '键不能跨行', UNEXPECTED_TOKEN: '此处不应有这个符号',
  BLOCK_AS_IMPLICIT_KEY: '键的位置写了多行内容', BAD_SCALAR_START: '值的开头字符不合法', MULTIPLE_DOCS: '文件只能有一个文档',
};

const isRecordOf = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

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

/** `resolve`: the compiled policy for a referenced id, evaluated for real when a scenario does
 *  not fix its results (`linked:`). */
export function runScenarios(compiled: CompiledPolicy, suite: ScenarioSuite, opts: { trace?: boolean; resolve?: PolicyResolver } = {}): ScenarioReport {
  // Without `trace` the report needs only what decided each output, not the explanation (whose
  // derivations cost most of a traced evaluation): the editor reruns every scenario at each edit.
  const trace = Boolean(opts.trace);
  const outputNames = compiled.program.outputs.map((o) => o.decl.name.text);
  const results: ScenarioResult[] = suite.scenarios.map((s) => {
    const problems = checkScenario(compiled, s);
    const withProblems = problems.length ? { problems } : {};
    const links = compiled.uses.length ? linkedResults(compiled, s.household, s.as_of, s.linked, opts.resolve, { trace }) : { linked: undefined };
    if ('error' in links) return { name: s.name, ok: false, range: s.range, error: links.error, outputs: [], ...withProblems };
    const r = compiled.evaluate(s.household, s.as_of, { trace, decided: !trace, ...(links.linked ? { linked: links.linked } : {}) });
    if (!r.ok) {
      return { name: s.name, ok: false, range: s.range, error: errorsText(r.errors), outputs: [], ...withProblems };
    }
    const outputs = Object.entries(s.expect).map(([name, expected]) => {
      const actual = name in r.outputs ? r.outputs[name]! : null;
      const known = name in r.outputs;
      return { name, expected, actual: known ? actual : null, ok: known && sameJson(expected, actual) };
    });
    const decidedBy = s.decided_by ? Object.entries(s.decided_by).map(([output, expected]) => {
      const d = r.trace ? r.trace.find((t) => t.output === output)?.decided_by : r.decided?.[outputNames.indexOf(output)];
      const actual = d ? (d.name ?? (d.kind === 'otherwise' ? '否则' : null)) : null;
      return { output, expected, actual, ok: actual === expected || (d?.kind === 'otherwise' && (expected === '否则' || expected === 'otherwise')) };
    }) : undefined;
    const ok = !problems.length && outputs.every((o) => o.ok) && (decidedBy?.every((d) => d.ok) ?? true);
    return { name: s.name, ok, range: s.range, outputs, ...(decidedBy ? { decided_by: decidedBy } : {}), ...(trace ? { trace: r.trace } : {}), ...withProblems };
  });
  const passed = results.filter((r) => r.ok).length;
  return { passed, failed: results.length - passed, results, diagnostics: results.flatMap((r) => r.problems ?? []) };
}
