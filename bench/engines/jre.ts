// Engine 3: json-rules-engine. The engine evaluates conditions over facts and fires events; it
// has no arithmetic or loops. So, as its documentation suggests, the derived values are dynamic
// facts (JS callbacks, plain floats) that the almanac computes lazily and caches per run; the
// engine itself decides eligibility (per-capita income lessThan the standard, both facts) and
// puts the amount fact into the success event (replaceFactsInEventParams). The arithmetic is
// therefore JS float, not the engine's: this row measures the engine's orchestration overhead.
import { Engine as RulesEngine, type Almanac } from 'json-rules-engine';
import type { Engine } from './types.js';
import { fenOfRoundedYuan } from './types.js';
import { floatPrepare, type FloatHousehold } from './float.js';

export function createRulesEngine(): RulesEngine {
  const engine = new RulesEngine([], { replaceFactsInEventParams: true });
  const hh = (a: Almanac) => a.factValue<FloatHousehold>('household');
  engine.addFact('standard', async (_p, a) => ((await hh(a)).urban ? 650 : 5520 / 12));
  engine.addFact('memberCount', async (_p, a) => (await hh(a)).members.length);
  engine.addFact('perCapitaIncome', async (_p, a) => {
    const h = await hh(a);
    let income = 0;
    for (const m of h.members) income += m.income - m.excluded;
    return Math.max(0, income - h.rigid) / h.members.length;
  });
  engine.addFact('specialCount', async (_p, a) => {
    const h = await hh(a);
    let s = 0;
    for (const m of h.members) {
      const age = Math.floor((h.asOf - m.birth) / 10000);
      if (age >= 60 || age < 18 || m.disability > 0 || m.ill) s++;
    }
    return s;
  });
  engine.addFact('amount', async (_p, a) => {
    const std = await a.factValue<number>('standard'), pc = await a.factValue<number>('perCapitaIncome');
    const n = await a.factValue<number>('memberCount'), s = await a.factValue<number>('specialCount');
    const topUp = std - pc;
    return Math.round((topUp * n + 0.1 * topUp * s) * 100) / 100;
  });
  engine.addRule({
    name: 'dibao-top-up',
    conditions: { all: [{ fact: 'perCapitaIncome', operator: 'lessThan', value: { fact: 'standard' } }] },
    event: { type: 'eligible', params: { amount: { fact: 'amount' } } },
  });
  return engine;
}

export function jreEngine(): Engine<FloatHousehold> {
  const engine = createRulesEngine();
  return {
    name: 'json-rules-engine',
    note: 'engine decides eligibility; derived values are JS float dynamic facts; async run() per household',
    prepare: floatPrepare,
    async runAll(prepared, sink) {
      const el = sink.eligible, am = sink.amount;
      for (let i = 0; i < prepared.length; i++) {
        const { events } = await engine.run({ household: prepared[i]! });
        const ev = events[0];
        el[i] = ev ? 1 : 0;
        am[i] = ev ? (ev.params as { amount: number }).amount : 0;
      }
    },
    fen: fenOfRoundedYuan,
  };
}
