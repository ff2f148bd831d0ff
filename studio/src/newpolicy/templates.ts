// Starter policies for the "new policy" flow: a cash top-up (补差, like 低保), an allowance by
// table (age bands) and a service entitlement. Each is a complete, checked policy with a starter
// scenario whose expected values are worked out by hand in its comment; every figure is marked
// 假定 until the officer fills in the document's own.
export type TemplateKind = 'topup' | 'table' | 'service';
export const templateKinds: TemplateKind[] = ['topup', 'table', 'service'];

export interface NewPolicyInput { id: string; title: string; jurisdiction: string; effective: string }

const assumed = '假定「新建政策模板的示例值，待按政策文件填写」';

function header(p: NewPolicyInput): string[] {
  return [
    `政策 ${p.id}「${p.title}」`,
    `  项目「${p.title}」`,
    `  辖区「${p.jurisdiction}」`,
    `  生效 ${p.effective} 假定「新建政策时填写的生效日，待按政策文件确认」`,
    '  依据「待填写：政策文件」',
    '  使用「common/household」',
    '',
  ];
}

const bodies: Record<TemplateKind, string[]> = {
  topup: [
    `参数 保障标准「保障标准（月）」 = 600 元/月 ${assumed}`,
    '',
    '定义 人均收入「家庭人均月收入」 = 合计(成员.income_monthly) ÷ 人数(成员)',
    '定义 符合「人均收入低于保障标准」 = 人均收入 < 保障标准',
    '',
    '输出 eligible「是否符合」 = 符合 依据「待填写：政策文件」',
    '输出 monthly_amount「每月补差」 =',
    '  规则 补差 依据「待填写：政策文件」: 当 符合 时 舍入到分((保障标准 − 人均收入) × 人数(成员))',
    '  否则 0 元/月',
  ],
  table: [
    `参数 八十岁津贴「80 至 89 周岁津贴（月）」 = 100 元/月 ${assumed}`,
    `参数 九十岁津贴「90 周岁以上津贴（月）」 = 200 元/月 ${assumed}`,
    '',
    '成员输出 allowance_by_member「各成员津贴」 =',
    '  决策表 唯一 (年龄):',
    '    行 | 不满 80 → 0 元/月 依据「待填写：政策文件」',
    '    行 | 80 以上 不满 90 → 八十岁津贴 依据「待填写：政策文件」',
    '    行 | 90 以上 → 九十岁津贴 依据「待填写：政策文件」',
    '',
    '输出 monthly_amount「津贴合计（月）」 = 合计(allowance_by_member) 依据「待填写：政策文件」',
    '输出 eligible「是否有人领取」 = monthly_amount > 0 元/月 依据「待填写：政策文件」',
  ],
  service: [
    '成员定义 服务对象「一、二级残疾人」 = disability_level 是 1 或者 disability_level 是 2',
    '',
    '输出 eligible「是否享受服务」 = 存在(服务对象) 依据「待填写：政策文件」',
    '输出 recipients「享受服务的成员」 = 编号(成员 其中 服务对象) 依据「待填写：政策文件」',
  ],
};

/** The starter scenario, in the effective year (a birth date on 1 January gives a whole age). */
function scenario(kind: TemplateKind, p: NewPolicyInput): string[] {
  const year = Number(p.effective.slice(0, 4));
  const head = (name: string) => [`  - name: ${name}`, `    as_of: ${p.effective}`, '    household:', `      id: ${p.id}-1`, '      area: urban', '      members:'];
  switch (kind) {
    // 人均 (300 + 500) ÷ 2 = 400 < 600；补差 (600 − 400) × 2 = 400.00
    case 'topup': return [...head('两口之家，人均 400 元'), '        - { id: m1, birth_date: 1980-01-01, income_monthly: 300 }', '        - { id: m2, birth_date: 1982-01-01, income_monthly: 500 }',
      '    expect: { eligible: true, monthly_amount: "400.00" }'];
    // 85 周岁落在 [80, 90)：100 元/月；50 周岁：0
    case 'table': return [...head('一名 85 周岁老人'), `        - { id: m1, birth_date: ${year - 85}-01-01 }`, `        - { id: m2, birth_date: ${year - 50}-01-01 }`,
      '    expect: { eligible: true, monthly_amount: "100.00" }'];
    // 一级残疾的 m1 享受服务，m2 没有残疾
    case 'service': return [...head('一名一级残疾人'), '        - { id: m1, birth_date: 1970-01-01, disability_level: 1 }', '        - { id: m2, birth_date: 1972-01-01 }',
      '    expect: { eligible: true, recipients: [m1] }'];
  }
}

export function policyFromTemplate(kind: TemplateKind, p: NewPolicyInput): { source: string; scenarios: string } {
  return {
    source: [...header(p), ...bodies[kind], ''].join('\n'),
    scenarios: [`policy: ${p.id}`, 'scenarios:', ...scenario(kind, p), ''].join('\n'),
  };
}
