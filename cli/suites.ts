// Which scenario suites `policy test` runs, and on which policy file each scenario runs.
// A suite is either the scenarios.yaml beside a policy (it runs on that policy), or a suite in
// its own file that names its policy by id (`policy: dawukou-dibao`, optionally `version: 2`),
// found under the policies folder (--policies, else $POLICIES_DIR, ./policies or the checkout's).
// Without `version`, each scenario runs on the version in force on its as_of, as the runtime
// would answer it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Scenario, ScenarioSuite } from '../dsl/index.js';
import { nearest } from '../dsl/index.js';
import { display, expandPaths, isModuleFile, isPolicyFile, localVersions, scenariosFor } from './files.js';

/** A suite file to run; `beside` is the policy next to it when it is that policy's suite. */
export interface SuiteFile { file: string; beside?: string }

/** A standalone suite: a YAML file (not scenarios.yaml) with a top-level `scenarios:` key. */
export function isStandaloneSuite(file: string): boolean {
  if (!/\.ya?ml$/i.test(file) || basename(file) === 'scenarios.yaml') return false;
  try { return /^scenarios\s*:/m.test(readFileSync(file, 'utf8')); } catch { return false; }
}

function siblingPolicy(yamlFile: string): string | undefined {
  const dir = dirname(yamlFile);
  if (existsSync(join(dir, 'policy.policy'))) return join(dir, 'policy.policy');
  const list = readdirSync(dir).filter((f) => f.endsWith('.policy'));
  return list.length === 1 ? join(dir, list[0]!) : undefined;
}

/** The suites named by the command line's paths, and what is wrong with the ones that are not. */
export function findSuites(paths: string[]): { suites: SuiteFile[]; problems: string[] } {
  const { files, explicit } = expandPaths(paths, (f) => (isPolicyFile(f) && scenariosFor(f) !== undefined) || isStandaloneSuite(f));
  const suites = new Map<string, SuiteFile>();
  const problems: string[] = [];
  for (const f of files) {
    if (/\.ya?ml$/i.test(f)) {
      // scenarios.yaml belongs to the policy beside it; any other suite names its policy itself
      const beside = basename(f) === 'scenarios.yaml' || !isStandaloneSuite(f) ? siblingPolicy(f) : undefined;
      suites.set(f, beside ? { file: f, beside } : { file: f });
    } else if (f.endsWith('.policy')) {
      if (isModuleFile(f)) { problems.push(`${display(f)}: 是公共模式模块，没有情景 / is a schema module, it has no scenarios`); continue; }
      const s = scenariosFor(f);
      if (s) suites.set(s, { file: s, beside: f });
      else if (explicit.has(f)) problems.push(`${display(f)}: 旁边没有 scenarios.yaml / no scenarios.yaml beside it — write one (see docs/scenarios.md)`);
    } else if (explicit.has(f)) {
      problems.push(`${display(f)}: 不是 .policy 或情景 YAML 文件 / not a .policy or scenario suite (.yaml) file`);
    }
  }
  const order = (s: SuiteFile) => s.beside ?? s.file;
  return { suites: [...suites.values()].sort((a, b) => order(a).localeCompare(order(b))), problems };
}

/** The policy file one group of a suite's scenarios runs on, or why they cannot run. */
export interface Target {
  policyFile?: string; id: string; version: number | null; scenarios: Scenario[];
  /** Set when these scenarios cannot run: no such policy, version, or none in force on as_of. */
  unresolved?: { type: string; zh: string; en: string };
}

const versionOfPath = (file: string): number | null => {
  const m = /^v([1-9]\d*)$/.exec(basename(dirname(file)));
  return m ? Number(m[1]) : null;
};

/**
 * Groups a suite's scenarios by the policy file they run on. `effectiveOf` gives a policy file's
 * effective date (its header's 生效), used to pick the version in force on each as_of.
 */
export function targetsOf(s: SuiteFile, suite: ScenarioSuite, root: string, effectiveOf: (file: string) => string | null): Target[] {
  if (s.beside) return [{ policyFile: s.beside, id: suite.policy ?? '', version: versionOfPath(s.beside), scenarios: suite.scenarios }];
  const id = suite.policy ?? '';
  const fail = (type: string, zh: string, en: string): Target[] => [{ id, version: suite.version ?? null, scenarios: suite.scenarios, unresolved: { type, zh, en } }];
  if (!suite.policy) {
    return fail('no-policy', '单独的情景文件须写明政策编号', 'a suite in its own file must name its policy: add "policy: <id>" (and optionally "version: N") — see docs/scenarios.md');
  }
  const versions = /^[a-z0-9][a-z0-9-]*$/.test(id) ? localVersions(id, root) : [];
  if (!versions.length) {
    const known = existsSync(root) ? readdirSync(root).filter((d) => d !== 'common' && localVersions(d, root).length > 0) : [];
    const near = nearest(id, known);
    return fail('policy-not-found', `${display(root)}/ 下没有政策「${id}」${near ? `，是否应为「${near}」？` : ''}`,
      `no policy "${id}" under ${display(root)}/${near ? `; did you mean "${near}"?` : ''} — give the policies folder with --policies DIR`);
  }
  if (suite.version !== undefined) {
    const v = versions.find((x) => x.version === suite.version);
    if (!v) {
      const have = versions.map((x) => `v${x.version}`).join(', ');
      return fail('version-not-found', `政策「${id}」没有版本 ${suite.version}（现有 ${have}）`, `policy "${id}" has no version ${suite.version} (have ${have})`);
    }
    return [{ policyFile: v.file, id, version: v.version, scenarios: suite.scenarios }];
  }
  const first = effectiveOf(versions[0]!.file) ?? '?';
  const groups = new Map<string, Target>();   // by version; scenarios without one by as_of
  for (const sc of suite.scenarios) {
    let chosen: { version: number; file: string } | undefined;
    for (const v of versions) { const eff = effectiveOf(v.file); if (eff && eff <= sc.as_of) chosen = v; }
    const key = chosen ? `v${String(chosen.version).padStart(9, '0')}` : `-${sc.as_of}`;
    if (!groups.has(key)) {
      groups.set(key, chosen ? { policyFile: chosen.file, id, version: chosen.version, scenarios: [] } : {
        id, version: null, scenarios: [],
        unresolved: { type: 'no-version-in-force', zh: `政策「${id}」在 ${sc.as_of} 没有生效的版本（最早的版本 ${first} 生效）`,
          en: `no version of "${id}" is in force on ${sc.as_of} (the first takes effect on ${first}) — pin one with "version: N" or use a later as_of` },
      });
    }
    groups.get(key)!.scenarios.push(sc);
  }
  return [...groups.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([, t]) => t);
}
