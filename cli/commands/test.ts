// policy test <files|dirs>: runs the scenario suites (scenarios.yaml beside each policy) and
// prints ✓/✗ per scenario with expected vs actual; JUnit XML for CI. Exit 1 on any failing
// scenario or on a policy / scenario file that does not compile.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { compileSource, parseScenarios, runScenarios, type Diagnostic, type Json, type ScenarioResult, type ScenarioSuite } from '../../dsl/index.js';
import { CliError, oneOf, parse, UsageError } from '../args.js';
import { formatDiagnostic } from '../diagnostics.js';
import { display, expandPaths, isModuleFile, isPolicyFile, modulesFor, readText, scenariosFor } from '../files.js';
import { junitXml, type JUnitCase, type JUnitSuite } from '../junit.js';
import { HELP } from '../help.js';
import { bi, err, out, progress, style, type Lang } from '../output.js';


const show = (v: Json | undefined) => (v === undefined ? '(missing)' : JSON.stringify(v));

interface Job { policy: string; scenarios?: string }
interface SuiteOutcome {
  job: Job; id: string; title: string; time: number; passed: number; failed: number;
  results: (ScenarioResult & { time: number })[]; problems: { file: string; source: string; diagnostics: Diagnostic[] }[];
  note?: string;
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

function siblingPolicy(yamlFile: string): string | undefined {
  const dir = dirname(yamlFile);
  if (existsSync(join(dir, 'policy.policy'))) return join(dir, 'policy.policy');
  const list = readdirSync(dir).filter((f) => f.endsWith('.policy'));
  return list.length === 1 ? join(dir, list[0]!) : undefined;
}

function findJobs(paths: string[]): { jobs: Job[]; problems: string[] } {
  const { files, explicit } = expandPaths(paths, (f) => isPolicyFile(f) && scenariosFor(f) !== undefined);
  const jobs = new Map<string, Job>();
  const problems: string[] = [];
  for (const f of files) {
    if (/\.ya?ml$/.test(f)) {
      const p = siblingPolicy(f);
      if (!p) { problems.push(`${display(f)}: 旁边没有 policy.policy / no policy.policy beside it — put the suite next to its policy`); continue; }
      jobs.set(p, { policy: p, scenarios: f });
    } else if (f.endsWith('.policy')) {
      if (isModuleFile(f)) { problems.push(`${display(f)}: 是公共模式模块，没有情景 / is a schema module, it has no scenarios`); continue; }
      const s = scenariosFor(f);
      if (!s && explicit.has(f)) {
        problems.push(`${display(f)}: 旁边没有 scenarios.yaml / no scenarios.yaml beside it — write one (see docs/scenarios.md)`);
        continue;
      }
      if (s) jobs.set(f, { policy: f, scenarios: s });
    } else if (explicit.has(f)) {
      problems.push(`${display(f)}: 不是 .policy 或 scenarios.yaml / not a .policy or scenarios.yaml file`);
    }
  }
  return { jobs: [...jobs.values()].sort((a, b) => a.policy.localeCompare(b.policy)), problems };
}

function runJob(job: Job, filter: ((n: string) => boolean) | undefined, onScenario: (i: number, n: number) => void): SuiteOutcome {
  const started = performance.now();
  const policyFile = display(job.policy);
  const outcome: SuiteOutcome = { job, id: basename(dirname(job.policy)), title: '', time: 0, passed: 0, failed: 0, results: [], problems: [] };
  const source = readText(job.policy);
  const c = compileSource(source, { file: policyFile, modules: modulesFor(job.policy) });
  if (c.info?.id) { outcome.id = c.info.id; outcome.title = c.info.title; }
  const policyErrors = c.diagnostics.filter((d) => d.severity === 'error');
  if (policyErrors.length) outcome.problems.push({ file: policyFile, source, diagnostics: policyErrors });
  const yamlFile = display(job.scenarios!);
  const yaml = readText(job.scenarios!);
  const parsed = parseScenarios(yaml, yamlFile);
  const yamlErrors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (yamlErrors.length) outcome.problems.push({ file: yamlFile, source: yaml, diagnostics: yamlErrors });
  if (parsed.suite?.policy && c.info?.id && parsed.suite.policy !== c.info.id) {
    outcome.note = `${yamlFile}: policy: ${parsed.suite.policy} ≠ ${c.info.id}（政策头的编号 / the policy header's id）`;
  }
  if (c.compiled && parsed.suite && !yamlErrors.length) {
    const chosen = parsed.suite.scenarios.filter((s) => !filter || filter(s.name));
    chosen.forEach((s, i) => {
      onScenario(i, chosen.length);
      const t0 = performance.now();
      const one: ScenarioSuite = { ...(parsed.suite!.policy ? { policy: parsed.suite!.policy } : {}), scenarios: [s] };
      const r = runScenarios(c.compiled!, one).results[0]!;
      outcome.results.push({ ...r, time: (performance.now() - t0) / 1000 });
    });
  }
  outcome.passed = outcome.results.filter((r) => r.ok).length;
  outcome.failed = outcome.results.length - outcome.passed;
  outcome.time = (performance.now() - started) / 1000;
  return outcome;
}

/** Expected vs actual lines of one failing scenario (plain text; used by pretty and JUnit). */
export function failureLines(r: ScenarioResult): string[] {
  const lines: string[] = [];
  if (r.error) lines.push(`家庭数据无效 / invalid household: ${r.error}`);
  for (const o of r.outputs.filter((x) => !x.ok)) lines.push(`${o.name}: 预期 expected ${show(o.expected)}, 实际 actual ${show(o.actual)}`);
  for (const d of (r.decided_by ?? []).filter((x) => !x.ok)) {
    lines.push(`decided_by ${d.output}: 预期 expected ${d.expected}, 实际 actual ${d.actual ?? '(无 none)'}`);
  }
  return lines;
}

function toJUnit(o: SuiteOutcome, lang: Lang): JUnitSuite {
  const classname = o.id;
  const yamlFile = display(o.job.scenarios!);
  const cases: JUnitCase[] = o.results.map((r) => {
    const c: JUnitCase = { name: r.name, classname, file: yamlFile, line: r.range.start.line, time: r.time };
    if (!r.ok) {
      const lines = failureLines(r);
      c.failure = { type: r.error ? 'invalid-household' : 'mismatch', message: lines.join('; '), body: lines.join('\n') };
    }
    return c;
  });
  for (const p of o.problems) {
    const body = p.diagnostics.map((d) => `${p.file}:${d.range.start.line}:${d.range.start.column} ${d.code} ${bi(d.message.zh, d.message.en, lang)}`).join('\n');
    cases.unshift({ name: `${basename(p.file)} 编译 / compiles`, classname, file: p.file, time: 0,
      error: { type: 'compile', message: `${p.diagnostics.length} error(s) in ${p.file}`, body } });
  }
  return { name: o.id, file: display(o.job.policy), time: o.time, cases, properties: { title: o.title, scenarios: yamlFile } };
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parse('test', args, {
    filter: { type: 'string' }, reporter: { type: 'string' }, output: { type: 'string', short: 'o' },
    quiet: { type: 'boolean', short: 'q' }, lang: { type: 'string' },
  });
  if (values.help) { out(HELP.test); return 0; }
  const reporter = oneOf('test', 'reporter', values.reporter, ['pretty', 'junit', 'json'] as const, 'pretty');
  const lang: Lang = oneOf('test', 'lang', values.lang, ['zh', 'en', 'both'] as const, 'both');
  if (values.output && reporter === 'pretty') throw new UsageError('--output 需要 --reporter junit 或 json / --output needs --reporter junit or json', 'test');
  if (positionals.length === 0) throw new UsageError('请给出政策文件或目录 / give policy files or folders, e.g. policy test policies/', 'test');
  const filter = makeFilter(values.filter);
  const pretty = reporter === 'pretty' || values.output !== undefined;
  const print = pretty ? out : () => undefined;
  const st = style();

  const { jobs, problems } = findJobs(positionals);
  for (const p of problems) err(p);
  if (jobs.length === 0) {
    err(bi(`在 ${positionals.join(' ')} 中没有找到带 scenarios.yaml 的政策`, `no policy with a scenarios.yaml found in ${positionals.join(' ')}`, lang));
    return 1;
  }

  const bar = progress(pretty && Boolean(process.stdout.isTTY && process.stderr.isTTY));
  const outcomes: SuiteOutcome[] = [];
  jobs.forEach((job, j) => {
    const label = `[${j + 1}/${jobs.length}] ${display(job.policy)}`;
    bar.update(label);
    const o = runJob(job, filter, (i, n) => { if (n > 20 && i % 10 === 0) bar.update(`${label}  ${i}/${n}`); });
    bar.clear();
    outcomes.push(o);
    if (values.quiet && o.failed === 0 && o.problems.length === 0) return;
    print(`${st.bold(display(job.policy))}  ${st.gray(`${o.id}${o.title ? `「${o.title}」` : ''}`)}`);
    if (o.note) print(`  ${st.yellow('warning')} ${o.note}`);
    for (const p of o.problems) {
      for (const d of p.diagnostics) print(formatDiagnostic(d, p.file, p.source, lang, st).split('\n').map((l) => `  ${l}`).join('\n'));
      print(`  ${st.red('✗')} ${bi('有错误，未运行情景', 'has errors; scenarios not run', lang)} — ${bi('请运行', 'run', lang)}: policy check ${p.file}`);
    }
    for (const r of o.results) {
      if (r.ok) { if (!values.quiet) print(`  ${st.green('✓')} ${r.name}`); continue; }
      print(`  ${st.red('✗')} ${r.name} ${st.gray(`(${display(job.scenarios!)}:${r.range.start.line})`)}`);
      for (const l of failureLines(r)) print(`      ${l}`);
    }
    if (filter && o.results.length === 0 && o.problems.length === 0 && !values.quiet) print(`  ${st.gray(bi('（没有匹配 --filter 的情景）', '(no scenario matches --filter)', lang))}`);
  });

  const passed = outcomes.reduce((n, o) => n + o.passed, 0);
  const failed = outcomes.reduce((n, o) => n + o.failed, 0);
  const broken = outcomes.filter((o) => o.problems.length > 0).length + problems.length;
  const ran = passed + failed;

  if (reporter === 'junit' || reporter === 'json') {
    const text = reporter === 'junit'
      ? junitXml(outcomes.map((o) => toJUnit(o, lang)))
      : `${JSON.stringify({ passed, failed, policy_errors: broken, suites: outcomes.map((o) => ({
        policy: o.id, file: display(o.job.policy), scenarios: display(o.job.scenarios!), passed: o.passed, failed: o.failed,
        errors: o.problems.flatMap((p) => p.diagnostics.map((d) => ({ file: p.file, line: d.range.start.line, column: d.range.start.column, code: d.code, message: d.message }))),
        results: o.results.map((r) => ({ name: r.name, ok: r.ok, line: r.range.start.line, ...(r.error ? { error: r.error } : {}), outputs: r.outputs, ...(r.decided_by ? { decided_by: r.decided_by } : {}) })),
      })) }, null, 2)}\n`;
    if (values.output) {
      try { writeFileSync(resolve(values.output), text); } catch (e) {
        throw new CliError(`${values.output}: 无法写入报告 / cannot write the report (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}) — check the folder exists`);
      }
    } else {
      process.stdout.write(text);
    }
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
  if (ran === 0 && broken === 0) {
    err(bi('没有运行任何情景（检查 --filter）', 'no scenario ran (check --filter)', lang));
    return 1;
  }
  return bad ? 1 : 0;
}
