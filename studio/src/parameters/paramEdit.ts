// Editing a parameter's value edits the policy text: the number inside the value literal
// (info.parameters[].valueRange) is replaced; a value outside the legal range is refused.
import type { ParameterInfo } from '../language/types';

const numberRe = /[-+]?\d+(?:\.\d+)?/;

/** The numeric part of a literal like "650 元/月", "10%", "2" (null when there is none). */
export function numericPart(text: string | null | undefined): string | null {
  if (!text) return null;
  const m = numberRe.exec(text.replace(/,/g, ''));
  return m ? m[0] : null;
}

export function literalText(source: string, p: ParameterInfo): string {
  return source.slice(p.valueRange.start.offset, p.valueRange.end.offset);
}

export type EditResult =
  | { ok: true; source: string; literal: string }
  | { ok: false; reason: 'not-number' }
  | { ok: false; reason: 'out-of-range'; min: string | null; max: string | null };

/** Compare two decimal strings exactly (no float rounding surprises at the bounds). */
export function compareDecimal(a: string, b: string): number {
  const norm = (s: string): [number, string, string] => {
    let sign = 1;
    let t = s.trim();
    if (t.startsWith('-')) { sign = -1; t = t.slice(1); } else if (t.startsWith('+')) t = t.slice(1);
    const [i = '0', f = ''] = t.split('.');
    return [sign, i.replace(/^0+(?=\d)/, ''), f];
  };
  const [sa, ia, fa] = norm(a);
  const [sb, ib, fb] = norm(b);
  const zero = (i: string, f: string) => /^0*$/.test(i) && /^0*$/.test(f);
  const signA = zero(ia, fa) ? 0 : sa, signB = zero(ib, fb) ? 0 : sb;
  if (signA !== signB) return signA < signB ? -1 : 1;
  const len = Math.max(fa.length, fb.length);
  const A = ia.padStart(40, '0') + fa.padEnd(len, '0');
  const B = ib.padStart(40, '0') + fb.padEnd(len, '0');
  const c = A < B ? -1 : A > B ? 1 : 0;
  return signA < 0 ? -c : c;
}

export function editParameter(source: string, p: ParameterInfo, input: string): EditResult {
  const value = input.trim().replace(/,/g, '');
  if (!/^[-+]?\d+(?:\.\d+)?$/.test(value)) return { ok: false, reason: 'not-number' };
  const min = numericPart(p.min), max = numericPart(p.max);
  if ((min !== null && compareDecimal(value, min) < 0) || (max !== null && compareDecimal(value, max) > 0)) {
    return { ok: false, reason: 'out-of-range', min: p.min, max: p.max };
  }
  const old = literalText(source, p);
  const literal = numberRe.test(old) ? old.replace(numberRe, value) : value;
  const start = p.valueRange.start.offset, end = p.valueRange.end.offset;
  return { ok: true, source: source.slice(0, start) + literal + source.slice(end), literal };
}
