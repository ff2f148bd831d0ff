// Accepting results after a deliberate change: each chosen scenario's expected outputs become the
// values the draft now computes. The scenarios YAML is edited in place (the `yaml` document keeps
// the rest as written, comments included), and each accepted scenario gets a comment saying who
// accepted what, when, and the old → new values: the draft's own record of the acceptance (the
// save that follows is in the audit log under the same person).
import { isMap, isScalar, isSeq, parseDocument, type YAMLMap } from 'yaml';
import type { Json } from '../language/types';

export interface Accept { index: number; outputs: { name: string; expected: Json; actual: Json }[] }

const shown = (v: Json) => (typeof v === 'string' ? v : JSON.stringify(v));

/** The new YAML text; throws when the text no longer has the scenario (it changed meanwhile). */
export function acceptResults(yamlText: string, accepts: Accept[], by: { who: string; date: string }): string {
  const doc = parseDocument(yamlText);
  if (doc.errors.length) throw new Error(doc.errors[0]!.message);
  const list = doc.get('scenarios', true);
  if (!isSeq(list)) throw new Error('scenarios: not a list');
  for (const a of accepts) {
    const scenario = list.items[a.index];
    if (!isMap(scenario)) throw new Error(`scenarios[${a.index}]: missing`);
    let expect = scenario.get('expect', true) as YAMLMap | undefined;
    if (!isMap(expect)) { expect = doc.createNode({}) as YAMLMap; scenario.set('expect', expect); }
    for (const o of a.outputs) {
      // a scalar keeps its node (its quoting and its comment); anything else is replaced
      const cur = expect.get(o.name, true);
      if (isScalar(cur) && (o.actual === null || typeof o.actual !== 'object')) cur.value = o.actual;
      else expect.set(o.name, doc.createNode(o.actual));
    }
    const note = `${by.date} ${by.who} 接受新结果 / accepted: ${a.outputs.map((o) => `${o.name} ${shown(o.expected)} → ${shown(o.actual)}`).join('; ')}`;
    const key = scenario.items.find((p) => (p.key as { value?: unknown } | null)?.value === 'expect')?.key as { commentBefore?: string | null } | undefined;
    if (key) key.commentBefore = key.commentBefore ? `${key.commentBefore}\n ${note}` : ` ${note}`;
  }
  return doc.toString({ lineWidth: 0 });
}
