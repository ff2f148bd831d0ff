// Engine 2a: the rules written by hand in plain floating point, as a developer would.
import type { Engine } from './types.js';
import { fenOfRoundedYuan } from './types.js';
import type { HouseholdJson } from '../lib/households.js';

export interface FloatMember { birth: number; disability: number; ill: boolean; income: number; excluded: number }
export interface FloatHousehold { urban: boolean; rigid: number; members: FloatMember[]; asOf: number }

const dateInt = (s: string) => Number(s.slice(0, 4)) * 10000 + Number(s.slice(5, 7)) * 100 + Number(s.slice(8, 10));

export function floatPrepare(h: HouseholdJson, asOf: string): FloatHousehold {
  return {
    urban: h.area === 'urban', rigid: h.rigid_expenditure_monthly, asOf: dateInt(asOf),
    members: h.members.map((m) => ({ birth: dateInt(m.birth_date), disability: m.disability_level, ill: m.serious_illness, income: m.income_monthly, excluded: m.excluded_income_monthly })),
  };
}

export function dibaoFloat(h: FloatHousehold): { eligible: boolean; amount: number } {
  const standard = h.urban ? 650 : 5520 / 12;
  let income = 0;
  let specials = 0;
  for (const m of h.members) {
    income += m.income - m.excluded;
    const age = Math.floor((h.asOf - m.birth) / 10000);
    if (age >= 60 || age < 18 || m.disability > 0 || m.ill) specials++;
  }
  const countable = Math.max(0, income - h.rigid);
  const perCapita = countable / h.members.length;
  const eligible = perCapita < standard;
  const topUp = standard - perCapita;
  const amount = eligible ? Math.round((topUp * h.members.length + 0.1 * topUp * specials) * 100) / 100 : 0;
  return { eligible, amount };
}

export const floatEngine: Engine<FloatHousehold> = {
  name: 'hand-written TS, float',
  note: 'plain JS numbers in yuan, Math.round(x·100)/100',
  prepare: floatPrepare,
  runAll(prepared, sink) {
    const el = sink.eligible, am = sink.amount;
    for (let i = 0; i < prepared.length; i++) {
      const r = dibaoFloat(prepared[i]!);
      el[i] = r.eligible ? 1 : 0;
      am[i] = r.amount;
    }
  },
  fen: fenOfRoundedYuan,
};
