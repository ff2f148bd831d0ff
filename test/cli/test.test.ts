import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, fixtures, main, requireBuild, root, tempDir } from './helpers.js';

beforeAll(requireBuild);
const tmp = tempDir();
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The scenario names in a suite file, in order (read with the YAML parser, not the CLI). */
async function scenarioNames(file: string): Promise<string[]> {
  const YAML = (await import('yaml')).default;
  return (YAML.parse(readFileSync(file, 'utf8')) as { scenarios: { name: string }[] }).scenarios.map((s) => s.name);
}

function parseXml(text: string): Document {
  const doc = new new Window().DOMParser().parseFromString(text, 'application/xml') as unknown as Document;
  expect(doc.querySelector('parsererror'), 'well-formed XML').toBeNull();
  return doc;
}

describe.concurrent('policy test', () => {
  it('passes a good suite: ✓ per scenario, summary "4 passed, 0 failed", exit 0', async () => {
    const r = await cli(['test', `${fixtures}/good`]);
    expect(r.code).toBe(0);
    const names = await scenarioNames(`${fixtures}/good/dibao/scenarios.yaml`);
    for (const n of names) expect(r.stdout).toContain(`  ✓ ${n}\n`);
    expect(r.stdout.trim().split('\n').pop()).toBe('4 passed, 0 failed · 通过 4，失败 0');
    expect(r.stderr).toBe('');    // no progress indicator when piped
  });

  it('shows expected vs actual per output and decided_by mismatches; exit 1', async () => {
    const r = await cli(['test', `${fixtures}/failing/dibao/policy.policy`, '--lang', 'en']);
    expect(r.code).toBe(1);
    const out = r.stdout;
    expect(out).toContain('  ✓ 通过：城市三口之家\n');
    expect(out).toContain(`  ✗ 失败：金额算错 (${fixtures}/failing/dibao/scenarios.yaml:14)\n      monthly_amount: 预期 expected "1000.00", 实际 actual "1050.00"`);
    expect(out).toContain('  ✗ 失败：决定规则不符');
    expect(out).toContain('      decided_by monthly_amount: 预期 expected 差额补助, 实际 actual 渐退期');
    expect(out).toContain('household.members[0].birth_date');
    expect(out.trim().split('\n').pop()).toBe('2 passed, 3 failed');
  });

  it('reports a policy that does not compile (with the caret) and exits 1', async () => {
    const r = await cli(['test', `${fixtures}/broken`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${fixtures}/broken/dibao/policy.policy:22:30 error check.unknown-name`);
    expect(r.stdout).toContain('^^^^^^^^^^');
    expect(r.stdout).toContain(`policy check ${fixtures}/broken/dibao/policy.policy`);
    expect(r.stdout.trim().split('\n').pop()).toMatch(/^0 passed, 0 failed, 1 policy with errors/);
  });

  it('filters scenarios by substring and by /regex/', async () => {
    const [sub, re, none] = await Promise.all([
      cli(['test', fixtures, '--filter', '失败：', '--quiet']),
      cli(['test', `${fixtures}/good`, '--filter', '/^(农村|收入超标)/']),
      cli(['test', `${fixtures}/good`, '--filter', 'no such scenario']),
    ]);
    expect(sub.stdout.trim().split('\n').pop()).toMatch(/^0 passed, 3 failed, 1 policy with errors/);
    expect(sub.stdout).not.toContain('✓');
    expect(re.code).toBe(0);
    expect(re.stdout).toContain('✓ 农村单人户，年标准按月换算');
    expect(re.stdout).toContain('✓ 收入超标，处于渐退期');
    expect(re.stdout).not.toContain('城市三口之家');
    expect(re.stdout.trim().split('\n').pop()).toMatch(/^2 passed, 0 failed/);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no scenario ran');
  });

  it('writes JUnit XML that matches the scenarios\' real results', async () => {
    const xmlFile = join(tmp, 'report.xml');
    const r = await cli(['test', `${fixtures}/good`, `${fixtures}/failing`, `${fixtures}/broken`, '--reporter', 'junit', '--output', xmlFile]);
    expect(r.code).toBe(1);
    expect(existsSync(xmlFile)).toBe(true);
    const doc = parseXml(readFileSync(xmlFile, 'utf8'));
    const rootEl = doc.documentElement;
    expect(rootEl.tagName).toBe('testsuites');
    const suites = [...doc.querySelectorAll('testsuite')];
    expect(suites.map((s) => s.getAttribute('name'))).toEqual(['fixture-broken', 'fixture-failing', 'example-dibao']);

    // the good suite: one testcase per scenario, same names, no failures
    const good = suites[2]!;
    const goodNames = await scenarioNames(`${fixtures}/good/dibao/scenarios.yaml`);
    expect([...good.querySelectorAll('testcase')].map((c) => c.getAttribute('name'))).toEqual(goodNames);
    expect(good.getAttribute('tests')).toBe('4');
    expect(good.getAttribute('failures')).toBe('0');
    expect(good.querySelectorAll('failure').length).toBe(0);

    // the failing suite: 5 testcases, the 3 "失败：" ones fail, with expected and actual in the failure
    const failing = suites[1]!;
    const failingNames = await scenarioNames(`${fixtures}/failing/dibao/scenarios.yaml`);
    const cases = [...failing.querySelectorAll('testcase')];
    expect(cases.map((c) => c.getAttribute('name'))).toEqual(failingNames);
    expect(failing.getAttribute('failures')).toBe('3');
    const failed = cases.filter((c) => c.querySelector('failure')).map((c) => c.getAttribute('name'));
    expect(failed).toEqual(failingNames.filter((n) => n.startsWith('失败：')));
    const amount = cases.find((c) => c.getAttribute('name') === '失败：金额算错')!.querySelector('failure')!;
    expect(amount.getAttribute('message')).toBe('monthly_amount: 预期 expected "1000.00", 实际 actual "1050.00"');
    expect(amount.textContent).toContain('"1050.00"');
    expect(cases[0]!.getAttribute('line')).toBe('4');
    expect(cases[0]!.getAttribute('classname')).toBe('fixture-failing');

    // the broken policy: each of its 4 scenarios is an errored testcase, so the counts are honest
    const brokenNames = await scenarioNames(`${fixtures}/broken/dibao/scenarios.yaml`);
    const brokenCases = [...suites[0]!.querySelectorAll('testcase')];
    expect(brokenCases.map((c) => c.getAttribute('name'))).toEqual(brokenNames);
    expect(suites[0]!.getAttribute('tests')).toBe('4');
    expect(suites[0]!.getAttribute('errors')).toBe('4');
    for (const c of brokenCases) {
      expect(c.querySelector('error')!.getAttribute('type')).toBe('compile');
      expect(c.querySelector('error')!.textContent).toContain(`${fixtures}/broken/dibao/policy.policy:22:30 check.unknown-name`);
    }

    expect(rootEl.getAttribute('tests')).toBe(String(4 + 5 + 4));
    expect(rootEl.getAttribute('failures')).toBe('3');
    expect(rootEl.getAttribute('errors')).toBe('4');
    // the pretty output still went to stdout
    expect(r.stdout.trim().split('\n').slice(-2)[0]).toMatch(/^6 passed, 3 failed, 1 policy with errors/);
  });

  it('prints JUnit XML to stdout without --output, and JSON with --reporter json', async () => {
    const [x, j] = await Promise.all([
      cli(['test', `${fixtures}/good`, '--reporter', 'junit']),
      cli(['test', `${fixtures}/failing`, '--reporter', 'json']),
    ]);
    expect(x.code).toBe(0);
    const doc = parseXml(x.stdout);
    expect(doc.querySelectorAll('testcase').length).toBe(4);
    expect(x.stderr).toContain('4 passed, 0 failed');
    expect(j.code).toBe(1);
    const report = JSON.parse(j.stdout);
    expect(report).toMatchObject({ passed: 2, failed: 3, policy_errors: 0 });
    expect(report.suites[0].results.filter((x2: { ok: boolean }) => !x2.ok).map((x2: { name: string }) => x2.name))
      .toEqual(['失败：金额算错', '失败：决定规则不符', '失败：出生日期无效']);
  });

  it('explains what to do when a policy has no scenarios.yaml, and when a folder has no suites', async () => {
    const [file, dir] = await Promise.all([cli(['test', `${fixtures}/warn/policy.policy`]), cli(['test', `${fixtures}/households`])]);
    expect(file.code).toBe(1);
    expect(file.stderr).toContain(`${fixtures}/warn/policy.policy: 旁边没有 scenarios.yaml / no scenarios.yaml beside it`);
    expect(dir.code).toBe(1);
    expect(dir.stderr).toContain('no scenario suite found in test/cli/fixtures/households');
  });

  // script(1) comes with bsdutils, which every Debian system has: it gives the CLI a real terminal.
  it('shows a progress line and colour on a terminal only', () => {
    const env = { ...process.env };
    delete env.NO_COLOR; delete env.FORCE_COLOR;
    const r = spawnSync('script', ['-qec', `"${process.execPath}" "${main}" test ${fixtures}/good`, '/dev/null'], { cwd: root, env, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`\r\x1b[K[1/1] ${fixtures}/good/dibao/policy.policy`);
    expect(r.stdout).toContain('\x1b[32m✓\x1b[39m');
  });

  it('runs the repository\'s own example suite (examples/)', async () => {
    const r = await cli(['test', 'examples/']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\d+ passed, 0 failed/);
  });
});
