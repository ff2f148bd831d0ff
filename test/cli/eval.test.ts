import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, fixtures, requireBuild, tempDir } from './helpers.js';

beforeAll(requireBuild);
const tmp = tempDir();
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const policy = `${fixtures}/good/dibao/policy.policy`;
const hh = (name: string) => `${fixtures}/households/${name}`;

describe.concurrent('policy eval (local)', () => {
  it('prints the outputs as a table', async () => {
    const r = await cli(['eval', '--policy', policy, '--household', hh('urban3.json'), '--as-of', '2024-06-01']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('政策 example-dibao「示例：城乡最低生活保障」 · 生效 effective 2022-01-01 · 评估日 as of 2024-06-01');
    // 人均 300，补差 350 × 3 = 1050；一名儿童加发 10% × 350 = 35 → 1085.00
    expect(r.stdout).toMatch(/\neligible {8}是否符合低保  true\n/);
    expect(r.stdout).toMatch(/\nmonthly_amount {2}月保障金额 {4}1085\.00\n/);
  });

  it('--explain prints the trace as a tree with the deciding exception, its citation, definitions and inputs', async () => {
    const r = await cli(['eval', '--policy', policy, '--household', hh('exit.yaml'), '--as-of', '2024-06-01', '--explain']);
    expect(r.code).toBe(0);
    const block = r.stdout.slice(r.stdout.indexOf('monthly_amount「月保障金额」 = "500.00"'));
    expect(block).toContain(`├─ 决定于 decided by: 例外 exception 渐退期 · 依据 「002 第一条」 (${policy}:25)`);
    expect(block).toMatch(/│  ├─ 人均收入「人均月收入」 = "2000\.00"/);
    expect(block).toContain('└─ 输入 inputs');
    expect(block).toContain('   ├─ household.dibao.income_exceeded_since = "2024-01-15"');
    expect(r.stdout).toContain('eligible「是否符合低保」 = false\n├─ 决定于 decided by: 表达式 expression · 依据 「001 第一章第一节」');
  });

  it('--json for machines, reading a request body from stdin (its as_of is used)', async () => {
    const r = await cli(['eval', '--policy', policy, '--household', '-', '--json', '--explain'], { input: readFileSync(hh('request.json'), 'utf8') });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ policy: 'example-dibao', effective_from: '2022-01-01', as_of: '2024-06-01', outputs: { eligible: true, monthly_amount: '396.00' } });
    expect(j.trace.find((t: { output: string }) => t.output === 'monthly_amount').decided_by).toMatchObject({ kind: 'rule', name: '差额补助' });
  });

  it('lists the assumptions an answer rests on (dawukou-dibao v1: assumed 2016-01-01 date and 440/3150), in text and --json', async () => {
    const v1 = 'policies/dawukou-dibao/v1/policy.policy';
    const [text, json, none] = await Promise.all([
      cli(['eval', '--policy', v1, '--household', hh('urban3.json'), '--as-of', '2019-06-01']),
      cli(['eval', '--policy', v1, '--household', hh('urban3.json'), '--as-of', '2019-06-01', '--json']),
      cli(['eval', '--policy', policy, '--household', hh('urban3.json'), '--as-of', '2024-06-01']),
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('假定 assumptions');
    expect(text.stdout).toContain('  - 生效日 effective date 2016-01-01: 001 只说 2016 年的起点标准是 440/3150');
    expect(text.stdout).toContain('  - 参数 parameter 城市低保标准: 440 元是 2016 年的起点标准');
    const j = JSON.parse(json.stdout);
    expect(j.assumptions).toContainEqual(expect.objectContaining({ version: '2016-01-01' }));
    expect(j.assumptions).toContainEqual(expect.objectContaining({ parameter: '农村低保标准' }));
    expect(none.code).toBe(0);
    expect(none.stdout).not.toContain('假定 assumptions');
  }, 60_000);

  it('names each bad field by its JSON path, and the file', async () => {
    const r = await cli(['eval', '--policy', policy, '--household', hh('bad-fields.json'), '--as-of', '2024-06-01']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${hh('bad-fields.json')}: 家庭数据无效 / invalid household`);
    const paths = [...r.stderr.matchAll(/^ {2}- (\S+):/gm)].map((m) => m[1]);
    expect(paths).toEqual(['household.area', 'household.members[0].birth_date', 'household.members[0].income_monthly']);
  });

  it('points at the line and column of a JSON syntax error', async () => {
    const r = await cli(['eval', '--policy', policy, '--household', hh('malformed.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${hh('malformed.json')}:5:47: 不是有效的 JSON / not valid JSON`);
    expect(r.stderr).toContain('5 |     { "id": "m1", "birth_date": "1980-05-01", }');
  });

  it('points at the line and column of a YAML error, with the line and a caret', async () => {
    const r = await cli(['eval', '--policy', policy, '--household', hh('malformed.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${hh('malformed.yaml')}:7:5: 不是有效的 YAML / not valid YAML: Map keys must be unique`);
    expect(r.stderr).toContain('  7 |     birth_date: 1983-03-01\n    |     ^\n');
  });

  it('refuses a policy with errors, a missing file and missing options with messages that say what to do', async () => {
    const [broken, missing, noHousehold, badDate] = await Promise.all([
      cli(['eval', '--policy', `${fixtures}/broken/dibao`, '--household', hh('urban3.json')]),
      cli(['eval', '--policy', policy, '--household', 'nope.json']),
      cli(['eval', '--policy', policy]),
      cli(['eval', '--policy', policy, '--household', hh('urban3.json'), '--as-of', '2024-02-30']),
    ]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('check.unknown-name');
    expect(broken.stderr).toContain(`run: policy check ${fixtures}/broken/dibao/policy.policy`);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json: 找不到家庭数据文件 / no such household file — check the path');
    expect(noHousehold.code).toBe(2);
    expect(noHousehold.stderr).toContain('--household <file|-> is required');
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('--as-of 2024-02-30');
  });

  it('resolves a policy id under POLICIES_DIR to the version in force on --as-of, or --version N', async () => {
    const dir = join(tmp, 'policies', 'example-dibao');
    for (const v of ['v1', 'v2']) mkdirSync(join(dir, v), { recursive: true });
    cpSync(policy, join(dir, 'v1', 'policy.policy'));
    // v2 from 2024-01-01 raises the urban standard to 700
    writeFileSync(join(dir, 'v2', 'policy.policy'), readFileSync(policy, 'utf8').replace('生效 2022-01-01', '生效 2024-01-01').replace('= 650 元/月', '= 700 元/月'));
    const env = { POLICIES_DIR: join(tmp, 'policies') };
    const args = ['eval', '--policy', 'example-dibao', '--household', hh('urban3.json'), '--json'];
    const [old, now, pinned, before] = await Promise.all([
      cli([...args, '--as-of', '2023-06-01'], { env }),
      cli([...args, '--as-of', '2024-06-01'], { env }),
      cli([...args, '--as-of', '2024-06-01', '--version', '1'], { env }),
      cli([...args, '--as-of', '2021-06-01'], { env }),
    ]);
    // 650: (650 − 300) × 3 + 35 = 1085；700: (700 − 300) × 3 + 40 = 1240
    expect(JSON.parse(old.stdout)).toMatchObject({ version: 1, outputs: { monthly_amount: '1085.00' } });
    expect(JSON.parse(now.stdout)).toMatchObject({ version: 2, effective_from: '2024-01-01', outputs: { monthly_amount: '1240.00' } });
    expect(JSON.parse(pinned.stdout)).toMatchObject({ version: 1, outputs: { monthly_amount: '1085.00' } });
    expect(before.code).toBe(1);
    expect(before.stderr).toContain('no version is in force on 2021-06-01');
  });
});
