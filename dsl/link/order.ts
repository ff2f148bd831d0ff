// The order in which to evaluate policies that read each other's results (引用): every policy
// after the ones it uses, otherwise in the order given; or the first cycle found, as a chain
// that starts and ends with the same policy (`a → b → a` is ['a', 'b', 'a']).

/** `uses`: for each policy id, the ids it references. Ids referenced but not listed as keys are
 *  not in the order (the caller decides what a missing policy means). */
export function linkOrder(uses: Record<string, readonly string[]>): { order: string[] } | { cycle: string[] } {
  const order: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const has = (id: string) => Object.prototype.hasOwnProperty.call(uses, id);
  // iterative depth-first search (a long chain must not overflow the stack)
  for (const root of Object.keys(uses)) {
    if (state.has(root)) continue;
    const path: { id: string; next: number }[] = [{ id: root, next: 0 }];
    state.set(root, 'open');
    while (path.length) {
      const top = path[path.length - 1]!;
      const deps = uses[top.id] ?? [];
      if (top.next < deps.length) {
        const d = deps[top.next++]!;
        if (!has(d) || state.get(d) === 'done') continue;
        if (state.get(d) === 'open') {
          const from = path.findIndex((x) => x.id === d);
          return { cycle: [...path.slice(from).map((x) => x.id), d] };
        }
        state.set(d, 'open');
        path.push({ id: d, next: 0 });
        continue;
      }
      state.set(top.id, 'done');
      order.push(top.id);
      path.pop();
    }
  }
  return { order };
}
