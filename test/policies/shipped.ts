// The shipped policies (policies/<id>/v<N>/policy.policy) as tests compile them: a policy that
// reads others (引用) is checked against the version of each in force on its own effective date,
// and a scenario or a generated household evaluates the referenced ones for real, on the version
// in force on its as_of. One place, so that every test resolves references the same way.
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSource, parseScenarios, type AnalyzeOptions, type CompiledPolicy, type LinkedResult } from '../../dsl/index.js';
import { linkedResults } from '../../dsl/scenarios/linked.js';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'policies');
export const modules = { 'common/household': readFileSync(join(root, 'common', 'household.policy'), 'utf8') };

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();
/** Every version folder, by id then version number. */
export const versions: { id: string; n: number; dir: string }[] = readdirSync(root).sort()
  .filter((id) => id !== 'common' && isDir(join(root, id)))
  .flatMap((id) => readdirSync(join(root, id)).map((v) => /^v(\d+)$/.exec(v)).filter((m): m is RegExpExecArray => m !== null && isDir(join(root, id, m[0])))
    .map((m) => ({ id, n: Number(m[1]), dir: join(root, id, m[0]) })))
  .sort((a, b) => a.id.localeCompare(b.id) || a.n - b.n);
export const ids = [...new Set(versions.map((v) => v.id))];

const sourceOf = (dir: string) => readFileSync(join(dir, 'policy.policy'), 'utf8');
export const effectiveOf = (dir: string): string => /生效\s+(\d{4}-\d{2}-\d{2})/.exec(sourceOf(dir))?.[1] ?? '';

/** The version of `id` in force on `date` (the first one when none is yet). */
export function inForce(id: string, date: string): { id: string; n: number; dir: string } | undefined {
  const vs = versions.filter((v) => v.id === id);
  return vs.filter((v) => effectiveOf(v.dir) <= date).pop() ?? vs[0];
}

/** analyze/compile options for a shipped policy file (or any source, checked as of `date`). */
export function linkOptions(fileOrDate: string): Pick<AnalyzeOptions, 'linked' | 'linkedIds'> {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(fileOrDate) ? fileOrDate : basename(fileOrDate) === 'policy.policy' ? effectiveOf(dirname(fileOrDate)) : '9999-12-31';
  return { linked: (id) => { const v = inForce(id, date); return v ? { version: v.n, source: sourceOf(v.dir) } : undefined; }, linkedIds: ids };
}

const cache = new Map<string, CompiledPolicy | undefined>();
/** The compiled version of `id` in force on `asOf` (a PolicyResolver for runScenarios). */
export function resolve(id: string, asOf: string): CompiledPolicy | undefined {
  const v = inForce(id, asOf);
  if (!v) return undefined;
  if (!cache.has(v.dir)) cache.set(v.dir, compileSource(sourceOf(v.dir), { modules, ...linkOptions(join(v.dir, 'policy.policy')) }).compiled);
  return cache.get(v.dir);
}

/** The referenced policies' results for one household (evaluated for real), or {} when none. */
export function linkedFor(compiled: CompiledPolicy, household: unknown, asOf: string): Record<string, LinkedResult> {
  if (!compiled.uses.length) return {};
  const r = linkedResults(compiled, household, asOf, undefined, resolve);
  return 'linked' in r ? r.linked : {};
}

export interface ShippedScenarios {
  name: string;
  compiled: CompiledPolicy;
  scenarios: { as_of: string; household: unknown; linked?: Record<string, Record<string, unknown>> }[];
}
/** Every shipped version compiled to generated code (whatever POLICY_COMPILER says: the fast
 *  paths under test are codegen's; the whole suite also runs with POLICY_COMPILER=closures),
 *  with its scenarios, by id then version. */
export function shippedCodegen(): ShippedScenarios[] {
  return versions.map(({ id, n, dir }) => {
    const { compiled } = compileSource(sourceOf(dir), { modules, ...linkOptions(join(dir, 'policy.policy')), mode: 'codegen' });
    if (!compiled) throw new Error(`${id}/v${n} does not compile`);
    const suite = parseScenarios(readFileSync(join(dir, 'scenarios.yaml'), 'utf8')).suite;
    return { name: `${id}/v${n}`, compiled, scenarios: suite?.scenarios ?? [] };
  });
}
