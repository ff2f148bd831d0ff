// The household fields compute() can read, from the middle form's resolved reads: what the
// evaluate fast path keeps when it decodes (fast-decode.ts FieldNeed). Fields read by the
// generated code itself, outside any expression, are added by name: the members list (`mem`),
// each member's id (ids aggregates, per-member outputs) and birth date (年龄).
import type { Middle } from '../middle/index.js';
import type { FieldInfo } from '../check/types.js';
import type { FieldNeed } from '../eval/fast-decode.js';

type Tree = Map<string, Tree | 'all'>;

/** Marks the path `names` read in `t`: its last field whole, the records on the way in part. */
function mark(t: Tree, names: readonly string[]): void {
  let at = t;
  for (let i = 0; i < names.length; i++) {
    const cur = at.get(names[i]!);
    if (cur === 'all') return;
    if (i === names.length - 1) { at.set(names[i]!, 'all'); return; }
    let next = cur;
    if (next === undefined) at.set(names[i]!, next = new Map());
    at = next;
  }
}

export function fieldsRead(m: Middle): FieldNeed {
  const top: Tree = new Map();
  const members: Tree = new Map();
  top.set('members', members);
  mark(members, ['id']);
  mark(members, ['birth_date']);
  const names = (fields: FieldInfo[]) => fields.map((f) => f.name);
  for (const r of m.reads.values()) {
    if (r.kind === 'householdField') mark(top, names(r.fields));
    else if (r.kind === 'memberField') mark(top, ['members', ...names(r.fields)]);
  }
  return top;
}
