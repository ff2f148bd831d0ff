// policy fmt <files|dirs> [--check]: formats policy files in place with the language's
// formatter; --check lists the files that would change and exits 1 (for CI).
import { writeFileSync } from 'node:fs';
import { analyze, format } from '../../dsl/index.js';
import { CliError, parse, UsageError } from '../args.js';
import { display, expandPaths, isModuleFile, readText } from '../files.js';
import { HELP } from '../help.js';
import { err, out, style } from '../output.js';


export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parse('fmt', args, { check: { type: 'boolean' } });
  if (values.help) { out(HELP.fmt); return 0; }
  if (positionals.length === 0) throw new UsageError('请给出要格式化的文件或目录 / give the files or folders to format, e.g. policy fmt policies/', 'fmt');
  const { files, explicit } = expandPaths(positionals, (f) => f.endsWith('.policy'));
  for (const f of explicit) if (!f.endsWith('.policy')) throw new UsageError(`${display(f)}: 不是 .policy 文件 / not a .policy file`, 'fmt');
  if (files.length === 0) { err(`在 ${positionals.join(' ')} 中没有 .policy 文件 / no .policy files in ${positionals.join(' ')}`); return 1; }
  const st = style();
  const changed: string[] = [];
  let broken = 0;
  for (const f of files) {
    const name = display(f);
    const source = readText(f);
    // The formatter leaves a file it cannot parse unchanged; say so rather than pass it silently.
    if (!isModuleFile(f)) {
      const syntax = analyze(source, { file: name }).diagnostics.filter((d) => d.severity === 'error' && d.code.startsWith('syntax.'));
      if (syntax.length) {
        const d = syntax[0]!;
        err(`${name}:${d.range.start.line}:${d.range.start.column}: 有语法错误，无法格式化 / has syntax errors, cannot format — fix them first (policy check ${name})`);
        broken++;
        continue;
      }
    }
    let formatted: string;
    try { formatted = format(source); } catch (e) {
      throw new CliError(`${name}: 格式化失败 / the formatter failed (${(e as Error).message}) — run policy check ${name}`);
    }
    if (formatted === source) continue;
    changed.push(name);
    if (values.check) { out(name); continue; }
    try { writeFileSync(f, formatted); } catch (e) {
      throw new CliError(`${name}: 无法写入 / cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}) — check the file's permissions`);
    }
    out(`${st.green('formatted')} ${name}`);
  }
  const n = files.length;
  // Success goes to stdout like every other result; only a problem goes to stderr.
  if (values.check) {
    if (changed.length) err(`${changed.length} of ${n} file${n === 1 ? '' : 's'} not formatted · ${changed.length} 个文件需要格式化 — run: policy fmt ${positionals.join(' ')}`);
    else out(`${n} file${n === 1 ? '' : 's'} already formatted · 格式均已规范`);
    return changed.length || broken ? 1 : 0;
  }
  out(`${changed.length} of ${n} file${n === 1 ? '' : 's'} formatted · 格式化了 ${changed.length} 个文件`);
  return broken ? 1 : 0;
}
