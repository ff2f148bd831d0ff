// The runtime's wiring of linked policies (runtime/services/evaluation.ts), independent of how
// the language writes 引用: a policy that uses another gets that policy's result under the
// version in force on the same date, evaluated first; a cycle between published versions and a
// referenced policy that is missing are answered with the chain, never a 500. The compiled
// policies here are stand-ins with the language's shape (uses, evaluate(h, asOf, { linked })).
import { describe, expect, it } from 'vitest';
import { EvaluationService, type LinkedResult } from '../../runtime/services/evaluation.js';
import { DomainError } from '../../runtime/services/domain-error.js';

type Outputs = Record<string, unknown>;
/** A stand-in compiled policy: its outputs computed from the household and the linked results it was given. */
function stub(id: string, uses: string[], outputs: (linked: Record<string, LinkedResult>) => Outputs) {
  return {
    info: { id }, uses, assumptions: () => [],
    evaluate: (_h: unknown, _asOf: string, opts: { linked?: Record<string, LinkedResult> } = {}) => ({ ok: true, outputs: outputs(opts.linked ?? {}), assumptions: [], trace: [] }),
  };
}

/** Published versions: id → [effective_from, compiled stand-in][]. */
function service(published: Record<string, [string, ReturnType<typeof stub>][]>) {
  const byHash = new Map<string, ReturnType<typeof stub>>();
  const policies: Record<string, unknown> = {};
  for (const [id, versions] of Object.entries(published)) {
    policies[id] = { id, retired: null, versions: versions.map(([from, c], i) => {
      byHash.set(`${id}-${i + 1}`, c);
      return { version: i + 1, effective_from: from, source: `${id}-${i + 1}`, hash: `${id}-${i + 1}` };
    }) };
  }
  const store = { data: { policies } };
  const policyService = { store, policy: (id: string) => { const p = policies[id]; if (!p) throw new DomainError('not_found', 'policy.not_found', `没有政策 ${id}`, `No policy ${id}`); return p; } };
  const lang = { modulesHash: 'm', compile: (source: string) => ({ compiled: byHash.get(source), diagnostics: [] }) };
  return new EvaluationService(lang as never, policyService as never, () => '2024-06-01');
}

const household = { id: 'h', members: [{ id: 'a' }] };

describe('a policy that uses another', () => {
  // dibao v1 (from 2016) grants 440, v2 (from 2022) grants 650; the subsidy pays 110 when dibao is granted
  const dibaoV1 = stub('dibao', [], () => ({ eligible: true, monthly_amount: '440.00' }));
  const dibaoV2 = stub('dibao', [], () => ({ eligible: true, monthly_amount: '650.00' }));
  const subsidy = stub('subsidy', ['dibao'], (l) => ({ living_subsidy: l.dibao?.outputs.eligible === true ? '110.00' : '0.00', read_version: l.dibao?.version ?? null }));
  const s = service({ dibao: [['2016-01-01', dibaoV1], ['2022-01-01', dibaoV2]], subsidy: [['2016-01-01', subsidy]] });

  it('reads the referenced result under the version in force on the same date', () => {
    const early = s.evaluate('subsidy', { household, as_of: '2020-06-01', trace: false });
    expect(early.outputs).toEqual({ living_subsidy: '110.00', read_version: 1 });
    expect(early).toMatchObject({ uses: { dibao: { version: 1, outputs: { monthly_amount: '440.00' } } } });
    const late = s.evaluate('subsidy', { household, as_of: '2024-06-01', trace: false });
    expect(late).toMatchObject({ outputs: { read_version: 2 }, uses: { dibao: { version: 2, outputs: { monthly_amount: '650.00' } } } });
  });

  it('a policy that uses none answers without `uses`', () => {
    expect(s.evaluate('dibao', { household, as_of: '2024-06-01', trace: false })).not.toHaveProperty('uses');
  });

  it('the batch form passes the referenced results too', () => {
    const b = s.batch('subsidy', { households: [household, household], as_of: '2024-06-01' });
    expect(b.results.map((r) => (r as { outputs: Outputs }).outputs.read_version)).toEqual([2, 2]);
  });
});

describe('what cannot be linked', () => {
  it('a cycle between published versions: 422 with the chain', () => {
    const s = service({ a: [['2020-01-01', stub('a', ['b'], () => ({}))]], b: [['2020-01-01', stub('b', ['a'], () => ({}))]] });
    const e = (() => { try { s.evaluate('a', { household, as_of: '2024-06-01' }); } catch (x) { return x; } })() as DomainError;
    expect(e).toBeInstanceOf(DomainError);
    expect(e).toMatchObject({ kind: 'unprocessable', code: 'policy.link_cycle' });
    expect(e.en).toContain('a → b → a');
  });

  it('a referenced policy with no version in force: 422 naming it', () => {
    const s = service({ a: [['2020-01-01', stub('a', ['b'], () => ({}))]], b: [['2025-01-01', stub('b', [], () => ({}))]] });
    const e = (() => { try { s.evaluate('a', { household, as_of: '2024-06-01' }); } catch (x) { return x; } })() as DomainError;
    expect(e).toMatchObject({ kind: 'unprocessable', code: 'policy.link_unavailable' });
    expect(e.en).toContain('Referenced policy b is not available on 2024-06-01');
  });
});
