// A checked Program compiled once into closures: `compute` runs a decoded household (the fast
// path the benchmarks measure), `evaluate` validates JSON, computes, and answers in the
// contract's JSON with an optional explanation trace.
import type { Program, SchemaInfo, PolicyInfo } from '../check/types.js';
import { type Ctx, type Fn, UNSET, EvalFault } from './context.js';
import { compileDecl, type Slots } from './closures.js';
import { generate, codegenAvailable } from './codegen.js';
import { lower } from '../middle/index.js';
import { parseDate } from '../base/dates.js';
import { decodeHousehold, type DecodeOptions, type FieldError } from '../eval/validate.js';
import { generateFastDecoder, FAIL } from '../eval/fast-decode.js';
import { generateTextReader } from '../eval/text-read.js';
import { fieldsRead } from './fields-read.js';
import type { Json } from '../eval/values.js';
import { outputsWriter, outputsTextWriter } from './outputs.js';
import { outputsBytesWriter } from './outputs-bytes.js';
import { utf8Bytes, type Utf8Sink } from '../eval/utf8-sink.js';
import { buildTrace, decidedBy, type TraceEntry, type DecidedBy } from '../eval/trace.js';
import { toJsonSchema } from '../eval/json-schema.js';
import { assumptionsOf, assumptionsCopier, type Assumption } from '../eval/assumptions.js';
import { withLinks, type EvaluateOptions, type LinkedResult } from '../link/evaluate.js';

export type EvalResult =
  | { ok: true; outputs: Record<string, Json>; assumptions: Assumption[]; trace?: TraceEntry[]; decided?: DecidedBy[] }
  | { ok: false; errors: FieldError[]; fault?: EvalFaultInfo };

/** A fault of the policy itself (division by zero, two rules disagreeing), not of the household:
 *  callers must not blame the input. `errors` still carries it as `policy:<line>` for old readers. */
export interface EvalFaultInfo { line: number; message: { zh: string; en: string }; /** 'evaluation.unlinked': the caller gave no result for a referenced policy */ code?: string }

