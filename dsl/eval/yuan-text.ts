// Money (fen) as the contract's yuan text, written once for every caller: the output writers,
// the trace and its derivations, and the runtime's totals. Amounts repeat — across a
// population's answers (0.00, each standard, each subsidy) and inside one trace (each
// definition's value, per member) — so the text of an amount written recently is the same
// string object again: an answer kept (a batch, the 一门受理 answers) does not keep its own copy,
// and fenToYuan (rounding, BigInt, a regular expression) is not run again. Strings are
// immutable, so sharing changes no answer; the text is fenToYuan's own (tested), so the two
// cannot differ.
import { fenToYuan, roundPairHalfUp, type Num } from '../base/money.js';

/** ".00" to ".99". */
const CENTS = Array.from({ length: 100 }, (_, c) => `.${c < 10 ? '0' : ''}${c}`);
/** Whole fen ≥ 0 (−0 too) as yuan text "12.05" (what fenToYuan gives, without its regex). */
export function fenText(fen: number): string {
  const c = fen % 100;
  return String((fen - c) / 100) + CENTS[c]!;
}

// A direct-mapped cache (the slot is the fen's low bits; a clash replaces the older text): no
// hashing, bounded, and an adversarial spread of amounts costs a text made afresh, as before.
const TEXT_SLOTS = 4096;
const textFen = new Float64Array(TEXT_SLOTS).fill(NaN);
const textOf: string[] = new Array<string>(TEXT_SLOTS).fill('');
/** fenText(fen), the same string object for an amount written recently (whole fen ≥ 0, −0 too). */
export function fenTextShared(fen: number): string {
  const slot = fen & (TEXT_SLOTS - 1);
  // −0 finds 0's text (−0 === 0): both write 0.00
  if (textFen[slot] === fen) return textOf[slot]!;
  const t = fenText(fen);
  textFen[slot] = fen; textOf[slot] = t;
  return t;
}

/** Any money value as yuan text: whole fen ≥ 0 from the shared texts, and so a fraction of a fen
 *  (safe parts) that rounds to one — the rounding fenToYuan does, roundPairHalfUp, without its
 *  BigInt and regular expression (an intermediate 384.225 元 in every trace); anything else (a
 *  negative amount, a BigInt) by fenToYuan. */
export function yuanText(fen: Num): string {
  if (typeof fen === 'number') return fen >= 0 && Number.isSafeInteger(fen) ? fenTextShared(fen) : fenToYuan(fen);
  const n = fen.n, d = fen.d;
  if (typeof n === 'number' && typeof d === 'number' && d > 0) {
    const whole = roundPairHalfUp(n, d);
    if (whole >= 0) return fenTextShared(whole);
  }
  return fenToYuan(fen);
}

// The same cache for the JSON text of an amount, quotes included ("\"12.05\"", what
// JSON.stringify gives fenText's text: digits and one point need no escape), for the writers
// of outputs as text: one string per amount, not a concatenation per output written.
const jsonFen = new Float64Array(TEXT_SLOTS).fill(NaN);
const jsonOf: string[] = new Array<string>(TEXT_SLOTS).fill('');
/** JSON.stringify(fenText(fen)), the same string object for an amount written recently (whole fen ≥ 0, −0 too). */
export function fenJsonShared(fen: number): string {
  const slot = fen & (TEXT_SLOTS - 1);
  if (jsonFen[slot] === fen) return jsonOf[slot]!;
  const t = `"${fenText(fen)}"`;
  jsonFen[slot] = fen; jsonOf[slot] = t;
  return t;
}
