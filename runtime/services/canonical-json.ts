// Canonical JSON: object keys sorted (by UTF-16 code units), arrays in order, no spaces. Two
// equal JSON values give the same text, so a stored household or output set can be compared
// byte for byte. Written once per recorded decision (a batch of 10,000 households writes
// 10,000), so it appends to one string and quotes each distinct key once.
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const text = write(value, '');
  // Appending leaves a rope of one piece per token. Kept (a batch keeps 10,000 until they are
  // stored), its pieces outlive the young generation and the collector copies each: 3× the cost
  // of writing them. Reading one character makes V8 flatten it into one string now, while the
  // pieces die young.
  text.charCodeAt(0);
  return text;
}

/** Quoted keys: households repeat the same few dozen names (bounded: a hostile body cannot grow it). */
const quoted = new Map<string, string>();
const QUOTED_MAX = 10_000;
function quote(k: string): string {
  let q = quoted.get(k);
  if (q === undefined) {
    q = JSON.stringify(k);
    if (quoted.size < QUOTED_MAX) quoted.set(k, q);
  }
  return q;
}

/** `out` + the canonical text of a value that JSON.stringify would write (skipped members aside). */
function write(v: unknown, out: string): string {
  if (v === null || typeof v !== 'object') return out + (JSON.stringify(v) ?? 'null');
  if (Array.isArray(v)) {
    out += '[';
    for (let i = 0; i < v.length; i++) out = write(v[i], i ? out + ',' : out);
    return out + ']';
  }
  const keys = Object.keys(v);
  // already in order (a household written by a program, or read back) needs no sort
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) { keys.sort(); break; }
  out += '{';
  let first = true;
  for (const k of keys) {
    const x = (v as Record<string, unknown>)[k];
    if (x === undefined || typeof x === 'function') continue;
    out = write(x, (first ? out : out + ',') + quote(k) + ':');
    first = false;
  }
  return out + '}';
}
