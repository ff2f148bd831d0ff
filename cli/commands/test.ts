// policy test <files|dirs>: runs the scenario suites (scenarios.yaml beside each policy, or a
// suite in its own file naming its policy by id) and prints ✓/✗ per scenario with expected vs
// actual; JUnit XML or JSON for CI. Exit 1 on any failing scenario or on a policy / scenario file
// that does not compile.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { compileSource, parseScenarios, runScenarios, type Diagnostic, type Json, type Scenario, type ScenarioResult } from '../../dsl/index.js';
import { CliError, oneOf, parse, UsageError } from '../args.js';
import { formatDiagnostic } from '../diagnostics.js';
import { display, modulesFor, policiesDir, readText } from '../files.js';
import { junitXml, type JUnitCase, type JUnitSuite } from '../junit.js';
import { HELP } from '../help.js';
import { bi, err, out, progress, style, type Lang, type Style } from '../output.js';
import { findSuites, targetsOf, type SuiteFile, type Target } from '../suites.js';
import { folderResolver, linkOptions } from '../links.js';

const show = (v: Json | undefined) => (v === undefined ? '(missing)' : JSON.stringify(v));

/** Why a group's scenarios did not run: its policy or its suite file has errors, or no policy. */
interface Broken { type: string; message: string; file?: string; source?: string; diagnostics: Diagnostic[] }
interface Ran extends ScenarioResult { time: number }
/** The scenarios of one suite file that ran on one policy file. */
interface Outcome {
  suite: SuiteFile; target: Target; title: string; started: Date; time: number;
  results: Ran[]; broken?: Broken; note?: string;
}

export function makeFilter(spec: string | undefined): ((name: string) => boolean) | undefined {
  if (spec === undefined) return undefined;
  const m = /^\/(.+)\/([a-z]*)$/s.exec(spec);
  if (m) {
    let re: RegExp;
    try { re = new RegExp(m[1]!, m[2]); } catch (e) { throw new UsageError(`--filter: 不是有效的正则表达式 / not a valid regular expression: ${(e as Error).message}`, 'test'); }
    return (name) => re.test(name);
  }
  return (name) => name.includes(spec);
}

type Compiled = ReturnType<typeof compileSource> & { file: string; source: string };

/** Compiles each policy file once per run (a suite in its own file may share it with others). */
function compiler(root: string): (file: string) => Compiled {
  const cache = new Map<string, Compiled>();
  return (file) => {
    let c = cache.get(file);
    if (!c) {
      const source = readText(file);
      c = { ...compileSource(source, { file: display(file), modules: modulesFor(file), ...linkOptions(file, source, root) }), file: display(file), source };
      cache.set(file, c);
    }
    return c;
  };
}

/** Reads one suite file and splits it into outcomes, one per policy file its scenarios run on. */
function planSuite(s: SuiteFile, filter: ((n: string) => boolean) | undefined, compile: (f: string) => Compiled, root: string, lang: Lang): Outcome[] {
  const started = new Date();
  const yamlFile = display(s.file);
  const yaml = readText(s.file);
  const parsed = parseScenarios(yaml, yamlFile);
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || !parsed.suite) {
    const id = s.beside ? compile(s.beside).info?.id ?? '' : '';
    const target: Target = { id, version: null, scenarios: [], ...(s.beside ? { policyFile: s.beside } : {}) };
    return [{ suite: s, target, title: '', started, time: 0, results: [],
      broken: { type: 'scenario-file', message: `${errors.length} error(s) in ${yamlFile}`, file: yamlFile, source: yaml, diagnostics: errors } }];
  }
  const chosen = parsed.suite.scenarios.filter((x) => !filter || filter(x.name));
  const targets = targetsOf(s, { ...parsed.suite, scenarios: chosen }, root, (f) => compile(f).info?.effective ?? null);
  return targets.map((target) => {
    const o: Outcome = { suite: s, target, title: '', started, time: 0, results: [] };
    if (target.unresolved) { const u = target.unresolved; o.broken = { type: u.type, message: `${yamlFile}: ${bi(u.zh, u.en, lang)}`, diagnostics: [] }; return o; }
    const c = compile(target.policyFile!);
    if (c.info?.id) { target.id = c.info.id; o.title = c.info.title; }
    if (parsed.suite!.policy && c.info?.id && parsed.suite!.policy !== c.info.id) {
      o.note = `${yamlFile}: policy: ${parsed.suite!.policy} ≠ ${c.info.id}（政策头的编号 / the policy header's id）`;
    }
    const policyErrors = c.diagnostics.filter((d) => d.severity === 'error');
    if (policyErrors.length || !c.compiled) {
      o.broken = { type: 'compile', message: `${policyErrors.length} error(s) in ${c.file}`, file: c.file, source: c.source, diagnostics: policyErrors };
    }
    return o;
  });
}

