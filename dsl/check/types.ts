// The types of the language and the shape of a checked program (the checker's output, the
// compiler's input). Types are plain data; `describeType` names them for messages.
import type * as A from '../syntax/ast.js';
import type { Num } from '../base/money.js';
import type { Range } from '../base/diagnostics.js';

export type Period = A.Period;
export interface EnumValue { name: string; label: string | null; labelEn?: string | null }
export type Type =
  | { k: 'bool' | 'number' | 'percent' | 'date' | 'duration' | 'text' | 'textlist' | 'null' | 'error' | 'members'; nullable?: boolean }
  | { k: 'money'; p: Period; nullable?: boolean }
  | { k: 'enum'; name: string; values: EnumValue[]; nullable?: boolean }
  | { k: 'list'; of: SchemaInfo; nullable?: boolean }
  | { k: 'record'; of: SchemaInfo; nullable?: boolean };

export const T = {
  bool: { k: 'bool' } as Type, number: { k: 'number' } as Type, percent: { k: 'percent' } as Type,
  date: { k: 'date' } as Type, duration: { k: 'duration' } as Type, text: { k: 'text' } as Type,
  textlist: { k: 'textlist' } as Type, null: { k: 'null' } as Type, error: { k: 'error' } as Type,
  members: { k: 'members' } as Type,
  money: (p: Period): Type => ({ k: 'money', p }),
};

/** A type's name in each language, for messages. */
export function typeText(t: Type): { zh: string; en: string } {
  switch (t.k) {
    case 'money': return t.p === 'month' ? { zh: '金额/月', en: 'money per month' } : t.p === 'year' ? { zh: '金额/年', en: 'money per year' } : { zh: '金额', en: 'money' };
    case 'bool': return { zh: '布尔', en: 'bool' };
    case 'number': return { zh: '数', en: 'number' };
    case 'percent': return { zh: '比例', en: 'percent' };
    case 'date': return { zh: '日期', en: 'date' };
    case 'duration': return { zh: '期限', en: 'duration' };
    case 'text': return { zh: '文本', en: 'text' };
    case 'textlist': return { zh: '文本列表', en: 'text list' };
    case 'enum': return { zh: `枚举 ${t.name}`, en: `enum ${t.name}` };
    case 'list': return { zh: `列表(${t.of.name})`, en: `list(${t.of.name})` };
    case 'record': return { zh: t.of.name, en: t.of.name };
    case 'members': return { zh: '成员', en: 'members' };
    case 'null': return { zh: '无', en: 'none' };
    default: return { zh: '?', en: '?' };
  }
}

/** A type as both names in one string ("金额/月 money per month"): the public PolicyInfo's form. */
export function describeType(t: Type): string {
  if (t.k === 'enum' || t.k === 'list' || t.k === 'record' || t.k === 'error') return typeText(t).zh;
  const x = typeText(t);
  return `${x.zh} ${x.en}`;
}

// ── schema (input shape) ──────────────────────────────────────────────────────────────────
export type FieldType =
  | { k: 'text' | 'bool' | 'number' | 'integer' | 'date' | 'textlist' }
  | { k: 'money'; p: Period }
  | { k: 'enum'; values: EnumValue[] }
  | { k: 'list'; of: SchemaInfo }
  | { k: 'record'; of: SchemaInfo };
export type FieldDefault = { kind: 'value'; value: unknown } | { kind: 'field'; name: string } | { kind: 'none' };
export interface FieldInfo {
  name: string; label: string | null; labelEn: string | null; type: FieldType; required: boolean; nullable: boolean;
  default: FieldDefault; min: Num | null; max: Num | null; range: Range;
}
export interface SchemaInfo { name: string; label: string | null; labelEn?: string | null; fields: FieldInfo[]; range: Range }

// ── checked program ───────────────────────────────────────────────────────────────────────
export type Resolution =
  | { kind: 'param'; index: number }
  | { kind: 'def'; index: number; member: boolean }
  | { kind: 'output'; index: number; member: boolean }
  | { kind: 'memberField'; fields: FieldInfo[] }
  | { kind: 'householdField'; fields: FieldInfo[] }
  | { kind: 'enum'; value: string };

export interface ParamInfo {
  name: string; label: string | null; labelEn: string | null; type: string; value: string; unit: string;
  min: string | null; max: string | null; sources: string[]; assumed: string | null; range: Range; valueRange: Range;
}
export interface OutputInfo { name: string; label: string | null; labelEn: string | null; type: string; perMember: boolean }
export interface PolicyInfo {
  id: string; title: string; program: string; jurisdiction: string; effective: string | null;
  /** Why the effective date is assumed (`生效 … 假定「…」`), or null when a source gives it. */
  effectiveAssumed: string | null; note: string | null;
  sources: string[]; parameters: ParamInfo[]; outputs: OutputInfo[];
  /** The policies whose results this one reads (`引用`), in declaration order ([] when none). */
  uses: readonly string[];
  /** The GB/T 2260 division code written in the header (`辖区 640202「…」`), when given. */
  jurisdiction_code?: string;
}

/** A referenced policy as the checker resolved it: which version, and its outputs as the fields
 *  of a record the evaluation reads (see check/linked.ts). */
export interface LinkTarget {
  policy: string; alias: string; version: number; title: string;
  /** The household key the referenced outputs are carried under during evaluation. */
  key: string;
  /** The referenced policy's household-level outputs, typed as input fields. */
  outputs: SchemaInfo;
}

export interface Dependencies { params: Set<number>; defs: Set<number>; memberDefs: Set<number>; outputs: Set<number>; inputs: Set<string> }

export interface Program {
  ast: A.PolicyFile;
  info: PolicyInfo;
  household: SchemaInfo;
  params: { decl: A.ParamDecl; type: Type; value: Num | boolean | string | number | null }[];
  defs: { decl: A.DefDecl; type: Type }[];           // household-level definitions
  memberDefs: { decl: A.DefDecl; type: Type }[];     // member-level definitions
  outputs: { decl: A.OutputDecl; type: Type; deps: Dependencies }[];
  types: Map<A.Expr, Type>;
  resolutions: Map<A.Expr, Resolution>;
  /** For each exception/rule of an output: the indexes (within the output's rules) it overrides. */
  overrides: Map<A.RuleClause, number[]>;
  /** The referenced policies (`引用`), in declaration order; absent or empty when none. */
  links?: LinkTarget[];
}
