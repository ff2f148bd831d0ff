// What the name under the cursor means, as the middle form resolved it: a reference or field
// path is looked up in `Middle.reads` (the resolution the backends and the trace use), a
// declaration's or rule's own name by where the middle form says it is written. Hover and go to
// definition both start here, so a name means the same thing in the editor as when evaluated.
import type { Middle, Decl, Clause } from '../middle/index.js';
import type { FieldInfo, LinkTarget } from '../check/types.js';
import type { Range } from '../base/diagnostics.js';
import type * as A from '../syntax/ast.js';

export type Meaning =
  | { kind: 'decl'; decl: Decl }
  | { kind: 'param'; index: number }
  /** `fields`: the path read up to the name under the cursor; `bare`: a member field named
   *  without `成员.` (inside a member definition). */
  | { kind: 'field'; fields: FieldInfo[]; member: boolean; bare: boolean }
  | { kind: 'link'; link: LinkTarget }
  | { kind: 'enum'; value: string; expr: A.Expr }
  | { kind: 'clause'; decl: Decl; clause: Clause };

const holds = (r: Range, offset: number) => r.start.offset <= offset && offset < r.end.offset;
const same = (r: Range, token: Range) => r.start.offset === token.start.offset && r.end.offset === token.end.offset;

/** The symbol written at `token` (a name's range), or null. `ast`: the analysed file, for the
 *  aliases of 引用 in its header. */
export function meaningAt(m: Middle, ast: A.PolicyFile, token: Range): Meaning | null {
  return readAt(m, token) ?? declaredAt(m, ast, token);
}

function readAt(m: Middle, token: Range): Meaning | null {
  const at = token.start.offset;
  for (const [e, read] of m.reads) {
    if (!holds(e.range, at)) continue;
    if (read.kind === 'decl') return { kind: 'decl', decl: read.decl };
    if (read.kind === 'param') return { kind: 'param', index: read.index };
    if (read.kind === 'enum') return { kind: 'enum', value: read.value, expr: e };
    if (e.kind !== 'Field') return { kind: 'field', fields: read.fields, member: read.kind === 'memberField', bare: true };
    // the fields are resolved one per segment of the path (a 引用's: its record, then the output)
    const i = e.path.findIndex((n) => same(n.range, token));
    if (i < 0) return null;   // the 家庭/成员 word or a dot: the keyword's own hover
    if (e.base === 'linked' && i === 0) {
      const link = m.program.links?.find((l) => l.key === read.fields[0]?.name);
      return link ? { kind: 'link', link } : null;
    }
    return { kind: 'field', fields: read.fields.slice(0, i + 1), member: read.kind === 'memberField', bare: false };
  }
  return null;
}

/** A declaration's, parameter's or rule's own name, a rule named after 优先于, a 引用's alias. */
function declaredAt(m: Middle, ast: A.PolicyFile, token: Range): Meaning | null {
  for (const decl of [...m.defs, ...m.memberDefs, ...m.outputs]) {
    if (!holds(decl.range, token.start.offset)) continue;
    if (same(decl.nameRange, token)) return { kind: 'decl', decl };
    if (decl.body.kind !== 'rules') return null;
    for (const clause of decl.body.clauses) {
      if (same(clause.nameRange, token)) return { kind: 'clause', decl, clause };
      const target = clause.targets.find((n) => same(n.range, token));
      // a rule named after 优先于 is one of the same declaration's (the checker's reading)
      const named = target && decl.body.clauses.find((c) => c.name === target.text);
      if (named) return { kind: 'clause', decl, clause: named };
    }
    return null;
  }
  const index = m.program.params.findIndex((p) => same(p.decl.name.range, token));
  if (index >= 0) return { kind: 'param', index };
  const alias = ast.header?.links?.find((l) => same(l.alias.range, token));
  const link = alias && m.program.links?.find((l) => l.alias === alias.alias.text);
  return link ? { kind: 'link', link } : null;
}
