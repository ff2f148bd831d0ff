// Strings of the Impact tab (issue 7), in Chinese (default) and English. Kept apart from the
// shared i18n/dict.ts (owned by the shell): the language itself comes from the shared useI18n().
import { useCallback } from 'react';
import { useI18n } from '../i18n/i18n';
import type { Lang } from '../i18n/dict';

export const impactDict = {
  'impact.tab': { zh: '影响分析', en: 'Impact' },
  'impact.title': { zh: '影响分析：发布前看看对整个人群的影响', en: 'Impact analysis: what a change would do to a whole population' },
  'impact.intro': {
    zh: '用同一批家庭分别按基线版本和候选版本计算，比较保障户数、人数和费用。结果只在内存中，服务器重启后消失。',
    en: 'Every household of a population is evaluated under the baseline and the candidate; households, persons and cost are compared. Results live in memory only.',
  },
  'impact.baseline': { zh: '基线', en: 'Baseline' },
  'impact.baseline.inForce': { zh: '现行版本（as_of 当日生效）', en: 'Version in force (on as_of)' },
  'impact.candidate': { zh: '候选', en: 'Candidate' },
  'impact.candidate.draft': { zh: '当前草稿', en: 'Current draft' },
  'impact.version': { zh: '第 {n} 版', en: 'version {n}' },
  'impact.population': { zh: '人群（生成）', en: 'Population (generated)' },
  'impact.preset': { zh: '地区预设', en: 'Preset' },
  'impact.households': { zh: '户数', en: 'Households' },
  'impact.seed': { zh: '随机种子', en: 'Seed' },
  'impact.asOf': { zh: '计算日期', en: 'As of' },
  'impact.asOf.hint': { zh: '留空 = 今天', en: 'empty = today' },
  'impact.run': { zh: '开始模拟', en: 'Run simulation' },
  'impact.cancel': { zh: '取消模拟', en: 'Cancel' },
  'impact.starting': { zh: '正在提交…', en: 'Submitting…' },
  'impact.status.queued': { zh: '排队中', en: 'Queued' },
  'impact.status.running': { zh: '计算中', en: 'Running' },
  'impact.status.done': { zh: '已完成', en: 'Done' },
  'impact.status.failed': { zh: '失败', en: 'Failed' },
  'impact.status.cancelled': { zh: '已取消', en: 'Cancelled' },
  'impact.progress': { zh: '已计算 {done} / {total} 户', en: '{done} of {total} households' },
  'impact.failed': { zh: '模拟失败', en: 'The simulation failed' },
  'impact.cancelled': { zh: '模拟已取消。', en: 'The simulation was cancelled.' },
  'impact.lost': { zh: '找不到这个模拟任务（服务器可能已重启）。', en: 'The job is gone (the server may have restarted).' },
  'impact.invalidHouseholds': { zh: '{n} 户数据无效，未计入', en: '{n} invalid households were skipped' },

  'impact.compare': { zh: '{baseline} → {candidate}', en: '{baseline} → {candidate}' },
  'impact.label.draft': { zh: '草稿（修订 {rev}）', en: 'draft (revision {rev})' },
  'impact.label.version': { zh: 'v{n}', en: 'v{n}' },
  'impact.summary': { zh: '{households} 户 · {persons} 人 · 计算日期 {asOf} · 用时 {seconds} 秒', en: '{households} households · {persons} persons · as of {asOf} · {seconds} s' },

  'impact.cost.title': { zh: '救助资金', en: 'Assistance cost' },
  'impact.cost.yearly': { zh: '年度费用', en: 'Yearly cost' },
  'impact.cost.monthly': { zh: '月度费用', en: 'Monthly cost' },
  'impact.cost.before': { zh: '调整前', en: 'Before' },
  'impact.cost.after': { zh: '调整后', en: 'After' },
  'impact.cost.change': { zh: '变化', en: 'Change' },
  'impact.services': { zh: '购买服务经费（年度救助支出的 2%）', en: 'Purchased-services budget (2% of yearly expenditure)' },
  'impact.recipients': { zh: '保障户数', en: 'Recipient households' },
  'impact.persons': { zh: '保障人数', en: 'Recipient persons' },
  'impact.eligible': { zh: '符合条件户数', en: 'Eligible households' },
  'impact.yuan': { zh: '元', en: 'yuan' },

  'impact.changes.title': { zh: '家庭变化', en: 'Changes by household' },
  'impact.kind.entered': { zh: '新纳入', en: 'Newly covered' },
  'impact.kind.left': { zh: '退出保障', en: 'No longer covered' },
  'impact.kind.gained': { zh: '金额增加', en: 'Amount up' },
  'impact.kind.lost': { zh: '金额减少', en: 'Amount down' },
  'impact.unchanged': { zh: '{n} 户金额不变，{m} 户两边都不享受', en: '{n} households unchanged, {m} covered by neither' },
  'impact.col.kind': { zh: '变化', en: 'Kind' },
  'impact.col.households': { zh: '户数', en: 'Households' },
  'impact.col.persons': { zh: '人数', en: 'Persons' },
  'impact.col.monthlyChange': { zh: '月度变化', en: 'Monthly change' },
  'impact.col.average': { zh: '户均变化', en: 'Average' },
  'impact.col.largest': { zh: '最大变化', en: 'Largest' },

  'impact.histogram.title': { zh: '金额变化分布（变化的家庭，元/月）', en: 'Distribution of changes (changed households, yuan/month)' },
  'impact.histogram.empty': { zh: '没有家庭的金额发生变化', en: 'No household changed' },
  'impact.distribution.title': { zh: '月保障金额分布（享受家庭）', en: 'Monthly amount per recipient household' },

  'impact.groups.title': { zh: '按城乡和人群类别（享受家庭，元/月）', en: 'By area and member category (recipient households, yuan/month)' },
  'impact.groups.note': { zh: '类别按家中至少有一名该类受保障成员计，一户可计入多个类别', en: 'A household counts in a category when a covered member belongs to it; one household can count in several' },
  'impact.group.col': { zh: '分组', en: 'Group' },
  'impact.group.hhBefore': { zh: '户数（前）', en: 'Households before' },
  'impact.group.hhAfter': { zh: '户数（后）', en: 'Households after' },
  'impact.group.costBefore': { zh: '月费用（前）', en: 'Monthly before' },
  'impact.group.costAfter': { zh: '月费用（后）', en: 'Monthly after' },
  'impact.area.urban': { zh: '城市', en: 'Urban' },
  'impact.area.rural': { zh: '农村', en: 'Rural' },
  'impact.cat.elderly': { zh: '老年人', en: 'Elderly' },
  'impact.cat.child': { zh: '未成年人', en: 'Children' },
  'impact.cat.disabled': { zh: '残疾人', en: 'Disabled' },
  'impact.cat.ill': { zh: '重病患者', en: 'Seriously ill' },
  'impact.table.title': { zh: '变化家庭样本（点击查看计算过程）', en: 'Changed households (sample; click to explain)' },
  'impact.table.empty': { zh: '没有变化的家庭', en: 'No changed household' },
  'impact.table.note': { zh: '每类最多列出 {n} 户（按人群顺序）', en: 'At most {n} households of each kind (in population order)' },
  'impact.col.id': { zh: '家庭编号', en: 'Household' },
  'impact.col.before': { zh: '调整前（元/月）', en: 'Before (yuan/month)' },
  'impact.col.after': { zh: '调整后（元/月）', en: 'After (yuan/month)' },
  'impact.col.change': { zh: '变化', en: 'Change' },

  'impact.explain.title': { zh: '家庭 {id} 的计算过程', en: 'How household {id} is computed' },
  'impact.explain.loading': { zh: '正在计算…', en: 'Evaluating…' },
  'impact.explain.household': { zh: '家庭数据', en: 'Household data' },
  'impact.explain.notGenerated': { zh: '只能解释生成的人群中的家庭', en: 'Only households of a generated population can be explained' },
  'impact.explain.draftChanged': { zh: '注意：草稿已改为修订 {now}，模拟用的是修订 {then}。', en: 'Note: the draft is now revision {now}; the simulation used revision {then}.' },
  'impact.explain.draftErrors': { zh: '草稿有错误，无法计算', en: 'The draft has errors and cannot be evaluated' },
  'impact.explain.amount': { zh: '月保障金额', en: 'Monthly amount' },
} satisfies Record<string, { zh: string; en: string }>;

export type ImpactKey = keyof typeof impactDict;
export type ImpactT = (key: ImpactKey, args?: Record<string, string | number>) => string;

export function impactText(lang: Lang, key: ImpactKey, args?: Record<string, string | number>): string {
  const entry = impactDict[key] as { zh: string; en: string } | undefined;
  let text = entry ? entry[lang] || entry.zh : key;
  if (args) for (const [k, v] of Object.entries(args)) text = text.split(`{${k}}`).join(String(v));
  return text;
}

/** The Impact tab's translate function, in the studio's current language. */
export function useImpactT(): { lang: Lang; t: ImpactT } {
  const { lang } = useI18n();
  const t = useCallback<ImpactT>((key, args) => impactText(lang, key, args), [lang]);
  return { lang, t };
}
