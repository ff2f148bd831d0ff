// Engine 2b: the rules written by hand with decimal.js, naturally: divide first, default
// precision (20 significant digits), round half-up to 0.01 at the end.
import { Decimal } from 'decimal.js';
import type { Engine } from './types.js';
import type { HouseholdJson } from '../lib/households.js';

export interface DecMember { birth: number; disability: number; ill: boolean; income: Decimal; excluded: Decimal }
export interface DecHousehold { urban: boolean; rigid: Decimal; members: DecMember[]; asOf: number }

const dateInt = (s: string) => Number(s.slice(0, 4)) * 10000 + Number(s.slice(5, 7)) * 100 + Number(s.slice(8, 10));
const URBAN = new Decimal(650), RURAL_YEAR = new Decimal(5520), RATE = new Decimal('0.1'), ZERO = new Decimal(0);

export function decimalPrepare(h: HouseholdJson, asOf: string): DecHousehold {
  return {
    urban: h.area === 'urban', rigid: new Decimal(h.rigid_expenditure_monthly), asOf: dateInt(asOf),
    members: h.members.map((m) => ({ birth: dateInt(m.birth_date), disability: m.disability_level, ill: m.serious_illness, income: new Decimal(m.income_monthly), excluded: new Decimal(m.excluded_income_monthly) })),
  };
}

export function dibaoDecimal(h: DecHousehold): { eligible: boolean; amount: Decimal } {
  const standard = h.urban ? URBAN : RURAL_YEAR.div(12);
  let income = ZERO;
  let specials = 0;
  for (const m of h.members) {
    income = income.plus(m.income.minus(m.excluded));
    const age = Math.floor((h.asOf - m.birth) / 10000);
    if (age >= 60 || age < 18 || m.disability > 0 || m.ill) specials++;
  }
  const countable = Decimal.max(ZERO, income.minus(h.rigid));
  const perCapita = countable.div(h.members.length);
  const eligible = perCapita.lt(standard);
  const topUp = standard.minus(perCapita);
  const amount = eligible
    ? topUp.times(h.members.length).plus(RATE.times(topUp).times(specials)).toDecimalPlaces(2, Decimal.ROUND_HALF_UP)
    : ZERO;
  return { eligible, amount };
}

export const decimalEngine: Engine<DecHousehold> = {
  name: 'hand-written TS, decimal.js',
  note: 'Decimal (precision 20), divide first, toDecimalPlaces(2, ROUND_HALF_UP)',
  prepare: decimalPrepare,
  runAll(prepared, sink) {
    const el = sink.eligible, am = sink.amount;
    for (let i = 0; i < prepared.length; i++) {
      const r = dibaoDecimal(prepared[i]!);
      el[i] = r.eligible ? 1 : 0;
      am[i] = r.amount;
    }
  },
  fen: (v) => BigInt((v as Decimal).times(100).toFixed(0)),
};
