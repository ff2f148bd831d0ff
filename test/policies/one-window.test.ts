// policies/one-window.yaml: whole households across programmes (一门受理), worked out by hand.
// Each household is evaluated against every policy its expectations name, the referenced ones
// first (linkOrder), each on the version in force on as_of, and each referencing policy is given
// the referenced results of the same evaluation: nothing is fixed by hand but the household.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { linkOrder, type CompiledPolicy, type Json, type LinkedResult } from '../../dsl/index.js';
import { sameJson } from '../../dsl/scenarios/index.js';
import { root, inForce, resolve } from './shipped.js';

interface Entry { name: string; as_of: string; household: unknown; expect: Record<string, Record<string, Json>> }
const entries = YAML.parse(readFileSync(join(root, 'one-window.yaml'), 'utf8')) as Entry[];

function compiledInForce(id: string, date: string): { version: number; compiled: CompiledPolicy } {
  const v = inForce(id, date), compiled = resolve(id, date);
  if (!v || !compiled) throw new Error(`no version of ${id} in force on ${date} that compiles`);
  return { version: v.n, compiled };
}

describe('one-window households (policies/one-window.yaml)', () => {
  it('has hand-worked households, a Dawukou one among them', () => {
    expect(entries.length).toBeGreaterThanOrEqual(6);
    expect(entries.some((e) => 'dawukou-dibao' in e.expect && 'dawukou-disability-subsidies' in e.expect && 'dawukou-low-income' in e.expect)).toBe(true);
  });

  for (const e of entries) {
    it(e.name, () => {
      // every policy named, and every policy they reference, in dependency order
      const uses: Record<string, readonly string[]> = {};
      const pending = Object.keys(e.expect);
      while (pending.length) {
        const id = pending.shift()!;
        if (id in uses) continue;
        uses[id] = compiledInForce(id, e.as_of).compiled.uses;
        pending.push(...uses[id]!);
      }
      const order = linkOrder(uses);
      expect('order' in order).toBe(true);
      const results: Record<string, LinkedResult> = {};
      for (const id of 'order' in order ? order.order : []) {
        const { version, compiled } = compiledInForce(id, e.as_of);
        const linked = Object.fromEntries(compiled.uses.map((u) => [u, results[u]!]));
        const r = compiled.evaluate(e.household, e.as_of, { trace: true, linked });
        expect(r.ok, `${id}: ${r.ok ? '' : JSON.stringify(r.errors)}`).toBe(true);
        if (r.ok) results[id] = { version, outputs: r.outputs, trace: r.trace };
      }
      for (const [id, outputs] of Object.entries(e.expect)) {
        for (const [name, expected] of Object.entries(outputs)) {
          const actual = results[id]?.outputs[name];
          expect(actual !== undefined && sameJson(expected, actual), `${id}.${name}: expected ${JSON.stringify(expected)}, actual ${JSON.stringify(actual)}`).toBe(true);
        }
      }
    });
  }

  it('the disability subsidy of the Dawukou household says why, across the boundary', () => {
    const e = entries[0]!;
    const dibao = compiledInForce('dawukou-dibao', e.as_of);
    const d = dibao.compiled.evaluate(e.household, e.as_of, { trace: true });
    const subsidy = compiledInForce('dawukou-disability-subsidies', e.as_of).compiled;
    const r = subsidy.evaluate(e.household, e.as_of, { trace: true, linked: { 'dawukou-dibao': { version: dibao.version, outputs: d.ok ? d.outputs : {}, trace: d.ok ? d.trace : undefined } } });
    const entry = r.ok ? r.trace!.find((t) => t.output === 'living_subsidy_by_member') : undefined;
    // m1 is in a household that qualifies as a whole: household_eligible = 是, decided in dawukou-dibao v2
    const read = entry?.linked?.find((x) => x.output === 'household_eligible');
    expect(read).toMatchObject({ policy: 'dawukou-dibao', version: 2, value: true });
    expect(read?.because.zh).toBe('dawukou-dibao.household_eligible = 是（输出 household_eligible，国家规定：家庭人均收入低于当地低保标准）');
  });
});
