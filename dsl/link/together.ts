// Policies evaluated together for one household, in link order (一门受理: every programme of a
// jurisdiction), the household decoded ONCE for all of them. They read the same household schema
// (members, incomes, area, …) plus a few fields of their own, so one decoder generated for the
// union of their fields checks the household once, keeping what any of them reads, and each
// compute() reads that one decoded household; a policy that uses another (引用) reads the result
// computed just before it, decoded by a decoder generated for the link.
// The common case only, like fast-decode.ts: anything unusual (a household or a result the
// generated decoders refuse, a fault of a policy, a reference outside the list) answers
// `undefined`, and the caller evaluates each policy on its own, whose errors are the only ones
// reported. It accepts exactly what evaluating each policy alone accepts (every field is checked
// by the same generated checks), and computes the same outputs (the same compute()). Outputs equal
// to ones given before are answered as that one frozen object (shared-outputs.ts).
import type { CompiledPolicy } from '../backends/index.js';
import type { Ctx } from '../backends/context.js';
import type { FieldInfo, LinkTarget, SchemaInfo } from '../check/types.js';
import type { Json } from '../eval/values.js';
import { generateFastDecoder, FAIL, type FastDecoder, type FieldNeed } from '../eval/fast-decode.js';
import { fieldsRead } from '../backends/fields-read.js';
import { lower } from '../middle/index.js';
import { parseDate, type DateInt } from '../base/dates.js';
import { linkReads, pick } from './evaluate.js';
import { outputsSharer, type OutputsSharer } from './shared-outputs.js';

/** The outputs of each policy of the list, in its order; undefined: evaluate each on its own. */
export type Together = ((household: unknown, asOf: string) => Record<string, Json>[] | undefined) & {
  /** Top-level text fields, all optional, that no policy of the list reads: any text under them,
   *  or none, gives the same answer (a caller need not fill them in). */
  ignores: ReadonlySet<string>;
  /**
   * The same evaluation, answered as each policy's computed context (its compute()'s, in list
   * order) instead of its outputs object: a caller that writes the outputs straight as bytes
   * (CompiledPolicy.outputsInto) makes no object per policy and household. Only the outputs a
   * later policy reads are made as objects (its link reads them). The array and the contexts are
   * reused: valid until the next call of this or of the function itself. undefined where the
   * function answers undefined.
   */
  contexts: (household: unknown, asOf: string) => readonly Ctx[] | undefined;
};

/** One link of one policy: the earlier policy it reads, the outputs it must find there, and the
 *  decoder of those outputs as this policy reads them (under `key`). */
interface Carried { from: number; key: string; read: string[]; outputs: SchemaInfo; decode: FastDecoder }
/** `share`: identical outputs as one frozen object (shared-outputs.ts). */
interface Step { c: CompiledPolicy; links: Carried[]; share: OutputsSharer | undefined }

/**
 * The evaluation of `list` (in link order: a policy after those it uses) together, or undefined
 * when it cannot be done that way: a field two policies declare differently, a link key that is a
 * field of another policy, a referenced policy not earlier in the list, no `new Function`.
 */
