// The traced answers the trace writer's tests compare (test/dsl/trace-json.test.ts):
// every shipped version, its scenario households, 24 generated households (the simulation's
// presets in turn, on three dates) and one of 50 members (the most a household may have: past the 400 names given in full per
// output), each with the referenced policies' results evaluated for real. Pure in the shipped
// sources: the same cases on every build.
import { generatePopulation, presetNames } from '../../simulation/generator.js';
import { shippedCodegen, linkedFor } from '../policies/shipped.js';
import type { CompiledPolicy } from '../../dsl/index.js';

export interface TraceCase { key: string; compiled: CompiledPolicy; household: unknown; asOf: string }

const DATES = ['2024-06-01', '2023-01-15', '2025-12-31'];
export const GENERATED_PER_VERSION = 24;

export function traceCases(): TraceCase[] {
  const presets = presetNames();
  return shippedCodegen().flatMap(({ name, compiled, scenarios }) => {
    const cases: TraceCase[] = scenarios.map((s, i) => ({ key: `${name}#scenario${i}`, compiled, household: s.household, asOf: s.as_of }));
    for (let i = 0; i < GENERATED_PER_VERSION; i++) {
      const asOf = DATES[i % DATES.length]!;
      const [h] = [...generatePopulation({ preset: presets[i % presets.length]!, seed: 101 + i, households: 1, asOf })];
      cases.push({ key: `${name}#generated${i}`, compiled, household: h, asOf });
    }
    // 50 copies of a generated household's first member (ids m0 … m49): past MAX_NODES
    const [h] = [...generatePopulation({ preset: presets[0]!, seed: 101, households: 1, asOf: DATES[0]! })];
    const first = (h as { members: Record<string, unknown>[] }).members[0]!;
    const members = Array.from({ length: 50 }, (_, i) => ({ ...first, id: `m${i}` }));
    cases.push({ key: `${name}#members50`, compiled, household: { ...h, members }, asOf: DATES[0]! });
    return cases;
  });
}

/** The case's trace (undefined when the household is refused). */
export function traceOf(c: TraceCase): unknown[] | undefined {
  const r = c.compiled.evaluate(c.household, c.asOf, { trace: true, linked: linkedFor(c.compiled, c.household, c.asOf) });
  return r.ok ? r.trace : undefined;
}
