// The assumptions an answer rests on: the version's effective date when it is marked assumed
// (`生效 … 假定「…」`) and every assumed parameter (`假定「…」`) the outputs depend on. Every output
// is computed for every answer, so the static dependency sets of the checker say which
// parameters an answer read; worked out once per program.
import type { Program } from '../check/types.js';

/** One thing an answer relies on that no source gives: a parameter's figure or the version's date. */
export type Assumption = { parameter: string; text: string } | { version: string; text: string };

const cache = new WeakMap<Program, readonly Assumption[]>();

/** The assumptions of `p`, worked out once (shared: callers copy). */
function listOf(p: Program): readonly Assumption[] {
  let list = cache.get(p);
  if (!list) {
    const used = new Set<number>();
    for (const o of p.outputs) for (const i of o.deps.params) used.add(i);
    const found: Assumption[] = [];
    if (p.info.effective !== null && p.info.effectiveAssumed !== null) found.push({ version: p.info.effective, text: p.info.effectiveAssumed });
    p.params.forEach((prm, i) => { if (prm.decl.assumed && used.has(i)) found.push({ parameter: prm.decl.name.text, text: prm.decl.assumed.text }); });
    list = found;
    cache.set(p, list);
  }
  return list;
}

/** A function giving a fresh copy of `p`'s assumptions on each call (for evaluate, which answers
 *  with them every time: the list is found once, not looked up per call). */
export function assumptionsCopier(p: Program): () => Assumption[] {
  const list = listOf(p);
  // a copy: callers may add to or reorder their answer (object literals, not spreads)
  return () => {
    const out = new Array<Assumption>(list.length);
    for (let i = 0; i < list.length; i++) {
      const a = list[i]!;
      out[i] = 'parameter' in a ? { parameter: a.parameter, text: a.text } : { version: a.version, text: a.text };
    }
    return out;
  };
}

export function assumptionsOf(p: Program): Assumption[] {
  return assumptionsCopier(p)();
}