function runOutcome(o: Outcome, compile: (f: string) => Compiled, root: string, onScenario: (i: number, n: number) => void): void {
  const t0 = performance.now();
  if (!o.broken) {
    const compiled = compile(o.target.policyFile!).compiled!;
    // a referenced policy a scenario does not fix (linked:) is evaluated for real, from the folder
    const resolve = compiled.uses.length ? folderResolver(o.target.policyFile!, root) : undefined;
    o.target.scenarios.forEach((s: Scenario, i) => {
      onScenario(i, o.target.scenarios.length);
      const t = performance.now();
      const r = runScenarios(compiled, { scenarios: [s] }, resolve ? { resolve } : {}).results[0]!;
      o.results.push({ ...r, time: (performance.now() - t) / 1000 });
    });
  }
  o.time = (performance.now() - t0) / 1000;
}

/** Expected vs actual lines of one failing scenario (plain text; used by pretty and JUnit). */
export function failureLines(r: ScenarioResult, file?: string, lang: Lang = 'both'): string[] {
  const lines: string[] = [];
  for (const d of r.problems ?? []) lines.push(`${file ? `${file}:` : ''}${d.range.start.line}:${d.range.start.column} ${d.code} ${bi(d.message.zh, d.message.en, lang)}`);
  if (r.error) lines.push(`${bi('家庭数据无效', 'invalid household', lang)}: ${bi(r.error.zh, r.error.en, lang)}`);
  for (const o of r.outputs.filter((x) => !x.ok)) lines.push(`${o.name}: 预期 expected ${show(o.expected)}, 实际 actual ${show(o.actual)}`);
  for (const d of (r.decided_by ?? []).filter((x) => !x.ok)) {
    lines.push(`decided_by ${d.output}: 预期 expected ${d.expected}, 实际 actual ${d.actual ?? '(无 none)'}`);
  }
  return lines;
}

const brokenLines = (b: Broken, lang: Lang) =>
  b.diagnostics.length ? b.diagnostics.map((d) => `${b.file}:${d.range.start.line}:${d.range.start.column} ${d.code} ${bi(d.message.zh, d.message.en, lang)}`) : [b.message];

/** The JUnit class of a policy version: `dawukou-dibao.v2` (unique per version). */
const classOf = (o: Outcome) => `${o.target.id || display(o.suite.file)}${o.target.version !== null ? `.v${o.target.version}` : ''}`;

function toJUnit(o: Outcome, classname: string, lang: Lang): JUnitSuite {
  const yamlFile = display(o.suite.file);
  const base = (s: { name: string; range: ScenarioResult['range'] }, time: number): JUnitCase => ({ name: s.name, classname, file: yamlFile, line: s.range.start.line, time });
  let cases: JUnitCase[];
  if (o.broken) {
    const b = o.broken;
    const lines = brokenLines(b, lang);
    const error = { type: b.type, message: b.type === 'compile' ? `政策无法编译，情景未运行 / the policy does not compile; scenario not run: ${b.message}` : lines[0]!, body: lines.join('\n') };
    // Each scenario is reported as errored, so the counts say how many did not run.
    cases = o.target.scenarios.map((s) => ({ ...base(s, 0), error }));
    if (!cases.length) cases = [{ name: `${b.file ?? yamlFile} 编译 / compiles`, classname, file: b.file ?? yamlFile, time: 0, error }];
  } else {
    cases = o.results.map((r) => {
      const c = base(r, r.time);
      if (r.ok) return c;
      const lines = failureLines(r, yamlFile, lang);
      const problem = { message: lines.join('; '), body: lines.join('\n') };
      if (r.problems?.length) c.error = { type: 'scenario', ...problem };
      else c.failure = { type: r.error ? 'invalid-household' : 'mismatch', ...problem };
      return c;
    });
  }
  const policyFile = o.target.policyFile ? display(o.target.policyFile) : yamlFile;
  return { name: classname, file: policyFile, time: o.time, timestamp: o.started, cases, properties: { title: o.title, scenarios: yamlFile } };
}

