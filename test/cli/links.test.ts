// 引用 from the command line: `policy check` and `policy test` read referenced policies from the
// policies folder (the version in force), a cycle across policies is a diagnostic with its
// chain, and a scenario that fixes no referenced result evaluates the referenced policy for real.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, requireBuild, tempDir, root } from './helpers.js';

beforeAll(requireBuild);

function folder(files: Record<string, string>): string {
  const dir = tempDir('policy-links-');
  mkdirSync(join(dir, 'common'), { recursive: true });
  copyFileSync(join(root, 'policies/common/household.policy'), join(dir, 'common/household.policy'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const dibao = `政策 ex-dibao「低保」
  生效 2022-01-01
  依据「001」
  使用「common/household」

参数 标准「标准」 = 650 元/月 依据「001」
定义 人均「人均收入」 = 合计(成员.income_monthly) ÷ 人数(成员)
输出 eligible「符合」 = 人均 < 标准 依据「001」
`;
const subsidy = `政策 ex-subsidy「补贴」
  生效 2022-01-01
  依据「001」
  引用 ex-dibao「低保」 简称 低保
  使用「common/household」

输出 living「生活补贴」 =
  规则 低保家庭 依据「001」: 当 低保.eligible 时 110 元/月
  否则 0 元/月
`;
// per-capita 600 < 650 → eligible → 110; 700 → not → 0; the third fixes the dibao result
const suite = `policy: ex-subsidy
scenarios:
  - name: 低保当场判定为符合
    as_of: 2024-06-01
    household: { id: h1, area: urban, members: [{ id: m1, birth_date: 1980-01-01, income_monthly: 600 }] }
    expect: { living: "110.00" }
  - name: 低保当场判定为不符合
    as_of: 2024-06-01
    household: { id: h2, area: urban, members: [{ id: m1, birth_date: 1980-01-01, income_monthly: 700 }] }
    expect: { living: "0.00" }
  - name: 给定低保结果
    as_of: 2024-06-01
    引用结果: { ex-dibao: { eligible: true } }
    household: { id: h3, area: urban, members: [{ id: m1, birth_date: 1980-01-01, income_monthly: 700 }] }
    expect: { living: "110.00" }
`;

describe.concurrent('policy check / test with 引用', { timeout: 60_000 }, () => {
  it('check resolves the reference from the folder and says which version it checked against', async () => {
    const dir = folder({ 'ex-dibao/v1/policy.policy': dibao, 'ex-subsidy/v1/policy.policy': subsidy });
    const r = await cli(['check', join(dir, 'ex-subsidy/v1/policy.policy'), '--format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { files: { diagnostics: { code: string; message: { zh: string } }[] }[] };
    expect(out.files[0]!.diagnostics.map((d) => [d.code, d.message.zh])).toEqual([['check.link-version', '引用「ex-dibao」按第 1 版检查']]);
  });

  it('a cycle between two policies is an error with the chain', async () => {
    const a = subsidy.replace('ex-subsidy「补贴」', 'ex-a「甲」').replace('引用 ex-dibao「低保」', '引用 ex-b「乙」');
    const b = subsidy.replace('ex-subsidy「补贴」', 'ex-b「乙」').replace('引用 ex-dibao「低保」', '引用 ex-a「甲」').replace('低保.eligible', '低保.living > 0 元/月');
    const dir = folder({ 'ex-a/v1/policy.policy': a.replace('低保.eligible', '低保.living > 0 元/月'), 'ex-b/v1/policy.policy': b });
    const r = await cli(['check', join(dir, 'ex-a/v1/policy.policy'), '--lang', 'en']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('check.link-cycle Policies refer to each other in a cycle: ex-a → ex-b → ex-a');
  });

  it('test evaluates the referenced policy for real unless the scenario fixes its result', async () => {
    const dir = folder({ 'ex-dibao/v1/policy.policy': dibao, 'ex-subsidy/v1/policy.policy': subsidy, 'ex-subsidy/v1/scenarios.yaml': suite });
    const r = await cli(['test', join(dir, 'ex-subsidy/v1/policy.policy')]);
    expect(r.stdout).toContain('3 passed, 0 failed');
    expect(r.code).toBe(0);
  });

  it('the shipped one-window policies pass their suites from the repository folder', async () => {
    const r = await cli(['test', 'policies/qinghai-low-income', 'policies/dawukou-low-income']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\b(\d+) passed, 0 failed/);
  });
});
