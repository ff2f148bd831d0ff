// Finding files: walking the paths given on the command line, the schema modules a policy uses
// (policies/common/*.policy as 'common/<name>'), and policies named by id.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { repoRoot } from '../base/repo-root.js';
import { CliError } from './args.js';

export type ModuleSources = Record<string, string>;

const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', '.test-results', 'data']);

/** A path as shown in messages: relative to the working directory when inside it. */
export function display(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !rel.startsWith(sep) ? rel.split(sep).join('/') : file;
}

export function readText(file: string, what: { zh: string; en: string } = { zh: '文件', en: 'file' }): string {
  try {
    return readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${display(file)}: 找不到${what.zh} / no such ${what.en} — check the path`, 2);
    if (code === 'EISDIR') throw new CliError(`${display(file)}: 是目录，应为文件 / is a directory, expected a ${what.en}`);
    throw new CliError(`${display(file)}: 无法读取 / cannot read (${code ?? (e as Error).message})`);
  }
}

function walk(dir: string, found: string[]): void {
  let entries: string[];
  try { entries = readdirSync(dir).sort(); } catch { return; }
  for (const name of entries) {
    if (name.startsWith('.') || SKIP_DIRS.has(name)) continue;
    const p = join(dir, name);
    let st;
    try { st = statSync(p); } catch { continue; }
    if (st.isDirectory()) walk(p, found);
    else if (st.isFile()) found.push(p);
  }
}

/** Is this file a schema module (policies/common/*.policy) rather than a policy? */
export function isModuleFile(file: string): boolean {
  return basename(dirname(resolve(file))) === 'common';
}

/**
 * Expands the command-line paths: a file is taken as given, a folder is walked for files that
 * `pick` accepts. A path that does not exist is an error naming it.
 */
export function expandPaths(paths: string[], pick: (file: string) => boolean): { files: string[]; explicit: Set<string> } {
  const files: string[] = [];
  const explicit = new Set<string>();
  for (const p of paths) {
    const abs = resolve(p);
    if (!existsSync(abs)) throw new CliError(`${p}: 找不到文件或目录 / no such file or directory — check the path`, 2);
    if (statSync(abs).isDirectory()) {
      const found: string[] = [];
      walk(abs, found);
      files.push(...found.filter(pick));
    } else {
      files.push(abs);
      explicit.add(abs);
    }
  }
  return { files: [...new Set(files)], explicit };
}

/** *.policy files that are policies (not schema modules in a common/ folder). */
export const isPolicyFile = (f: string) => f.endsWith('.policy') && !isModuleFile(f);

const moduleCache = new Map<string, ModuleSources>();

function readModules(commonDir: string): ModuleSources {
  const cached = moduleCache.get(commonDir);
  if (cached) return cached;
  const modules: ModuleSources = {};
  for (const f of readdirSync(commonDir).sort()) {
    if (f.endsWith('.policy')) modules[`common/${basename(f, '.policy')}`] = readFileSync(join(commonDir, f), 'utf8');
  }
  moduleCache.set(commonDir, modules);
  return modules;
}

/**
 * The common/ folder a policy file uses: walking up from the file, the first folder that holds
 * common/household.policy (or policies/common/household.policy); else the checkout's policies/common.
 */
export function commonDirFor(file: string): string | undefined {
  let dir = dirname(resolve(file));
  for (;;) {
    for (const c of [join(dir, 'common'), join(dir, 'policies', 'common')]) {
      if (existsSync(join(c, 'household.policy'))) return c;
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  const fallback = join(repoRoot(), 'policies', 'common');
  return existsSync(join(fallback, 'household.policy')) ? fallback : undefined;
}

export function modulesFor(file: string): ModuleSources {
  const dir = commonDirFor(file);
  return dir ? readModules(dir) : {};
}

/** policies/ for resolving a policy id: $POLICIES_DIR, ./policies, or the checkout's policies/. */
export function policiesDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.POLICIES_DIR) return resolve(env.POLICIES_DIR);
  const local = resolve('policies');
  if (existsSync(local)) return local;
  return join(repoRoot(), 'policies');
}

/** The versions of a policy id on disk: policies/<id>/v<N>/policy.policy, sorted by N. */
export function localVersions(id: string, root = policiesDir()): { version: number; file: string }[] {
  const dir = join(root, id);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir)
    .map((name) => ({ name, m: /^v([1-9]\d*)$/.exec(name) }))
    .filter((x) => x.m && existsSync(join(dir, x.name, 'policy.policy')))
    .map((x) => ({ version: Number(x.m![1]), file: join(dir, x.name, 'policy.policy') }))
    .sort((a, b) => a.version - b.version);
}

/** The scenarios.yaml beside a policy file, if any. */
export function scenariosFor(policyFile: string): string | undefined {
  const f = join(dirname(policyFile), 'scenarios.yaml');
  return existsSync(f) ? f : undefined;
}
