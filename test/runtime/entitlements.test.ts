// 一门受理 over HTTP, against the real policies/: routing by residence and hukou (000 §1, 004),
// every programme of the routed county with its outputs and the totals, per-programme decision
// records, the batch form, and the programmes listing a client key may read. Every expected
// figure is worked out by hand from the policy sources (comments show the arithmetic).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type StudioApp } from '../../runtime/app.js';
import { openStore } from '../../runtime/server.js';
import { loadModules } from '../../runtime/services/language.js';
import { route } from '../../runtime/services/jurisdictions.js';
import { prepare } from '../../runtime/services/entitlements.js';
import type { LowdbStore } from '../../runtime/store/lowdb-store.js';
import { bearer, NO_REVIEW_KEYS, tempDir } from './helpers.js';

const POLICIES = join(import.meta.dirname, '../../policies');
let app: StudioApp, store: LowdbStore;
beforeAll(async () => {
  const modules = loadModules(POLICIES);
  ({ store } = await openStore(tempDir('ent-'), POLICIES, modules));
  app = createApp({ store, keys: NO_REVIEW_KEYS, modules, log: () => undefined, studioDir: null, today: () => '2024-06-01' });
  // compiling the 13 policies (in the worker pool) and opening the decision store take a while on a loaded machine
  await prepare(app.locals.ctx.evaluation, '2024-06-01');
  await request(app).post('/api/entitlements').set(bearer('tester-key')).send({ household: hongsibu, as_of: '2024-06-01', record: false });
}, 120_000);
afterAll(async () => { await store.close(); });

const client = bearer('client-key');

/** The shipped policies whose header names `county` in its 辖区 (read from policies/, sorted). */
function shippedIn(county: string): string[] {
  return readdirSync(POLICIES).filter((d) => d !== 'common' && existsSync(join(POLICIES, d, 'v1', 'policy.policy'))
    && readFileSync(join(POLICIES, d, 'v1', 'policy.policy'), 'utf8').includes(`${county}」`)).sort();
}
const post = (body: unknown) => request(app).post('/api/entitlements').set(client).send(body);

/** Lives in 红寺堡区, hukou in 同心县 (elsewhere in Ningxia): the Hongsibu pilot (000 §1). Rural. */
const hongsibu = {
  id: 'hsb-1', area: 'rural', county: '红寺堡区', hukou_county: '同心县', hukou_province: '宁夏',
  members: [
    { id: 'a', birth_date: '1980-03-01', income_monthly: '200.00' },
    { id: 'b', birth_date: '2015-07-01', disability_level: 2, disability_type: 'physical' },
  ],
};

