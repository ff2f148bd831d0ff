// An output's value as an officer reads it in the scenarios screen: 是/否 rather than true/false,
// money as 元 with two decimals and thousand separators (from the exact decimal text, never
// through a float), dates as written, lists joined, nothing as —.
import type { Json, OutputInfo } from '../language/types';
import type { Lang } from '../i18n/dict';

/** "1234.5" → "1,234.50" (the text of an exact decimal; other text is returned unchanged). */
export function moneyText(v: string | number): string {
  const s = String(v);
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return s;
  const frac = (m[3] ?? '').padEnd(2, '0');
  return `${m[1]}${m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

export function formatOutput(v: Json | undefined, type: string | undefined, lang: Lang): string {
  if (v === undefined || v === null) return '—';
  if (typeof v === 'boolean') return lang === 'zh' ? (v ? '是' : '否') : (v ? 'yes' : 'no');
  if (Array.isArray(v)) return v.length ? v.map((x) => formatOutput(x as Json, undefined, lang)).join(lang === 'zh' ? '、' : ', ') : (lang === 'zh' ? '（无）' : '(none)');
  if ((typeof v === 'string' || typeof v === 'number') && type && /金额|money/.test(type)) {
    const per = /\/月|per month/.test(type) ? (lang === 'zh' ? '元/月' : 'yuan/month') : /\/年|per year/.test(type) ? (lang === 'zh' ? '元/年' : 'yuan/year') : (lang === 'zh' ? '元' : 'yuan');
    return `${moneyText(v)} ${per}`;
  }
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The output's label in the current language (its name when the policy gives none). */
export function outputLabel(o: OutputInfo | undefined, name: string, lang: Lang): string {
  if (!o) return name;
  return (lang === 'en' ? o.labelEn : o.label) ?? o.label ?? name;
}
