// Correctness of the benchmark's engines (no timing): on 500 generated households, each engine
// is compared with the exact BigInt reference. Ours, the exact yardstick and the reference must
// agree on every household (so must the code-generation experiment); the float-based engines are allowed their rounding faults but must
// agree on eligibility and stay within one fen.
import { describe, it, expect } from 'vitest';
import { generateHouseholds, AS_OF } from '../../bench/lib/households.js';
import { reference, ageOn } from '../../bench/lib/reference.js';
import { loadPolicy } from '../../bench/lib/policy.js';
import { crossCheck, references } from '../../bench/lib/measure.js';
import { newSink, type Engine } from '../../bench/engines/types.js';
import { makeEngine, ENGINE_KEYS, type EngineKey } from '../../bench/engines/index.js';
import { generatePolicy } from '../../bench/lib/generate-policy.js';
import { analyze, compileSource, parseScenarios, runScenarios } from '../../dsl/index.js';
import { hundredScenarios } from '../../bench/language.js';

const hs = generateHouseholds(500, 99);
const refs = references(hs, AS_OF);
const pol = loadPolicy();

async function run(key: EngineKey) {
  const e: Engine = makeEngine(key, pol);
  const prepared = hs.map((h) => e.prepare(h, AS_OF));
  const sink = newSink(prepared.length);
  await e.runAll(prepared, sink);
  (e as { dispose?: () => void }).dispose?.();
  return { e, sink, check: crossCheck(e, hs, sink, refs) };
}

describe('bench: the reference', () => {
  it('is the documented arithmetic on hand-worked households', () => {
    const m = (over: object) => ({ id: 'm', birth_date: '1980-05-01', disability_level: 0, serious_illness: false, income_monthly: 0, excluded_income_monthly: 0, ...over });
    const h = (area: 'urban' | 'rural', members: object[], rigid = 0) => ({ id: 'h', area, rigid_expenditure_monthly: rigid, dibao: { enrolled: false }, members: members.map((x, i) => m({ id: `m${i}`, ...x })) });
    // 人均 1000/3；补差 950/3；× 3 = 950；一名儿童加发 10% × 950/3 = 31.666… → 981.67
    expect(reference(h('urban', [{ income_monthly: 1000 }, {}, { birth_date: '2015-09-01' }]), AS_OF)).toEqual({ eligible: true, fen: 98167n });
    // 5520/12 = 460；补差 360；老人加发 36 → 396
    expect(reference(h('rural', [{ birth_date: '1950-01-01', income_monthly: 100 }]), AS_OF)).toEqual({ eligible: true, fen: 39600n });
    // exactly at the standard: not eligible
    expect(reference(h('urban', [{ income_monthly: 650 }]), AS_OF)).toEqual({ eligible: false, fen: 0n });
    // half a fen rounds up: 10% × (650 − 123.45) = 52.655 → 526.55 + 52.655 = 579.205 → 579.21
    expect(reference(h('urban', [{ income_monthly: 123.45, disability_level: 3 }]), AS_OF)).toEqual({ eligible: true, fen: 57921n });
    // rigid expenditure never makes income negative
    expect(reference(h('urban', [{ income_monthly: 100 }], 500), AS_OF)).toEqual({ eligible: true, fen: 65000n });
  });
  it('computes ages on the birthday and the day before', () => {
    expect(ageOn('1964-06-01', '2024-06-01')).toBe(60);
    expect(ageOn('1964-06-02', '2024-06-01')).toBe(59);
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
  });
  it('the generator is deterministic and covers the cases that matter', () => {
    expect(generateHouseholds(50, 99)).toEqual(generateHouseholds(50, 99));
    const elig = refs.filter((r) => r.eligible).length;
    expect(elig).toBeGreaterThan(100);
    expect(elig).toBeLessThan(450);
    expect(hs.some((h) => h.area === 'rural') && hs.some((h) => h.rigid_expenditure_monthly > 0)).toBe(true);
    expect(new Set(hs.map((h) => h.members.length))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
  });
});

describe('bench: every engine against the exact reference (500 households)', () => {
  for (const key of ENGINE_KEYS) {
    it(key, async () => {
      const { check } = await run(key);
      expect(check.checked).toBe(500);
      if (key === 'ours' || key === 'ours-evaluate' || key === 'exact' || key === 'ours-closures') {
        expect(check.disagree, check.examples.join('\n')).toBe(0);
      } else {
        // float and 28/20-digit decimals: eligibility agrees; an amount may be one fen off at a half-fen
        expect(check.disagreeEligible).toBe(0);
        expect(check.disagreeAmount).toBeLessThan(25);
      }
    }, 60_000);
  }
  it('plain floats really do miss some half-fen roundings on the benchmark\'s 10,000 households', async () => {
    const all = generateHouseholds();
    const e = makeEngine('float', pol);
    const sink = newSink(all.length);
    await e.runAll(all.map((h) => e.prepare(h, AS_OF)), sink);
    const check = crossCheck(e, all, sink, references(all, AS_OF));
    expect(check.disagreeEligible).toBe(0);
    expect(check.disagreeAmount).toBeGreaterThan(0);
  });
});

describe('bench: language inputs', () => {
  it('the generated 2,000-line policy checks with no errors', () => {
    const src = generatePolicy(2000);
    expect(src.split('\n').length - 1).toBe(2000);
    const a = analyze(src, { modules: pol.modules });
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(a.hasErrors).toBe(false);
  });
  it('the 100 editor scenarios all pass on the policy under test', () => {
    const suite = parseScenarios(hundredScenarios(pol), 'bench.yaml').suite!;
    expect(suite.scenarios).toHaveLength(100);
    const compiled = compileSource(pol.source, { file: pol.file, modules: pol.modules }).compiled!;
    const report = runScenarios(compiled, suite);
    expect(report.failed, JSON.stringify(report.results.filter((r) => !r.ok).slice(0, 2))).toBe(0);
  });
});
