// What a new version changes, for the publish confirmation: parameters before → after (the
// draft's against the latest version's), and the note proposed from them.
import type { Lang } from '../i18n/dict';

/** The parts of a parameter the summary reads (the runtime's info and the worker's agree on these). */
export interface ParamLike { name: string; label: string | null; labelEn?: string | null; value: string; unit: string }

export interface ParamChange { name: string; label: string; before: string | null; after: string | null }

/** "650 元/月", "10%" (a percent sign is written against the number). */
export function formatValue(p: Pick<ParamLike, 'value' | 'unit'>): string {
  if (!p.unit) return p.value;
  return p.unit.startsWith('%') ? `${p.value}${p.unit}` : `${p.value} ${p.unit}`;
}

function labelOf(p: ParamLike, lang: Lang): string {
  return (lang === 'en' && p.labelEn) || p.label || p.name;
}

/** Parameters added, removed or with another value or unit, in the draft's order (removed ones last). */
export function parameterChanges(before: ParamLike[], after: ParamLike[], lang: Lang = 'zh'): ParamChange[] {
  const old = new Map(before.map((p) => [p.name, p]));
  const out: ParamChange[] = [];
  for (const p of after) {
    const q = old.get(p.name);
    const a = formatValue(p);
    if (!q) out.push({ name: p.name, label: labelOf(p, lang), before: null, after: a });
    else if (formatValue(q) !== a) out.push({ name: p.name, label: labelOf(p, lang), before: formatValue(q), after: a });
  }
  const now = new Set(after.map((p) => p.name));
  for (const q of before) if (!now.has(q.name)) out.push({ name: q.name, label: labelOf(q, lang), before: formatValue(q), after: null });
  return out;
}

export interface DiffCounts { source: { added: number; removed: number }; scenarios: { added: number; removed: number } }

const words = {
  zh: { sep: '；', added: '新增参数', removed: '删除参数', rules: '修改规则（+{a} −{r} 行）', scenarios: '更新测试用例（+{a} −{r} 行）' },
  en: { sep: '; ', added: 'new parameter', removed: 'removed parameter', rules: 'rules changed (+{a} −{r} lines)', scenarios: 'test cases updated (+{a} −{r} lines)' },
} as const;

const fill = (s: string, a: number, r: number) => s.replace('{a}', String(a)).replace('{r}', String(r));

/**
 * The note proposed for a new version: each changed parameter as 「城市低保标准 650 元/月 → 700 元/月」;
 * without parameter changes, what else changed (rules, test cases). Empty when nothing did.
 */
export function proposeNote(changes: ParamChange[], diff: DiffCounts | null, lang: Lang = 'zh'): string {
  const w = words[lang];
  if (changes.length) {
    return changes.map((c) => c.before === null ? `${w.added} ${c.label} = ${c.after}`
      : c.after === null ? `${w.removed} ${c.label}`
      : `${c.label} ${c.before} → ${c.after}`).join(w.sep);
  }
  if (!diff) return '';
  const parts: string[] = [];
  if (diff.source.added || diff.source.removed) parts.push(fill(w.rules, diff.source.added, diff.source.removed));
  if (diff.scenarios.added || diff.scenarios.removed) parts.push(fill(w.scenarios, diff.scenarios.added, diff.scenarios.removed));
  return parts.join(w.sep);
}
