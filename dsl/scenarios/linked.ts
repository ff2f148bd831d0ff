// The referenced results (引用) a scenario runs with: fixed in the scenario (`linked:` /
// `引用结果:`, outputs by policy id), or, when not fixed, the referenced policy evaluated for real
// on the same household and date through the caller's resolver (recursively: a fixed result
// applies at any depth).
import type { CompiledPolicy } from '../backends/index.js';
import type { LinkedResult } from '../link/evaluate.js';
import type { Json } from '../eval/values.js';
import { errorsText } from '../eval/validate.js';
import type { Message } from '../base/diagnostics.js';

/** The compiled policy in force for a referenced id on a date (the suite's folder, the store…). */
export type PolicyResolver = (policyId: string, asOf: string) => CompiledPolicy | undefined;

export function linkedResults(
  compiled: CompiledPolicy, household: unknown, asOf: string,
  fixed: Record<string, Record<string, Json>> | undefined, resolve: PolicyResolver | undefined,
  /** trace: false when only the outputs are wanted (the impact simulation: no explanation to cross). */
  opts: { trace?: boolean } = {}, depth = 0,
): { linked: Record<string, LinkedResult> } | { error: Message } {
  const trace = opts.trace ?? true;
  const linked: Record<string, LinkedResult> = {};
  for (const id of compiled.uses) {
    const given = fixed?.[id];
    const version = compiled.program.links?.find((l) => l.policy === id)?.version ?? 0;
    if (given) { linked[id] = { version, outputs: given }; continue; }
    const other = depth < 32 ? resolve?.(id, asOf) : undefined;
    if (!other) return { error: { zh: `没有「${id}」的引用结果（场景未给出 linked，也无法找到该政策）`, en: `no result for linked policy "${id}": the scenario fixes none (linked:) and the policy cannot be found` } };
    const inner = linkedResults(other, household, asOf, fixed, resolve, opts, depth + 1);
    if ('error' in inner) return inner;
    const r = other.evaluate(household, asOf, { trace, linked: inner.linked });
    if (!r.ok) { const t = errorsText(r.errors); return { error: { zh: `引用的政策「${id}」评估失败：${t.zh}`, en: `linked policy "${id}" failed: ${t.en}` } }; }
    linked[id] = { version, outputs: r.outputs, ...(r.trace ? { trace: r.trace } : {}) };
  }
  return { linked };
}
