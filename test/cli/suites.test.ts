// policy test: suites in their own files naming their policy by id (and version), mistakes in
// scenario files reported with file:line:column, and the JUnit report's details CI tools rely on.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, fixtures, requireBuild, tempDir } from './helpers.js';

beforeAll(requireBuild);
const tmp = tempDir();
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// test/cli/standalone/policies/fixture-dibao: v1 from 2022-01-01 (城市 650 元/月), v2 from 2024-01-01 (700)
const dir = 'test/cli/standalone';
const policies = ['--policies', `${dir}/policies`];
const suite = (name: string) => `${dir}/suites/${name}.yaml`;

function parseXml(text: string): Document {
  const doc = new new Window().DOMParser().parseFromString(text, 'application/xml') as unknown as Document;
  expect(doc.querySelector('parsererror'), 'well-formed XML').toBeNull();
  return doc;
}
const attr = (els: Iterable<Element>, name: string) => [...els].map((e) => e.getAttribute(name));

describe.concurrent('policy test: a suite in its own file names its policy by id', () => {
  it('runs each scenario on the version in force on its as_of', async () => {
    const r = await cli(['test', suite('by-date'), ...policies]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${suite('by-date')} → ${dir}/policies/fixture-dibao/v1/policy.policy  fixture-dibao v1「按编号引用的测试政策」\n  ✓ 2023 年城市单人户按 v1 标准\n`);
    expect(r.stdout).toContain(`${suite('by-date')} → ${dir}/policies/fixture-dibao/v2/policy.policy  fixture-dibao v2「按编号引用的测试政策」\n  ✓ 2024 年城市单人户按 v2 标准\n`);
    expect(r.stdout.trim().split('\n').pop()).toBe('2 passed, 0 failed · 通过 2，失败 0');
  });

  it('version: N pins the version whatever the date', async () => {
    const r = await cli(['test', suite('pinned'), ...policies]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('fixture-dibao v1');
    expect(r.stdout).toContain('✓ 固定 v1，2024 年仍按 650 计算');
  });

  it('finds the policy under ./policies by default', async () => {
    const r = await cli(['test', 'suites/pinned.yaml'], { cwd: join(process.cwd(), dir), env: { POLICIES_DIR: undefined } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('suites/pinned.yaml → policies/fixture-dibao/v1/policy.policy');
  });

  it('names a misspelt policy id with the nearest one, and a date before the first version', async () => {
    const [miss, early] = await Promise.all([cli(['test', suite('misspelt-policy'), ...policies]), cli(['test', suite('unresolved'), ...policies])]);
    expect(miss.code).toBe(1);
    expect(miss.stdout).toContain(`下没有政策「fixture-dibo」，是否应为「fixture-dibao」？ / no policy "fixture-dibo" under ${dir}/policies/; did you mean "fixture-dibao"?`);
    expect(early.code).toBe(1);
    expect(early.stdout).toContain('no version of "fixture-dibao" is in force on 2021-06-01 (the first takes effect on 2022-01-01)');
    expect(early.stdout).toContain('has errors; 1 scenario not run');
  });

  it('walks a folder for suites in their own files', async () => {
    const r = await cli(['test', `${dir}/suites`, ...policies, '--filter', '/^(2023|2024|固定)/']);
    expect(r.stdout).toContain('✓ 2023 年城市单人户按 v1 标准');
    expect(r.stdout).toContain('✓ 2024 年城市单人户按 v2 标准');
    expect(r.stdout).toContain('✓ 固定 v1，2024 年仍按 650 计算');
  });
});

describe.concurrent('policy test: mistakes in a scenario file', () => {
  it('a misspelt expect output or decided_by rule fails that scenario with file:line:column and the nearest name', async () => {
    const r = await cli(['test', suite('mistakes'), ...policies]);
    expect(r.code).toBe(1);
    const f = suite('mistakes');
    expect(r.stdout).toContain(`${f}:8:15 scenario.unknown-output 情景「输出名拼错」的 expect 中「eligble」不是本政策的输出，是否应为「eligible」？ / Scenario "输出名拼错": expect names "eligble", which is not an output of this policy; did you mean "eligible"?`);
    expect(r.stdout).toContain(`${f}:13:19 scenario.unknown-rule`);
    expect(r.stdout).toContain('是否应为「差额补助」？');
    expect(r.stdout).toContain('✓ 正确的情景');
    expect(r.stdout.trim().split('\n').pop()).toBe('1 passed, 2 failed · 通过 1，失败 2');
  });

  it('a duplicate scenario name stops the suite, pointing at the second name (policy check says the same)', async () => {
    const [t, c] = await Promise.all([cli(['test', suite('duplicate'), ...policies]), cli(['check', suite('duplicate')])]);
    expect(t.code).toBe(1);
    const line = `${suite('duplicate')}:7:11 error scenario.duplicate-name 情景名称「同名」重复（第 3 行已使用） / Scenario name "同名" is used twice (first on line 3)`;
    expect(t.stdout).toContain(line);
    expect(t.stdout).toContain('the suite file has errors; not run');
    expect(c.code).toBe(1);
    expect(c.stdout).toContain(line);
  });

  it('in JUnit, a scenario with a mistake is an <error>, not a pass', async () => {
    const r = await cli(['test', suite('mistakes'), ...policies, '--reporter', 'junit']);
    const doc = parseXml(r.stdout);
    const cases = [...doc.querySelectorAll('testcase')];
    expect(attr(cases, 'name')).toEqual(['输出名拼错', '规则名拼错', '正确的情景']);
    expect(cases.map((c) => c.querySelector('error')?.getAttribute('type') ?? null)).toEqual(['scenario', 'scenario', null]);
    expect(doc.documentElement.getAttribute('errors')).toBe('2');
  });
});

describe.concurrent('policy check: suites are checked against their policy too', () => {
  it('reports misspelt outputs and rules, duplicates and unresolved policies, with --policies', async () => {
    const r = await cli(['check', `${dir}/suites`, ...policies, '--lang', 'en']);
    expect(r.code).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => / error /.test(l)).map((l) => l.split(' ').slice(0, 3).join(' '));
    expect(errors).toEqual([
      `${suite('duplicate')}:7:11 error scenario.duplicate-name`,
      `${suite('misspelt-policy')}:3:5 error scenario.policy-unresolved`,
      `${suite('mistakes')}:8:15 error scenario.unknown-output`,
      `${suite('mistakes')}:13:19 error scenario.unknown-rule`,
      `${suite('unresolved')}:4:5 error scenario.policy-unresolved`,
    ]);
    expect(r.stdout.trim().split('\n').pop()).toBe('6 files checked: 5 errors, 0 warnings');
  });

  it('without the policies folder, a suite naming an unknown policy is an error, not a quiet pass', async () => {
    const r = await cli(['check', suite('mistakes')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('no policy "fixture-dibao" under policies/');
  });
});

describe.concurrent('policy test: JUnit for CI', () => {
  it('classnames are unique per policy version', async () => {
    const [own, byId] = await Promise.all([
      cli(['test', 'policies/dawukou-dibao', '--reporter', 'junit']),
      cli(['test', suite('by-date'), ...policies, '--reporter', 'junit']),
    ]);
    const classes = (x: string) => [...new Set(attr(parseXml(x).querySelectorAll('testcase'), 'classname'))];
    expect(classes(own.stdout)).toEqual(['dawukou-dibao.v1', 'dawukou-dibao.v2']);
    expect(attr(parseXml(own.stdout).querySelectorAll('testsuite'), 'name')).toEqual(['dawukou-dibao.v1', 'dawukou-dibao.v2']);
    expect(classes(byId.stdout)).toEqual(['fixture-dibao.v1', 'fixture-dibao.v2']);
  });

  it('sets timestamp and hostname, and --output creates missing folders', async () => {
    const before = new Date(Date.now() - 1000).toISOString().slice(0, 19);
    const file = join(tmp, 'a', 'b', 'report.xml');
    const r = await cli(['test', `${fixtures}/good`, '--reporter', 'junit', '--output', file]);
    const after = new Date(Date.now() + 1000).toISOString().slice(0, 19);
    expect(r.code).toBe(0);
    expect(existsSync(file)).toBe(true);
    const doc = parseXml(readFileSync(file, 'utf8'));
    const s = doc.querySelector('testsuite')!;
    expect(s.getAttribute('hostname')).toBe(hostname());
    const ts = s.getAttribute('timestamp')!;
    expect(ts).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    expect(ts >= before && ts <= after, `${before} ≤ ${ts} ≤ ${after}`).toBe(true);
  });

  it('--output into a path that cannot be a folder says so (exit 1)', async () => {
    const r = await cli(['test', `${fixtures}/good`, '--reporter', 'junit', '--output', `${fixtures}/good/dibao/policy.policy/x.xml`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('无法写入报告 / cannot write the report');
  });

  it('under --filter, no empty <testsuite>; a broken policy still shows as an error', async () => {
    const r = await cli(['test', fixtures, '--filter', '失败：', '--reporter', 'junit']);
    const doc = parseXml(r.stdout);
    const suites = [...doc.querySelectorAll('testsuite')];
    // good/ has no 失败： scenario: left out. broken/ has none either, but its policy does not compile.
    expect(attr(suites, 'name')).toEqual(['fixture-broken', 'fixture-failing']);
    expect(attr(suites, 'tests')).toEqual(['1', '3']);
    expect(suites[0]!.querySelector('error')!.getAttribute('type')).toBe('compile');
    for (const s of suites) expect(s.querySelectorAll('testcase').length).toBeGreaterThan(0);
  });
});
