// Evaluation of a policy that reads other policies' results (引用). The caller evaluates the
// referenced policies first, on the same date, and passes their results; each result's
// household-level outputs are checked with their own types and carried into the household
// under the link's key (check/linked.ts), where the compiled code reads them. A missing or
// malformed result is the caller's wiring fault (code evaluation.unlinked), never the household's.
import type { Program, SchemaInfo, LinkTarget } from '../check/types.js';
import type { CompiledPolicy, EvalResult } from '../backends/index.js';
import { decodeHousehold, errorsText } from '../eval/validate.js';
import { toJsonSchema } from '../eval/json-schema.js';
import { generateFastDecoder, FAIL, type FastDecoder, type FieldNeed } from '../eval/fast-decode.js';
import { messageOf, type Message } from '../base/diagnostics.js';
import type { Json } from '../eval/values.js';
import type { TraceEntry, DecidedBy } from '../eval/trace.js';

/** The result of a referenced policy, as the caller evaluated it (its `outputs` and, for the trace
 *  across the boundary, its `trace`: an EvalResult's fields). Loosely typed on purpose: callers
 *  pass results through from JSON, and evaluate() checks the outputs it reads with their types. */
export interface LinkedResult { version: number; outputs: Record<string, unknown>; trace?: readonly unknown[] }

/** In a trace entry: a referenced value, where it came from and what decided it there. */
export interface LinkedValue {
  policy: string; version: number; output: string; label: string | null; value: Json;
  /** The rule that decided it in the referenced policy (from that result's trace), when given. */
  decided_by: DecidedBy | null;
  /** `dawukou-dibao.eligible = 是（规则 差额补助，依据 001 第一章第一节）` */
  because: { zh: string; en: string };
}

