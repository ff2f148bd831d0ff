// The dependencies of each output (parameters, definitions, other outputs, input fields), for
// the explanation trace: a depth-first walk of the direct uses the checker recorded.
import type { Dependencies } from './types.js';
import type { CheckState, Symbol } from './state.js';

export function emptyDeps(): Dependencies {
  return { params: new Set(), defs: new Set(), memberDefs: new Set(), outputs: new Set(), inputs: new Set() };
}

/** Fills each output's `deps` (the empty sets made with the output). Plain loops over explicit
 *  stacks, no closures over the check's state: V8 keeps a closure that was called from a call
 *  site alive through young-generation collections, and with it every finished check. */
export function collectDependencies(cx: CheckState): void {
  const { symbols, directDeps, directInputs } = cx;
  // `seenBy` holds, per symbol, the last output whose walk visited it
  const seenBy = new Int32Array(symbols.size).fill(-1);
  // (a stack of symbols and, beside it, each one's next dependency; inputs are added after the
  // dependencies, in the order the recursive walk added them, which the trace shows)
  const stack: Symbol[] = [], next: number[] = [];
  for (let o = 0; o < cx.outputs.length; o++) {
    const deps = cx.outputs[o]!.deps;
    const self = symbols.get(cx.outputs[o]!.decl.name.text)!;
    enter(self, o, self, deps, seenBy, stack, next);
    while (stack.length) {
      const top = stack.length - 1, s = stack[top]!;
      const ds = directDeps[s.id];
      if (ds && next[top]! < ds.length) { enter(ds[next[top]!++]!, o, self, deps, seenBy, stack, next); continue; }
      stack.pop(); next.pop();
      const ins = directInputs[s.id];
      if (ins) for (let i = 0; i < ins.length; i++) deps.inputs.add(ins[i]!);
    }
  }
}

/** Visits `s` for output `o` (once): records it in `deps` and pushes it to walk its dependencies. */
function enter(s: Symbol, o: number, self: Symbol, deps: Dependencies, seenBy: Int32Array, stack: Symbol[], next: number[]): void {
  if (seenBy[s.id] === o) return;
  seenBy[s.id] = o;
  if (s.kind === 'param') deps.params.add(s.index);
  else if (s.kind === 'def') (s.member ? deps.memberDefs : deps.defs).add(s.index);
  else if (s !== self) deps.outputs.add(s.index);
  stack.push(s); next.push(0);
}
