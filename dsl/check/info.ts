// The policy's public description (header, parameters with their values and ranges, outputs),
// and how a constant is shown in it and in diagnostics.
import type * as A from '../syntax/ast.js';
import { numToText, fenToYuan, mul, type Num } from '../base/money.js';
import { describeType, type Type, type PolicyInfo, type ParamInfo, type Program } from './types.js';
import { constantValue } from './constants.js';

const isNum = (v: unknown): v is Num => typeof v === 'number' || (typeof v === 'object' && v !== null && 'n' in v && 'd' in v);

export function policyInfo(header: A.PolicyFile['header'], params: Program['params'], outputs: Program['outputs']): PolicyInfo {
  return {
    id: header?.id.text ?? '', title: header?.title ?? '', program: header?.program ?? '', jurisdiction: header?.jurisdiction ?? '',
    effective: header?.effective?.text ?? null, effectiveAssumed: header?.effective?.assumed?.text ?? null, note: header?.note ?? null, sources: header?.sources.map((s) => s.text) ?? [],
    parameters: params.map((p): ParamInfo => ({
      name: p.decl.name.text, label: p.decl.label, labelEn: p.decl.labelEn ?? null, type: describeType(p.type), value: showConst(p.value, p.type), unit: unitOf(p.type),
      min: p.decl.min ? showConst(constantValue(p.decl.min) ?? null, p.type) : null,
      max: p.decl.max ? showConst(constantValue(p.decl.max) ?? null, p.type) : null,
      sources: p.decl.sources.map((s) => s.text), assumed: p.decl.assumed?.text ?? null, range: p.decl.range, valueRange: p.decl.value.range,
    })),
    outputs: outputs.map((o) => ({ name: o.decl.name.text, label: o.decl.label, labelEn: o.decl.labelEn ?? null, type: describeType(o.type), perMember: o.decl.member })),
    uses: header?.links?.map((l) => l.policy.text) ?? [],
    ...(header?.jurisdictionCode ? { jurisdiction_code: header.jurisdictionCode.text } : {}),
  };
}

function unitOf(t: Type): string {
  if (t.k === 'money') return t.p === 'month' ? '元/月' : t.p === 'year' ? '元/年' : '元';
  if (t.k === 'percent') return '%';
  return '';
}

export function showConst(v: unknown, t: Type): string {
  if (v === null || v === undefined) return '';
  if (isNum(v)) {
    if (t.k === 'money') return fenToYuan(v).replace(/\.00$/, '');
    if (t.k === 'percent') return numToText(mul(v, 100)) + '%';
    return numToText(v);
  }
  if (typeof v === 'object' && v && 'duration' in v) { const d = v as unknown as { duration: Num; unit: string }; return `${numToText(d.duration)} ${d.unit}`; }
  if (Array.isArray(v)) return `[${v.join(', ')}]`;
  if (typeof v === 'boolean') return v ? '真' : '假';
  if (typeof v === 'number' && t.k === 'date') return String(v);
  return String(v);
}
