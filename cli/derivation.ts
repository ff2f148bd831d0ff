// The derivation of an output as a text tree (policy eval --explain): each line the name's
// label = the formula with the values put in = the result, its rule and 依据 beneath, the names it
// used indented under it. One language (--lang zh|en) or both, Chinese first, English beneath.
import type { DerivationNode } from '../dsl/index.js';
import type { Lang, Style } from './output.js';

const SEE_ABOVE = { zh: '（见上）', en: ' (see above)' };
const LEFT_OUT = { zh: '（推导过长，从略）', en: ' (derivation too long, left out)' };

/** The tree's lines, each after `prefix` (what the enclosing tree draws). */
export function derivationLines(n: DerivationNode, lang: Lang, st: Style, prefix = ''): string[] {
  const langs: ('zh' | 'en')[] = lang === 'both' ? ['zh', 'en'] : [lang];
  const lines: string[] = [];
  const walk = (x: DerivationNode, head: string, body: string): void => {
    langs.forEach((l, i) => {
      const text = x.text[l] + (x.repeated ? SEE_ABOVE[l] : x.truncated ? LEFT_OUT[l] : '');
      lines.push(i === 0 ? `${prefix}${head}${text}` : `${prefix}${body}${st.gray(text)}`);
    });
    for (const l of langs) {
      const notes: string[] = [];
      if (x.rule) {
        const c = x.rule.condition;
        notes.push(x.rule.text[l] + (c ? (l === 'zh' ? `：当 ${c.formula.zh} 时（${c.values.zh} → ${c.result.zh}）` : `: when ${c.formula.en} (${c.values.en} → ${c.result.en})`) : ''));
      }
      for (const c of x.conditions ?? []) notes.push(l === 'zh' ? `如果 ${c.formula.zh}（${c.values.zh} → ${c.result.zh}）` : `if ${c.formula.en} (${c.values.en} → ${c.result.en})`);
      if (x.sources.length) notes.push(l === 'zh' ? `依据 ${x.sources.map((s) => `「${s}」`).join('')}` : `source ${x.sources.map((s) => `"${s}"`).join(' ')}`);
      if (notes.length) lines.push(`${prefix}${body}${st.gray('· ' + notes.join(' · '))}`);
    }
    x.uses.forEach((u, i) => {
      const last = i === x.uses.length - 1;
      walk(u, body + (last ? '└─ ' : '├─ '), body + (last ? '   ' : '│  '));
    });
  };
  walk(n, '', '');
  return lines;
}
