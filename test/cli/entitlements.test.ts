// policy entitlements as a subprocess, locally over policies/: the same answer as
// POST /api/entitlements (test/runtime/entitlements.test.ts works the figures out by hand).
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, requireBuild, tempDir } from './helpers.js';

beforeAll(requireBuild);
const tmp = tempDir();
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Lives in 红寺堡区, hukou in 同心县 (Ningxia): the Hongsibu pilot (000 §1). */
const hongsibu = {
  id: 'hsb-1', area: 'rural', county: '红寺堡区', hukou_county: '同心县', hukou_province: '宁夏',
  members: [
    { id: 'a', birth_date: '1980-03-01', income_monthly: '200.00' },
    { id: 'b', birth_date: '2015-07-01', disability_level: 2, disability_type: 'physical' },
  ],
};
const file = (name: string, value: unknown) => { const f = join(tmp, name); writeFileSync(f, JSON.stringify(value)); return f; };

// one at a time, with room: each run seeds a store from policies/ and compiles the routed policies
describe('policy entitlements (local policies/)', () => {
  it('prints where the household is handled, every programme and the total', async () => {
    const r = await cli(['entitlements', '--household', file('h.json', hongsibu), '--as-of', '2024-06-01']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('受理地 / Handled by: 宁夏回族自治区吴忠市红寺堡区 (640303)');
    expect(r.stdout).toContain('[000 第1条]');
    // rural 5520/12 = 460; per capita 200/2 = 100; (460 − 100) × 2 = 720.00 a month, 8640.00 a year
    expect(r.stdout).toMatch(/hongsibu-dibao .* v1 .* 是 yes .* 720\.00 元\/月/);
    expect(r.stdout).toContain('合计 / Total: 720.00 元/月, 8640.00 元/年');
    expect(r.stdout).not.toContain('qinghai');
  }, 60_000);

  it('--json is the body of POST /api/entitlements (nothing recorded locally)', async () => {
    const r = await cli(['entitlements', '--household', file('req.json', { household: hongsibu, as_of: '2024-06-01' }), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ as_of: '2024-06-01', routed: true, recorded: false, jurisdiction: { code: '640303' }, totals: { monthly_cash: '720.00', yearly_cash: '8640.00' } });
    expect(j.programmes.map((p: { policy: string }) => p.policy).sort()).toEqual(['hongsibu-dibao', 'hongsibu-services']);
  }, 60_000);

  it('a Dawukou family: the dibao decided in the same run gives the living subsidy (policies/one-window.yaml ow-01)', async () => {
    // per head (0 + 900 + 600) / 3 = 500 < 650: dibao 150 × 3 + 10% × 150 × 2 special members = 480.00;
    // m1 (grade 1) is in a dibao family: living subsidy 110 + nursing 120 = 230.00; total 710.00 a month
    const family = { id: 'ow-01', area: 'urban', county: '大武口区', members: [
      { id: 'm1', birth_date: '1958-03-01', disability_level: 1, disability_type: 'physical' },
      { id: 'm2', birth_date: '1962-05-01', income_monthly: 900 },
      { id: 'm3', birth_date: '1990-01-01', income_monthly: 600 },
    ] };
    const r = await cli(['entitlements', '--household', file('ow.json', { household: family, as_of: '2024-06-01' }), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { programmes: { policy: string; outputs: Record<string, unknown>; uses: Record<string, { outputs: Record<string, unknown> }> }[]; totals: { monthly_cash: string } };
    const by = (id: string) => j.programmes.find((p) => p.policy === id)!;
    expect(by('dawukou-dibao').outputs).toMatchObject({ eligible: true, monthly_amount: '480.00' });
    expect(by('dawukou-disability-subsidies').outputs).toMatchObject({ living_subsidy: '110.00', nursing_subsidy: '120.00', monthly_amount: '230.00' });
    expect(by('dawukou-disability-subsidies').uses['dawukou-dibao']?.outputs['eligible']).toBe(true);
    expect(by('dawukou-low-income').outputs).toMatchObject({ eligible: true, dibao_edge: false });
  }, 120_000);

  it('a place not in the division table: exit 1, the field and the nearest name', async () => {
    const r = await cli(['entitlements', '--household', file('bad.json', { ...hongsibu, county: '红寺堡' }), '--as-of', '2024-06-01']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('household.county');
    expect(r.stderr).toContain('红寺堡区');
  }, 60_000);

  it('a county with no programme in force: exit 0 and the reason', async () => {
    const r = await cli(['entitlements', '--household', file('none.json', { ...hongsibu, county: '兴庆区', hukou_county: '兴庆区' }), '--as-of', '2024-06-01']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('没有生效的救助项目');
    expect(r.stdout).toContain('no programme');
  }, 60_000);
});
