// Exact money for the Impact tab. The API sends amounts as decimal yuan strings ("12345.60");
// they are shown as given. Differences (only when the API does not send them) and comparisons
// use integer fen (BigInt) — never JS floats. Floats appear only for chart geometry (pixels).

const MONEY = /^([+-]?)(\d+)(?:\.(\d{1,2}))?$/;

/** Yuan text → integer fen, or null when it is not a plain decimal with at most 2 places. */
export function toFen(yuan: string | null | undefined): bigint | null {
  if (typeof yuan !== 'string') return null;
  const m = MONEY.exec(yuan.trim());
  if (!m) return null;
  const fen = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' ? -fen : fen;
}

/** Integer fen → yuan text with two places ("-0.50"). */
export function fenToYuan(fen: bigint): string {
  const neg = fen < 0n;
  const a = neg ? -fen : fen;
  const whole = a / 100n, cents = a % 100n;
  return `${neg ? '-' : ''}${whole}.${cents.toString().padStart(2, '0')}`;
}

/** after − before, exactly (null if either is not money text). */
export function subYuan(after: string, before: string): string | null {
  const a = toFen(after), b = toFen(before);
  return a === null || b === null ? null : fenToYuan(a - b);
}

/** Sign of a yuan text: -1, 0 or 1 (0 for unreadable text). */
export function signOf(yuan: string | null | undefined): -1 | 0 | 1 {
  const f = toFen(yuan);
  return f === null || f === 0n ? 0 : f > 0n ? 1 : -1;
}

/** Compares two yuan texts exactly. */
export function cmpYuan(a: string, b: string): number {
  const x = toFen(a) ?? 0n, y = toFen(b) ?? 0n;
  return x === y ? 0 : x > y ? 1 : -1;
}

/** Thousands separators inserted into the text as given (no rounding, no float). */
export function groupDigits(text: string): string {
  const m = /^([+-]?)(\d+)(\.\d+)?$/.exec(text);
  if (!m) return text;
  return m[1]! + m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (m[3] ?? '');
}

/** A change shown with its sign: "+50.00", "-12.00", "0.00". */
export function signed(text: string): string {
  const g = groupDigits(text);
  return signOf(text) > 0 && !g.startsWith('+') ? `+${g}` : g;
}

/** value / max as a float in [0, 1] for drawing (exact integer division to 1/10000 first). */
export function ratio(value: string, max: string): number {
  const v = toFen(value), m = toFen(max);
  if (v === null || m === null || m <= 0n) return 0;
  const abs = v < 0n ? -v : v;
  return Number((abs * 10000n) / m) / 10000;
}

/** The larger absolute value of some yuan texts (as text). */
export function maxAbsYuan(values: string[]): string {
  let best = 0n;
  for (const v of values) {
    const f = toFen(v);
    if (f === null) continue;
    const a = f < 0n ? -f : f;
    if (a > best) best = a;
  }
  return fenToYuan(best);
}

/** An integer count with thousands separators. */
export function count(n: number): string {
  return groupDigits(String(n));
}