/** Class names per outcome; two different files that claim the same id and version get their path. */
function classNames(outcomes: Outcome[]): string[] {
  const files = new Map<string, Set<string>>();
  const names = outcomes.map(classOf);
  outcomes.forEach((o, i) => { const f = o.target.policyFile ?? o.suite.file; files.set(names[i]!, (files.get(names[i]!) ?? new Set()).add(f)); });
  return outcomes.map((o, i) => (files.get(names[i]!)!.size > 1 ? `${names[i]} (${display(o.target.policyFile ?? o.suite.file)})` : names[i]!));
}

function printOutcome(o: Outcome, opts: { print: (s: string) => void; st: Style; lang: Lang; quiet: boolean; filtered: boolean }): void {
  const { print, st, lang } = opts;
  const failed = o.results.some((r) => !r.ok);
  if (opts.quiet && !failed && !o.broken) return;
  if (opts.filtered && !o.results.length && !o.broken) return;   // nothing here matches --filter
  const yamlFile = display(o.suite.file);
  const head = o.target.policyFile ? display(o.target.policyFile) : yamlFile;
  const from = o.suite.beside || !o.target.policyFile ? '' : `${yamlFile} → `;
  print(`${st.bold(`${from}${head}`)}  ${st.gray(`${o.target.id}${o.target.version !== null ? ` v${o.target.version}` : ''}${o.title ? `「${o.title}」` : ''}`)}`);
  if (o.note) print(`  ${st.yellow('warning')} ${o.note}`);
  if (o.broken) {
    const b = o.broken;
    for (const d of b.diagnostics) print(formatDiagnostic(d, b.file!, b.source, lang, st).split('\n').map((l) => `  ${l}`).join('\n'));
    if (!b.diagnostics.length) print(`  ${st.red('✗')} ${b.message}`);
    const n = o.target.scenarios.length;
    const what = b.type === 'scenario-file' ? bi('情景文件有错误，未运行', 'the suite file has errors; not run', lang)
      : bi(`有错误，${n} 个情景未运行`, `has errors; ${n} scenario${n === 1 ? '' : 's'} not run`, lang);
    print(`  ${st.red('✗')} ${what}${b.file ? ` — ${bi('请运行', 'run', lang)}: policy check ${b.file}` : ''}`);
    return;
  }
  for (const r of o.results) {
    if (r.ok) { if (!opts.quiet) print(`  ${st.green('✓')} ${r.name}`); continue; }
    print(`  ${st.red('✗')} ${r.name} ${st.gray(`(${yamlFile}:${r.range.start.line})`)}`);
    for (const l of failureLines(r, yamlFile, lang)) print(`      ${l}`);
  }
}

function jsonReport(outcomes: Outcome[], totals: { passed: number; failed: number; broken: number }): string {
  return `${JSON.stringify({ passed: totals.passed, failed: totals.failed, policy_errors: totals.broken, suites: outcomes.map((o) => ({
    policy: o.target.id, version: o.target.version, file: o.target.policyFile ? display(o.target.policyFile) : null, scenarios: display(o.suite.file),
    passed: o.results.filter((r) => r.ok).length, failed: o.results.filter((r) => !r.ok).length,
    errors: o.broken ? (o.broken.diagnostics.length
      ? o.broken.diagnostics.map((d) => ({ file: o.broken!.file, line: d.range.start.line, column: d.range.start.column, code: d.code, message: d.message }))
      : [{ file: display(o.suite.file), code: o.broken.type, message: o.broken.message }]) : [],
    results: o.results.map((r) => ({ name: r.name, ok: r.ok, line: r.range.start.line, ...(r.error ? { error: bi(r.error.zh, r.error.en, 'both') } : {}), outputs: r.outputs,
      ...(r.decided_by ? { decided_by: r.decided_by } : {}),
      ...(r.problems ? { problems: r.problems.map((d) => ({ line: d.range.start.line, column: d.range.start.column, code: d.code, message: d.message })) } : {}) })),
  })) }, null, 2)}\n`;
}

