// The policy under test: policies/dawukou-dibao/v2 when it exists and compiles, else the
// example dibao policy (same rules). Modules are every policies/common/*.policy.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, basename } from 'node:path';
import { compileSource, type CompiledPolicy } from '../../dsl/index.js';
import { repoRoot } from '../../base/repo-root.js';

export type Modules = Record<string, string>;

export function loadModules(root = repoRoot()): Modules {
  const dir = join(root, 'policies', 'common');
  const out: Modules = {};
  if (existsSync(dir)) for (const f of readdirSync(dir).sort()) if (f.endsWith('.policy')) out[`common/${basename(f, '.policy')}`] = readFileSync(join(dir, f), 'utf8');
  return out;
}

export interface PolicyUnderTest {
  file: string; source: string; modules: Modules; compiled: CompiledPolicy;
  eligibleIndex: number; amountIndex: number; note: string;
}

export const CANDIDATES = ['policies/dawukou-dibao/v2/policy.policy', 'examples/dibao/policy.policy'];

export function loadPolicy(root = repoRoot()): PolicyUnderTest {
  const modules = loadModules(root);
  const skipped: string[] = [];
  for (const rel of CANDIDATES) {
    const path = join(root, rel);
    if (!existsSync(path)) { skipped.push(`${rel} (missing)`); continue; }
    const source = readFileSync(path, 'utf8');
    const r = compileSource(source, { file: rel, modules });
    if (!r.compiled) { skipped.push(`${rel} (${r.diagnostics.filter((d) => d.severity === 'error').length} errors)`); continue; }
    return policyFrom(rel, source, modules, r.compiled, skipped.length ? `used ${rel}; skipped ${skipped.join(', ')}` : `used ${rel}`);
  }
  throw new Error(`no dibao policy compiles: ${skipped.join(', ')}`);
}

export function policyFrom(file: string, source: string, modules: Modules, compiled: CompiledPolicy, note = `used ${file}`): PolicyUnderTest {
  const names = compiled.info.outputs.map((o) => o.name);
  const eligibleIndex = names.indexOf('eligible'), amountIndex = names.indexOf('monthly_amount');
  if (eligibleIndex < 0 || amountIndex < 0) throw new Error(`${file} lacks eligible/monthly_amount outputs`);
  return { file, source, modules, compiled, eligibleIndex, amountIndex, note };
}
