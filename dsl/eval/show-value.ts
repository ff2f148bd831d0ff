// Runtime values as an officer reads them, in Chinese and in English: 是/否, yuan (money is held
// in fen), percentages, dates and durations. `exact` keeps every digit of a value that is not a
// whole number of fen (a per-capita income of 384.225 元), and writes a value whose decimal does
// not end as a fraction (1000/3); a result is written to the fen, as the contract's JSON does.
import type { Type } from '../check/types.js';
import { Ratio, numToText, terminates, mul, div, type Num } from '../base/money.js';
import { yuanText } from './yuan-text.js';
import { formatDate } from '../base/dates.js';

export interface Bilingual { zh: string; en: string }

/** A number exactly: its decimal when it ends, else n/d. */
export function exactNumber(a: Num): string {
  if (terminates(a)) return numToText(a);
  const r = a as Ratio;
  return `${String(r.n)}/${String(r.d)}`;
}

/** Money (fen) as yuan: exact digits, or n/d when the decimal does not end; `withApprox` adds
 *  "≈ x.xx" after a fraction. */
function yuan(fen: Num, withApprox: boolean): string {
  const y = div(fen, 100);
  if (terminates(y)) return numToText(y);
  return withApprox ? `${exactNumber(y)} ≈ ${yuanText(fen)}` : exactNumber(y);
}

const pad = (n: number) => String(n).padStart(2, '0');
/** yyyymmdd as 2024年6月1日 / 2024-06-01. */
function dateText(d: number): Bilingual {
  const y = Math.floor(d / 10000), m = Math.floor(d / 100) % 100, day = d % 100;
  return { zh: `${y}年${m}月${day}日`, en: formatDate(d) || `${y}-${pad(m)}-${pad(day)}` };
}

const unitWords: Record<string, Bilingual> = { months: { zh: '个月', en: 'months' }, years: { zh: '年', en: 'years' }, days: { zh: '天', en: 'days' } };

/** How a value is written: 'formula' inside a formula (no unit), 'exact' as an intermediate
 *  result (unit, every digit), 'result' as an output's answer (unit, to the fen). */
export type ShowMode = 'formula' | 'exact' | 'result';

export function showValue(v: unknown, t: Type | undefined, mode: ShowMode): Bilingual {
  if (v === null || v === undefined) return { zh: '无', en: 'none' };
  const same = (s: string): Bilingual => ({ zh: s, en: s });
  switch (t?.k) {
    case 'bool': return v ? { zh: '是', en: 'yes' } : { zh: '否', en: 'no' };
    case 'money': {
      const fen = v as Num;
      if (mode === 'formula') return same(yuan(fen, false));
      const text = mode === 'result' ? yuanText(fen) : yuan(fen, true);
      // a yearly amount says so (农村低保标准 5520 元/年 beside monthly ones); the rest are 元
      return t.p === 'year' ? { zh: `${text} 元/年`, en: `${text} yuan/year` } : { zh: `${text} 元`, en: `${text} yuan` };
    }
    case 'percent': {
      const pct = mul(v as Num, 100);
      return same(terminates(pct) ? `${numToText(pct)}%` : `${exactNumber(pct)}%`);
    }
    case 'number': return same(typeof v === 'number' ? String(v) : exactNumber(v as Num));
    case 'date': return typeof v === 'number' ? dateText(v) : same(String(v));
    case 'duration': {
      const d = v as { duration: Num; unit: string };
      const u = unitWords[d.unit] ?? same(d.unit);
      return { zh: `${exactNumber(d.duration)} ${u.zh}`, en: `${exactNumber(d.duration)} ${u.en}` };
    }
    case 'enum': {
      const e = t.values.find((x) => x.name === v);
      return { zh: e?.label ?? String(v), en: e?.labelEn ?? String(v) };
    }
    case 'textlist': {
      const xs = v as string[];
      return xs.length ? { zh: xs.join('、'), en: xs.join(', ') } : { zh: '无', en: 'none' };
    }
    case 'text': return { zh: `「${String(v)}」`, en: `"${String(v)}"` };
    default:
      if (typeof v === 'boolean') return v ? { zh: '是', en: 'yes' } : { zh: '否', en: 'no' };
      if (typeof v === 'number' || v instanceof Ratio) return same(exactNumber(v));
      return same(JSON.stringify(v));
  }
}
