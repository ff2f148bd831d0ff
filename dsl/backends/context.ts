// The evaluation context every compiled closure reads: the decoded household, the current
// member, the evaluation date and the memo slots of definitions and outputs.
import { cmp, type Num } from '../base/money.js';

/** A memo slot not yet computed: `undefined`, which no value of the language is (none is null; a
 *  value that were undefined would only be computed again, with the same result). The generated
 *  code compares with and stores a constant: no load of a captured binding, and no write barrier
 *  on the slots' resets (9 per household on the benchmark policy), where a symbol cost ≈ 5–9 % of
 *  compute() (未计算的槽位用 undefined：比较和清空都是常量，清空无需写屏障). */
export const UNSET = undefined;

export interface Ctx {
  h: Record<string, unknown>;
  mem: Record<string, unknown>[];
  m: number;
  asOf: number;
  hs: unknown[];           // household definitions, then household outputs
  ms: unknown[];           // per member: member definitions, then member outputs
  dec: number[];           // clause that decided each output (-1 expression, -2 otherwise, -3 not evaluated)
  mdec: number[];          // per member and member output
}

export type Fn = (c: Ctx) => unknown;

/** A policy fault met while evaluating (division by zero, conflicting rules): reported, never thrown to callers. */
export class EvalFault extends Error {
  constructor(readonly zh: string, readonly en: string, readonly line: number) { super(`${en} (line ${line})`); }
}

/** Whether two rule results agree (numbers exactly, other values by their JSON). */
export const sameValue = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && 'n' in a && 'n' in b) return cmp(a as Num, b as Num) === 0;
  return JSON.stringify(a) === JSON.stringify(b);
};
