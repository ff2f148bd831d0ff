// The golden folder (test/dsl/golden) and what each of its files produces, shared by the golden
// test (exactly the listed diagnostics) and the coverage test (every code has a file).
// - X.policy: checked as `analyze` does, with policies/common as its modules and the policies in
//   golden/linked/<id>/v<N>/policy.policy as the ones its 引用 can read (a file whose name starts
//   with `no-lookup` is checked as by a caller that gives no way to read them).
// - X.yaml: a scenario suite, checked as `policy check` does with golden/linked as its policies folder.
// X.expected lists the diagnostics of every severity, in order: `line:col severity code`, each
// optionally followed by indented `zh: …` and `en: …` lines giving its message exactly.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyze, type Diagnostic } from '../../dsl/index.js';
import { linkOptions } from '../../cli/links.js';
import { checkFile } from '../../cli/commands/check.js';

export const goldenDir = 'test/dsl/golden';
const linkedRoot = `${goldenDir}/linked`;
const modules = { 'common/household': readFileSync('policies/common/household.policy', 'utf8') };

export const goldenFiles = (): string[] => readdirSync(goldenDir).filter((x) => /\.(policy|yaml)$/.test(x)).sort();

export function diagnosticsOf(f: string): Diagnostic[] {
  const path = `${goldenDir}/${f}`;
  if (f.endsWith('.yaml')) return checkFile(resolve(path), resolve(linkedRoot)).diagnostics;
  const source = readFileSync(path, 'utf8');
  return analyze(source, { modules, file: f, ...(f.startsWith('no-lookup') ? {} : linkOptions(path, source, linkedRoot)) }).diagnostics;
}

export interface Expected { head: string; zh?: string; en?: string }

export function expectedOf(f: string): Expected[] {
  const out: Expected[] = [];
  for (const line of readFileSync(`${goldenDir}/${f.replace(/\.(policy|yaml)$/, '.expected')}`, 'utf8').split('\n')) {
    const m = /^\s+(zh|en): (.*)$/.exec(line);
    if (m) { const last = out[out.length - 1]; if (!last) throw new Error(`${f}: a message line before any diagnostic`); last[m[1] as 'zh' | 'en'] = m[2]; }
    else if (line.trim()) out.push({ head: line.trim() });
  }
  return out;
}

/** A diagnostic as the .expected file writes it, with its messages where the file gives them. */
export function asExpected(d: Diagnostic, e: Expected | undefined): Expected {
  return {
    head: `${d.range.start.line}:${d.range.start.column} ${d.severity} ${d.code}`,
    ...(e?.zh !== undefined ? { zh: d.message.zh } : {}), ...(e?.en !== undefined ? { en: d.message.en } : {}),
  };
}