describe('routing (runtime/services/jurisdictions.ts)', () => {
  it('hukou elsewhere in Ningxia, living in Hongsibu: handled where they live (000 §1)', () => {
    const r = route({ county: '红寺堡区', hukou_county: '同心县' });
    expect(r).toMatchObject({ ok: true, division: { code: '640303' }, basis: { rule: 'hongsibu_residence_pilot', source: '000 第1条' } });
  });
  it('hukou in Qinghai, living in Hongsibu: the pilot is limited to the region, so the place of hukou', () => {
    const r = route({ residence_code: '640303', hukou_province: '青海' });
    expect(r).toMatchObject({ ok: true, division: { code: '630000' }, basis: { rule: 'hukou_place' } });
  });
  it('hukou in 同心县, living in 大武口区 (no pilot there): the place of hukou', () => {
    expect(route({ county: '大武口区', hukou_county: '同心县' })).toMatchObject({ ok: true, division: { code: '640324' }, basis: { rule: 'hukou_place' } });
  });
  it('XPCC: a residence-permit holder applies where they live (004); without the permit, at the hukou', () => {
    expect(route({ residence_code: '660000', hukou_code: '630102', residence_permit: true })).toMatchObject({ ok: true, division: { code: '660000' }, basis: { rule: 'xpcc_residence_permit' } });
    expect(route({ residence_code: '660000', hukou_code: '630102' })).toMatchObject({ ok: true, division: { code: '630102' }, basis: { rule: 'hukou_place' } });
  });
  it('XPCC: a household of the corps names its division (第一师 …) and gives 新疆 as its hukou province: handled by the corps as local hukou', () => {
    for (const h of [{ county: '第一师', hukou_province: '新疆' }, { county: '第十四师' }, { residence_code: '660000', hukou_province: '新疆维吾尔自治区' }, { county: '兵团', hukou_county: '第九师' }]) {
      expect(route(h), JSON.stringify(h)).toMatchObject({ ok: true, division: { code: '660000' }, hukou: { code: '660000' }, basis: { rule: 'local_hukou' } });
    }
    // a hukou in one of Xinjiang's local counties (65xxxx) is not the corps': elsewhere, unless the permit rule applies
    expect(route({ residence_code: '660000', hukou_code: '650102' })).toMatchObject({ ok: false, elsewhere: true, reason: { code: 'jurisdiction.hukou_elsewhere' } });
    expect(route({ residence_code: '660000', hukou_code: '650102', residence_permit: true })).toMatchObject({ ok: true, basis: { rule: 'xpcc_residence_permit' } });
    // 新疆 as the hukou of someone living in Ningxia is still another province
    expect(route({ county: '大武口区', hukou_province: '新疆' })).toMatchObject({ ok: false, elsewhere: true, reason: { code: 'jurisdiction.hukou_elsewhere', path: 'household.hukou_province' } });
    // a division name the corps does not have is an input error
    expect(route({ county: '第十九师' })).toMatchObject({ ok: false, reason: { code: 'jurisdiction.unknown_division', path: 'household.county' } });
  });
  it('hukou in another province (outside the table): the XPCC permit rule still applies; elsewhere nothing is handled here, and why', () => {
    // 004: 持有居住证人员在居住地申办 — whatever the province of hukou
    for (const hukou of [{ hukou_province: '甘肃' }, { hukou_code: '620102' }, { hukou_county: '外省' }, { hukou_county: '四川省成都市武侯区' }]) {
      expect(route({ residence_code: '660000', residence_permit: true, ...hukou }), JSON.stringify(hukou)).toMatchObject({ ok: true, division: { code: '660000' }, basis: { rule: 'xpcc_residence_permit' } });
    }
    const far = route({ county: '大武口区', hukou_province: '甘肃省' });
    expect(far).toMatchObject({ ok: false, elsewhere: true, reason: { code: 'jurisdiction.hukou_elsewhere', path: 'household.hukou_province' } });
    if (!far.ok) {
      expect(far.reason.zh).toContain('甘肃省');
      expect(far.reason.zh).toContain('大武口区');
      expect(far.reason.en).toContain('Gansu');
      expect(far.reason.en).not.toMatch(/[\u4e00-\u9fff]/);
    }
    // Hongsibu's pilot is for hukou within the region only (000 §1)
    expect(route({ county: '红寺堡区', hukou_county: '区外' })).toMatchObject({ ok: false, elsewhere: true });
    // a misspelt place of the table is still an input error with a suggestion
    const typo = route({ county: '大武口区', hukou_county: '同心' });
    expect(typo).toMatchObject({ ok: false, reason: { code: 'jurisdiction.unknown_division' } });
    expect(typo.ok === false && typo.elsewhere).toBeFalsy();
  });
  it('codes win over names; an old household with county only is local', () => {
    expect(route({ residence_code: '640202', county: '红寺堡区' })).toMatchObject({ ok: true, division: { code: '640202' }, basis: { rule: 'local_hukou' } });
    expect(route({ county: '宁夏回族自治区石嘴山市大武口区' })).toMatchObject({ ok: true, division: { code: '640202' } });
  });
});

