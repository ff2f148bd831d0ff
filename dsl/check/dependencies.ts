// The dependencies of each output (parameters, definitions, other outputs, input fields), for
// the explanation trace: a depth-first walk of the direct uses the checker recorded.
import type { Dependencies } from './types.js';
import type { CheckState, Symbol } from './state.js';

export function emptyDeps(): Dependencies {
  return { params: new Set(), defs: new Set(), memberDefs: new Set(), outputs: new Set(), inputs: new Set() };
}

/** Fills each output's `deps` (the empty sets made with the output). */
export function collectDependencies(cx: CheckState): void {
  const { symbols, directDeps, directInputs } = cx;
  // `seenBy` holds, per symbol, the last output whose walk visited it
  const seenBy = new Int32Array(symbols.size).fill(-1);
  // (an explicit stack of [symbol, next dependency]; inputs are added after the dependencies, in
  // the order the recursive walk added them, which the trace shows)
  const walk = (start: Symbol, o: number, self: Symbol, deps: Dependencies) => {
    const stack: [Symbol, number][] = [];
    const enter = (s: Symbol) => {
      if (seenBy[s.id] === o) return;
      seenBy[s.id] = o;
      if (s.kind === 'param') deps.params.add(s.index);
      else if (s.kind === 'def') (s.member ? deps.memberDefs : deps.defs).add(s.index);
      else if (s !== self) deps.outputs.add(s.index);
      stack.push([s, 0]);
    };
    enter(start);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const ds = directDeps[top[0].id];
      if (ds && top[1] < ds.length) { enter(ds[top[1]++]!); continue; }
      stack.pop();
      const ins = directInputs[top[0].id];
      if (ins) for (let i = 0; i < ins.length; i++) deps.inputs.add(ins[i]!);
    }
  };
  cx.outputs.forEach((o, k) => {
    const self = symbols.get(o.decl.name.text)!;
    walk(self, k, self, o.deps);
  });
}
