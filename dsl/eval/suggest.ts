// Did-you-mean for names a caller got wrong (household fields, request keys): the nearest known
// name, and the bilingual "unknown field" message that names it. Written once for the decoder
// and the HTTP envelope. The work per key is bounded: keys longer than MAX_SUGGEST_KEY are not
// compared, and the edit distance runs on two short strings.

import { editDistance } from '../base/nearest.js';
import type { Message } from '../base/diagnostics.js';

/** Keys longer than this get no suggestion (no known name is that long). */
export const MAX_SUGGEST_KEY = 64;
/** Characters of an unknown key shown in a message or a path. */
const MAX_SHOWN = 40;

export interface NameIndex {
  readonly names: readonly string[];
  /** names lower-cased without separators: income_monthly → incomemonthly */
  readonly folded: readonly string[];
  /** a label (「月收入」, "Monthly income" folded) → its name */
  readonly labels: ReadonlyMap<string, string>;
}

const fold = (s: string) => s.toLowerCase().replace(/[\s_\-.]/g, '');

export function nameIndex(names: readonly string[], labels: Iterable<[string | null | undefined, string]> = []): NameIndex {
  const byLabel = new Map<string, string>();
  for (const [label, name] of labels) if (label) { byLabel.set(label, name); byLabel.set(fold(label), name); }
  return { names, folded: names.map(fold), labels: byLabel };
}

/**
 * The known name a caller most likely meant, or undefined: the same name but for case and
 * separators (incomeMonthly, Income-Monthly), a field's label (月收入), a name it begins
 * (income → income_monthly, the shortest) or that begins it, else the closest by a few edits.
 */
export function nearestName(key: string, idx: NameIndex): string | undefined {
  if (key.length === 0 || key.length > MAX_SUGGEST_KEY) return undefined;
  const k = fold(key);
  const label = idx.labels.get(key) ?? idx.labels.get(k);
  if (label) return label;
  if (!k) return undefined;
  const same = idx.folded.indexOf(k);
  if (same >= 0) return idx.names[same];
  let best: string | undefined, bestLen = Infinity;
  if (k.length >= 3) {
    for (let i = 0; i < idx.names.length; i++) {
      const f = idx.folded[i]!;
      if ((f.startsWith(k) || k.startsWith(f)) && f.length < bestLen) { best = idx.names[i]; bestLen = f.length; }
    }
    if (best) return best;
  }
  const limit = Math.max(1, Math.floor(k.length / 3));
  let bestD = limit + 1;
  for (let i = 0; i < idx.names.length; i++) {
    const d = editDistance(k, idx.folded[i]!, limit);
    if (d < bestD) { bestD = d; best = idx.names[i]; }
  }
  return best;
}

/** A key as shown to people: cut short, control and bidi characters escaped. */
export function showKey(key: string): string {
  const cut = key.length > MAX_SHOWN ? `${key.slice(0, MAX_SHOWN)}…` : key;
  // eslint-disable-next-line no-control-regex
  return cut.replace(/[\u0000-\u001f\u007f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `parent.key`, or `parent["odd key"]` for a key that is not a plain identifier. */
export function keyPath(parent: string, key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && key.length <= MAX_SHOWN) return parent ? `${parent}.${key}` : key;
  const q = JSON.stringify(showKey(key));
  return parent ? `${parent}[${q}]` : `[${q}]`;
}

/** 「未知字段 income，是否应为 income_monthly？」, "unknown field "income"; did you mean "income_monthly"?" */
export function unknownFieldMessage(key: string, idx: NameIndex): Message {
  const shown = showKey(key);
  const near = nearestName(key, idx);
  if (near) return { zh: `未知字段 ${shown}，是否应为 ${near}？`, en: `unknown field "${shown}"; did you mean "${near}"?` };
  const known = idx.names.length > 24 ? [...idx.names.slice(0, 24), '…'] : idx.names;
  return { zh: `未知字段 ${shown}（此处可用的字段：${known.join('、')}）`, en: `unknown field "${shown}" (fields here: ${known.join(', ')})` };
}

/** The closing entry of a capped error list. */
export function moreErrorsMessage(more: number): Message {
  return { zh: `……另有 ${more} 个错误未列出`, en: `…and ${more} more errors not listed` };
}

/** Decoder paths as the HTTP API, the CLI and simulations report them: under `household` (the
 *  request body's field). Written once: a second copy once drifted and turned a fault into a 400. */
export function householdPath(path: string): string {
  if (path === '' || path === '$') return 'household';
  if (path === 'household' || path.startsWith('household.') || path.startsWith('household[')) return path;
  return path.startsWith('[') ? `household${path}` : `household.${path}`;
}
