// Shared fixtures for the studio's component tests: the real household schema (built by the
// dsl from policies/common/household.policy) and a small hand-made trace.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { householdJsonSchema } from '../../dsl/index.js';
import type { ParameterInfo, Range, TraceEntry } from '../../studio/src/language/types';

export const householdModule = readFileSync(resolve(process.cwd(), 'policies/common/household.policy'), 'utf8');
export const realSchema = householdJsonSchema({ 'common/household': householdModule });

export function range(line: number, col: number, len: number, offset = 0): Range {
  return { start: { line, column: col, offset }, end: { line, column: col + len, offset: offset + len } };
}

export const trace: TraceEntry[] = [
  {
    output: 'eligible', label: '是否符合', value: true,
    decided_by: { kind: 'expression', name: null, sources: [], range: range(20, 1, 30) },
    definitions: [{ name: '人均收入', label: null, kind: 'definition', value: '300.00' }, { name: '低保标准', label: null, kind: 'parameter', value: '650.00' }],
    inputs: [{ path: 'household.area', value: 'urban' }],
  },
  {
    output: 'monthly_amount', label: '月保障金额', value: '1085.00',
    decided_by: { kind: 'rule', name: '差额补助', sources: ['001 第一章第一节', '国家规定'], range: range(42, 3, 40) },
    definitions: [{ name: '人数', label: null, kind: 'definition', value: '3' }, { name: '特殊成员', label: null, kind: 'definition', value: true, member: 'm3' }],
    inputs: [{ path: 'household.members[0].income_monthly', value: '900.00' }],
  },
  {
    output: 'gradual_exit', label: null, value: false,
    decided_by: { kind: 'otherwise', name: null, sources: [], range: range(50, 3, 10) },
    definitions: [], inputs: [],
  },
];

/** A policy text and its parameter info as the dsl reports it (offsets into `source`). */
export const paramSource = [
  '政策 p「测试」',
  '参数 城市低保标准「城市低保标准」 = 650 元/月 依据「001 第一章第一节」',
  '参数 特殊成员加发比例 = 10% 范围 [0%, 100%] 依据「001」',
  '参数 低收入倍数 = 2 范围 [1, 3] 假定「种子未给出」',
].join('\n');

function paramAt(name: string, literal: string, extra: Partial<ParameterInfo>): ParameterInfo {
  const start = paramSource.indexOf(literal, paramSource.indexOf(name));
  const before = paramSource.slice(0, start);
  const line = before.split('\n').length;
  const column = start - before.lastIndexOf('\n');
  return {
    name, label: null, labelEn: null, type: 'number', value: literal, unit: '', min: null, max: null, sources: [], assumed: null,
    range: { start: { line, column: 1, offset: before.lastIndexOf('\n') + 1 }, end: { line, column: column + literal.length, offset: start + literal.length } },
    valueRange: { start: { line, column, offset: start }, end: { line, column: column + literal.length, offset: start + literal.length } },
    ...extra,
  };
}

export const params: ParameterInfo[] = [
  paramAt('城市低保标准', '650 元/月', { label: '城市低保标准', type: '金额/月', value: '650', unit: '元/月', sources: ['001 第一章第一节'] }),
  paramAt('特殊成员加发比例', '10%', { type: '比例', value: '10', unit: '%', min: '0%', max: '100%', sources: ['001'] }),
  paramAt('低收入倍数', '2', { value: '2', min: '1', max: '3', assumed: '种子未给出' }),
];
