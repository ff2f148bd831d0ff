// Names of controls that show no label of their own (read by screen readers), merged into the
// studio's one dictionary (i18n/dict.ts).
export const a11yMessages = {
  'a11y.program': { zh: '项目', en: 'Programme' },
  'a11y.status': { zh: '状态', en: 'Status' },
  'a11y.diffFile': { zh: '比较哪个文件', en: 'File to compare' },
  'a11y.expected': { zh: '{name} 的预期值', en: 'Expected {name}' },
  'a11y.diffOriginal': { zh: '比较：左侧（只读）', en: 'Compare: left side (read-only)' },
  'a11y.diffModified': { zh: '比较：右侧（只读）', en: 'Compare: right side (read-only)' },
  'a11y.tabs': { zh: '工作区页面', en: 'Workspace pages' },
} as const;
