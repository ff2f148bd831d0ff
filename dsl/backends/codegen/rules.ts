// The function of one declaration: memo slot check, its body (an expression, or rules and
// exceptions in the priority order of rule-order.ts with the conflict check), the store.
import type { Body, Decl } from '../../middle/index.js';
import type { CodeGen } from './state.js';

/** The statements computing a body into v; outputs record the deciding clause in `rec` (an lvalue). */
function body(g: CodeGen, b: Body, rec: string | null): string {
  if (b.kind === 'expr') return `v = ${g.ex(b.expr)};`;
  const cs = b.clauses, n = cs.length, order = b.order;
  const names = g.k(cs.map((c) => c.name)), lines = g.k(cs.map((c) => c.line));
  const out = [`let win = -1;`];
  for (let i = 0; i < n; i++) out.push(`let a${i} = false;`);
  // overriding clauses are decided first; a clause overridden by an active one is not evaluated
  for (const i of order) { const by = cs[i]!.overriddenBy; out.push(`a${i} = ${by.length ? `!(${by.map((j) => `a${j}`).join(' || ')}) && ` : ''}!!(${g.ex(cs[i]!.when)});`); }
  for (let i = 0; i < n; i++) {
    const t = g.tmp();
    out.push(`if (a${i}) { ${t} = ${g.ex(cs[i]!.then)}; if (win < 0) { win = ${i}; v = ${t}; } else if (!sameValue(${t}, v)) conflict(${names}, ${lines}, win, ${i}); }`);
  }
  out.push(`if (win >= 0) { ${rec ? `${rec} = win;` : ''} } else { ${rec ? `${rec} = -2;` : ''} v = ${b.otherwise ? g.ex(b.otherwise) : 'null'}; }`);
  return out.join('\n    ');
}

/** Writes function `name`: `head` loads the memo slot into v (and `memo` returns it when set),
 *  `store` is where v is kept, then `stored` runs (a member slot notes that compute() has member
 *  slots to clear). */
export function declarationFunction(g: CodeGen, name: string, head: string, d: Decl, store: string, rec: string | null, stored = '', memo = true): void {
  g.temps = []; g.ageVar = null;
  const code = body(g, d.body, rec);
  g.fns.push(`function ${name}() { ${head}${memo ? ' if (v !== undefined) return v;' : ''}${g.temps.length ? ` let ${g.temps.join(', ')};` : ''}\n    ${code}\n    ${store} = v;${stored} return v; }`);
}
