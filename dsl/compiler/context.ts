// The evaluation context every compiled closure reads: the decoded household, the current
// member, the evaluation date and the memo slots of definitions and outputs.
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
