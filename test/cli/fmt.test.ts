import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { cli, fixtures, requireBuild, root, tempDir } from './helpers.js';

// the formatter of the build under test (dist/), which is what the CLI runs
const { format } = await import(pathToFileURL(join(root, 'dist/dsl/index.js')).href) as { format(s: string): string };

beforeAll(requireBuild);
const tmp = tempDir();
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('policy fmt', () => {
  it('--check lists unformatted files and exits 1 without touching them; fmt rewrites them; then --check passes', async () => {
    const dir = join(tmp, 'dibao');
    cpSync(`${fixtures}/good/dibao`, dir, { recursive: true });
    const file = join(dir, 'policy.policy');
    const original = readFileSync(file, 'utf8');
    expect(format(original)).not.toBe(original);   // the fixture is not in canonical layout

    const check = await cli(['fmt', '--check', tmp]);
    expect(check.code).toBe(1);
    expect(check.stdout.trim()).toBe(file);
    expect(check.stderr).toContain('1 of 1 file not formatted');
    expect(readFileSync(file, 'utf8')).toBe(original);

    const fmt = await cli(['fmt', file]);
    expect(fmt.code).toBe(0);
    expect(fmt.stdout).toBe(`formatted ${file}\n1 of 1 file formatted · 格式化了 1 个文件\n`);
    expect(readFileSync(file, 'utf8')).toBe(format(original));

    const [again, tests] = await Promise.all([cli(['fmt', '--check', tmp]), cli(['test', dir])]);
    expect(again.code).toBe(0);
    // success is a result, not a problem: stdout, and nothing on stderr
    expect(again.stdout).toBe('1 file already formatted · 格式均已规范\n');
    expect(again.stderr).toBe('');
    // formatting does not change what the policy decides
    expect(tests.code).toBe(0);
    expect(tests.stdout).toContain('4 passed, 0 failed');
  });

  it('refuses a file with syntax errors, naming it and what to do', async () => {
    const file = join(tmp, 'syntax.policy');
    writeFileSync(file, `${readFileSync(`${fixtures}/good/dibao/policy.policy`, 'utf8')}\n定义 坏 = = 1\n`);
    const r = await cli(['fmt', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/syntax\.policy:\d+:\d+: 有语法错误，无法格式化 \/ has syntax errors, cannot format — fix them first \(policy check /);
  });

  it('needs a path (exit 2)', async () => {
    const r = await cli(['fmt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('policy fmt --help');
  });
});
