// policy eval --explain shows each output's derivation (issue #19): the formula with the
// household's numbers put in, the rule and its 依据, the names it used beneath. Figures worked out
// by hand from policies/dawukou-dibao/v2: 768.45 ÷ 2 = 384.225; 650 − 384.225 = 265.775;
// 265.775 × 2 + 10% × 265.775 × 2 = 584.705 → 584.71 (both members special: 74 and 9).
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, requireBuild } from './helpers.js';

beforeAll(requireBuild);

const policy = 'policies/dawukou-dibao/v2/policy.policy';
const request = JSON.stringify({ as_of: '2024-06-01', household: { id: 'h', area: 'urban', members: [
  { id: 'm1', birth_date: '1950-03-01', income_monthly: '768.45' },
  { id: 'm2', birth_date: '2015-01-01' },
] } });

describe('policy eval --explain: derivations', () => {
  it('prints the monthly amount with its numbers, rule, citations and sub-derivations, Chinese then English', async () => {
    const r = await cli(['eval', '--policy', policy, '--household', '-', '--explain'], { input: request });
    expect(r.code).toBe(0);
    const block = r.stdout.slice(r.stdout.indexOf('monthly_amount「月保障金额」 = "584.71"'));
    expect(block).toContain('├─ 推导 derivation\n│  月保障金额 = 舍入到分(265.775 × 2 + 10% × 265.775 × 2) = 584.71 元\n│  月保障金额 = round(265.775 × 2 + 10% × 265.775 × 2) = 584.71 yuan\n');
    expect(block).toContain('│  · 规则「差额补助」：当 「整户符合低保条件」 时（是 → 是） · 依据 「国家规定：按人均补差乘以人数发放」「001 第一章第一节」\n');
    expect(block).toContain('│  ├─ 人均补差（标准 − 人均收入） = 650 − 384.225 = 265.775 元\n');
    expect(block).toContain('│  │  ├─ 家庭人均可计收入 = 768.45 ÷ 2 = 384.225 元（见上）\n');
  });

  it('--lang en prints the derivation in English only', async () => {
    const r = await cli(['eval', '--policy', policy, '--household', '-', '--explain', '--lang', 'en'], { input: request });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('│  月保障金额 = round(265.775 × 2 + 10% × 265.775 × 2) = 584.71 yuan\n│  · rule "差额补助": when "整户符合低保条件" (yes → yes) · source "国家规定：按人均补差乘以人数发放" "001 第一章第一节"\n');
    expect(r.stdout).not.toContain('= 584.71 元');
  });

  it('refuses another --lang', async () => {
    const r = await cli(['eval', '--policy', policy, '--household', '-', '--explain', '--lang', 'fr'], { input: request });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--lang fr: 应为 zh 或 en / must be zh or en');
  });
});
