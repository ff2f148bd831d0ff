// Line diff (longest common subsequence after trimming the common head and tail).

export interface DiffLine { op: 'equal' | 'add' | 'remove'; text: string; from_line: number | null; to_line: number | null }
export interface LineDiff { lines: DiffLine[]; added: number; removed: number; unified: string }

export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function lineDiff(fromText: string, toText: string): LineDiff {
  const a = splitLines(fromText), b = splitLines(toText);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const am = a.slice(head, a.length - tail), bm = b.slice(head, b.length - tail);
  const ops: ('equal' | 'add' | 'remove')[] = [];
  if (am.length * bm.length > 4_000_000) {
    // Too big for the table: show the middle as removed then added.
    ops.push(...am.map(() => 'remove' as const), ...bm.map(() => 'add' as const));
  } else {
    const n = am.length, m = bm.length;
    const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = am[i] === bm[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
    let i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && am[i] === bm[j]) { ops.push('equal'); i++; j++; }
      else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) { ops.push('remove'); i++; }
      else { ops.push('add'); j++; }
    }
  }
  const lines: DiffLine[] = [];
  let ai = 0, bi = 0;
  for (let k = 0; k < head; k++) lines.push({ op: 'equal', text: a[ai]!, from_line: ++ai, to_line: ++bi });
  for (const op of ops) {
    if (op === 'equal') lines.push({ op, text: a[ai]!, from_line: ++ai, to_line: ++bi });
    else if (op === 'remove') lines.push({ op, text: a[ai]!, from_line: ++ai, to_line: null });
    else lines.push({ op, text: b[bi]!, from_line: null, to_line: ++bi });
  }
  for (let k = 0; k < tail; k++) lines.push({ op: 'equal', text: a[ai]!, from_line: ++ai, to_line: ++bi });
  const added = lines.filter((l) => l.op === 'add').length;
  const removed = lines.filter((l) => l.op === 'remove').length;
  const unified = lines.map((l) => (l.op === 'equal' ? ' ' : l.op === 'add' ? '+' : '-') + l.text).join('\n');
  return { lines, added, removed, unified };
}
