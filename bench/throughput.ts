// Issue 8: evaluations per second of each engine on the same 10,000 generated households, with
// every result cross-checked against the exact BigInt reference. Issue 2: the dibao policy on
// one 4-member household, side by side with hand-written functions (target ≥ 3M/s exact).
import { generateHouseholds, AS_OF, SEED, type HouseholdJson } from './lib/households.js';
import { loadPolicy } from './lib/policy.js';
import { measure, references, DEFAULTS, type EngineResult, type Options } from './lib/measure.js';
import { makeEngine, type EngineKey } from './engines/index.js';

export const HOUSEHOLDS = 10_000;

export async function engineBench(key: EngineKey, opt: Options = DEFAULTS): Promise<EngineResult & { policy: string }> {
  const pol = loadPolicy();
  const hs = generateHouseholds(HOUSEHOLDS, SEED, AS_OF);
  const refs = references(hs, AS_OF);
  const engine = makeEngine(key, pol);
  const r = await measure(engine, hs, AS_OF, refs, opt);
  (engine as { dispose?: () => void }).dispose?.();
  return { ...r, policy: pol.note };
}

/** A typical 4-member household: two earning adults (one with excluded income), a child, a grandparent. */
export const FOUR_MEMBERS: HouseholdJson = {
  id: 'four', area: 'urban', rigid_expenditure_monthly: 120.5, dibao: { enrolled: false },
  members: [
    { id: 'm1', birth_date: '1985-03-12', disability_level: 0, serious_illness: false, income_monthly: 1180.35, excluded_income_monthly: 80 },
    { id: 'm2', birth_date: '1987-11-02', disability_level: 0, serious_illness: false, income_monthly: 640, excluded_income_monthly: 0 },
    { id: 'm3', birth_date: '2014-06-20', disability_level: 0, serious_illness: false, income_monthly: 0, excluded_income_monthly: 0 },
    { id: 'm4', birth_date: '1952-09-30', disability_level: 2, serious_illness: false, income_monthly: 310.17, excluded_income_monthly: 0 },
  ],
};

/** The same household many times over (one compute per element), so the loop machinery is shared with engineBench. */
export async function fourMemberBench(key: EngineKey, opt: Options = DEFAULTS): Promise<EngineResult & { policy: string }> {
  const pol = loadPolicy();
  const hs = Array.from({ length: 1000 }, () => FOUR_MEMBERS);
  const refs = references(hs, AS_OF);
  const engine = makeEngine(key, pol);
  const r = await measure(engine, hs, AS_OF, refs, opt);
  return { ...r, policy: pol.note };
}