export interface CompiledPolicy {
  info: PolicyInfo;
  schema: SchemaInfo;
  program: Program;
  /** How compute() runs: generated JavaScript ('codegen') or the closure tree ('closures'). */
  mode: CompileMode;
  /** The generated source in 'codegen' mode (for inspection). */
  source?: string;
  /** Validates and decodes household JSON (money to fen, dates to yyyymmdd); pass `asOf` so that
   *  a birth date after the evaluation date is refused. */
  prepare(household: unknown, opts?: DecodeOptions): { value?: Record<string, unknown>; errors: FieldError[] };
  /** Evaluates a decoded household on a date (yyyymmdd); returns the context holding every value,
   *  valid until the next compute() on this policy (the context is reused, not reallocated). */
  compute(household: Record<string, unknown>, asOf: number): Ctx;
  /** The value of output i in a computed context (a member output gives one value per member). */
  outputValue(ctx: Ctx, i: number): unknown;
  /** Every output of a computed context in the contract's JSON: what evaluate() answers with. */
  outputsOf(ctx: Ctx): Record<string, Json>;
  /** outputsOf(ctx)'s JSON text (JSON.stringify's) written as UTF-8 into `sink`, without the
   *  object (outputs-bytes.ts). Absent without codegen. It may throw where outputsOf would. */
  outputsInto?: (ctx: Ctx, sink: Utf8Sink) => void;
  /** Per output, where a computed context holds a household-level output's value
   *  (ctx.hs[slot] is outputValue(ctx, i)); -1 for a member output. */
  outputSlots: readonly number[];
  /** `linked`: the results of the policies this one references (引用), evaluated on the same date. */
  evaluate(household: unknown, asOf: string, opts?: EvaluateOptions): EvalResult;
  /** The policies whose results this one reads (引用), in declaration order ([] when none). */
  uses: readonly string[];
  /**
   * A batch's fast path: the household's JSON text (its UTF-8 bytes: all of them, or start..end
   * read in place, not taken when its value does not end there) read straight into compute()'s
   * input (no decoding, no JSON.parse; eval/text-read.ts), computed, and its outputs as the JSON
   * text JSON.stringify gives of evaluate(JSON.parse(text), asOf, { trace: false })'s outputs
   * (written without the object: outputs.ts outputsTextWriter), with the household's id as a batch
   * result names it (its `id` when that is a string, else null). undefined whenever the reader does
   * not take the text, or compute() or the writing throws: the caller then parses and evaluates as
   * before, which gives every error (and throws again where it would).
   * Absent (or undefined) for a policy that reads other policies' results, or without codegen.
   */
  evaluateJson?: (bytes: Uint8Array, asOf: string, start?: number, end?: number) => { id: string | null; outputsJson: string } | undefined;
  /** evaluateJson() of the household whose text starts at `start` in `bytes` and ends where its
   *  value does, whatever follows (a JSON batch's households read one after another in their body,
   *  without a pass to find each one's end first): also the position after it. Absent where evaluateJson is. */
  evaluateJsonAt?: (bytes: Uint8Array, asOf: string, start: number) => { id: string | null; outputsJson: string; end: number } | undefined;
  /** evaluateJson() (end ≥ 0: the household's text is bytes start..end) or evaluateJsonAt() (end < 0)
   *  written as bytes into `sink`: `"id":<the id's JSON>,"outputs":<the outputs' JSON>` (the UTF-8
   *  of those answers' texts, without a string made per household: outputs-bytes.ts). Answers
   *  the position after the household (`end` itself when given), or -1 where those answer
   *  undefined, and then the sink is as it was. Absent where evaluateJson is. */
  evaluateJsonInto?: (bytes: Uint8Array, asOf: string, start: number, end: number, sink: Utf8Sink) => number;
  /** The household with the referenced results carried where prepare()/compute() read them (a
   *  caller that computes directly, e.g. the impact simulation); the household itself when the
   *  policy reads none; the evaluation.unlinked failure when a result is missing or malformed. */
  carry(household: unknown, linked?: Record<string, LinkedResult>): { ok: true; household: unknown } | Extract<EvalResult, { ok: false }>;
  /** JSON Schema of the household this policy reads: the common schema plus the policy's own fields. */
  jsonSchema(): Record<string, unknown>;
  /** What every answer of this policy rests on that no source gives (static: the same for every household). */
  assumptions(): Assumption[];
}

/** 'codegen': the program compiled to JavaScript source (the fast path, codegen.ts); 'closures': a
 *  tree of closures (closures.ts; no `new Function`, for pages whose Content-Security-Policy forbids
 *  it). Both give identical outputs and traces. */
export type CompileMode = 'codegen' | 'closures';
/** Sources longer than this (characters) compile to closures even in 'codegen' mode: generating,
 *  parsing and first running the code is linear but costs ~1.5 s per MB of policy, against
 *  ~0.1–0.3 s for the closures (real policies are 5–30 KB). */
export const CODEGEN_MAX_SOURCE = 256 * 1024;
export interface CompileOptions { mode?: CompileMode }

let defaultMode: CompileMode | undefined;
/** The mode compile() uses when none is given: codegen where `new Function` works, else closures;
 *  the environment variable POLICY_COMPILER=closures|codegen (Node) overrides it, so whole test
 *  suites can run in either mode. */
export function defaultCompileMode(): CompileMode {
  if (defaultMode === undefined) {
    // (read through globalThis: dsl/ compiles without Node's types and runs in a browser worker)
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.['POLICY_COMPILER'];
    defaultMode = env === 'closures' || env === 'codegen' ? env : 'codegen';
  }
  return defaultMode === 'codegen' && !codegenAvailable() ? 'closures' : defaultMode;
}
/** Sets the mode compile() uses when none is given (tests; a host that wants closures everywhere). */
export function setDefaultCompileMode(mode: CompileMode | undefined): void { defaultMode = mode; }

/** What `make` gives, made at the first call (generated code that only some paths run). */
function once<T>(make: () => T): () => T {
  let made = false, value: T | undefined;
  return () => {
    if (!made) { value = make(); made = true; }
    return value as T;
  };
}

