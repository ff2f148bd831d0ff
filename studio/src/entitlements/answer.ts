// The answer of POST /api/entitlements as the screen reads it, and what can be derived from it:
// the household fields the decided programmes read (their traces' inputs) and the articles
// each granted programme cites.
import type { Assumption, Json, TraceEntry } from '../language/types';

export interface Programme {
  policy: string; title: string; program: string; version: number; effective_from: string; granted: boolean;
  outputs: Record<string, Json>; uses: Record<string, { version: number; outputs: Record<string, Json> }>;
  assumptions: Assumption[]; decision_id?: string; trace?: TraceEntry[];
}
export interface Answer {
  household_id: string | null; as_of: string; routed: boolean;
  jurisdiction: { code: string; name: string; name_en: string; full_name: string; basis: { rule: string; zh: string; en: string; source: string } } | null;
  programmes: Programme[];
  totals: { monthly_cash: string; yearly_cash: string; one_off_cash: string; services: { policy: string; title: string }[] };
  decision_ids: Record<string, string>;
  reason?: { message_zh: string; message_en: string };
}

/** The fields the screen asks for itself (where the household lives), not through the schema form. */
export const placeFields = ['county', 'hukou_county', 'hukou_province', 'residence_permit', 'residence_code', 'hukou_code'];

/** Household and member field names the programmes' traces read (household.x, household.members[i].y or members[i].y). */
export function readFields(a: Answer): { household: Set<string>; member: Set<string> } {
  const household = new Set<string>(), member = new Set<string>();
  for (const p of a.programmes) for (const e of p.trace ?? []) for (const i of e.inputs ?? []) {
    const path = i.path.replace(/^household\./, '');
    const m = /^members\[\d+\]\.(\w+)/.exec(path);
    if (m) member.add(m[1]!);
    else household.add(path.split(/[.[]/)[0]!);
  }
  return { household, member };
}

/** The articles a programme's decision rests on: the sources of the rules that decided its outputs. */
export function citations(p: Programme): string[] {
  return [...new Set((p.trace ?? []).flatMap((e) => e.decided_by?.sources ?? []))];
}
