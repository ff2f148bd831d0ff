// Identical outputs shared: one frozen object for the outputs most households of a population get
// from one policy. Of 10,000 Dawukou households all get the same temporary-assistance and
// orphan-allowance outputs, 91 % the same elderly allowance, 60 % the same dibao refusal: an
// answer kept (a batch's, the monitor's) need not keep its own copy of each, nor a caller make
// one per household (the entitlements answer shares the programme's result built around them).
// 相同的输出只保留一份（冻结、共享）：多数家庭在同一政策下得到完全相同的结果。
// Shared are only outputs whose every value is a primitive (text, number, true/false, null) or
// already frozen and shared (the empty list): nothing in them can be changed, by anyone.
import type { Json } from '../eval/values.js';

/** The outputs given, or an equal frozen object given before (the same keys, in the same order,
 *  each value the same: === ). */
export type OutputsSharer = (outputs: Record<string, Json>) => Record<string, Json>;

/** Kept per policy: the outputs seen most often lately (a few: a lookup compares with each). */
const KEPT = 6;
/** Lookups between two halvings of the counts (so that outputs common earlier give way). */
const AGE = 1024;

interface Kept { outputs: Record<string, Json>; hits: number }

/**
 * The sharer of a policy's outputs, named `names` in their order (each outputs object of the policy
 * has exactly these keys in this order: outputs.ts writes them so); undefined without `new
 * Function` or for a name the generated comparison cannot use. The comparison is generated: one
 * property read per name on objects of one shape, not a loop of keyed reads.
 */
export function outputsSharer(names: readonly string[]): OutputsSharer | undefined {
  if (names.length === 0 || names.includes('__proto__')) return undefined;
  let same: (a: Record<string, Json>, b: Record<string, Json>) => boolean;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    same = new Function('a', 'b', `return ${names.map((n) => `a[${JSON.stringify(n)}] === b[${JSON.stringify(n)}]`).join(' && ')};`) as typeof same;
  } catch {
    return undefined;
  }
  const kept: Kept[] = [];
  let lookups = 0;
  return (outputs) => {
    if (++lookups === AGE) { lookups = 0; for (const k of kept) k.hits >>= 1; }
    for (let i = 0; i < kept.length; i++) {
      const k = kept[i]!;
      if (same(k.outputs, outputs)) { k.hits++; return k.outputs; }
    }
    if (!unchangeable(outputs, names)) return outputs;
    // a place for it: a free one, or that of the least used when it is little used (else the
    // ones kept stay: a household's outputs seen once must not push out what most get)
    let at = kept.length;
    if (at === KEPT) {
      at = 0;
      for (let i = 1; i < KEPT; i++) if (kept[i]!.hits < kept[at]!.hits) at = i;
      if (kept[at]!.hits > 1) return outputs;
    }
    kept[at] = { outputs: Object.freeze(outputs), hits: 0 };
    return outputs;
  };
}

/** Whether no value of `outputs` can be changed: each a primitive, or a frozen object. */
function unchangeable(outputs: Record<string, Json>, names: readonly string[]): boolean {
  for (const n of names) {
    const v = outputs[n];
    if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) return false;
  }
  return true;
}
