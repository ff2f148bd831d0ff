// The strings of the household form's units, merged into i18n/dict.ts.
export const formsMessages = {
  'unit.yuan': { zh: '元', en: 'yuan' },
  'unit.yuanPerMonth': { zh: '元/月', en: 'yuan/month' },
  'unit.yuanPerYear': { zh: '元/年', en: 'yuan/year' },
  'unit.months': { zh: '个月', en: 'months' },
  'unit.years': { zh: '岁', en: 'years old' },
} as const;
