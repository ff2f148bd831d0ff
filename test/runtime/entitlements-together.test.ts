// Without a trace, the programmes of a household's county are evaluated together, the household
// decoded once (dsl evaluateTogether); with a trace, each on its own as POST /evaluate does. The
// two answers must be the same JSON apart from the trace, for every household — generated ones of
// three places, and households the together path leaves to the other (a bad value, an unknown
// key): their errors stay the ones evaluating each programme alone gives.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LowdbStore } from '../../runtime/store/lowdb-store.js';
import { seedStore } from '../../runtime/store/seed.js';
import { decide, prepare } from '../../runtime/services/entitlements.js';
import { EvaluationService } from '../../runtime/services/evaluation.js';
import { Language, loadModules } from '../../runtime/services/language.js';
import { PolicyService } from '../../runtime/services/policies.js';
import { linkedSourcesOf } from '../../runtime/services/linked-sources.js';
import { generatePopulation } from '../../simulation/generator.js';
import { tempDir } from './helpers.js';

const POLICIES = join(import.meta.dirname, '../../policies');
const AS_OF = '2024-07-01';

let store: LowdbStore, evaluation: EvaluationService;
beforeAll(async () => {
  const lang = new Language(loadModules(POLICIES));
  store = await LowdbStore.open(tempDir('together-'));
  lang.setLinkedSources(linkedSourcesOf(store, () => AS_OF));
  await seedStore(store, POLICIES, (source, file) => {
    const info = lang.analyze(source, file).info;
    return { id: info?.id ?? null, effective: info?.effective ?? null, note: info?.note ?? null };
  });
  evaluation = new EvaluationService(lang, new PolicyService(store, lang, false), () => AS_OF);
  await prepare(evaluation, AS_OF);
}, 180_000);
afterAll(async () => { await store.close(); });

/** The decision's JSON without its traces. */
const withoutTrace = (d: unknown) => JSON.stringify(d, (k, v: unknown) => (k === 'trace' ? undefined : v));
const decided = (h: unknown, trace: boolean) => {
  const d = decide(evaluation, h, AS_OF, trace);
  return d.ok ? { ok: true, answer: d.answer, decided: d.decided.map((x) => ({ policy: x.policy, version: x.version.version, outputs: x.outputs })) } : d;
};

describe('entitlements evaluated together or each alone: the same answers', () => {
  it('generated households of Dawukou, Zhongwei and the XPCC', () => {
    let answered = 0;
    for (const preset of ['dawukou', 'zhongwei', 'xpcc']) {
      for (const h of generatePopulation({ preset, households: 150, seed: 5, asOf: AS_OF })) {
        const fast = decided(h, false), alone = decided(h, true);
        expect(withoutTrace(fast), `${preset} ${(h as { id: string }).id}`).toBe(withoutTrace(alone));
        if (fast.ok && fast.answer.programmes.length > 0) answered++;
      }
    }
    // (not a vacuous comparison: Dawukou's and Zhongwei's households get programmes)
    expect(answered).toBeGreaterThan(250);
  });

  it('households it leaves to each programme alone: the same answer or the same error', () => {
    const [h] = [...generatePopulation({ preset: 'dawukou', households: 1, seed: 9, asOf: AS_OF })] as Record<string, unknown>[];
    const members = h!['members'] as Record<string, unknown>[];
    const variants: unknown[] = [
      { ...h, aera: 'urban' },                                                  // unknown key: the 400 with the nearest name
      { ...h, members: [{ ...members[0], income_monthly: 12.345 }] },           // money with three decimals
      { ...h, members: [{ ...members[0], birth_date: '2030-01-01' }] },         // born after the date
      { ...h, members: [{ ...members[0], income_monthly: '1637.50' }] },        // money as text: still together
      { ...h, county: '', residence_code: '640202', hukou_code: '640202' },     // codes only: names filled in
      { ...h, incident_type: 'emergency', expense_amount: 3000 },               // one programme's own fields
    ];
    for (const v of variants) expect(withoutTrace(decided(v, false))).toBe(withoutTrace(decided(v, true)));
    const unknown = decided(variants[0], false);
    expect(!unknown.ok && unknown.error.details[0]).toMatchObject({ path: 'household.aera' });
    expect(!unknown.ok && unknown.error.details[0]!.message).toContain('area');
  });
});

describe('results shared between answers (the same outputs of a programme)', () => {
  // two Dawukou households without an incident (incident_type absent: no_incident): temporary
  // assistance is refused to both, worked from policies/temporary-assistance/v1: not 急难, not
  // 支出型符合, so not 符合: eligible false, amount 0 元 (不予救助), approval 「无」, no advance
  // payment (急难垫付 false), no review after the event (急难事后 false)
  const household = (id: string, income: number) => ({ id, area: 'urban', county: '大武口区', hukou_province: '宁夏', members: [{ id: 'm1', birth_date: '1980-01-01', income_monthly: income }] });
  const refusal = { eligible: false, amount: '0.00', approval_level: '无', advance_payment: false, after_event_review: false };
  const ta = (a: { programmes: { policy: string }[] }) => a.programmes.find((p) => p.policy === 'temporary-assistance')!;

  it('two households refused temporary assistance share one frozen result; its JSON is the answer\'s', () => {
    // (outputs are kept when seen twice running: a third household's first, should none be yet)
    decide(evaluation, household('c', 7000), AS_OF, false);
    const a = decide(evaluation, household('a', 5000), AS_OF, false), b = decide(evaluation, household('b', 6000), AS_OF, false);
    if (!a.ok || !b.ok) throw new Error('not answered');
    const pa = ta(a.answer), pb = ta(b.answer);
    expect(JSON.parse(JSON.stringify(pa.outputs))).toEqual(refusal);
    expect(pb).toBe(pa);
    expect(Object.isFrozen(pa)).toBe(true);
    expect(Object.isFrozen((pa as { outputs: object }).outputs)).toBe(true);
    expect(pa).toMatchObject({ policy: 'temporary-assistance', granted: false, uses: {} });
  });

  it('a recorded answer gets its own copy with its decision id; the shared result is unchanged', () => {
    for (const built of [true, false]) {
      const a = decide(evaluation, household('a', 5000), AS_OF, false), b = decide(evaluation, household('b', 6000), AS_OF, false);
      if (!a.ok || !b.ok) throw new Error('not answered');
      const shared = ta(b.answer);
      if (built) void a.answer;   // recorded after its answer was built, or before
      const ids = a.decided.map((d, k) => `${d.policy}#${k}`);
      a.recordedAs(ids);
      const k = a.decided.findIndex((d) => d.policy === 'temporary-assistance');
      const own = ta(a.answer) as { decision_id?: string; outputs: unknown };
      expect(own.decision_id, String(built)).toBe(`temporary-assistance#${k}`);
      expect(own).not.toBe(shared);
      expect((shared as { decision_id?: string }).decision_id).toBeUndefined();
      expect(a.answer.decision_ids['temporary-assistance']).toBe(`temporary-assistance#${k}`);
      // the copy's keys: the result's, in order, then the decision id (as on an unshared result)
      expect(Object.keys(own)).toEqual([...Object.keys(shared), 'decision_id']);
      expect(JSON.parse(JSON.stringify(own.outputs))).toEqual(refusal);
    }
  });
});
