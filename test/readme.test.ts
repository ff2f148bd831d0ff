// The README's "For testers" commands run as printed: the block is read from README.md, each
// line run by bash in a scratch folder that sees the checkout's policies/ and examples/, with
// `npx policy` meaning the built CLI (node dist/cli/main.js) and the publish going to a real
// server this test starts (its URL in place of http://127.0.0.1:3000). The integrators' curl
// blocks are run by test/runtime/crash.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, requireBuild, root, startServer, tempDir, type Server } from './cli/helpers.js';

/** The lines of the ```bash block under "## For testers", comments removed. */
function testerCommands(): string[] {
  const md = readFileSync(join(root, 'README.md'), 'utf8');
  const section = md.slice(md.indexOf('## For testers'));
  const block = /```bash\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README.md: no ```bash block under "## For testers"');
  return block.split('\n').map((l) => l.replace(/\s+#\s.*$/, '').trim()).filter(Boolean);
}

const commands = testerCommands();
const KEY = 'readme-editor-key';
let server: Server;
const cwd = tempDir('policy-readme-');

beforeAll(async () => {
  requireBuild();
  // A scratch folder standing in for the checkout: report.xml is written here, not in the repo.
  for (const d of ['policies', 'examples', 'dist']) symlinkSync(join(root, d), join(cwd, d));
  // Like `npm start`: every shipped policy seeded; one editor key, no reviewer, so publish is direct.
  server = await startServer({ POLICIES_DIR: join(root, 'policies'), API_KEYS: `${KEY}:editor` });
}, 60_000);
afterAll(async () => {
  await server?.stop();
  rmSync(cwd, { recursive: true, force: true });
});

/** Runs one README line as printed, but for the CLI's path and the test server's URL. */
function run(line: string) {
  const script = line.replace(/^npx policy /, `"${process.execPath}" "${main}" `).replaceAll('http://127.0.0.1:3000', server.url);
  const r = spawnSync('bash', ['-eo', 'pipefail', '-c', script], {
    cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, KEY, NO_COLOR: '1' }, encoding: 'utf8', timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, detail: `$ ${line}\n${r.stdout}\n${r.stderr}` };
}

/** The README line that is, or else starts with, `prefix` (a rewording of the README fails here, loudly). */
function line(prefix: string): string {
  const exact = commands.filter((c) => c === prefix);
  const found = exact.length ? exact : commands.filter((c) => c.startsWith(prefix));
  expect(found, `README "For testers" has one line starting ${prefix}`).toHaveLength(1);
  return found[0]!;
}

describe('README "For testers" commands, as printed', () => {
  it('is the build and then only `npx policy …` lines, each checked below', () => {
    expect(commands[0]).toBe('npm run build');  // npm test builds before running this file
    const rest = commands.slice(1);
    for (const c of rest) expect(c).toMatch(/^npx policy (check|test|eval|fmt|simulate|publish) /);
    expect(rest).toHaveLength(8);
  });

  it('check, test and fmt --check pass on the shipped policies', () => {
    const check = run(line('npx policy check policies/'));
    expect(check.code, check.detail).toBe(0);
    expect(check.stdout).toMatch(/: 0 errors, \d+ warnings?\n$/);
    const test = run(line('npx policy test policies/'));
    expect(test.code, test.detail).toBe(0);
    expect(test.stdout).toMatch(/\n\d+ passed, 0 failed · /);
    const fmt = run(line('npx policy fmt --check policies/'));
    expect(fmt.code, fmt.detail).toBe(0);
    expect(fmt.stdout).toMatch(/^\d+ files already formatted · 格式均已规范\n$/);
  }, 120_000);

  it('test --filter 渐退 --reporter junit --output report.xml writes the report', () => {
    const r = run(line('npx policy test policies/ --filter'));
    expect(r.code, r.detail).toBe(0);
    const file = join(cwd, 'report.xml');
    expect(existsSync(file)).toBe(true);
    const doc = new new Window().DOMParser().parseFromString(readFileSync(file, 'utf8'), 'application/xml') as unknown as Document;
    const cases = [...doc.querySelectorAll('testcase')];
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      expect(c.getAttribute('name')).toContain('渐退');
      expect(c.getAttribute('classname')).toMatch(/^[a-z0-9-]+\.v\d+$/);
    }
    expect(doc.querySelectorAll('failure, error').length).toBe(0);
  }, 60_000);

  it('eval --explain answers for examples/households/h.json', () => {
    const r = run(line('npx policy eval'));
    expect(r.code, r.detail).toBe(0);
    // v2 (in force on 2024-06-01): 900 / 3 = 300 per head; (650 − 300) × 3 = 1050; the child (born 2015) adds 10% × 350 = 35
    expect(r.stdout).toMatch(/^monthly_amount\s+月保障金额\s+1085\.00$/m);
    expect(r.stdout).toContain('· v2 ·');
    expect(r.stdout).toContain('决定于 decided by: 规则 rule 差额补助');
  }, 60_000);

  it('test examples/ passes, the draft and the suite naming its policy by id included', () => {
    const r = run(line('npx policy test examples/'));
    expect(r.code, r.detail).toBe(0);
    expect(r.stdout).toContain('examples/my-draft/policy.policy  dawukou-dibao');
    expect(r.stdout).toContain('examples/suites/dawukou-dibao-2024.yaml → policies/dawukou-dibao/v2/policy.policy');
  }, 60_000);

  it('simulate compares v2 with the draft', () => {
    const r = run(line('npx policy simulate'));
    expect(r.code, r.detail).toBe(0);
    expect(r.stdout).toContain('10,000 户 households');
    // the draft raises only the urban standard: the rural rows do not change
    expect(r.stdout).toMatch(/^农村 rural .* 0\.00$/m);
  }, 120_000);

  it('publish sends the draft to the server as dawukou-dibao v3, effective 2025-01-01', async () => {
    const r = run(line('npx policy publish'));
    expect(r.code, r.detail).toBe(0);
    // the server was seeded with v1 and v2 from policies/
    expect(r.stdout).toContain('published dawukou-dibao v3, 生效 effective 2025-01-01');
    const res = await fetch(`${server.url}/api/policies/dawukou-dibao/evaluate`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ as_of: '2025-06-01', household: JSON.parse(readFileSync(join(root, 'examples/households/h.json'), 'utf8')) }),
    });
    // the draft's 700 元/月: (700 − 300) × 3 + 10% × 400 = 1240.00
    expect(await res.json()).toMatchObject({ version: 3, outputs: { monthly_amount: '1240.00' } });
  }, 60_000);
});
