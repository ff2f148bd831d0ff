// Identical outputs shared: one frozen object for the outputs most households of a population get
// from one policy. Of 10,000 Dawukou households all get the same temporary-assistance and
// orphan-allowance outputs, 91 % the same elderly allowance, 60 % the same dibao refusal, half
// one of two disability-subsidy answers: an answer kept (a batch's, the monitor's) need not keep
// its own copy of each, nor a caller make one per household (the entitlements answer shares the
// programme's result built around them).
// 相同的输出只保留一份（冻结、共享）：多数家庭在同一政策下得到完全相同的结果。
// Shared are only outputs nothing in which can be changed, by anyone: each value a primitive
// (text, number, true/false, null), a frozen object, or a text list or a per-member map of
// primitives made for these outputs alone (outputs.ts makes each afresh), frozen when kept.
import type { Json } from '../eval/values.js';

/** The outputs given, or an equal frozen object given before (the same keys, in the same order,
 *  each value the same: === , or a list or per-member map of the same values in the same order). */
export type OutputsSharer = (outputs: Record<string, Json>) => Record<string, Json>;

/** An output as the comparison reads it: a value compared by ===, a text list, or a per-member map. */
export interface SharedOutput { name: string; kind: 'value' | 'list' | 'map' }

/** Kept per policy: the outputs seen most often lately (a few: a lookup compares with each). */
const KEPT = 6;
/** Lookups between two halvings of the counts (so that outputs common earlier give way). */
const AGE = 1024;

/** Outputs kept, with the keys of each per-member map (in `maps` order): compared in order. */
interface Kept { outputs: Record<string, Json>; keys: string[][]; hits: number }

/**
 * The sharer of a policy's outputs, `outputs` in their order (each outputs object of the policy
 * has exactly these keys in this order: outputs.ts writes them so); undefined without `new
 * Function` or for a name the generated comparison cannot use. The comparison is generated: one
 * property read per name on objects of one shape, not a loop of keyed reads; lists and maps last.
 */
export function outputsSharer(outputs: readonly SharedOutput[]): OutputsSharer | undefined {
  if (outputs.length === 0 || outputs.some((o) => o.name === '__proto__')) return undefined;
  const at = (o: SharedOutput) => JSON.stringify(o.name);
  const maps = outputs.filter((o) => o.kind === 'map');
  const tests = [
    ...outputs.filter((o) => o.kind === 'value').map((o) => `a[${at(o)}] === b[${at(o)}]`),
    ...outputs.filter((o) => o.kind === 'list').map((o) => `sameList(a[${at(o)}], b[${at(o)}])`),
    ...maps.map((o, i) => `sameMap(k.keys[${i}], a[${at(o)}], b[${at(o)}])`),
  ];
  let same: (k: Kept, b: Record<string, Json>) => boolean;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    same = (new Function('sameList', 'sameMap', `return (k, b) => { const a = k.outputs; return ${tests.join(' && ')}; };`) as (...a: unknown[]) => typeof same)(sameList, sameMap);
  } catch {
    return undefined;
  }
  const kept: Kept[] = [];
  // the outputs not kept seen last: outputs are kept (frozen) only when the same as these, so
  // that outputs seen once (most of a policy's distinct ones) are never frozen nor kept
  let candidate: Kept | undefined;
  let lookups = 0;
  return (given) => {
    if (++lookups === AGE) { lookups = 0; for (const k of kept) k.hits >>= 1; }
    for (let i = 0; i < kept.length; i++) {
      const k = kept[i]!;
      if (!same(k, given)) continue;
      // the more used first: compared first next time
      if (++k.hits > (i === 0 ? Infinity : kept[i - 1]!.hits)) { kept[i] = kept[i - 1]!; kept[i - 1] = k; }
      return k.outputs;
    }
    // a place for it: a free one, or that of the least used when it is little used (else the
    // ones kept stay: a household's outputs seen once must not push out what most get)
    let place = kept.length;
    if (place === KEPT) {
      place = 0;
      for (let i = 1; i < KEPT; i++) if (kept[i]!.hits < kept[place]!.hits) place = i;
      if (kept[place]!.hits > 1) return given;
    }
    if (candidate === undefined || !same(candidate, given)) {
      candidate = { outputs: given, keys: maps.map((o) => keysOf(given[o.name])), hits: 0 };
      return given;
    }
    // (these outputs kept, not the candidate's: those were given to their caller unfrozen)
    candidate = undefined;
    if (!freezable(given, outputs)) return given;
    for (const o of outputs) if (o.kind !== 'value') Object.freeze(given[o.name]);
    kept[place] = { outputs: Object.freeze(given), keys: maps.map((o) => keysOf(given[o.name])), hits: 1 };
    return given;
  };
}

const keysOf = (v: unknown): string[] => (v !== null && typeof v === 'object' ? Object.keys(v) : []);

const isPrimitive = (v: unknown) => v === null || typeof v !== 'object';

/** Whether `outputs` can be frozen whole: each value a primitive or a frozen object, or (a list or
 *  per-member map, its own) of primitives. */
function freezable(outputs: Record<string, Json>, names: readonly SharedOutput[]): boolean {
  for (const o of names) {
    const v = outputs[o.name];
    if (isPrimitive(v) || Object.isFrozen(v)) continue;
    if (o.kind === 'list' && Array.isArray(v)) { if (!v.every(isPrimitive)) return false; continue; }
    if (o.kind === 'map' && !Array.isArray(v)) { for (const k in v as object) if (!isPrimitive((v as Record<string, unknown>)[k])) return false; continue; }
    return false;
  }
  return true;
}

/** Two text lists (or values) alike: the same values in the same order. */
function sameList(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A per-member map `b` alike to the kept `a` (whose keys, in order, are `keys`): the same keys in
 *  the same order (JSON writes them so), each with the same value. */
function sameMap(keys: readonly string[], a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(b)) return false;
  let i = 0;
  for (const k in b) {
    if (k !== keys[i] || (b as Record<string, unknown>)[k] !== (a as Record<string, unknown>)[k]) return false;
    i++;
  }
  return i === keys.length;
}
