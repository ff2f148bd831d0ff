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
  const appendable = !list.flow && list.items.length > 0 && list.range ? list.range[2] : null;
  list.flow = false;
  const existing = opts.replaceIndex != null ? list.items[opts.replaceIndex] : undefined;
  if (existing && isMap(existing)) {
    const was = existing.range;
    if (!updateInPlace(doc, existing, s)) return yamlText;             // saved untouched: the text stays as it is
    const next = doc.toString({ lineWidth: 0 });
    return was ? splice(yamlText, was[0], was[2], next, opts.replaceIndex!, opts.replaceIndex!) : next;
  }
  list.items.push(scenarioNode(doc, s));
  const next = doc.toString({ lineWidth: 0 });
  return appendable !== null ? splice(yamlText, appendable, appendable, next, list.items.length - 1, list.items.length - 2) : next;
}

/** The scenario at `from` (its text from the end of item `after`'s, for an append) taken from
 *  `next`, put in place of before[start, end): the rest of the file stays byte for byte as
 *  written, since the yaml package re-prints every flow list ([m2] becomes [ m2 ]). */
function splice(before: string, start: number, end: number, next: string, from: number, after: number): string {
  const items = (parseDocument(next).get('scenarios', true) as YAMLSeq).items as YAMLMap[];
  const range = items[from]?.range, prev = items[after]?.range;
  if (!range || !prev) return next;
  const text = from === after ? next.slice(range[0], range[2]) : next.slice(prev[2], range[2]);
  return before.slice(0, start) + text + before.slice(end);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Changes only what changed, so the hand-written comments (the arithmetic) of the rest stay;
 *  false when nothing did. */
function updateInPlace(doc: Document, node: YAMLMap, s: ScenarioInput): boolean {
  const fresh = scenarioNode(doc, s);
  const old = node.toJSON() as Record<string, unknown>;
  let changed = false;
  const change = (apply: () => void) => { apply(); changed = true; };
  for (const key of ['name', 'as_of', 'household'] as const) {
    if (!same(old[key] instanceof Date ? (old[key] as Date).toISOString().slice(0, 10) : old[key], (s as unknown as Record<string, unknown>)[key])) change(() => node.set(key, fresh.get(key, true)));
  }
  const expectNode = node.get('expect', true);
  if (isMap(expectNode)) {
    const oldExpect = (old.expect ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(oldExpect)) if (!(k in s.expect)) change(() => expectNode.delete(k));
    for (const [k, v] of Object.entries(s.expect)) if (!same(oldExpect[k], v)) change(() => expectNode.set(k, doc.createNode(v)));
  } else change(() => node.set('expect', fresh.get('expect', true)));
  if (s.decided_by && Object.keys(s.decided_by).length) {
    if (!same(old.decided_by, s.decided_by)) change(() => node.set('decided_by', doc.createNode(s.decided_by)));
  } else if (node.has('decided_by') && s.decided_by !== undefined) change(() => node.delete('decided_by'));
  return changed;
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
