// The value of an expression that is known when compiling (a literal, a parameter or an enum
// value): both compilers specialise on it (comparisons with constants, constant rates).
import type * as A from '../syntax/ast.js';
import type { Program } from '../check/types.js';
import { constantValue } from '../check/constants.js';

export function constOf(e: A.Expr, p: Program): { v: unknown } | undefined {
  switch (e.kind) {
    case 'Number': case 'Money': case 'Percent': case 'Date': case 'Text': case 'Bool': case 'None': {
      const r = p.resolutions.get(e);
      return { v: r?.kind === 'enum' ? r.value : constantValue(e) ?? null };
    }
    case 'Ref': {
      const r = p.resolutions.get(e);
      if (r?.kind === 'param') return { v: p.params[r.index]!.value };
      if (r?.kind === 'enum') return { v: r.value };
      return undefined;
    }
    default: return undefined;
  }
}
