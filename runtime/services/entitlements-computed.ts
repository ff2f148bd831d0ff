// 一门受理 answers written from the programmes' computed contexts (the HTTP answers' bytes): each
// programme's outputs go straight from its compute() into the answer's bytes by its compiled
// writer (dsl CompiledPolicy.outputsInto), with no outputs object, no comparison with the shared
// ones, no JSON text per programme nor its UTF-8 encoding afterwards. What the answer needs of
// the outputs besides their text — whether each is granted, and the cash it counts in the totals
// — is read from the context's values here, as totals() reads it from the outputs' JSON.
// 由各项目的计算结果直接写出答复字节，不经输出对象。
import type { CompiledPolicy } from './language.js';
import type { Utf8Sink } from '../../dsl/index.js';

type Ctx = ReturnType<CompiledPolicy['compute']>;

/** Per programme of a list: its outputs writer and where its `eligible`, `monthly_amount` and
 *  `amount` outputs' values are (their slot in the context: CompiledPolicy.outputSlots; -1: it has none). */
export interface Computed {
  compiled: readonly CompiledPolicy[];
  writers: readonly ((cx: Ctx, sink: Utf8Sink) => void)[];
  eligible: Int32Array; monthly: Int32Array; amount: Int32Array;
}

/** The outputs a programme list's totals read, as the contract types them. */
const TOTALS_READ: Record<string, 'bool' | 'money'> = { eligible: 'bool', monthly_amount: 'money', amount: 'money' };

/** The list's Computed; undefined where its answers cannot be written so: a programme without an
 *  outputs writer (no codegen), or one whose `eligible`, `monthly_amount` or `amount` is not a
 *  household-level value of the type totals() expects (its JSON could then be another). */
export function computedOf(compiled: readonly CompiledPolicy[]): Computed | undefined {
  const at = (c: CompiledPolicy, name: string): number | undefined => {
    const i = c.program.outputs.findIndex((o) => o.decl.name.text === name);
    if (i < 0) return -1;
    const o = c.program.outputs[i]!;
    return o.decl.member || o.type.k !== TOTALS_READ[name] ? undefined : c.outputSlots[i]!;
  };
  const writers: ((cx: Ctx, sink: Utf8Sink) => void)[] = [];
  const eligible = new Int32Array(compiled.length), monthly = new Int32Array(compiled.length), amount = new Int32Array(compiled.length);
  for (let i = 0; i < compiled.length; i++) {
    const c = compiled[i]!, e = at(c, 'eligible'), m = at(c, 'monthly_amount'), a = at(c, 'amount');
    if (c.outputsInto === undefined || e === undefined || m === undefined || a === undefined) return undefined;
    writers.push(c.outputsInto); eligible[i] = e; monthly[i] = m; amount[i] = a;
  }
  return { compiled, writers, eligible, monthly, amount };
}

/** Whole fen the outputs writer writes as plain money text that dsl.moneyTextFen reads back as
 *  these fen (≥ 0, at most 12 digits of yuan): the exact sum of such texts is the sum of these. */
export const plainFen = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v < 1e14;
