// The strings of accepting changed results (scenario panel), merged into i18n/dict.ts.
export const acceptMessages = {
  'accept.one': { zh: '接受新结果', en: 'Accept new results' },
  'accept.all': { zh: '全部接受新结果（{n}）', en: 'Accept all new results ({n})' },
  'accept.done': { zh: '已接受 {n} 个测试用例的新结果（已记入测试用例文件的注释）', en: 'Accepted the new results of {n} test cases (noted in the test-case file)' },
  'accept.change': { zh: '原预期 → 新结果', en: 'expected → now' },
} as const;
