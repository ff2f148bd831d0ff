// "Did you mean …?": the known name closest to a mistyped one, for error messages (scenario
// files, CLI options and commands). Pure; compares code points, so Chinese names work too.

/**
 * Edit distance between two strings, by code point: insertions, deletions, substitutions and
 * swaps of two neighbours (`tset` → `test` is one edit, the commonest typo). With a `limit`, it
 * stops as soon as the distance must exceed it and answers limit + 1 (bounded work per key).
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  const x = [...a], y = [...b];
  if (Math.abs(x.length - y.length) > limit) return limit + 1;
  let before: number[] = [];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= y.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) row[j] = Math.min(row[j]!, before[j - 2]! + 1);
      if (row[j]! < best) best = row[j]!;
    }
    if (best > limit) return limit + 1;
    before = prev;
    prev = row;
  }
  return prev[y.length]!;
}

/** Names longer than this get no suggestion. */
const NAME_AT_MOST = 100;

/**
 * The known name closest to `name`, or undefined when none is close enough to be a likely typo:
 * at most one edit per three characters (at least one), or one name a prefix of the other
 * (`income` → `income_monthly`). Case is ignored; ties go to the first known name.
 */
export function nearest(name: string, known: Iterable<string>): string | undefined {
  // a name longer than any real one is no typo of one (and comparing it would cost its length squared)
  if (name.length > NAME_AT_MOST) return undefined;
  const n = name.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const k of known) {
    if (k === name || k.length > NAME_AT_MOST * 2) continue;
    const kl = k.toLowerCase();
    const limit = Math.max(1, Math.floor(Math.max([...n].length, [...kl].length) / 3));
    // (past the limit only "more than the limit" matters: the bounded distance stops early)
    const d = editDistance(n, kl, limit);
    const prefix = Math.min(n.length, kl.length) >= 3 && (kl.startsWith(n) || n.startsWith(kl));
    const score = d <= limit ? d : prefix ? limit + 0.5 : Infinity;
    if (score < bestScore) { best = k; bestScore = score; }
  }
  return best;
}

/**
 * The tail of an "unknown name" message, in both languages: the nearest known name as a
 * question, or (when none is close) the names that would be accepted, so the reader can choose.
 */
export function hint(name: string, known: readonly string[], max = 12): { hint_zh: string; hint_en: string } {
  const near = nearest(name, known);
  if (near !== undefined) return { hint_zh: `，是否应为「${near}」？`, hint_en: `; did you mean "${near}"?` };
  if (known.length === 0) return { hint_zh: '', hint_en: '' };
  const list = known.slice(0, max);
  const more = known.length > max ? ` …` : '';
  return { hint_zh: `（可选：${list.join('、')}${more}）`, hint_en: ` (known: ${list.join(', ')}${more})` };
}

/** Only the question: the nearest known name, or empty tails when none is close (for names,
 *  where listing every known one would say nothing). */
export function nearHint(name: string, known: Iterable<string>): { hint_zh: string; hint_en: string } {
  const near = nearest(name, known);
  return near === undefined ? { hint_zh: '', hint_en: '' } : { hint_zh: `，是否应为「${near}」？`, hint_en: `; did you mean "${near}"?` };
}
