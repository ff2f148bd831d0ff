// The code of an aggregate over members (count, ids, any, all, sum, min, max): a helper function
// looping over `mem`, with the member's record in a local when argument and filter are simple.
import type * as A from '../../syntax/ast.js';
import type { CodeGen } from './state.js';
import { isSimple } from './inline.js';

export function aggregate(g: CodeGen, e: Extract<A.Expr, { kind: 'Aggregate' }>): string {
  const argType = g.type(e.arg);
  const isList = argType.k === 'members' || argType.k === 'list';
  if (e.fn === 'count' && isList && !e.where) return 'mem.length';
  return g.helper(() => {
    const keep = e.where ? `if (!(${g.ex(e.where)})) continue; ` : '';
    const arg = isList ? 'true' : g.ex(e.arg);
    // simple argument and condition: the member's record in a local, the current member untouched
    const local = isSimple(g, e.where) && (isList || isSimple(g, e.arg));
    const loop = (body: string) => {
      const reset = g.ageVar ? `${g.ageVar} = undefined; ` : '';
      return local
        ? `for (let i = 0; i < mem.length; i++) { const mr = mem[i]; ${reset}${keep}${body} }`
        : `const sv = m; for (let i = 0; i < mem.length; i++) { m = i; mr = mem[i]; ${reset}${keep}${body} }`;
    };
    const restore = local ? '' : 'm = sv; mr = mem[sv]; ';
    switch (e.fn) {
      case 'count': return `let n = 0; ${loop(`if (${arg}) n++;`)} ${restore}return n;`;
      // no array made when no member is found (the usual case): a shared frozen empty one
      case 'ids': return `let out = NO_IDS; ${loop(`if (${arg}) (out === NO_IDS ? (out = []) : out).push(String(mem[i]["id"]));`)} ${restore}return out;`;
      case 'any': return `let r = false; ${loop(`if (${arg}) { r = true; break; }`)} ${restore}return r;`;
      case 'all': return `let r = true; ${loop(`if (!(${arg})) { r = false; break; }`)} ${restore}return r;`;
      case 'sum': { const v = g.tmp(); return `let s = 0; ${loop(`${v} = ${arg}; if (${v} === null || ${v} === undefined) continue; s = ${g.arith('+', 's', v)};`)} ${restore}return s;`; }
      case 'min': case 'max': { const v = g.tmp(); return `let r = null; ${loop(`${v} = ${arg}; if (${v} === null || ${v} === undefined) continue; r = r === null ? ${v} : ${e.fn}(r, ${v});`)} ${restore}return r;`; }
    }
    throw new Error(`codegen: unknown aggregate ${String(e.fn)}`);
  });
}
