// The function of one declaration: memo slot check, its body (an expression, or rules and
// exceptions in the priority order of rule-order.ts with the conflict check), the store.
import type * as A from '../../syntax/ast.js';
import { ruleOrder } from '../../middle/rule-order.js';
import type { CodeGen } from './state.js';

/** The statements computing a body into v; outputs record the deciding clause in `rec` (an lvalue). */
function body(g: CodeGen, b: A.Body, rec: string | null): string {
  if (b.kind === 'Expr') return `v = ${g.ex(b.expr)};`;
  const n = b.rules.length;
  const { overriddenBy: by, order } = ruleOrder(b.rules, g.p.overrides);
  const names = g.k(b.rules.map((r) => r.name.text)), lines = g.k(b.rules.map((r) => r.range.start.line));
  const out = [`let win = -1;`];
  for (let i = 0; i < n; i++) out.push(`let a${i} = false;`);
  // overriding clauses are decided first; a clause overridden by an active one is not evaluated
  for (const i of order) out.push(`a${i} = ${by[i]!.length ? `!(${by[i]!.map((j) => `a${j}`).join(' || ')}) && ` : ''}!!(${g.ex(b.rules[i]!.when)});`);
  for (let i = 0; i < n; i++) {
    const t = g.tmp();
    out.push(`if (a${i}) { ${t} = ${g.ex(b.rules[i]!.then)}; if (win < 0) { win = ${i}; v = ${t}; } else if (!sameValue(${t}, v)) conflict(${names}, ${lines}, win, ${i}); }`);
  }
  out.push(`if (win >= 0) { ${rec ? `${rec} = win;` : ''} } else { ${rec ? `${rec} = -2;` : ''} v = ${b.otherwise ? g.ex(b.otherwise) : 'null'}; }`);
  return out.join('\n    ');
}

/** Writes function `name`: `head` loads the memo slot into v, `store` is where v is kept. */
export function declarationFunction(g: CodeGen, name: string, head: string, b: A.Body, store: string, rec: string | null): void {
  g.temps = []; g.ageVar = null;
  const code = body(g, b, rec);
  g.fns.push(`function ${name}() { ${head} if (v !== UNSET) return v;${g.temps.length ? ` let ${g.temps.join(', ')};` : ''}\n    ${code}\n    ${store} = v; return v; }`);
}
