// Two small linked policies (b-subsidy reads a-dibao through 引用) and a two-member household,
// shared by the link tests (link.test.ts, link-together.test.ts): one copy, so the two suites
// cannot drift apart on what the policies say. Expected values are worked out by hand in the tests.
import { expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileSource, type CompiledPolicy } from '../../dsl/index.js';

export const modules = { 'common/household': readFileSync('policies/common/household.policy', 'utf8') };

export const dibao = `政策 a-dibao「低保」
  辖区 640202「宁夏回族自治区石嘴山市大武口区」
  生效 2022-01-01
  依据「001」
使用「common/household」
参数 标准「标准」 = 650 元/月 依据「001」
定义 人均「人均收入」 = 合计(成员.income_monthly) ÷ 人数(成员)
输出 eligible「符合」 =
  规则 差额补助 依据「001 第一章第一节」: 当 人均 < 标准 时 真
  否则 假
输出 monthly_amount「金额」 = 舍入到分((标准 − 人均) × 人数(成员)) 依据「001」
成员输出 by_member「各成员」 = income_monthly 依据「001」
`;
export const subsidy = `政策 b-subsidy「补贴」
  生效 2022-01-01
  依据「001」
  引用 a-dibao「低保」 简称 低保
使用「common/household」
输出 living「生活补贴」 =
  规则 低保家庭 依据「001 第一章第一节」: 当 低保.eligible 时 110 元/月
  否则 0 元/月
输出 top_up「补差加补贴」 = 低保.monthly_amount + living 依据「001」
`;
export const sources: Record<string, { version: number; source: string }> = { 'a-dibao': { version: 2, source: dibao }, 'b-subsidy': { version: 1, source: subsidy } };
export const linked = (id: string) => sources[id];
export const linkedIds = Object.keys(sources);

export const household = { id: 'h', area: 'urban', members: [{ id: 'm1', birth_date: '1960-05-01', income_monthly: 300 }, { id: 'm2', birth_date: '1990-01-01', income_monthly: 500 }] };

/** Compiles with the two policies above linkable (and `extra` ones besides); no errors expected. */
export function compiled(src: string, extra: Record<string, { version: number; source: string }> = {}): CompiledPolicy {
  const r = compileSource(src, { modules, linked: (id) => extra[id] ?? linked(id), linkedIds });
  expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message.en)).toEqual([]);
  return r.compiled!;
}
