// COPY's text format (PostgreSQL's COPY … FROM, used by SqlStore.copyRows): one line per row,
// columns separated by tabs, \N for null, and backslash, tab, newline and carriage return
// escaped with a backslash, so no value can end a row or a column early, or read as null.
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One value in COPY's text format (null → \N; most values have nothing to escape). */
export function copyValue(v: string | number | null): string {
  if (v === null) return '\\N';
  const s = String(v);
  return COPY_SPECIAL.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : s;
}

/** Rows in COPY's text format, the columns in the order given. */
export function copyText<T>(rows: readonly T[], columns: readonly (keyof T)[]): string {
  let out = '';
  for (const r of rows) {
    for (let i = 0; i < columns.length; i++) out += (i ? '\t' : '') + copyValue(r[columns[i]!] as string | number | null);
    out += '\n';
  }
  return out;
}
