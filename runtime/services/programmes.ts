// The published programmes as a client sees them (GET /api/programmes): jurisdiction, versions
// and when each is in force, and each output's name, type, unit and labels — and the same
// outputs as JSON Schema, so the OpenAPI document types every policy's `outputs`.
import type { PolicyRecord } from '../store/types.js';
import type { EvaluationService } from './evaluation.js';
import { fullName, policyDivision } from './jurisdictions.js';
import type { PolicyInfo } from './language.js';

type Obj = Record<string, unknown>;
type OutputInfo = PolicyInfo['outputs'][number];

export interface OutputView { name: string; label: string | null; label_en: string | null; type: string; unit: string | null; per_member: boolean; schema: Obj }

const money = (unit: string, description: string): Obj => ({ type: ['string', 'null'], pattern: '^-?\\d+\\.\\d{2}$', description, 'x-money': unit });

/** An output's value as JSON Schema, and its unit, from the language's type name (describeType). */
function valueSchema(type: string): { schema: Obj; unit: string | null } {
  const base = type.split(' ')[0]!;
  switch (base) {
    case '布尔': return { schema: { type: 'boolean' }, unit: null };
    case '金额/月': return { schema: money('yuan/month', '元/月, decimal string with 2 places'), unit: 'yuan/month' };
    case '金额/年': return { schema: money('yuan/year', '元/年, decimal string with 2 places'), unit: 'yuan/year' };
    case '金额': return { schema: money('yuan', '元, decimal string with 2 places'), unit: 'yuan' };
    case '日期': return { schema: { type: ['string', 'null'], format: 'date' }, unit: null };
    case '文本列表': return { schema: { type: 'array', items: { type: 'string' } }, unit: null };
    case '文本': case '枚举': return { schema: { type: ['string', 'null'] }, unit: null };
    case '数': case '比例': return { schema: { type: ['number', 'null'] }, unit: base === '比例' ? 'ratio' : null };
    case '无': return { schema: { type: 'null' }, unit: null };   // an output that is always 无 (e.g. no gradual exit in this policy)
    case '期限': return { schema: { type: ['string', 'null'] }, unit: 'duration' };
    default: return { schema: {}, unit: null };   // a type this mapping does not know: any value, said plainly
  }
}

export function outputView(o: OutputInfo): OutputView {
  const v = valueSchema(o.type);
  // a member output is one value per member, by member id
  const schema = o.perMember ? { type: 'object', additionalProperties: v.schema } : v.schema;
  const described: Obj = { ...schema, ...(o.label ? { title: o.label } : {}), ...(o.labelEn ? { 'x-label-en': o.labelEn } : {}) };
  return { name: o.name, label: o.label, label_en: o.labelEn, type: o.type, unit: v.unit, per_member: o.perMember, schema: described };
}

const infoOf = (evaluation: EvaluationService, source: string) => evaluation.lang.analyze(source).info as (PolicyInfo & { jurisdiction_code?: string; uses?: readonly string[] }) | undefined;

const published = (evaluation: EvaluationService): PolicyRecord[] =>
  Object.values(evaluation.policies.store.data.policies).filter((p) => !p.retired && p.versions.length > 0).sort((a, b) => a.id.localeCompare(b.id));

/** Every published programme; `in_force` is the version in force on asOf (null before the first). */
export function listProgrammes(evaluation: EvaluationService, asOf: string) {
  return published(evaluation).map((p) => {
    const latest = p.versions[p.versions.length - 1]!;
    const info = infoOf(evaluation, latest.source);
    const d = info ? policyDivision(info) : undefined;
    let inForce: number | null = null;
    for (const v of p.versions) if (v.effective_from <= asOf) inForce = v.version;
    return {
      policy: p.id, title: info?.title ?? null, program: info?.program ?? null,
      jurisdiction: { code: d?.code ?? null, name: info?.jurisdiction ?? null, name_en: d?.nameEn ?? null },
      uses: info?.uses ?? [],
      in_force: inForce,
      versions: p.versions.map((v, i) => ({ version: v.version, effective_from: v.effective_from, until: p.versions[i + 1]?.effective_from ?? null })),
      outputs: (info?.outputs ?? []).map(outputView).map(({ schema: _s, ...o }) => o),
    };
  });
}

/** Component name of a policy's outputs schema. */
export const outputsSchemaName = (id: string) => `Outputs_${id}`;

/**
 * One outputs schema per published policy: every output any of its versions has (a version
 * answers with its own outputs, so none is required), typed by the latest version naming it.
 */
export function outputSchemas(evaluation: EvaluationService): Record<string, Obj> {
  const out: Record<string, Obj> = {};
  for (const p of published(evaluation)) {
    const props: Obj = {};
    for (const v of p.versions) for (const o of infoOf(evaluation, v.source)?.outputs ?? []) props[o.name] = outputView(o).schema;
    const info = infoOf(evaluation, p.versions[p.versions.length - 1]!.source);
    const d = info ? policyDivision(info) : undefined;
    out[outputsSchemaName(p.id)] = {
      type: 'object', additionalProperties: false, properties: props,
      description: `${info?.title ?? p.id}${d ? `（${fullName(d)} ${d.code}）` : ''}: outputs by JSON name`,
    };
  }
  return out;
}