function writeReport(file: string, text: string): void {
  try {
    mkdirSync(dirname(resolve(file)), { recursive: true });
    writeFileSync(resolve(file), text);
  } catch (e) {
    throw new CliError(`${file}: 无法写入报告 / cannot write the report (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}) — check the path and its permissions`);
  }
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parse('test', args, {
    filter: { type: 'string' }, reporter: { type: 'string' }, output: { type: 'string', short: 'o' },
    quiet: { type: 'boolean', short: 'q' }, lang: { type: 'string' }, policies: { type: 'string' },
  });
  if (values.help) { out(HELP.test); return 0; }
  const reporter = oneOf('test', 'reporter', values.reporter, ['pretty', 'junit', 'json'] as const, 'pretty');
  const lang: Lang = oneOf('test', 'lang', values.lang, ['zh', 'en', 'both'] as const, 'both');
  if (values.output && reporter === 'pretty') throw new UsageError('--output 需要 --reporter junit 或 json / --output needs --reporter junit or json', 'test');
  if (positionals.length === 0) throw new UsageError('请给出政策文件、情景文件或目录 / give policy files, suite files or folders, e.g. policy test policies/', 'test');
  const root = values.policies !== undefined ? resolve(values.policies) : policiesDir();
  const filter = makeFilter(values.filter);
  const pretty = reporter === 'pretty' || values.output !== undefined;
  const print = pretty ? out : () => undefined;
  const st = style();

  const { suites, problems } = findSuites(positionals);
  for (const p of problems) err(p);
  if (suites.length === 0) {
    err(bi(`在 ${positionals.join(' ')} 中没有找到情景文件`, `no scenario suite found in ${positionals.join(' ')}`, lang));
    return 1;
  }

  const compile = compiler(root);
  const bar = progress(pretty && Boolean(process.stdout.isTTY && process.stderr.isTTY));
  const outcomes: Outcome[] = [];
  suites.forEach((s, j) => {
    const label = `[${j + 1}/${suites.length}] ${display(s.beside ?? s.file)}`;
    bar.update(label);
    for (const o of planSuite(s, filter, compile, root, lang)) {
      runOutcome(o, compile, root, (i, n) => { if (n > 20 && i % 10 === 0) bar.update(`${label}  ${i}/${n}`); });
      bar.clear();
      outcomes.push(o);
      printOutcome(o, { print, st, lang, quiet: Boolean(values.quiet), filtered: filter !== undefined });
    }
  });

  const passed = outcomes.reduce((n, o) => n + o.results.filter((r) => r.ok).length, 0);
  const failed = outcomes.reduce((n, o) => n + o.results.filter((r) => !r.ok).length, 0);
  const broken = new Set(outcomes.filter((o) => o.broken).map((o) => o.broken!.file ?? o.suite.file)).size + problems.length;

  if (reporter === 'junit' || reporter === 'json') {
    // Under --filter a suite with no matching scenario (and nothing broken) is left out.
    const shown = outcomes.filter((o) => o.results.length > 0 || o.broken);
    const names = classNames(shown);
    const text = reporter === 'junit' ? junitXml(shown.map((o, i) => toJUnit(o, names[i]!, lang))) : jsonReport(shown, { passed, failed, broken });
    if (values.output) writeReport(values.output, text);
    else process.stdout.write(text);
  }

  const summary = `${passed} passed, ${failed} failed${broken ? `, ${broken} polic${broken === 1 ? 'y' : 'ies'} with errors` : ''}`;
  const zh = `通过 ${passed}，失败 ${failed}${broken ? `，${broken} 个政策有错误` : ''}`;
  const summaryLine = lang === 'en' ? summary : `${summary} · ${zh}`;
  const bad = failed > 0 || broken > 0;
  if (pretty) {
    print('');
    print(bad ? st.red(st.bold(summaryLine)) : st.green(st.bold(summaryLine)));
    if (values.output) print(st.gray(`${reporter === 'junit' ? 'JUnit' : 'JSON'} → ${values.output}`));
  } else {
    err(summaryLine);
  }
  if (passed + failed === 0 && broken === 0) {
    err(bi('没有运行任何情景（检查 --filter）', 'no scenario ran (check --filter)', lang));
    return 1;
  }
  return bad ? 1 : 0;
}
