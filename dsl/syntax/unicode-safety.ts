// Characters that make a policy read differently from what it is (B8): bidirectional controls,
// which reorder how code is displayed ("Trojan Source") and are refused everywhere, strings and
// comments included; invisible characters, refused outside string literals; and names that mix
// Latin, Cyrillic and Greek letters (`аge` with a Cyrillic а looks exactly like `age`).
// Chinese names with ASCII digits, underscores or Latin letters (低保标准2022, 标准_A) are fine.
import { diagnostic, type Diagnostic, type Range } from '../base/diagnostics.js';
import { Identifier, StringLit } from './lexer.js';
import type { TokenBuffer } from './scanner.js';

/** U+061C, U+200E/F, U+202A–E, U+2066–9: the bidirectional formatting characters. */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
/** Zero-width characters, word joiner, byte-order mark (after the start), soft hyphen, and the
 *  Hangul fillers (letters that show as nothing, so they can even make up a name). */
const INVISIBLE = /[\u00AD\u115F\u1160\u180E\u200B-\u200D\u2060-\u2064\u3164\uFEFF\uFFA0]/g;
const SCRIPTS: [RegExp, string, string][] = [
  [/\p{Script=Latin}/u, '拉丁', 'Latin'], [/\p{Script=Cyrillic}/u, '西里尔', 'Cyrillic'], [/\p{Script=Greek}/u, '希腊', 'Greek'],
];
/** A name without one of these letters mixes no scripts. */
const GREEK_OR_CYRILLIC = /[\p{Script=Greek}\p{Script=Cyrillic}]/u;
/** A superset of GREEK_OR_CYRILLIC as plain UTF-16 ranges (astral letters: any high surrogate).
 *  A file without one has no mixed-script name; the search is about ten times faster than the
 *  Unicode property class over a whole file (test/dsl/unicode-safety checks every code point). */
export const MAYBE_GREEK_OR_CYRILLIC = /[\u0370-\u052F\u1C80-\u1C8A\u1D26-\u1DBF\u1F00-\u1FFE\u2126\u2DE0-\u2DFF\uA640-\uA69F\uAB65\uFE2E\uFE2F\uD800-\uDBFF]/;
/** A file made only of ASCII, CJK and full-width forms (the Hangul fillers excepted) has none of these. */
const PLAIN_TEXT = /^[\x00-\x7F\u3000-\u3163\u3165-\u9FFF\uF900-\uFAFF\uFF00-\uFF9F\uFFA1-\uFFEF]*$/;

const hex = (c: number) => c.toString(16).toUpperCase().padStart(4, '0');

/** The position of offset in text (1-based line and column, as the lexer counts them). */
function positionsOf(text: string): (offset: number) => Range['start'] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid]! <= offset) lo = mid; else hi = mid - 1; }
    return { line: lo + 1, column: offset - starts[lo]! + 1, offset };
  };
}

/** The scripts among Latin, Cyrillic and Greek that a name's letters come from, when two or more. */
export function mixedScripts(name: string): { zh: string; en: string } | undefined {
  if (!GREEK_OR_CYRILLIC.test(name)) return undefined;
  const found = SCRIPTS.filter(([re]) => [...name].some((ch) => re.test(ch)));
  if (found.length < 2) return undefined;
  return { zh: found.map((s) => s[1]).join('、'), en: found.map((s) => s[2]).join(' and ') };
}

/** Diagnostics for bidi controls, invisible characters and mixed-script names. */
export function unsafeCharacters(text: string, b: TokenBuffer): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (PLAIN_TEXT.test(text)) return out; // the usual file: nothing to look for
  const at = positionsOf(text);
  const one = (offset: number): Range => ({ start: at(offset), end: at(offset + 1) });
  for (const m of text.matchAll(BIDI)) out.push(diagnostic('syntax.bidi-control', one(m.index), { code: hex(m[0].charCodeAt(0)) }));
  // (the string literals' spans only once an invisible character is found: most files have none)
  let inString: ((offset: number) => boolean) | undefined;
  for (const m of text.matchAll(INVISIBLE)) {
    if (m.index === 0 && m[0] === '\uFEFF') continue; // a byte-order mark opening the file
    if ((inString ??= stringSpans(b))(m.index)) continue;
    out.push(diagnostic('syntax.invisible-character', one(m.index), { code: hex(m[0].charCodeAt(0)) }));
  }
  // one quick search of the whole text instead of one per name (× or ≥ make a file not plain)
  if (MAYBE_GREEK_OR_CYRILLIC.test(text)) for (let i = 0; i < b.n; i++) {
    if (b.type[i] !== Identifier) continue;
    const name = text.substring(b.start[i]!, b.end[i]! + 1);
    const mix = mixedScripts(name);
    if (mix) out.push(diagnostic('syntax.mixed-script', { start: at(b.start[i]!), end: at(b.end[i]! + 1) }, { name, scriptsZh: mix.zh, scriptsEn: mix.en }));
  }
  return out;
}

/** Whether an offset lies inside a string literal (the spans in order: a binary search). */
function stringSpans(b: TokenBuffer): (offset: number) => boolean {
  const spans: [number, number][] = [];
  for (let i = 0; i < b.n; i++) if (b.type[i] === StringLit) spans.push([b.start[i]!, b.end[i]!]);
  return (offset) => {
    let lo = 0, hi = spans.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1, s = spans[mid]!;
      if (offset < s[0]) hi = mid - 1; else if (offset > s[1]) lo = mid + 1; else return true;
    }
    return false;
  };
}

/** Whether a lexer error is only characters reported here (so it is not reported twice). */
export const onlyUnsafe = (s: string): boolean => s.length > 0 && s.replace(BIDI, '').replace(INVISIBLE, '') === '';

/** Cyrillic and Greek letters that look like Latin ones, mapped to them. */
const LOOK_ALIKE: Record<string, string> = Object.fromEntries([
  ...'аa еe оo рp сc уy хx іi јj ѕs ԁd ԛq ԝw һh ӏl АA ВB ЕE КK МM НH ОO РP СC ТT ХX УY ІI ЈJ ЅS'.split(' '),
  ...'αa οo ρp νv κk ιi υu ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX'.split(' '),
].map((pair) => [pair[0]!, pair[1]!]));

const LOOK_ALIKE_BLOCKS = /[\u0370-\u052F]/;

/** How a name looks: its Cyrillic and Greek look-alikes read as Latin (`сор` and `cop` look the same). */
export function skeleton(name: string): string {
  // every look-alike is in U+0370–U+052F (Greek, Cyrillic and its supplement): without one the
  // name is its own skeleton, and the usual (Chinese or ASCII) name is not rebuilt character by character
  if (!LOOK_ALIKE_BLOCKS.test(name)) return name;
  let out = '';
  for (const ch of name) out += LOOK_ALIKE[ch] ?? ch;
  return out;
}
