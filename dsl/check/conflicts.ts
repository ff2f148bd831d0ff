// Which rules of one output may both apply with neither having priority (check.rule-conflict).
// The number of such pairs can be quadratic in the number of rules, so they are counted, and only
// the first `listLimit` are listed. Counting is near-linear in the usual large case — plain rules
// that all constrain one subject the same way (distance ≥ i, area = x, flag / not flag) — by
// sorting interval bounds or grouping values; otherwise pairs are compared one by one, each
// comparison a few map lookups, within a fixed budget of comparisons.
import type * as A from '../syntax/ast.js';
import { Subjects, factsOf, exclusiveFacts, type Facts, type Constraint } from './exclusive.js';

export interface Conflicts {
  /** Pairs (indexes into the rules) listed in order, at most listLimit. */
  listed: [number, number][];
  /** How many conflicting pairs there are in all (listed ones included). */
  total: number;
  /** false when the budget ran out before every pair was compared: total is then a lower bound. */
  exact: boolean;
}

/** Pair comparisons allowed per output before counting gives up on exactness. */
export const PAIR_BUDGET = 2_000_000;

export function findConflicts(rules: A.RuleClause[], overrides: Map<A.RuleClause, number[]>, listLimit: number): Conflicts {
  const subjects = new Subjects();
  const facts = rules.map((r) => factsOf(r.when, subjects));
  const targets = rules.map((r) => overrides.get(r) ?? []);
  const eligible = (i: number, j: number): boolean => {
    const a = rules[i]!, b = rules[j]!;
    if (targets[i]!.includes(j) || targets[j]!.includes(i)) return false;
    if (a.kind !== b.kind) return false; // an exception and an unrelated rule: the exception still wins over its own targets
    return a.kind === 'rule' || targets[i]!.some((t) => targets[j]!.includes(t));
  };
  const conflict = (i: number, j: number) => eligible(i, j) && !exclusiveFacts(facts[i]!, facts[j]!);

  // an exception and a plain rule never conflict: the two kinds are compared apart
  const plain = rules.flatMap((r, i) => (r.kind === 'rule' ? [i] : []));
  const exceptions = rules.flatMap((r, i) => (r.kind === 'exception' ? [i] : []));
  const budget = { n: PAIR_BUDGET };
  const counted = plain.length > 64 ? countPlain(plain.map((i) => facts[i]!)) : undefined;
  // when the plain pairs were counted, compare them only to find the ones to list
  const a = pairs(plain, conflict, budget, listLimit, counted === undefined);
  const b = pairs(exceptions, conflict, budget, Math.max(0, listLimit - a.listed.length), true);
  const total = (counted ?? a.total) + b.total;
  return { listed: [...a.listed, ...b.listed], total, exact: (counted !== undefined || a.exact) && b.exact };
}

/** Compares the pairs of `ids` in order within the budget: lists the first `limit` conflicts and,
 *  with `countAll`, counts them all (else it stops once the list is full). */
function pairs(ids: number[], conflict: (i: number, j: number) => boolean, budget: { n: number }, limit: number, countAll: boolean): Conflicts {
  const listed: [number, number][] = [];
  let total = 0;
  for (let x = 0; x < ids.length; x++) {
    for (let y = x + 1; y < ids.length; y++) {
      if (!countAll && listed.length >= limit) return { listed, total, exact: true };
      if (--budget.n < 0) return { listed, total, exact: false };
      if (!conflict(ids[x]!, ids[y]!)) continue;
      total++;
      if (listed.length < limit) listed.push([ids[x]!, ids[y]!]);
    }
  }
  return { listed, total, exact: true };
}

/** The number of overlapping pairs among plain rules, counted without comparing pairs, or
 *  undefined when the rules do not have the one shape this counts. */
export function countPlain(facts: Facts[]): number | undefined {
  const live = facts.filter((f) => !f.never); // a rule that can never apply conflicts with none
  // subjects constrained by two or more rules: only they can separate rules
  const uses = new Map<number, number>();
  for (const f of live) for (const id of f.by.keys()) uses.set(id, (uses.get(id) ?? 0) + 1);
  const shared = [...uses].filter(([, n]) => n >= 2).map(([id]) => id);
  const m = live.length;
  const all = (m * (m - 1)) / 2;
  if (shared.length === 0) return all;
  if (shared.length > 1) return undefined;
  const cs = live.flatMap((f) => { const c = f.by.get(shared[0]!); return c ? [c] : []; });
  const separated = disjointPairs(cs);
  return separated === undefined ? undefined : all - separated;
}

/** How many pairs of constraints (all of one kind) have no value in common. */
function disjointPairs(cs: Constraint[]): number | undefined {
  const kinds = new Set(cs.map((c) => (c.pol !== undefined ? 1 : 0) + (c.lit !== undefined ? 2 : 0) + (c.iv !== undefined ? 4 : 0)));
  if (kinds.size !== 1) return undefined;
  const kind = [...kinds][0];
  if (kind === 1) {
    const yes = cs.filter((c) => c.pol).length;
    return yes * (cs.length - yes);
  }
  if (kind === 2) {
    const byValue = new Map<string, number>();
    for (const c of cs) byValue.set(c.lit!, (byValue.get(c.lit!) ?? 0) + 1);
    let same = 0;
    for (const n of byValue.values()) same += n * n;
    return (cs.length * cs.length - same) / 2;
  }
  if (kind === 4) return disjointIntervals(cs.map((c) => c.iv!));
  return undefined;
}

/** Pairs of intervals that share no value: for each interval b, the intervals wholly below it,
 *  found by binary search among the upper bounds sorted (each disjoint pair is counted once,
 *  from its upper member). */
function disjointIntervals(ivs: { lo: number; loIn: boolean; hi: number; hiIn: boolean }[]): number {
  // upper bounds in order; at equal values the open ones (hi excluded) first
  const his = ivs.map((x) => ({ v: x.hi, open: !x.hiIn })).sort((a, b) => a.v - b.v || (a.open === b.open ? 0 : a.open ? -1 : 1));
  /** The number of upper bounds before the first one for which `stop` holds. */
  const countWhile = (before: (h: { v: number; open: boolean }) => boolean): number => {
    let lo = 0, hi = his.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (before(his[mid]!)) lo = mid + 1; else hi = mid; }
    return lo;
  };
  let n = 0;
  for (const b of ivs) {
    // a lies below b when a.hi < b.lo, or a.hi = b.lo and not both include it
    n += b.loIn
      ? countWhile((h) => h.v < b.lo || (h.v === b.lo && h.open))
      : countWhile((h) => h.v <= b.lo);
  }
  return n;
}
