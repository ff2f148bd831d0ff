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
