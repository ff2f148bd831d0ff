// The editor's language: every text a service shows is written once per language, and the
// editor shows the one it speaks (no "zh / en" joined in one string).
export type Lang = 'zh' | 'en';

export const say = (lang: Lang, zh: string, en: string): string => (lang === 'en' ? en : zh);

/** The label an editor in `lang` shows: the English one when there is one. */
export const labelIn = (lang: Lang, label: string | null | undefined, labelEn?: string | null): string | undefined =>
  (lang === 'en' ? labelEn ?? label : label) ?? undefined;

/** A label as the language quotes it: 「低保标准」 / "低保标准". */
export function quoted(lang: Lang, label: string | null | undefined, labelEn?: string | null): string {
  const l = labelIn(lang, label, labelEn);
  return l ? say(lang, `「${l}」`, ` "${l}"`) : '';
}

/** A list of names, the first `max` and a count of the rest. */
export function someOf(lang: Lang, names: string[], max = 3): string {
  const shown = names.slice(0, max).join(say(lang, '、', ', '));
  return names.length > max ? say(lang, `${shown} 等 ${names.length} 条`, `${shown} and ${names.length - max} more`) : shown;
}

/** A declaration's citations as written: 「a」「b」 / a; b. */
export const citationsText = (lang: Lang, cs: string[]): string => (lang === 'en' ? cs.join('; ') : cs.map((s) => `「${s}」`).join(''));
