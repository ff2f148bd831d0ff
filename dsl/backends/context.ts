// The evaluation context every compiled closure reads: the decoded household, the current
// member, the evaluation date and the memo slots of definitions and outputs.
import { cmp, type Num } from '../base/money.js';

export const UNSET: unique symbol = Symbol('unset');

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
