// 引用 from a policies folder: which version of a referenced policy is in force on a date
// (`<root>/<id>/v<N>/policy.policy`, chosen by each version's 生效), as the checker's `linked`
// callback and as the scenario runner's resolver of compiled policies. A policy file laid out as
// <root>/<id>/vN/policy.policy resolves references in its own <root>; any other file in the
// policies folder given (--policies, $POLICIES_DIR, ./policies).
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { compileSource, parse, type AnalyzeOptions, type CompiledPolicy, type PolicyResolver } from '../dsl/index.js';
import { display, localVersions, modulesFor, readText } from './files.js';

const texts = new Map<string, string>();
const text = (file: string) => { let t = texts.get(file); if (t === undefined) { t = readText(file); texts.set(file, t); } return t; };
const effectiveOf = (source: string): string | null => parse(source).ast.header?.effective?.text ?? null;

/** The policies folder a policy file belongs to. */
export function rootOf(file: string, fallback: string): string {
  const abs = resolve(file);
  return /^v[1-9]\d*$/.test(basename(dirname(abs))) && basename(abs) === 'policy.policy' ? dirname(dirname(dirname(abs))) : fallback;
}

/** The version of `id` in force on `date` (the latest when date is null, the first when none is yet). */
export function versionInForce(root: string, id: string, date: string | null): { version: number; file: string; source: string } | undefined {
  const versions = /^[a-z0-9][a-z0-9-]*$/.test(id) ? localVersions(id, root) : [];
  if (!versions.length) return undefined;
  let chosen = date === null ? versions[versions.length - 1]! : undefined;
  if (date !== null) for (const v of versions) { const eff = effectiveOf(text(v.file)); if (eff && eff <= date) chosen = v; }
  chosen ??= versions[0]!;
  return { ...chosen, source: text(chosen.file) };
}

/** The policy ids in a folder (for "did you mean"). */
export function policyIds(root: string): string[] {
  return existsSync(root) ? readdirSync(root).filter((d) => d !== 'common' && localVersions(d, root).length > 0) : [];
}

/** analyze/compile options resolving a policy's 引用 from its folder, on the date the policy takes effect. */
export function linkOptions(file: string, source: string, fallbackRoot: string): Pick<AnalyzeOptions, 'linked' | 'linkedIds'> {
  const root = rootOf(file, fallbackRoot);
  const date = effectiveOf(source);
  return { linked: (id) => versionInForce(root, id, date), linkedIds: policyIds(root) };
}

/** The compiled version of a referenced policy in force on a scenario's as_of (compiled once per file). */
export function folderResolver(policyFile: string, fallbackRoot: string): PolicyResolver {
  const root = rootOf(policyFile, fallbackRoot);
  const cache = new Map<string, CompiledPolicy | undefined>();
  return (id, asOf) => {
    const v = versionInForce(root, id, asOf);
    if (!v) return undefined;
    if (!cache.has(v.file)) cache.set(v.file, compileSource(v.source, { file: display(v.file), modules: modulesFor(v.file), ...linkOptions(v.file, v.source, root) }).compiled);
    return cache.get(v.file);
  };
}

/** What 引用 reads in an impact simulation on `date`: each folder policy's version in force then
 *  (the simulation compiles and evaluates the ones the simulated versions use). */
export function linkedSourcesOn(policyFile: string, fallbackRoot: string, date: string): Record<string, { version: number; source: string }> {
  const root = rootOf(policyFile, fallbackRoot);
  const out: Record<string, { version: number; source: string }> = {};
  for (const id of policyIds(root)) {
    const v = versionInForce(root, id, date);
    if (v && (effectiveOf(v.source) ?? '') <= date) out[id] = { version: v.version, source: v.source };
  }
  return out;
}
