// Edits a scenario suite's YAML text without losing its comments: append a scenario or replace
// one in place (the `yaml` package keeps the rest of the document as written).
import { isMap, isSeq, parseDocument, YAMLMap, YAMLSeq, type Document } from 'yaml';
import type { Json } from '../language/types';

export interface ScenarioInput { name: string; as_of: string; household: Json; expect: Record<string, Json>; decided_by?: Record<string, string> }

function scenarioNode(doc: Document, s: ScenarioInput) {
  const plain: Record<string, unknown> = { name: s.name, as_of: s.as_of, household: s.household, expect: s.expect };
  if (s.decided_by && Object.keys(s.decided_by).length) plain.decided_by = s.decided_by;
  const node = doc.createNode(plain) as YAMLMap;
  // members one per line in flow style, as the hand-written suites do
  const hh = node.get('household', true);
  if (isMap(hh)) {
    const members = hh.get('members', true);
    if (isSeq(members)) for (const m of members.items) if (isMap(m)) m.flow = true;
  }
  return node;
}

/** Appends a scenario (or replaces the one at `replaceIndex`) and returns the new YAML text. */
export function upsertScenario(yamlText: string, s: ScenarioInput, opts: { policyId?: string; replaceIndex?: number } = {}): string {
  const doc = parseDocument(yamlText.trim() ? yamlText : `policy: ${opts.policyId ?? ''}\nscenarios: []\n`);
  if (doc.errors.length) throw new Error(doc.errors[0]!.message);
  if (!isMap(doc.contents)) doc.contents = doc.createNode({ policy: opts.policyId ?? '', scenarios: [] }) as never;
  let seq = doc.get('scenarios', true);
  if (!isSeq(seq)) {
    seq = new YAMLSeq();
    doc.set('scenarios', seq);
  }
  const list = seq as YAMLSeq;
  list.flow = false;
  const existing = opts.replaceIndex != null ? list.items[opts.replaceIndex] : undefined;
  if (existing && isMap(existing)) updateInPlace(doc, existing, s);
  else list.items.push(scenarioNode(doc, s));
  return doc.toString({ lineWidth: 0 });
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Changes only what changed, so the hand-written comments (the arithmetic) of the rest stay. */
function updateInPlace(doc: Document, node: YAMLMap, s: ScenarioInput) {
  const fresh = scenarioNode(doc, s);
  const old = node.toJSON() as Record<string, unknown>;
  for (const key of ['name', 'as_of', 'household'] as const) {
    if (!same(old[key] instanceof Date ? (old[key] as Date).toISOString().slice(0, 10) : old[key], (s as unknown as Record<string, unknown>)[key])) node.set(key, fresh.get(key, true));
  }
  const expectNode = node.get('expect', true);
  if (isMap(expectNode)) {
    const oldExpect = (old.expect ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(oldExpect)) if (!(k in s.expect)) expectNode.delete(k);
    for (const [k, v] of Object.entries(s.expect)) if (!same(oldExpect[k], v)) expectNode.set(k, doc.createNode(v));
  } else node.set('expect', fresh.get('expect', true));
  if (s.decided_by && Object.keys(s.decided_by).length) {
    if (!same(old.decided_by, s.decided_by)) node.set('decided_by', doc.createNode(s.decided_by));
  } else if (node.has('decided_by') && s.decided_by !== undefined) node.delete('decided_by');
}

/** Reads the scenarios of a suite as plain data (for the form's edit mode); tolerant of errors. */
export function readScenarios(yamlText: string): ScenarioInput[] {
  try {
    const doc = parseDocument(yamlText);
    const data = doc.toJS() as { scenarios?: unknown } | null;
    const list = Array.isArray(data?.scenarios) ? (data!.scenarios as Record<string, unknown>[]) : [];
    return list.map((x) => ({
      name: String(x?.name ?? ''),
      as_of: x?.as_of instanceof Date ? x.as_of.toISOString().slice(0, 10) : String(x?.as_of ?? ''),
      household: (x?.household ?? {}) as Json,
      expect: (x?.expect ?? {}) as Record<string, Json>,
      decided_by: (x?.decided_by ?? undefined) as Record<string, string> | undefined,
    }));
  } catch {
    return [];
  }
}
