// Engine 1: our compiled policy. `compute` on the decoded household (prepare = schema
// validation + money to fen + dates to yyyymmdd, the HTTP layer's decoding, outside the loop),
// then outputs read with outputValue. A second engine times the whole evaluate(json, asOf) path
// (validation, decoding, compute and JSON output) on the parsed JSON objects.
import type { Engine, Sink } from './types.js';
import type { PolicyUnderTest } from '../lib/policy.js';
import type { HouseholdJson } from '../lib/households.js';
import { parseDate } from '../../dsl/index.js';
import { compile } from '../../dsl/index.js';
import type { Num } from '../../dsl/index.js';

export function fenOfNum(v: unknown): bigint {
  if (typeof v === 'number') return BigInt(v);
  const r = v as { n: number | bigint; d: number | bigint };
  if (BigInt(r.d) !== 1n) throw new Error('amount is not whole fen');
  return BigInt(r.n);
}

/** compute() of the policy compiled in the default mode (generated code), or in the closure mode
 *  (the fallback for pages whose Content-Security-Policy forbids `new Function`). */
export function oursCompute(pol: PolicyUnderTest, mode?: 'closures'): Engine<{ h: Record<string, unknown>; asOf: number }> {
  const { eligibleIndex: ei, amountIndex: ai } = pol;
  const c = mode ? compile(pol.compiled.program, { mode }) : pol.compiled;
  if (c.mode !== (mode ?? 'codegen')) throw new Error(`compiled in mode ${c.mode}, expected ${mode ?? 'codegen'}`);
  return {
    name: mode ? 'ours: closure compiler (CSP fallback), compute()' : 'ours: compiled policy, compute()',
    note: mode
      ? 'same policy compiled to closures (no new Function): the fallback mode'
      : 'exact (integer fen, fractions); decoded input; whole policy incl. single-person and gradual-exit rules; generated JS',
    prepare(h: HouseholdJson, asOf: string) {
      const d = c.prepare(h);
      if (!d.value) throw new Error(`household ${h.id} invalid: ${JSON.stringify(d.errors)}`);
      return { h: d.value, asOf: parseDate(asOf)! };
    },
    runAll(prepared, sink: Sink) {
      const el = sink.eligible, am = sink.amount;
      for (let i = 0; i < prepared.length; i++) {
        const p = prepared[i]!;
        const cx = c.compute(p.h, p.asOf);
        el[i] = c.outputValue(cx, ei) ? 1 : 0;
        am[i] = c.outputValue(cx, ai) as Num;
      }
    },
    fen: fenOfNum,
  };
}

export function oursEvaluate(pol: PolicyUnderTest): Engine<{ h: HouseholdJson; asOf: string }> {
  const { compiled: c } = pol;
  return {
    name: 'ours: evaluate(json, asOf)',
    note: 'same, plus validation/decoding of the parsed JSON and JSON outputs ("1234.50"); no trace',
    prepare: (h, asOf) => ({ h, asOf }),
    runAll(prepared, sink) {
      const el = sink.eligible, am = sink.amount;
      for (let i = 0; i < prepared.length; i++) {
        const p = prepared[i]!;
        const r = c.evaluate(p.h, p.asOf);
        if (!r.ok) throw new Error(JSON.stringify(r.errors));
        el[i] = r.outputs['eligible'] ? 1 : 0;
        am[i] = r.outputs['monthly_amount'];
      }
    },
    fen(v) {
      const m = /^(\d+)\.(\d\d)$/.exec(String(v));
      if (!m) throw new Error(`bad money ${String(v)}`);
      return BigInt(m[1]! + m[2]!);
    },
  };
}
