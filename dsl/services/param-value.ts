// A parameter's value as a hover shows it, with its unit in the editor's language: the checker
// prints money units in Chinese (650 元/月) and durations in English (12 months), so an
// English hover said 元/月 and a Chinese one said months.
import { words } from '../syntax/formatter.js';
import type { ParamInfo } from '../check/types.js';
import type { Lang } from './index.js';

const units = [words.yuan, words.perMonth, words.perYear, words.months, words.years, words.days] as [string, string][];

function unitIn(lang: Lang, unit: string): string {
  const w = units.find((x) => x.includes(unit));
  return w ? w[lang === 'en' ? 1 : 0] : unit;
}

export function paramValueText(info: Pick<ParamInfo, 'value' | 'unit'>, lang: Lang): string {
  const duration = /^(\S+) (\S+)$/.exec(info.value);
  const value = duration ? `${duration[1]} ${unitIn(lang, duration[2]!)}` : info.value;
  return info.unit && !info.value.endsWith('%') ? `${value} ${unitIn(lang, info.unit)}` : value;
}
