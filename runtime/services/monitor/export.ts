// A list as a file for the monthly push: CSV (UTF-8 with BOM, so spreadsheet programs read the
// Chinese) or XLSX (exceljs's streaming writer). Rows are read and written a page at a time.
import type { Writable } from 'node:stream';

export interface ExportRow { household_id: string; county: string | null; policy: string; decision_id: string | null; detail: Record<string, unknown> }

export const EXPORT_COLUMNS: { key: string; zh: string; en: string }[] = [
  { key: 'household_id', zh: '家庭编号', en: 'household_id' },
  { key: 'county', zh: '县区', en: 'county' },
  { key: 'policy', zh: '政策', en: 'policy' },
  { key: 'detail', zh: '详情', en: 'detail' },
  { key: 'decision_id', zh: '决定记录', en: 'decision_id' },
  { key: 'explanation', zh: '解释（重算）', en: 'explanation' },
];

export const explanationUrl = (decisionId: string | null) => (decisionId ? `/api/decisions/${decisionId}/replay` : '');

const cells = (r: ExportRow): string[] =>
  [r.household_id, r.county ?? '', r.policy, JSON.stringify(r.detail), r.decision_id ?? '', explanationUrl(r.decision_id)];

/** A CSV cell; text a spreadsheet would run as a formula (=, +, -, @) is prefixed with ' so it stays text. */
export function csvCell(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Writes pages as CSV to `out`, waiting for it to drain (memory stays one page). */
export async function writeCsv(out: Writable, pages: AsyncIterable<ExportRow[]>): Promise<void> {
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((ok) => out.once('drain', ok)));
  await write(`\ufeff${EXPORT_COLUMNS.map((c) => `${c.zh} ${c.en}`).map(csvCell).join(',')}\r\n`);
  for await (const page of pages) await write(page.map((r) => `${cells(r).map(csvCell).join(',')}\r\n`).join(''));
}

/** Writes pages as one XLSX worksheet named after the list. */
export async function writeXlsx(out: Writable, sheet: string, pages: AsyncIterable<ExportRow[]>): Promise<void> {
  // loaded on the first XLSX export: the library takes ≈ 0.4 s of CPU to load, which every
  // server start (and every test's server) would otherwise pay for a monthly push
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const ws = book.addWorksheet(sheet.slice(0, 31));
  ws.addRow(EXPORT_COLUMNS.map((c) => `${c.zh} ${c.en}`)).commit();
  for await (const page of pages) for (const r of page) ws.addRow(cells(r)).commit();
  ws.commit();
  await book.commit();
}
