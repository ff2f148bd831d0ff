// Engine 4: GoRules ZEN (@gorules/zen-engine, Rust core through its Node binding). The whole
// logic is one JDM decision graph (input → expression node → output): the engine computes
// every value itself, in its own number type (rust_decimal, 28 significant digits), and rounds
// with round(x, 2) (half away from zero). The answer crosses back to JS as f64.
// evaluate() is async (work runs on the binding's thread pool); with the process pinned to one
// core we keep up to 64 evaluations in flight, the engine's best throughput on one core.
import { ZenEngine, type ZenDecision } from '@gorules/zen-engine';
import type { Engine } from './types.js';
import { fenOfRoundedYuan } from './types.js';
import type { HouseholdJson } from '../lib/households.js';

export const dibaoJdm = {
  nodes: [
    { id: 'in', type: 'inputNode', name: 'household', position: { x: 0, y: 0 } },
    {
      id: 'dibao', type: 'expressionNode', name: 'dibao', position: { x: 200, y: 0 },
      content: {
        expressions: [
          { id: 'e1', key: 'standard', value: "area == 'urban' ? 650 : 5520 / 12" },
          { id: 'e2', key: 'n', value: 'len(members)' },
          { id: 'e3', key: 'countable', value: 'max([0, sum(map(members, #.income - #.excluded)) - rigid])' },
          { id: 'e4', key: 'perCapita', value: '$.countable / $.n' },
          { id: 'e5', key: 'specials', value: 'count(members, floor((asOf - #.birth) / 10000) >= 60 or floor((asOf - #.birth) / 10000) < 18 or #.disability > 0 or #.ill)' },
          { id: 'e6', key: 'eligible', value: '$.perCapita < $.standard' },
          { id: 'e7', key: 'topUp', value: '$.standard - $.perCapita' },
          { id: 'e8', key: 'amount', value: '$.eligible ? round($.topUp * $.n + 0.1 * $.topUp * $.specials, 2) : 0' },
        ],
      },
    },
    { id: 'out', type: 'outputNode', name: 'result', position: { x: 400, y: 0 } },
  ],
  edges: [
    { id: 'a', sourceId: 'in', targetId: 'dibao', type: 'edge' },
    { id: 'b', sourceId: 'dibao', targetId: 'out', type: 'edge' },
  ],
};

export interface ZenInput {
  area: string; rigid: number; asOf: number;
  members: { income: number; excluded: number; birth: number; disability: number; ill: boolean }[];
}
const dateInt = (s: string) => Number(s.slice(0, 4)) * 10000 + Number(s.slice(5, 7)) * 100 + Number(s.slice(8, 10));

export function zenPrepare(h: HouseholdJson, asOf: string): ZenInput {
  return {
    area: h.area, rigid: h.rigid_expenditure_monthly, asOf: dateInt(asOf),
    members: h.members.map((m) => ({ income: m.income_monthly, excluded: m.excluded_income_monthly, birth: dateInt(m.birth_date), disability: m.disability_level, ill: m.serious_illness })),
  };
}

export const ZEN_IN_FLIGHT = 64;

export function zenEngine(): Engine<ZenInput> & { decision: ZenDecision; dispose(): void } {
  const engine = new ZenEngine();
  const decision = engine.createDecision(dibaoJdm);
  return {
    name: '@gorules/zen-engine (JDM)',
    note: `engine computes everything (rust_decimal); async evaluate(), ${ZEN_IN_FLIGHT} in flight on one core`,
    decision,
    prepare: zenPrepare,
    async runAll(prepared, sink) {
      const el = sink.eligible, am = sink.amount;
      let next = 0;
      const worker = async () => {
        while (next < prepared.length) {
          const i = next++;
          const { result } = await decision.evaluate(prepared[i]!);
          el[i] = result.eligible ? 1 : 0;
          am[i] = result.amount;
        }
      };
      await Promise.all(Array.from({ length: Math.min(ZEN_IN_FLIGHT, prepared.length) }, worker));
    },
    fen: fenOfRoundedYuan,
    dispose: () => engine.dispose(),
  };
}
