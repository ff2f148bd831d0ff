// A large generated policy for the parse + check benchmark (issue 2): many parameters,
// definitions, member definitions and outputs with rules, in the same style as the dibao policy.
export function generatePolicy(targetLines = 2000): string {
  const head = [
    '# 生成的大型政策：解析与检查的性能基准（bench/lib/generate-policy.ts）',
    '政策 bench-large「性能基准：大型政策」',
    '  项目「最低生活保障」',
    '  辖区「基准区」',
    '  生效 2022-01-01',
    '  说明「生成的政策，只用于测量解析与检查的时间」',
    '  依据「001 第一章第一节」',
    '  使用「common/household」',
    '',
  ];
  const block = (i: number): string[] => [
    `# ── 第 ${i} 组 ──`,
    `参数 城市标准${i}「城市标准 ${i}」 = ${600 + (i % 100)} 元/月 依据「001 第一章第一节」`,
    `参数 农村标准${i}「农村标准 ${i}」 = ${5000 + (i % 100) * 12} 元/年 依据「001 第一章第一节」`,
    `参数 加发比例${i}「加发比例 ${i}」 = ${5 + (i % 20)}% 范围 [0%, 100%]`,
    `定义 标准${i}「标准 ${i}」 = 如果 household.area 是 城市 那么 城市标准${i} 否则 按月(农村标准${i})`,
    `定义 可计收入${i}「可计收入 ${i}」 =`,
    `  不低于 0 元/月 (合计(成员.income_monthly − 成员.excluded_income_monthly) − household.rigid_expenditure_monthly)`,
    `定义 人均收入${i}「人均收入 ${i}」 = 可计收入${i} ÷ 人数(成员)`,
    `定义 补差${i}「补差 ${i}」 = 标准${i} − 人均收入${i}`,
    `成员定义 特殊成员${i}「特殊成员 ${i}」 = 年龄 ≥ ${55 + (i % 10)} 或者 年龄 < 18 或者 disability_level > 0 或者 serious_illness`,
    `输出 eligible_${i}「是否符合 ${i}」 = 人均收入${i} < 标准${i} 依据「001 第一章第一节」`,
    `输出 amount_${i}「金额 ${i}」 =`,
    `  规则 差额补助${i} 依据「001 第一章第一节」:`,
    `    当 eligible_${i} 时 舍入到分(补差${i} × 人数(成员) + 加发比例${i} × 补差${i} × 人数(特殊成员${i}))`,
    `  否则 0 元/月`,
    '',
  ];
  const lines = [...head];
  for (let i = 1; lines.length + block(i).length <= targetLines; i++) lines.push(...block(i));
  // complete blocks only (no unused parameters), padded to the exact line count with comments
  while (lines.length < targetLines) lines.push(`# 填充行 ${lines.length + 1}`);
  return lines.join('\n') + '\n';
}
