// Whether two rule conditions visibly exclude each other (A / 不 A; the same field is two
// different enum values; the same quantity in disjoint intervals). Conditions the checker cannot
// separate must be given a priority.
//
// Each condition is read once into facts: per subject (an expression, interned as a number by
// its structure), what the condition's conjuncts require of it — a truth value, a literal value,
// a numeric interval — intersected. Two conditions exclude each other when, for some subject,
// what they require has no value in common. Comparing two conditions is then a few map lookups,
// and conflicts.ts can count overlapping pairs by sorting (no expression is compared twice).
import type * as A from '../syntax/ast.js';

/** What the conjuncts of one condition require of one subject. */
export interface Constraint {
  /** true: the subject (a condition itself) holds; false: it does not. */
  pol?: boolean;
  /** The literal value the subject equals (`x = 城市`). */
  lit?: string;
  /** The numeric interval the subject lies in (`x ≥ 3`, `x = 2`). */
  iv?: Interval;
  /** The conjuncts contradict each other on this subject: the condition never holds. */
  empty?: boolean;
}
export interface Interval { lo: number; loIn: boolean; hi: number; hiIn: boolean }
/** The facts of one condition: subject id → constraint; `never` when the condition cannot hold. */
export interface Facts { by: Map<number, Constraint>; never: boolean }

/** Interns subjects by their structure (source ranges ignored), so equal subjects share an id. */
export class Subjects {
  private ids = new Map<string, number>();
  id(e: A.Expr): number {
    const key = JSON.stringify(e, (k, v: unknown) => (k === 'range' ? undefined : v));
    let i = this.ids.get(key);
    if (i === undefined) { i = this.ids.size; this.ids.set(key, i); }
    return i;
  }
}

/** The conjuncts of e, and the `and` nodes above them (each holds too: `不 (a 并且 b)` excludes `a 并且 b`). */
function conjuncts(e: A.Expr): { leaves: A.Expr[]; ands: A.Expr[] } {
  const leaves: A.Expr[] = [], ands: A.Expr[] = [], stack = [e];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.kind === 'Binary' && x.op === 'and') { ands.push(x); stack.push(x.right, x.left); } else leaves.push(x);
  }
  return { leaves, ands };
}

function literalKey(e: A.Expr): string | undefined {
  if (e.kind === 'Ref') return `ref:${e.name}`;
  if (e.kind === 'Text') return `text:${e.text}`;
  if (e.kind === 'Bool') return `bool:${e.value}`;
  return undefined;
}

const num = (x: A.Expr): number | undefined =>
  x.kind === 'Number' || x.kind === 'Money' || x.kind === 'Percent' ? Number(x.text)
    : x.kind === 'Unary' && x.op === 'neg' && x.arg.kind === 'Number' ? -Number(x.arg.text) : undefined;
const flipped = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=' } as const;

/** `x > 0`, `0 < x`, `x = 0` (a constant bound): the subject and its interval. */
function interval(e: A.Expr): { subject: A.Expr; iv: Interval } | undefined {
  if (e.kind !== 'Binary' || !(e.op === '<' || e.op === '<=' || e.op === '>' || e.op === '>=' || e.op === '=')) return undefined;
  let subject = e.left, c = num(e.right), op: keyof typeof flipped = e.op;
  if (c === undefined) {
    c = num(e.left); subject = e.right;
    if (c === undefined) return undefined;
    op = flipped[op];
  }
  const inf = Infinity;
  switch (op) {
    case '<': return { subject, iv: { lo: -inf, loIn: false, hi: c, hiIn: false } };
    case '<=': return { subject, iv: { lo: -inf, loIn: false, hi: c, hiIn: true } };
    case '>': return { subject, iv: { lo: c, loIn: false, hi: inf, hiIn: false } };
    case '>=': return { subject, iv: { lo: c, loIn: true, hi: inf, hiIn: false } };
    default: return { subject, iv: { lo: c, loIn: true, hi: c, hiIn: true } };
  }
}

/** a lies wholly below b (they share no value). */
export const below = (a: Interval, b: Interval): boolean => a.hi < b.lo || (a.hi === b.lo && !(a.hiIn && b.loIn));
export const emptyInterval = (x: Interval): boolean => x.lo > x.hi || (x.lo === x.hi && !(x.loIn && x.hiIn));

function intersect(a: Interval, b: Interval): Interval {
  const lo = a.lo > b.lo ? a : a.lo < b.lo ? b : { lo: a.lo, loIn: a.loIn && b.loIn };
  const hi = a.hi < b.hi ? a : a.hi > b.hi ? b : { hi: a.hi, hiIn: a.hiIn && b.hiIn };
  return { lo: lo.lo, loIn: lo.loIn, hi: hi.hi, hiIn: hi.hiIn };
}

function constrain(facts: Facts, id: number, add: Constraint): void {
  const c = facts.by.get(id) ?? {};
  if (add.pol !== undefined) { if (c.pol !== undefined && c.pol !== add.pol) c.empty = true; c.pol = add.pol; }
  if (add.lit !== undefined) { if (c.lit !== undefined && c.lit !== add.lit) c.empty = true; c.lit = add.lit; }
  if (add.iv !== undefined) { c.iv = c.iv ? intersect(c.iv, add.iv) : add.iv; if (emptyInterval(c.iv)) c.empty = true; }
  if (c.empty) facts.never = true;
  facts.by.set(id, c);
}

/** The facts of a rule condition. */
export function factsOf(when: A.Expr, subjects: Subjects): Facts {
  const facts: Facts = { by: new Map(), never: false };
  const { leaves, ands } = conjuncts(when);
  for (const x of ands) constrain(facts, subjects.id(x), { pol: true });
  for (const c of leaves) {
    constrain(facts, subjects.id(c), { pol: true });
    if (c.kind === 'Unary' && c.op === 'not') constrain(facts, subjects.id(c.arg), { pol: false });
    if (c.kind === 'Binary' && c.op === '=') {
      const lit = literalKey(c.right);
      if (lit !== undefined) constrain(facts, subjects.id(c.left), { lit });
    }
    const i = interval(c);
    if (i) constrain(facts, subjects.id(i.subject), { iv: i.iv });
  }
  return facts;
}

/** Whether two constraints on one subject have no value in common. */
export function disjoint(a: Constraint, b: Constraint): boolean {
  if (a.empty || b.empty) return true;
  if (a.pol !== undefined && b.pol !== undefined && a.pol !== b.pol) return true;
  if (a.lit !== undefined && b.lit !== undefined && a.lit !== b.lit) return true;
  return a.iv !== undefined && b.iv !== undefined && (below(a.iv, b.iv) || below(b.iv, a.iv));
}

/** Whether two conditions, read into facts, can never hold together. */
export function exclusiveFacts(a: Facts, b: Facts): boolean {
  if (a.never || b.never) return true;
  const [small, large] = a.by.size <= b.by.size ? [a, b] : [b, a];
  for (const [id, c] of small.by) {
    const d = large.by.get(id);
    if (d !== undefined && disjoint(c, d)) return true;
  }
  return false;
}

/** Whether two conditions can never hold together (one-off use; conflicts.ts reads facts once). */
export function exclusive(a: A.Expr, b: A.Expr): boolean {
  const s = new Subjects();
  return exclusiveFacts(factsOf(a, s), factsOf(b, s));
}