export function evaluateTogether(list: readonly { id: string; compiled: CompiledPolicy }[]): Together | undefined {
  const at = new Map(list.map((p, i) => [p.id, i]));
  const fields = new Map<string, { f: FieldInfo; shape: string }>();
  const linkKeys = new Set<string>();
  let need: FieldNeed = new Map();
  const steps: Step[] = [];
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!.compiled, p = c.program;
    const links = p.links ?? [];
    const own = new Set(links.map((l) => l.key));
    for (const k of own) linkKeys.add(k);
    for (const f of p.household.fields) {
      if (own.has(f.name)) continue;
      const shape = shapeOf(f);
      if (shape === undefined) return undefined;
      const known = fields.get(f.name);
      if (known === undefined) fields.set(f.name, { f, shape });
      else if (known.shape !== shape) return undefined;
    }
    const reads = fieldsRead(lower(p));
    need = merged(need, reads);
    const reading = linkReads(p, links);
    const carried: Carried[] = [];
    for (let j = 0; j < links.length; j++) {
      const l: LinkTarget = links[j]!;
      const from = at.get(l.policy);
      const field = p.household.fields.find((f) => f.name === l.key);
      if (from === undefined || from >= i || field === undefined || field.type.k !== 'record') return undefined;
      const sub = reads === 'all' ? 'all' : reads.get(l.key) ?? NOTHING;
      const decode = generateFastDecoder(field.type.of, sub, 'one');
      if (decode === undefined) return undefined;
      carried.push({ from, key: l.key, read: reading[j]!, outputs: l.outputs, decode });
    }
    steps.push({ c, links: carried, share: outputsSharer(p.outputs.map((o) => ({ name: o.decl.name.text, kind: o.decl.member ? 'map' : o.type.k === 'textlist' ? 'list' : 'value' }))) });
  }
  for (const k of linkKeys) if (fields.has(k)) return undefined;
  const union: SchemaInfo = { ...list[0]!.compiled.program.household, fields: [...fields.values()].map((x) => x.f) };
  // by key: the households of a population (一门受理, the monitor) come in many shapes
  const decode = generateFastDecoder(union, need, 'many');
  if (decode === undefined) return undefined;
  let lastText = '', lastDate = 0;
  const dateOf = (asOfText: string): DateInt | undefined => {
    if (asOfText === lastText) return lastDate;
    const asOf = parseDate(asOfText);
    if (asOf !== undefined) { lastText = asOfText; lastDate = asOf; }
    return asOf;
  };
  const together = (household: unknown, asOfText: string): Record<string, Json>[] | undefined => {
    const asOf = dateOf(asOfText);
    if (asOf === undefined) return undefined;
    // the decoded household is the decoder's own (rewritten by its next call): it is read here only
    const h = decode(household, asOf);
    if (h === FAIL) return undefined;
    const outs: Record<string, Json>[] = new Array(steps.length);
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i]!;
      if (!carryLinks(s, h, outs, asOf)) return undefined;
      try {
        const out = s.c.outputsOf(s.c.compute(h, asOf));
        outs[i] = s.share !== undefined ? s.share(out) : out;
      } catch {
        return undefined;   // a fault (or a failure) of the policy: reported by evaluating it alone
      }
    }
    return outs;
  };
  // which policies' outputs a later one reads (only those are made as objects by `contexts`)
  const read = steps.map((_, i) => steps.some((s) => s.links.some((l) => l.from === i)));
  const cxs: Ctx[] = new Array(steps.length), linked: Record<string, Json>[] = new Array(steps.length);
  const contexts = (household: unknown, asOfText: string): readonly Ctx[] | undefined => {
    const asOf = dateOf(asOfText);
    if (asOf === undefined) return undefined;
    const h = decode(household, asOf);
    if (h === FAIL) return undefined;
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i]!;
      if (!carryLinks(s, h, linked, asOf)) return undefined;
      try {
        const cx = cxs[i] = s.c.compute(h, asOf);
        if (read[i]) linked[i] = s.c.outputsOf(cx);
      } catch {
        return undefined;   // as together's
      }
    }
    return cxs;
  };
  return Object.assign(together, { ignores: ignored(union.fields, need), contexts });
}

/** The outputs step `s` reads (its links) carried into the decoded household `h`; false: one is
 *  not taken (then no evaluation together). */
function carryLinks(s: Step, h: Record<string, unknown>, outs: readonly Record<string, Json>[], asOf: DateInt): boolean {
  for (let j = 0; j < s.links.length; j++) {
    const l = s.links[j]!;
    const v = carried(l, outs[l.from]!, asOf);
    if (v === FAIL) return false;
    h[l.key] = v;
  }
  return true;
}

/** The optional text fields of `fields` that `need` does not keep, nor any field kept that
 *  defaults to them (hukou_county is county when absent). */
function ignored(fields: readonly FieldInfo[], need: FieldNeed): Set<string> {
  const out = new Set<string>();
  if (need === 'all') return out;
  for (const f of fields) if (f.type.k === 'text' && f.default.kind !== 'none' && !need.has(f.name) && f.name !== 'id') out.add(f.name);
  for (let shrank = true; shrank;) {
    shrank = false;
    for (const f of fields) {
      if (f.default.kind === 'field' && !out.has(f.name) && out.delete(f.default.name)) shrank = true;
    }
  }
  return out;
}

/** The referenced outputs decoded as the linking policy reads them (what carry() and its decoder
 *  accept: every read output present; the household-level outputs only). */
function carried(l: Carried, outputs: Record<string, Json>, asOf: DateInt): Record<string, unknown> | typeof FAIL {
  const read = l.read;
  for (let k = 0; k < read.length; k++) if (!Object.prototype.hasOwnProperty.call(outputs, read[k]!)) return FAIL;
  const v = l.decode(outputs, asOf);
  return v !== FAIL ? v : l.decode(pick(l.outputs, outputs), asOf);
}

const NOTHING: FieldNeed = new Map();

/** What two readers need together. */
function merged(a: FieldNeed, b: FieldNeed): FieldNeed {
  if (a === 'all' || b === 'all') return 'all';
  const out = new Map(a);
  for (const [k, v] of b) { const w = out.get(k); out.set(k, w === undefined ? v : merged(w, v)); }
  return out;
}

/** A field as a decoder sees it (its labels and place in the source left out); undefined when it
 *  cannot be written (then no evaluation together). */
function shapeOf(f: FieldInfo): string | undefined {
  try {
    return JSON.stringify(f, (k, v: unknown) => (k === 'range' || k === 'label' || k === 'labelEn' || k === 'doc' ? undefined : typeof v === 'bigint' ? `${v}n` : v));
  } catch {
    return undefined;
  }
}