describe('POST /api/entitlements', () => {
  it('a household living in 红寺堡区 sees Hongsibu\'s programmes and not Qinghai\'s', async () => {
    const r = await post({ household: hongsibu, as_of: '2024-06-01' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.jurisdiction).toMatchObject({ code: '640303', name: '红寺堡区', full_name: '宁夏回族自治区吴忠市红寺堡区', basis: { rule: 'hongsibu_residence_pilot' },
      residence: { code: '640303' }, hukou: { code: '640324', name: '同心县' } });
    // only the two programmes whose 辖区 is 红寺堡区 (or its parents 吴忠市, 宁夏): no Qinghai, Dawukou, Zhongwei, XPCC
    expect(r.body.programmes.map((p: { policy: string }) => p.policy).sort()).toEqual(['hongsibu-dibao', 'hongsibu-services']);
    const dibao = r.body.programmes.find((p: { policy: string }) => p.policy === 'hongsibu-dibao');
    // rural standard 5520 元/年 ÷ 12 = 460 元/月; income 200 over 2 persons = 100 < 460: eligible;
    // 差额补助 (460 − 100) × 2 = 720.00 (hongsibu-dibao has no special-member supplement)
    expect(dibao).toMatchObject({ version: 1, effective_from: '2022-01-01', granted: true, uses: {},
      outputs: { eligible: true, monthly_amount: '720.00', residence_based: true, handling_county: '红寺堡区' } });
    const services = r.body.programmes.find((p: { policy: string }) => p.policy === 'hongsibu-services');
    // low-income line 2 × 460 = 920 > 100: a low-income family; b is disabled and 8 years old:
    // free rehabilitation (< 18, 000 §13) and paid residential care (disabled, 000 §3); no elderly: no home adaptation
    expect(services.outputs).toMatchObject({ eligible: true, home_adaptation: false, rehabilitation_members: ['b'], residential_care_members: ['b'], psychiatric_treatment_members: [] });
    // totals: 720.00 a month, × 12 = 8640.00 a year; the services programme is a service, not cash
    expect(r.body.totals).toEqual({ monthly_cash: '720.00', yearly_cash: '8640.00', one_off_cash: '0.00',
      services: [{ policy: 'hongsibu-services', program: services.program, title: services.title }] });
  });

  it('a Dawukou household: every Dawukou programme, and the cash of two of them totalled', async () => {
    // urban 大武口区, on dibao; a (44) earns 300, b (39) has a level-3 physical disability
    const h = { id: 'dwk-1', area: 'urban', county: '大武口区', dibao: { enrolled: true, monthly_amount: '1050.00' },
      members: [{ id: 'a', birth_date: '1980-05-01', income_monthly: '300.00' }, { id: 'b', birth_date: '1985-01-01', disability_level: 3, disability_type: 'physical' }] };
    const r = await post({ household: h, as_of: '2024-06-01' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.jurisdiction).toMatchObject({ code: '640202', basis: { rule: 'local_hukou' } });
    const by = Object.fromEntries(r.body.programmes.map((p: { policy: string }) => [p.policy, p]));
    // every policy whose 辖区 is 大武口区, and no other (none is written for 石嘴山市 or 宁夏 as a whole)
    expect(Object.keys(by).sort()).toEqual(shippedIn('大武口区'));
    expect(Object.keys(by)).toEqual(expect.arrayContaining(['dawukou-dibao', 'dawukou-disability-subsidies', 'dawukou-elderly-allowance', 'dawukou-orphan-allowance', 'dawukou-tekun', 'temporary-assistance']));
    // dibao v2: standard 650; per capita 300 / 2 = 150; top-up 500 × 2 = 1000; b is disabled: + 10% × 500 = 50 → 1050.00
    expect(by['dawukou-dibao']).toMatchObject({ version: 2, granted: true, outputs: { monthly_amount: '1050.00' } });
    // living subsidy 110 for b, a disabled member of a dibao family; level 3 physical: no nursing subsidy (001 ch.1 §1)
    expect(by['dawukou-disability-subsidies']).toMatchObject({ version: 2, granted: true, outputs: { monthly_amount: '110.00', recipients: ['b'] } });
    // nobody is 80 or over, no orphan, nobody without capacity to work, no incident
    for (const id of ['dawukou-elderly-allowance', 'dawukou-orphan-allowance', 'dawukou-tekun', 'temporary-assistance']) expect(by[id].granted, id).toBe(false);
    // 1050 + 110 = 1160.00 a month; × 12 = 13920.00 a year
    expect(r.body.totals).toMatchObject({ monthly_cash: '1160.00', yearly_cash: '13920.00', one_off_cash: '0.00' });
    // a dibao household is a low-income family: that status (dawukou-low-income, where shipped) is granted, not cash
    expect(r.body.totals.services.map((x: { policy: string }) => x.policy)).toEqual(by['dawukou-low-income'] ? ['dawukou-low-income'] : []);
  });

  it('XPCC: a residence-permit holder gets the corps\' dibao where they live (004); without the permit, Qinghai\'s', async () => {
    const h = { id: 'xpcc-1', area: 'urban', residence_code: '660000', hukou_code: '630102', residence_permit: true, distance_to_hq_km: 35,
      members: [{ id: 'a', birth_date: '1980-05-01', income_monthly: '320.00' }] };
    const r = await post({ household: h, as_of: '2024-06-01' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.jurisdiction).toMatchObject({ code: '660000', basis: { rule: 'xpcc_residence_permit', source: '004' }, hukou: { code: '630102', name: '城东区' } });
    expect(r.body.programmes.map((p: { policy: string }) => p.policy)).toEqual(['xpcc-dibao']);
    // urban standard 720 (assumed); per capita 320: top-up 720 − 320 = 400; 35 km ≥ 30 km from the HQ:
    // + 20% × 720 = 144; no minor, elderly, severely disabled or ill member: no category supplement → 544.00
    expect(r.body.programmes[0].outputs).toMatchObject({ eligible: true, monthly_amount: '544.00', apply_at_residence: true, remote_area: true });
    expect(r.body.totals).toMatchObject({ monthly_cash: '544.00', yearly_cash: '6528.00' });
    const noPermit = await post({ household: { ...h, residence_permit: false }, as_of: '2024-06-01' });
    expect(noPermit.body.jurisdiction).toMatchObject({ code: '630102', basis: { rule: 'hukou_place' } });
    expect(noPermit.body.programmes.map((p: { policy: string }) => p.policy).sort()).toEqual(['qinghai-dibao', 'qinghai-low-income']);
  });

  it('records one decision per programme, each under its own version, readable by the caller', async () => {
    const r = await post({ household: hongsibu, as_of: '2024-06-01' });
    expect(r.body.recorded).toBe(true);
    expect(Object.keys(r.body.decision_ids).sort()).toEqual(['hongsibu-dibao', 'hongsibu-services']);
    const d = await request(app).get(`/api/decisions/${r.body.decision_ids['hongsibu-dibao']}`).set(client);
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ policy: 'hongsibu-dibao', version: 1, as_of: '2024-06-01', household_id: 'hsb-1', outputs: { monthly_amount: '720.00' } });
  });

  it('hukou in Qinghai while living in Hongsibu: Qinghai\'s programmes, with the reason', async () => {
    const r = await post({ household: { ...hongsibu, hukou_county: undefined, hukou_province: '青海' }, as_of: '2024-06-01' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.jurisdiction).toMatchObject({ code: '630000', basis: { rule: 'hukou_place' } });
    expect(r.body.programmes.map((p: { policy: string }) => p.policy).sort()).toEqual(['qinghai-dibao', 'qinghai-low-income']);
  });

  it('a county with no programme in force: routed, an empty list and the reason in both languages', async () => {
    // 兴庆区 (银川市): no policy in policies/ covers it, its city or Ningxia as a whole
    const r = await post({ household: { ...hongsibu, county: '兴庆区', hukou_county: '兴庆区' }, as_of: '2024-06-01' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ routed: true, programmes: [], jurisdiction: { code: '640104' }, reason: { code: 'jurisdiction.no_programmes' } });
    expect(r.body.reason.message_zh).toContain('兴庆区');
    expect(r.body.reason.message_en).toContain('Xingqing');
    // before any Hongsibu version is in force (both from 2022-01-01): same answer for 红寺堡区
    const early = await post({ household: hongsibu, as_of: '2021-06-01' });
    expect(early.body).toMatchObject({ programmes: [], reason: { code: 'jurisdiction.no_programmes' } });
  });

  it('a place not in the division table is a 400 naming the field and the nearest name', async () => {
    const r = await post({ household: { ...hongsibu, county: '红寺堡' }, as_of: '2024-06-01' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('jurisdiction.unknown_division');
    expect(r.body.error.details[0].path).toBe('household.county');
    expect(r.body.error.message).toContain('红寺堡区');
    const noPlace = await post({ household: { ...hongsibu, county: undefined, hukou_county: undefined }, as_of: '2024-06-01' });
    expect(noPlace.status).toBe(400);
    expect(noPlace.body.error.code).toBe('jurisdiction.no_residence');
  });

  it('an unknown household key is a 400 naming the nearest known field; a policy\'s own field is not unknown', async () => {
    const typo = await post({ household: { ...hongsibu, residnce_code: '640303' }, as_of: '2024-06-01' });
    expect(typo.status).toBe(400);
    expect(JSON.stringify(typo.body.error.details)).toContain('residence_code');
    // temporary-assistance (大武口区) declares incident_type; the Dawukou programmes that do not are given the household without it
    const dwk = await post({ household: { ...hongsibu, county: '大武口区', hukou_county: '大武口区', incident_type: 'no_incident' }, as_of: '2024-06-01' });
    expect(dwk.status, JSON.stringify(dwk.body)).toBe(200);
    expect(dwk.body.programmes.map((p: { policy: string }) => p.policy)).toContain('temporary-assistance');
  });

  it('trace on request: each programme carries its explanation', async () => {
    const r = await post({ household: hongsibu, as_of: '2024-06-01', trace: true });
    const dibao = r.body.programmes.find((p: { policy: string }) => p.policy === 'hongsibu-dibao');
    expect(dibao.trace.find((t: { output: string }) => t.output === 'monthly_amount').decided_by).toMatchObject({ kind: 'rule', name: '差额补助' });
    expect((await post({ household: hongsibu, as_of: '2024-06-01' })).body.programmes[0].trace).toBeUndefined();
  });

  it('hukou in another province, living in 红寺堡区: 200, routed: false, no programme, the reason in both languages', async () => {
    const r = await post({ household: { ...hongsibu, id: 'far-1', hukou_county: undefined, hukou_province: '甘肃' }, as_of: '2024-06-01' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ household_id: 'far-1', routed: false, jurisdiction: null, programmes: [], decision_ids: {},
      totals: { monthly_cash: '0.00', yearly_cash: '0.00', one_off_cash: '0.00', services: [] }, reason: { code: 'jurisdiction.hukou_elsewhere' } });
    expect(r.body.reason.message_zh).toContain('户籍地');
    expect(r.body.reason.message_en).toContain('Gansu');
  });

  // 临时救助 is applied for regardless of hukou or residence (004; 急难型 where it happened, 001 第二章第三节).
  // Urban Dawukou household of two, income 300 + 0: per capita 150 < 2 × 650 (low income); an
  // emergency: 3 × 650 × 2 = 3900.00 paid in advance, above the street's 2000 limit → the district.
  const emergency = { id: 'ta-1', area: 'urban', county: '大武口区', incident_type: 'emergency',
    members: [{ id: 'm1', birth_date: '1980-01-01', income_monthly: 300 }, { id: 'm2', birth_date: '1982-01-01' }] };
  const taOf = (body: { programmes: { policy: string }[] }) => body.programmes.find((p) => p.policy === 'temporary-assistance');
  it('hukou elsewhere: the place of residence still gives its temporary assistance, the rest is the place of hukou\'s', async () => {
    const tongxin = await post({ household: { ...emergency, hukou_county: '同心县' }, as_of: '2024-06-01' });
    expect(tongxin.status, JSON.stringify(tongxin.body)).toBe(200);
    expect(tongxin.body).toMatchObject({ routed: true, jurisdiction: { code: '640324', basis: { rule: 'hukou_place' } } });
    expect(tongxin.body.programmes.map((p: { policy: string }) => p.policy)).toEqual(['temporary-assistance']);
    expect(taOf(tongxin.body)).toMatchObject({ jurisdiction: { code: '640202' }, granted: true,
      outputs: { eligible: true, amount: '3900.00', approval_level: '区民政局', advance_payment: true } });
    expect(tongxin.body.totals).toMatchObject({ monthly_cash: '0.00', one_off_cash: '3900.00' });
    expect(tongxin.body.reason).toBeUndefined();
    const gansu = await post({ household: { ...emergency, hukou_province: '甘肃' }, as_of: '2024-06-01' });
    expect(gansu.status, JSON.stringify(gansu.body)).toBe(200);
    expect(gansu.body).toMatchObject({ routed: false, jurisdiction: null, reason: { code: 'jurisdiction.hukou_elsewhere' }, totals: { one_off_cash: '3900.00' } });
    expect(gansu.body.programmes.map((p: { policy: string }) => p.policy)).toEqual(['temporary-assistance']);
    expect(Object.keys(gansu.body.decision_ids)).toEqual(['temporary-assistance']);
    // living and registered in Dawukou: every Dawukou programme, temporary assistance once
    const local = await post({ household: emergency, as_of: '2024-06-01' });
    expect(local.body.programmes.filter((p: { policy: string }) => p.policy === 'temporary-assistance')).toHaveLength(1);
    expect(local.body.programmes.length).toBeGreaterThan(1);
  });

  it('batch: one answer or error per household, in order', async () => {
    const r = await request(app).post('/api/entitlements/batch').set(client)
      .send({ households: [hongsibu, { ...hongsibu, id: 'bad', county: '火星' }], as_of: '2024-06-01' });
    expect(r.status).toBe(200);
    expect(r.body.error_count).toBe(1);
    expect(r.body.results[0]).toMatchObject({ household_id: 'hsb-1', totals: { monthly_cash: '720.00' } });
    expect(r.body.results[1]).toMatchObject({ household_id: 'bad', error: { code: 'jurisdiction.unknown_division' } });
    const tooMany = await request(app).post('/api/entitlements/batch').set(client).send({ households: Array.from({ length: 1001 }, () => hongsibu) });
    expect(tooMany.status).toBe(413);
  });
});

describe('GET /api/programmes', () => {
  it('a client key lists the published programmes with jurisdiction, versions by date and typed outputs', async () => {
    const r = await request(app).get('/api/programmes?as_of=2021-06-01').set(client);
    expect(r.status).toBe(200);
    const dibao = r.body.programmes.find((p: { policy: string }) => p.policy === 'dawukou-dibao');
    // v1 from 2016-01-01 until v2 on 2022-01-01: on 2021-06-01 v1 is in force
    expect(dibao).toMatchObject({ jurisdiction: { code: '640202', name: '宁夏回族自治区石嘴山市大武口区', name_en: 'Dawukou District' }, in_force: 1,
      versions: [{ version: 1, effective_from: '2016-01-01', until: '2022-01-01' }, { version: 2, effective_from: '2022-01-01', until: null }] });
    expect(dibao.outputs.find((o: { name: string }) => o.name === 'monthly_amount')).toEqual({ name: 'monthly_amount', label: '月保障金额', label_en: null, type: '金额/月 money per month', unit: 'yuan/month', per_member: false });
    expect(r.body.programmes.find((p: { policy: string }) => p.policy === 'xpcc-dibao').jurisdiction.code).toBe('660000');
    expect(r.body.programmes.find((p: { policy: string }) => p.policy === 'hongsibu-dibao').in_force).toBeNull();
  });

  it('the OpenAPI document types each policy\'s outputs', async () => {
    const doc = (await request(app).get('/api/openapi.json')).body;
    const s = doc.components.schemas['Outputs_zhongwei-accident-insurance'];
    expect(s.properties.annual_premium).toMatchObject({ 'x-money': 'yuan/year' });
    expect(s.properties.insured_members).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(s.properties.eligible).toMatchObject({ type: 'boolean' });
    expect(doc.paths['/api/entitlements'].post).toBeDefined();
  });
});
