// Experimental row: the policy under test compiled to JavaScript source (bench/experimental/
// codegen.ts) — to measure what code generation would buy over the closure tree. Not the product.
import type { Engine, Sink } from './types.js';
import type { PolicyUnderTest } from '../lib/policy.js';
import type { HouseholdJson } from '../lib/households.js';
import { parseDate } from '../../dsl/index.js';
import { generate } from '../experimental/codegen.js';
import { fenOfNum } from './ours.js';

export function codegenEngine(pol: PolicyUnderTest): Engine<{ h: Record<string, unknown>; asOf: number }> {
  const { compiled: c, eligibleIndex: ei, amountIndex: ai } = pol;
  const g = generate(c.program);
  return {
    name: 'EXPERIMENT: ours compiled to JS source',
    note: 'same checked program and exact money.ts, generated code (new Function) instead of closures; prototype in bench/experimental, no trace',
    prepare(h: HouseholdJson, asOf: string) {
      const d = c.prepare(h);
      if (!d.value) throw new Error(`household ${h.id} invalid`);
      return { h: d.value, asOf: parseDate(asOf)! };
    },
    runAll(prepared, sink: Sink) {
      const el = sink.eligible, am = sink.amount;
      for (let i = 0; i < prepared.length; i++) {
        const p = prepared[i]!;
        g.compute(p.h, p.asOf);
        el[i] = g.output(ei) ? 1 : 0;
        am[i] = g.output(ai);
      }
    },
    fen: fenOfNum,
  };
}
