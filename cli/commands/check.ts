// policy check <files|dirs>: parse and check policies (and scenario files), printed like a
// compiler. Exit 1 when any file has errors; warnings alone exit 0.
import { basename, resolve } from 'node:path';
import { analyze, compileSource, parseScenarios, type Diagnostic } from '../../dsl/index.js';
import { checkScenario } from '../../dsl/index.js';
import { diagnostic, zeroRange } from '../../dsl/index.js';
import { oneOf, parse, UsageError } from '../args.js';
import { counts, diagnosticJson, formatDiagnostic } from '../diagnostics.js';
import { display, expandPaths, isModuleFile, isPolicyFile, modulesFor, policiesDir, readText } from '../files.js';
import { HELP } from '../help.js';
import { findSuites, isStandaloneSuite, targetsOf, type SuiteFile } from '../suites.js';
import { bi, err, out, style, type Lang } from '../output.js';
import { linkOptions } from '../links.js';


interface FileResult { file: string; kind: 'policy' | 'scenarios'; diagnostics: Diagnostic[]; source: string }

/**
 * A suite's diagnostics: the file's own (YAML, shape, unknown keys, duplicate names), then, when
 * its policy compiles, each scenario checked against it (expect keys, decided_by rules).
 */
function checkSuite(abs: string, file: string, source: string, root: string): Diagnostic[] {
  const parsed = parseScenarios(source, file);
  if (!parsed.suite || parsed.diagnostics.some((d) => d.severity === 'error')) return parsed.diagnostics;
  const beside = basename(abs) === 'scenarios.yaml' ? findSuites([abs]).suites[0]?.beside : undefined;
  const suite: SuiteFile = beside ? { file: abs, beside } : { file: abs };
  const compiled = new Map<string, ReturnType<typeof compileSource>>();
  const compile = (f: string) => {
    let c = compiled.get(f);
    if (!c) { const src = readText(f); c = compileSource(src, { file: display(f), modules: modulesFor(f), ...linkOptions(f, src, root) }); compiled.set(f, c); }
    return c;
  };
  const found = [...parsed.diagnostics];
  for (const t of targetsOf(suite, parsed.suite, root, (f) => compile(f).info?.effective ?? null)) {
    if (t.unresolved) {
      found.push({ ...diagnostic('scenario.policy-unresolved', t.scenarios[0]?.range ?? zeroRange, { zh: t.unresolved.zh, en: t.unresolved.en }), file });
      continue;
    }
    const c = t.policyFile ? compile(t.policyFile).compiled : undefined;
    if (c) for (const sc of t.scenarios) found.push(...checkScenario(c, sc).map((d) => ({ ...d, file })));
  }
  return found.sort((a, b) => a.range.start.offset - b.range.start.offset);
}

export function checkFile(abs: string, root = policiesDir()): FileResult {
  const file = display(abs);
  const source = readText(abs);
  if (abs.endsWith('.yaml') || abs.endsWith('.yml')) {
    return { file, kind: 'scenarios', source, diagnostics: checkSuite(abs, file, source, root) };
  }
  return { file, kind: 'policy', source, diagnostics: analyze(source, { file, modules: modulesFor(abs), ...linkOptions(abs, source, root) }).diagnostics };
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parse('check', args, {
    format: { type: 'string' }, lang: { type: 'string' }, policies: { type: 'string' },
  });
  const root = values.policies !== undefined ? resolve(values.policies) : policiesDir();
  if (values.help) { out(HELP.check); return 0; }
  const format = oneOf('check', 'format', values.format, ['text', 'json'] as const, 'text');
  const langOpt = oneOf('check', 'lang', values.lang, ['zh', 'en', 'both'] as const, 'both');
  const lang: Lang = langOpt;
  if (positionals.length === 0) throw new UsageError('请给出要检查的文件或目录 / give the files or folders to check, e.g. policy check policies/', 'check');

  const { files, explicit } = expandPaths(positionals, (f) => isPolicyFile(f) || basename(f) === 'scenarios.yaml' || isStandaloneSuite(f));
  const results: FileResult[] = [];
  const skipped: string[] = [];
  for (const f of files) {
    if (f.endsWith('.policy') && isModuleFile(f)) { skipped.push(display(f)); continue; }
    if (!f.endsWith('.policy') && !/\.ya?ml$/.test(f) && explicit.has(f)) {
      throw new UsageError(`${display(f)}: 不是 .policy 或 scenarios.yaml 文件 / not a .policy or scenarios.yaml file`, 'check');
    }
    results.push(checkFile(f, root));
  }
  const all = results.flatMap((r) => r.diagnostics);
  const total = counts(all);

  if (format === 'json') {
    out(JSON.stringify({
      files: results.map((r) => ({ file: r.file, kind: r.kind, diagnostics: r.diagnostics.map((d) => diagnosticJson(d, r.file)) })),
      skipped, errors: total.errors, warnings: total.warnings, infos: total.infos,
    }, null, 2));
    return total.errors > 0 ? 1 : 0;
  }

  const st = style();
  for (const r of results) {
    for (const d of r.diagnostics) {
      out(formatDiagnostic(d, r.file, r.source, lang, st));
      out();
    }
  }
  for (const s of skipped) err(bi(`${s}: 公共模式模块，已跳过（随使用它的政策一起检查）`, `${s}: schema module, skipped (checked with the policies that use it)`, lang));
  if (results.length === 0) {
    err(bi(`在 ${positionals.join(' ')} 中没有找到 .policy 文件`, `no .policy files found in ${positionals.join(' ')}`, lang));
    return skipped.length > 0 ? 0 : 1;
  }
  const n = results.length;
  const zh = `检查了 ${n} 个文件：${total.errors} 个错误，${total.warnings} 个警告`;
  const en = `${n} file${n === 1 ? '' : 's'} checked: ${total.errors} error${total.errors === 1 ? '' : 's'}, ${total.warnings} warning${total.warnings === 1 ? '' : 's'}`;
  const line = bi(zh, en, lang);
  out(total.errors ? st.red(st.bold(line)) : total.warnings ? st.yellow(line) : st.green(line));
  return total.errors > 0 ? 1 : 0;
}
