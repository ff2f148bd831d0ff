// Money (fen) as the contract's yuan text, remembered: a trace writes the same few amounts many
// times (each definition's value, per member), and fenToYuan (rounding, BigInt, a regular
// expression) was the largest single cost of building one. Only whole-number fen held as a
// JavaScript number is remembered (fractions are rare and keyed poorly); the text is
// fenToYuan's own, so the two cannot differ. Bounded: emptied when full.
import { fenToYuan, type Num } from '../base/money.js';

const texts = new Map<number, string>();
const MAX = 4096;

export function yuanText(fen: Num): string {
  if (typeof fen !== 'number') return fenToYuan(fen);
  let t = texts.get(fen);
  if (t === undefined) {
    if (texts.size >= MAX) texts.clear();
    t = fenToYuan(fen);
    texts.set(fen, t);
  }
  return t;
}
