// Prints a grid back to decision-table text, in the table's keyword language. The cells are the
// texts the officer typed (or read from the source); alignment is the formatter's job: the
// workspace passes the whole source through `format` after splicing this text in.
import type { GridBound, GridCell, GridRow, GridTable } from '../../../dsl/index.js';

const words = {
  zh: { table: '决策表', row: '行', otherwise: '否则', source: '依据', from: '以上', above: '超过', below: '不满', to: '以下', any: '—', policy: { unique: '唯一', first: '首个', sum: '合计' } },
  en: { table: 'table', row: 'row', otherwise: 'otherwise', source: 'source', from: 'from', above: 'above', below: 'below', to: 'to', any: 'any', policy: { unique: 'unique', first: 'first', sum: 'sum' } },
} as const;

/** A band as the statutes write it: 80 以上 / 超过 80 (lower), 不满 90 / 90 以下 (upper); English: from 80 below 90. */
export function printBounds(lang: 'zh' | 'en', lower: GridBound | null, upper: GridBound | null): string {
  const w = words[lang];
  const parts: string[] = [];
  if (lower) parts.push(lang === 'zh' ? (lower.inclusive ? `${lower.value} ${w.from}` : `${w.above} ${lower.value}`) : `${lower.inclusive ? w.from : w.above} ${lower.value}`);
  if (upper) parts.push(lang === 'zh' ? (upper.inclusive ? `${upper.value} ${w.to}` : `${w.below} ${upper.value}`) : `${upper.inclusive ? w.to : w.below} ${upper.value}`);
  return parts.join(' ');
}

/** Interval notation for a band: [80, 90), (90, +∞). */
export function intervalText(lower: GridBound | null, upper: GridBound | null): string {
  return `${lower?.inclusive ? '[' : '('}${lower ? lower.value : '-∞'}, ${upper ? upper.value : '+∞'}${upper?.inclusive ? ']' : ')'}`;
}

export function printCell(lang: 'zh' | 'en', c: GridCell): string {
  if (c.kind === 'any') return words[lang].any;
  if (c.kind === 'values') return c.text.trim() || words[lang].any;
  // a bound whose value is not typed yet is left out; a band with neither bound matches everything
  const lower = c.lower?.value.trim() ? c.lower : null, upper = c.upper?.value.trim() ? c.upper : null;
  return lower || upper ? printBounds(lang, lower, upper) : words[lang].any;
}

/** 依据「a」「b」 in Chinese (no space, as the formatter writes it), source "a" in English. */
const citeText = (lang: 'zh' | 'en', sources: string) =>
  (sources.trim() ? ` ${words[lang].source}${lang === 'zh' ? '' : ' '}${sources.trim()}` : '');

function printRow(lang: 'zh' | 'en', r: GridRow): string {
  const w = words[lang];
  const head = r.name?.trim() ? `${w.row} ${r.name.trim()}` : w.row;
  const cites = citeText(lang, r.sources);
  return `    ${[head, ...r.cells.map((c) => printCell(lang, c))].join(' | ')} → ${r.result.trim()}${cites}`;
}

/** The table's text from its keyword to its last row (or 否则), as it replaces `table.range`. */
export function printTable(t: GridTable): string {
  const w = words[t.lang];
  const lines = [`${w.table} ${w.policy[t.policy]} (${t.columns.join(', ')}):`, ...t.rows.map((r) => printRow(t.lang, r))];
  if (t.otherwise) lines.push(`    ${w.otherwise} ${t.otherwise.value.trim()}${citeText(t.lang, t.otherwise.sources)}`);
  return lines.join('\n');
}

/** The source with the table's text replaced by the grid's. */
export function spliceTable(source: string, t: GridTable): string {
  return source.slice(0, t.range.start.offset) + printTable(t) + source.slice(t.range.end.offset);
}
