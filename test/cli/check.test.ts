import { beforeAll, describe, expect, it } from 'vitest';
import { cli, fixtures, requireBuild } from './helpers.js';

beforeAll(requireBuild);

const broken = `${fixtures}/broken/dibao/policy.policy`;
const warn = `${fixtures}/warn/policy.policy`;

describe.concurrent('policy check', () => {
  it('passes a clean policy with a summary line and exit 0', async () => {
    const r = await cli(['check', `${fixtures}/good`]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('检查了 2 个文件：0 个错误，0 个警告 / 2 files checked: 0 errors, 0 warnings');
  });

  it('prints errors like a compiler: file:line:col severity code message, the line and a caret; exit 1', async () => {
    const r = await cli(['check', broken]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`${broken}:22:30 error check.unknown-name 未定义的名称「低保标准线」，是否应为「低保标准」？ / Unknown name "低保标准线"; did you mean "低保标准"?`);
    expect(lines[1]).toBe('22 | 输出 eligible「是否符合低保」 = 人均收入 < 低保标准线 依据「001 第一章第一节」');
    // the caret sits under 低保标准线 (CJK characters are two columns wide): five characters → ten carets
    const before = '输出 eligible「是否符合低保」 = 人均收入 < ';
    const cols = [...before].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
    expect(lines[2]).toBe(`   | ${' '.repeat(cols)}${'^'.repeat(10)}`);
    expect(r.stdout).toContain('1 file checked: 1 error, 0 warnings');
    expect(r.stdout).not.toContain('\x1b[');   // piped: no colour
  });

  it('exits 0 for warnings alone, and --lang en prints English only', async () => {
    const r = await cli(['check', warn, '--lang', 'en']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${warn}:14:4 warning check.unused-parameter Parameter "未用参数" is never used`);
    expect(r.stdout).not.toContain('从未使用');
    expect(r.stdout.trim().split('\n').pop()).toBe('1 file checked: 0 errors, 1 warning');
  });

  it('walks folders, skips schema modules, and gives JSON with --format json', async () => {
    const r = await cli(['check', fixtures, '--format', 'json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.errors).toBe(1);
    expect(j.warnings).toBe(1);
    const files = j.files.map((f: { file: string }) => f.file);
    expect(files).toContain(broken);
    expect(files).toContain(`${fixtures}/failing/dibao/scenarios.yaml`);
    expect(j.files.find((f: { file: string }) => f.file === broken).diagnostics[0]).toMatchObject({
      line: 22, column: 30, severity: 'error', code: 'check.unknown-name', message: { en: 'Unknown name "低保标准线"; did you mean "低保标准"?' },
    });
  });

  it('colours on request (FORCE_COLOR) and never with NO_COLOR', async () => {
    const coloured = await cli(['check', broken], { env: { FORCE_COLOR: '1' } });
    expect(coloured.stdout).toContain('\x1b[31m');
    const plain = await cli(['check', broken], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(plain.stdout).not.toContain('\x1b[');
  });

  it('names a missing path and says what to do (exit 2)', async () => {
    const r = await cli(['check', 'no/such/file.policy']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no/such/file.policy');
    expect(r.stderr).toContain('check the path');
  });

  it('reports YAML errors in a scenarios file', async () => {
    const { writeFileSync, mkdirSync, rmSync } = await import('node:fs');
    const { tempDir } = await import('./helpers.js');
    const dir = tempDir();
    mkdirSync(`${dir}/x`);
    writeFileSync(`${dir}/x/scenarios.yaml`, 'scenarios:\n  - name: a\n    as_of: [\n');
    const r = await cli(['check', `${dir}/x/scenarios.yaml`]);
    rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/scenarios\.yaml:\d+:\d+ error scenario\.yaml/);
  });
});