export type EvaluateOptions = {
  trace?: boolean; linked?: Record<string, LinkedResult>;
  /** Without `trace`: also what decided each output (`decided`, in the order of the outputs; the
   *  trace entries' `decided_by`) without building the trace (the scenario runner's need). */
  decided?: boolean;
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The compiled policy with `uses` and, when it references others, an evaluate that takes their results. */
export function withLinks(p: Program, c: CompiledPolicy): CompiledPolicy {
  const links = p.links ?? [];
  if (links.length === 0) return { ...c, uses: [] };
  return linkedPolicy(p, c, links);
}

function linkedPolicy(p: Program, c: CompiledPolicy, links: LinkTarget[]): CompiledPolicy {
  const keys = new Set(links.map((l) => l.key));
  const schema: SchemaInfo = { ...p.household, fields: p.household.fields.filter((f) => !keys.has(f.name)) };
  const inner = c.evaluate;
  const reads = linkReads(p, links);
  // per link, the decoder generated for its outputs (checks, keeps nothing): a result it accepts
  // is one the full decoder accepts, so only a refused one pays for the full decoder and its
  // errors (the only ones reported). 生成的解码器只判断“可接受”；报错仍由完整解码器给出。
  const checks = links.map((l) => generateFastDecoder(l.outputs, NOTHING, 'one'));
  // the referenced results under their link keys, where prepare() and compute() read them
  const carry: CompiledPolicy['carry'] = (household, linked) => {
    const carried: Record<string, unknown>[] = new Array(links.length);
    for (let i = 0; i < links.length; i++) {
      const l = links[i]!;
      const r = linked?.[l.policy];
      if (r === undefined) return unlinked(l, undefined);
      const picked = decodeOutputs(l, r, reads[i]!, checks[i]);
      if (!picked.ok) return unlinked(l, picked.error);
      carried[i] = picked.value;
    }
    if (!isRecord(household)) return { ok: true, household };
    // one copy of the household (the caller's object is never written to), the results put in it
    const h: Record<string, unknown> = { ...household };
    for (let i = 0; i < links.length; i++) h[links[i]!.key] = carried[i];
    return { ok: true, household: h };
  };
  // `schema` stays the full input of compute() (prepare decodes the carried results too); the
  // JSON Schema a client sees is the household without them
  return {
    // no text fast path: compute() reads the referenced results carried into the household
    ...c, uses: links.map((l) => l.policy), carry, evaluateJson: undefined, evaluateJsonAt: undefined, evaluateJsonInto: undefined,
    jsonSchema: () => toJsonSchema(schema),
    evaluate(household, asOf, opts: EvaluateOptions = {}): EvalResult {
      const h = carry(household, opts.linked);
      if (!h.ok) return h;
      const result = inner(h.household, asOf, { trace: opts.trace, decided: opts.decided });
      if (!result.ok || !result.trace) return result;
      return { ...result, trace: result.trace.map((e) => crossBoundary(e, links, opts.linked!)) };
    },
  };
}

/** Per link, the referenced outputs some output of `p` reads (the ones a result must give). */
export function linkReads(p: Program, links: readonly LinkTarget[]): string[][] {
  return links.map((l) => {
    const prefix = `household.${l.key}.`;
    const names = new Set<string>();
    for (const o of p.outputs) for (const x of o.deps.inputs) if (x.startsWith(prefix)) names.add(x.slice(prefix.length));
    return [...names];
  });
}

/** Only the referenced policy's household-level outputs (its per-member outputs are not read). */
export function pick(s: SchemaInfo, outputs: Record<string, unknown>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const fields = s.fields;
  for (let i = 0; i < fields.length; i++) {
    const name = fields[i]!.name;
    if (Object.prototype.hasOwnProperty.call(outputs, name)) o[name] = outputs[name];
  }
  return o;
}

/** Nothing kept: the generated decoder only says whether the outputs are acceptable. */
const NOTHING: FieldNeed = new Map();

/** The referenced result's household-level outputs (as given: the decoder reads them again where
 *  the compiled code reads them), or why they are not acceptable. */
function decodeOutputs(l: LinkTarget, r: LinkedResult, read: string[], check: FastDecoder | undefined):
  { ok: true; value: Record<string, unknown> } | { ok: false; error: Message } {
  if (!isRecord(r) || !isRecord(r.outputs)) return { ok: false, error: { zh: 'outputs 应为对象', en: 'outputs must be an object' } };
  const outputs = r.outputs;
  for (let i = 0; i < read.length; i++) {
    if (Object.prototype.hasOwnProperty.call(outputs, read[i]!)) continue;
    const missing = read.filter((n) => !Object.prototype.hasOwnProperty.call(outputs, n));
    return { ok: false, error: { zh: `缺少输出：${missing.join('、')}`, en: `missing outputs: ${missing.join(', ')}` } };
  }
  // the common case, a result our evaluate gave: its outputs are exactly the household-level
  // ones, carried as they are (no copy: nothing writes to them, the decoders only read)
  if (check !== undefined && check(outputs, undefined) !== FAIL) return { ok: true, value: outputs };
  // per-member outputs too (or anything the generated decoder refuses): only the household-level ones
  const value = pick(l.outputs, outputs);
  if (check !== undefined && check(value, undefined) !== FAIL) return { ok: true, value };
  const d = decodeHousehold(l.outputs, value);
  return d.errors.length ? { ok: false, error: errorsText(d.errors, (p) => p.replace(/^household/, `${l.policy}.outputs`)) } : { ok: true, value };
}

function unlinked(l: LinkTarget, detail: Message | undefined): Extract<EvalResult, { ok: false }> {
  const m = messageOf('evaluation.unlinked', { id: l.policy });
  const message = detail ? { zh: `${m.zh}（${detail.zh}）`, en: `${m.en} (${detail.en})` } : m;
  return { ok: false, errors: [{ path: `linked.${l.policy}`, message }], fault: { line: 0, message, code: 'evaluation.unlinked' } };
}

/** The trace entry with each referenced value moved from `inputs` to `linked`, named by policy,
 *  version and output, with the rule and citation that decided it in the referenced policy. */
function crossBoundary(e: TraceEntry, links: LinkTarget[], given: Record<string, LinkedResult>): TraceEntry {
  const linked: LinkedValue[] = [];
  const inputs = e.inputs.filter((x) => {
    const l = links.find((k) => x.path.startsWith(`household.${k.key}.`));
    if (!l) return true;
    const output = x.path.slice(`household.${l.key}.`.length);
    const r = given[l.policy]!;
    const from = (r.trace as readonly Partial<TraceEntry>[] | undefined)?.find((t) => isRecord(t) && t.output === output);
    const f = l.outputs.fields.find((y) => y.name === output);
    linked.push({ policy: l.policy, version: r.version, output, label: f?.label ?? null, value: x.value, decided_by: from?.decided_by ?? null, because: because(l.policy, output, x.value, from?.decided_by) });
    return false;
  });
  return linked.length ? { ...e, inputs, linked } : e;
}

function shown(v: Json, zh: boolean): string {
  if (v === true) return zh ? '是' : 'yes';
  if (v === false) return zh ? '否' : 'no';
  return v === null ? (zh ? '无' : 'none') : typeof v === 'string' ? v : JSON.stringify(v);
}

function because(policy: string, output: string, v: Json, d: DecidedBy | undefined): { zh: string; en: string } {
  const at = `${policy}.${output}`;
  if (!d) return { zh: `${at} = ${shown(v, true)}`, en: `${at} = ${shown(v, false)}` };
  const rule = d.kind === 'rule' ? `规则 ${d.name}` : d.kind === 'exception' ? `例外 ${d.name}` : d.kind === 'otherwise' ? '否则' : `输出 ${d.name}`;
  const ruleEn = d.kind === 'rule' ? `rule ${d.name}` : d.kind === 'exception' ? `exception ${d.name}` : d.kind === 'otherwise' ? 'otherwise' : `output ${d.name}`;
  const cites = d.sources.join('；');
  return {
    zh: `${at} = ${shown(v, true)}（${rule}${cites ? `，${cites}` : ''}）`,
    en: `${at} = ${shown(v, false)} (${ruleEn}${cites ? `, ${d.sources.join('; ')}` : ''})`,
  };
}
