// Deeply frozen copies of the parts of a trace that are the same for every household (ranges,
// citations, what decided an output): shared by every answer of a compiled policy, and their
// JSON text made once per process (trace-json.ts writes a deeply frozen value from its text).

/** A deeply frozen copy of plain data, its keys in the same order (so the same JSON text). */
export function frozenCopy<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return Object.freeze(v.map(frozenCopy)) as T;
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(v)) o[k] = frozenCopy((v as Record<string, unknown>)[k]);
  return Object.freeze(o) as T;
}
