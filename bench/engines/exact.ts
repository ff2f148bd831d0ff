// Engine 2c (a yardstick, not in the brief's list): the rules written by hand, exactly, in
// integer fen with the fractions kept by hand (numerator/denominator in safe integers). This is
// the ceiling for an exact evaluator in JS: what a developer would write for one policy.
import type { Engine } from './types.js';
import type { HouseholdJson } from '../lib/households.js';

export interface IntMember { birth: number; disability: number; ill: boolean; income: number; excluded: number }
export interface IntHousehold { urban: boolean; rigid: number; members: IntMember[]; asOf: number }

const dateInt = (s: string) => Number(s.slice(0, 4)) * 10000 + Number(s.slice(5, 7)) * 100 + Number(s.slice(8, 10));
const fen = (yuan: number) => Math.round(yuan * 100);   // inputs have at most 2 decimals

export function exactPrepare(h: HouseholdJson, asOf: string): IntHousehold {
  return {
    urban: h.area === 'urban', rigid: fen(h.rigid_expenditure_monthly), asOf: dateInt(asOf),
    members: h.members.map((m) => ({ birth: dateInt(m.birth_date), disability: m.disability_level, ill: m.serious_illness, income: fen(m.income_monthly), excluded: fen(m.excluded_income_monthly) })),
  };
}

/** Returns the amount in fen (0 when not eligible) and eligibility in `elig[0]`. */
export function dibaoExact(h: IntHousehold): { eligible: boolean; fen: number } {
  // standard = stdN / stdD fen
  const stdN = h.urban ? 65000 : 552000, stdD = h.urban ? 1 : 12;
  let income = 0, specials = 0;
  const ms = h.members, n = ms.length;
  for (let i = 0; i < n; i++) {
    const m = ms[i]!;
    income += m.income - m.excluded;
    const age = Math.floor((h.asOf - m.birth) / 10000);
    if (age >= 60 || age < 18 || m.disability > 0 || m.ill) specials++;
  }
  const countable = Math.max(0, income - h.rigid);
  if (!(countable * stdD < stdN * n)) return { eligible: false, fen: 0 };
  // amount = (stdN·n − countable·stdD)(10n + s) / (10·stdD·n), rounded half-up
  const num = (stdN * n - countable * stdD) * (10 * n + specials), den = 10 * stdD * n;
  if (!Number.isSafeInteger(num)) throw new Error('out of the safe range');
  const q = Math.floor(num / den), r = num - q * den;
  return { eligible: true, fen: 2 * r >= den ? q + 1 : q };
}

export const exactEngine: Engine<IntHousehold> = {
  name: 'hand-written TS, exact integers',
  note: 'yardstick: integer fen and a hand-kept fraction, one policy hard-coded',
  prepare: exactPrepare,
  runAll(prepared, sink) {
    const el = sink.eligible, am = sink.amount;
    for (let i = 0; i < prepared.length; i++) {
      const r = dibaoExact(prepared[i]!);
      el[i] = r.eligible ? 1 : 0;
      am[i] = r.fen;
    }
  },
  fen: (v) => BigInt(v as number),
};
