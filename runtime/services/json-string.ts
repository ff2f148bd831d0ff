// JSON.stringify of a result's id, as both dry-run answers read from bytes write it (the JSON
// Lines result line and the JSON batch's result): the text reader reads ids as short ASCII, which
// JSON.stringify writes as they are, quoted, so the call is skipped for them.

/** JSON.stringify(s): without the call for a short string of printable ASCII other than a quote
 *  or backslash (an id as the text reader reads it), which JSON.stringify writes as it is, quoted. */
export function jsonString(s: string): string {
  if (s.length > 32) return JSON.stringify(s);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c > 126 || c === 34 || c === 92) return JSON.stringify(s);
  }
  return '"' + s + '"';
}