/** What evaluateJsonInto writes before the outputs: the id as a batch result names it. */
const ID_KEY = utf8Bytes('"id":'), OUTPUTS_KEY = utf8Bytes(',"outputs":'), NULL_ID = utf8Bytes('"id":null,"outputs":');

export function compile(p: Program, opts: CompileOptions = {}): CompiledPolicy {
  const wanted = opts.mode ?? defaultCompileMode();
  const m = lower(p);
  const { hSize, mStride, nOut, outputSlot } = m.layout;

  // Memo slots: a definition or output is computed at most once per household (per member for
  // member ones). The closures read their body from the arrays filled below (no indirection call).
  const defFns: Fn[] = [], memberDefFns: Fn[] = [], outFns: Fn[] = [];
  const memoH = (slot: number, fns: Fn[], i: number): Fn => (cx) => {
    const v = cx.hs[slot];
    if (v !== UNSET) return v;
    const r = fns[i]!(cx);
    cx.hs[slot] = r;
    return r;
  };
  const memoM = (slot: number, fns: Fn[], i: number): Fn => (cx) => {
    const k = cx.m * mStride + slot;
    const v = cx.ms[k];
    if (v !== UNSET) return v;
    const r = fns[i]!(cx);
    cx.ms[k] = r;
    return r;
  };
  const defMemo = m.defs.map((d, i) => memoH(d.slot, defFns, i));
  const memberDefMemo = m.memberDefs.map((d, i) => memoM(d.slot, memberDefFns, i));
  const outMemo = m.outputs.map((o, i) => (o.level === 'member' ? memoM : memoH)(o.slot, outFns, i));
  const slots: Slots = {
    def: (i, member) => (member ? memberDefMemo[i]! : defMemo[i]!),
    output: (i) => outMemo[i]!,
    param: (i) => p.params[i]!.value,
  };

  // only outputs record the clause that decided them (definitions have no record)
  const recordOf = (i: number, member: boolean) => (member
    ? (cx: Ctx, k: number) => { cx.mdec[cx.m * nOut + i] = k; }
    : (cx: Ctx, k: number) => { cx.dec[i] = k; });
  m.defs.forEach((d, i) => { defFns[i] = compileDecl(d, m, slots, null); });
  m.memberDefs.forEach((d, i) => { memberDefFns[i] = compileDecl(d, m, slots, null); });
  m.outputs.forEach((o, i) => { outFns[i] = compileDecl(o, m, slots, recordOf(i, o.level === 'member')); });
  const outputGetters = outMemo;
  const isMemberOutput = m.outputs.map((o) => o.level === 'member');

  // One context is reused from household to household (no allocation per evaluation): the
  // context compute() returns is valid until the next compute() call on this compiled policy.
  let spare: Ctx | undefined;
  const closureCompute = (h: Record<string, unknown>, asOf: number): Ctx => {
    const mem = (h['members'] as Record<string, unknown>[] | undefined) ?? [];
    const nm = mem.length;
    let cx = spare;
    if (cx === undefined) {
      cx = { h, mem, m: 0, asOf, hs: new Array<unknown>(hSize).fill(UNSET), ms: [], dec: new Array<number>(nOut).fill(-1), mdec: [] };
      spare = cx;
    } else {
      cx.h = h; cx.mem = mem; cx.m = 0; cx.asOf = asOf;
      const hs = cx.hs, dec = cx.dec;
      for (let k = 0; k < hSize; k++) hs[k] = UNSET;
      for (let k = 0; k < nOut; k++) dec[k] = -1;
    }
    const nms = mStride * nm, nmd = nOut * nm;
    const ms = cx.ms, mdec = cx.mdec;
    for (let k = 0; k < nms; k++) ms[k] = UNSET;
    for (let k = 0; k < nmd; k++) mdec[k] = -1;
    for (let i = 0; i < nOut; i++) {
      if (isMemberOutput[i]) { for (let m = 0; m < nm; m++) { cx.m = m; outputGetters[i]!(cx); } cx.m = 0; }
      else outputGetters[i]!(cx);
    }
    return cx;
  };

  // Code generation: the generated code fills a context of the same layout (its own, reused too),
  // so outputValue, evaluate and the trace read both modes alike. Falls back to the closures if
  // the code cannot be built.
  let compute = closureCompute;
  let traceSlots: Slots = slots;
  let mode: CompileMode = 'closures';
  let source: string | undefined;
  if (wanted === 'codegen' && codegenAvailable() && p.ast.range.end.offset <= CODEGEN_MAX_SOURCE) {
    try {
      // packed (not holey) arrays: Array.from, not new Array(n).fill
      const cx: Ctx = { h: {}, mem: [], m: 0, asOf: 0, hs: Array.from({ length: hSize }, () => UNSET as unknown), ms: [], dec: Array.from({ length: nOut }, () => -1), mdec: [] };
      const g = generate(m, cx);
      compute = g.compute;
      traceSlots = { def: (i, member) => (c) => g.def(i, member, c.m), output: slots.output, param: slots.param };
      mode = 'codegen';
      source = g.source;
    } catch {
      // keep the closures
    }
  }

  const outputValue = (cx: Ctx, i: number): unknown => {
    if (!isMemberOutput[i]) return cx.hs[outputSlot[i]!];
    return cx.mem.map((_, m) => cx.ms[m * mStride + outputSlot[i]!]);
  };

  // Valid households take the decoder generated for this schema; anything it does not accept
  // (every invalid household, and valid ones it does not cover) goes through the full decoder,
  // whose errors are the only ones ever reported.
  // (generated at its first use, as the text reader below: the editor compiles the policy again at
  // every edit, and its scenario runner reads through `lean` only)
  const fast = once(() => (mode === 'codegen' ? generateFastDecoder(p.household) : undefined));
  // evaluate() without a trace decodes only what compute() reads: it accepts exactly what `fast`
  // accepts, so a household it refuses goes straight to the full decoder. (Both are generated
  // where a schema allows it at all: every field is checked whatever is kept, fast-decode.ts.)
  const lean = mode === 'codegen' ? generateFastDecoder(p.household, fieldsRead(m)) : undefined;
  const prepare = (household: unknown, opts?: DecodeOptions): { value?: Record<string, unknown>; errors: FieldError[] } => {
    const full = opts?.alsoKnown === undefined ? fast() : undefined;
    if (full !== undefined) {
      const v = full(household, opts?.asOf);
      if (v !== FAIL) return { value: v, errors: [] };
    }
    return decodeHousehold(p.household, household, opts);
  };

  // The outputs' JSON, written by code chosen once from their types (generated in codegen mode).
  const writeOutputs = outputsWriter(p, m.layout, mode === 'codegen');
  const writeText = outputsTextWriter(p, m.layout, mode === 'codegen');
  const writeBytes = outputsBytesWriter(p, m.layout, mode === 'codegen');
  const lastAsOf = { text: '', date: 0 };
  const assumptionsCopy = assumptionsCopier(p);
  const dateOf = (asOfText: string): number | undefined => {
    // a batch evaluates many households on one date: its text is parsed once
    const asOf = asOfText === lastAsOf.text ? lastAsOf.date : parseDate(asOfText);
    if (asOf !== undefined) { lastAsOf.text = asOfText; lastAsOf.date = asOf; }
    return asOf;
  };
  // the text reader keeps what `lean` keeps; a batch result's id is the raw household's `id`
  // when a string, which is the decoded one only when the field is text without a default
  const idField = p.household.fields.find((f) => f.name === 'id');
  const readable = lean !== undefined && (idField === undefined || (idField.type.k === 'text' && idField.default.kind === 'none'));
  // (undefined where `lean` is: generated for the same schema and fields; a batch path called
  // where it is not answers as the reader's refusal does, and its caller evaluates instead)
  const textReader = once(() => (readable ? generateTextReader(p.household, fieldsRead(m)) : undefined));
  /** A household the reader took, computed: its id as a batch result names it and its outputs' text (undefined: compute() or the writing threw). */
  const textAnswer = (h: Record<string, unknown>, asOf: number) => {
    const id = h['id'];
    try {
      const cx = compute(h, asOf);
      return { id: typeof id === 'string' ? id : null, outputsJson: writeText !== undefined ? writeText(cx) : JSON.stringify(writeOutputs(cx)) };
    } catch {
      return undefined;
    }
  };
  const evaluateJson = !readable ? undefined : (bytes: Uint8Array, asOfText: string, start?: number, end?: number) => {
    const asOf = dateOf(asOfText), reader = textReader();
    if (asOf === undefined || reader === undefined) return undefined;
    const h = reader(bytes, asOf, start, end);
    return h === FAIL ? undefined : textAnswer(h, asOf);
  };
  const evaluateJsonAt = !readable ? undefined : (bytes: Uint8Array, asOfText: string, start: number) => {
    const asOf = dateOf(asOfText), reader = textReader();
    if (asOf === undefined || reader === undefined) return undefined;
    const end = reader.at(bytes, asOf, start);
    const r = end < 0 ? undefined : textAnswer(reader.value, asOf);
    return r === undefined ? undefined : { id: r.id, outputsJson: r.outputsJson, end };
  };

  /** A household the reader took, computed and written into `sink` as evaluateJsonInto says (false: compute() or the writing threw, the sink as it was). */
  const answerInto = (h: Record<string, unknown>, asOf: number, sink: Utf8Sink): boolean => {
    const from = sink.n;
    try {
      const cx = compute(h, asOf);
      const id = h['id'];
      if (typeof id === 'string') { sink.put(ID_KEY); sink.jsonString(id); sink.put(OUTPUTS_KEY); } else sink.put(NULL_ID);
      if (writeBytes !== undefined) writeBytes(cx, sink);
      else sink.text(writeText !== undefined ? writeText(cx) : JSON.stringify(writeOutputs(cx)));
      return true;
    } catch {
      sink.n = from;
      return false;
    }
  };
  const evaluateJsonInto = !readable ? undefined : (bytes: Uint8Array, asOfText: string, start: number, end: number, sink: Utf8Sink) => {
    const asOf = dateOf(asOfText), reader = textReader();
    if (asOf === undefined || reader === undefined) return -1;
    let after = end;
    if (end < 0) after = reader.at(bytes, asOf, start);
    else if (reader(bytes, asOf, start, end) === FAIL) after = -1;
    return after >= 0 && answerInto(reader.value, asOf, sink) ? after : -1;
  };

  return withLinks(p, {
    info: p.info, schema: p.household, program: p, mode, source, prepare, compute, outputValue, outputsOf: writeOutputs, outputsInto: writeBytes, outputSlots: outputSlot.map((slot, i) => (isMemberOutput[i] ? -1 : slot)), uses: [], evaluateJson, evaluateJsonAt, evaluateJsonInto,
    carry: (household) => ({ ok: true, household }),
    jsonSchema: () => toJsonSchema(p.household),
    assumptions: () => assumptionsOf(p),
    evaluate(household, asOfText, opts) {
      const trace = Boolean(opts?.trace);   // (no default `{}`: one object less per call)
      const asOf = dateOf(asOfText);
      if (asOf === undefined) return { ok: false, errors: [{ path: 'as_of', message: { zh: `日期 ${String(asOfText).slice(0, 20)} 不存在或格式不对，应为 YYYY-MM-DD`, en: 'as_of must be a real date YYYY-MM-DD' } }] };
      let value = lean !== undefined && !trace ? lean(household, asOf) : FAIL;
      if (value === FAIL) {
        const decoded = trace ? prepare(household, { asOf }) : decodeHousehold(p.household, household, { asOf });
        if (!decoded.value) return { ok: false, errors: decoded.errors };
        value = decoded.value;
      }
      let cx: Ctx;
      try {
        cx = compute(value, asOf);
      } catch (e) {
        if (e instanceof EvalFault) {
          const message = { zh: e.zh, en: e.en };
          return { ok: false, errors: [{ path: `policy:${e.line}`, message }], fault: { line: e.line, message } };
        }
        throw e;
      }
      const outputs = writeOutputs(cx);
      const assumptions = assumptionsCopy();
      if (!trace) return opts?.decided ? { ok: true, outputs, assumptions, decided: decidedBy(m, cx) } : { ok: true, outputs, assumptions };
      return { ok: true, outputs, assumptions, trace: buildTrace(m, cx, traceSlots) };
    },
  });
}
