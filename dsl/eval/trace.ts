// The explanation trace: for every output, the rule or exception that decided it (with its
// citation and place in the source), the parameters, definitions and other outputs it used
// with their values, and the household fields it read.
import type { Program, SchemaInfo, FieldInfo, Type } from '../check/types.js';
import type { Range } from '../base/diagnostics.js';
import { type Ctx, UNSET } from '../backends/context.js';
import type { Slots } from '../backends/closures.js';
import type { Middle } from '../middle/index.js';
import { toJson, jsonMap, type Json } from './values.js';
import { fieldTypeToType } from '../check/index.js';
import type { LinkedValue } from '../link/evaluate.js';
import { buildDerivations, type Derivation } from './derivation.js';
import { yuanText } from './yuan-text.js';
import { frozenCopy } from './frozen.js';
import type { Num } from '../base/money.js';

/** toJson, with money texts remembered (yuan-text.ts): most of a trace's values are money. */
const json = (v: unknown, t: Type): Json => (t.k === 'money' && v !== null && v !== undefined ? yuanText(v as Num) : toJson(v, t));

export interface DecidedBy { kind: 'rule' | 'exception' | 'otherwise' | 'expression'; name: string | null; sources: string[]; range: Range }
export interface TraceEntry {
  output: string; label: string | null; value: Json;
  decided_by: DecidedBy;
  members?: { member: string; value: Json; decided_by: DecidedBy }[];
  definitions: { name: string; label: string | null; kind: 'parameter' | 'definition' | 'output'; value: Json; member?: string }[];
  inputs: { path: string; value: Json }[];
  /** The referenced policies' values it used (引用), with what decided them there. */
  linked?: LinkedValue[];
  /** The derivation: the deciding rule, the formula with labels and with values, the result,
   *  and the same for every name it used (eval/derivation.ts). */
  derivation?: Derivation;
}

/** The trace of a computed context; `defFns` computes a definition the evaluation did not need. */
export function buildTrace(mf: Middle, cx: Ctx, defFns: Slots): TraceEntry[] {
  const p = mf.program, layout = mf.layout;
  const safe = (f: () => unknown): unknown => { try { return f(); } catch { return null; } };
  const defValue = (i: number) => { const v = cx.hs[mf.defs[i]!.slot]; return v === UNSET ? safe(() => defFns.def(i, false)(cx)) : v; };
  const memberDefValue = (i: number, m: number) => {
    const v = cx.ms[m * layout.mStride + mf.memberDefs[i]!.slot];
    if (v !== UNSET) return v;
    const saved = cx.m; cx.m = m;
    const r = safe(() => defFns.def(i, true)(cx));
    cx.m = saved; return r;
  };
  const memberId = (m: number) => String(cx.mem[m]!['id'] ?? m);

  const plan = planOf(mf);
  const shared = new SharedEntries(cx, layout.outputSlot, defValue, memberDefValue, memberId);
  const derivations = buildDerivations(mf, cx, defFns);
  return p.outputs.map((o, i) => {
    const op = plan[i]!;
    const entry: TraceEntry = {
      output: o.decl.name.text, label: o.decl.label, value: null,
      decided_by: op.decided(decidingClause(cx, i, o.decl.member)), definitions: [], inputs: [],
    };
    if (!o.decl.member) entry.value = json(cx.hs[layout.outputSlot[i]!], o.type);
    else {
      entry.members = cx.mem.map((_, m) => ({
        member: memberId(m),
        value: json(cx.ms[m * layout.mStride + layout.outputSlot[i]!], o.type),
        decided_by: op.decided(cx.mdec[m * layout.nOut + i] ?? -1),
      }));
      const per = jsonMap();
      for (const x of entry.members) per[x.member] = x.value;
      entry.value = per;
    }
    const defs = entry.definitions;
    for (const d of op.params) defs.push(d);
    for (const x of op.outputs) defs.push(shared.output(x));
    for (const x of op.defs) defs.push(shared.def(x));
    for (const x of op.memberDefs) for (let m = 0; m < cx.mem.length; m++) defs.push(shared.memberDef(x, m));
    for (const x of op.householdInputs) entry.inputs.push(shared.householdInput(x));
    for (const x of op.memberInputs) for (let m = 0; m < cx.mem.length; m++) entry.inputs.push(shared.memberInput(x, m));
    entry.derivation = derivations[i];
    return entry;
  });
}

/**
 * The clause that decided output i (an index into its rules' clauses, -1 for 否则 or one
 * expression): a member output's is its first member's, as its trace entry shows it (a
 * household without members: the household-level record, which stays -1).
 */
function decidingClause(cx: Ctx, i: number, member: boolean): number {
  // (the first member's record is mdec[0 * nOut + i])
  return (member && cx.mem.length > 0 ? cx.mdec[i] : cx.dec[i]) ?? -1;
}

/** What decided each output of a computed context (the `decided_by` of buildTrace's entries, the
 *  same frozen objects), without building the trace: the scenario runner compares only these. */
export function decidedBy(mf: Middle, cx: Ctx): DecidedBy[] {
  const deciders = decidersOf(mf);
  return mf.program.outputs.map((o, i) => deciders[i]!(decidingClause(cx, i, o.decl.member)));
}

type Definition = TraceEntry['definitions'][number];
type Input = TraceEntry['inputs'][number];
type Named = { index: number; name: string; label: string | null; type: Type };

/**
 * The definitions and inputs of one answer's entries, each made once and the same object in
 * every entry that lists it (most outputs list 人均收入, each member's 本人可计收入, the members'
 * incomes): its value worked out once, and its JSON text written once (trace-json.ts).
 */
class SharedEntries {
  private outputs: Definition[] = [];
  private defs: Definition[] = [];
  private memberDefs: Definition[][] = [];
  private householdInputs = new Map<string, Input>();
  private memberInputs = new Map<string, Input[]>();
  constructor(private cx: Ctx, private outputSlot: readonly number[], private defValue: (i: number) => unknown, private memberDefValue: (i: number, m: number) => unknown, private memberId: (m: number) => string) {}

  output(x: Named): Definition {
    return (this.outputs[x.index] ??= { name: x.name, label: x.label, kind: 'output', value: json(this.cx.hs[this.outputSlot[x.index]!], x.type) });
  }
  def(x: Named): Definition {
    return (this.defs[x.index] ??= { name: x.name, label: x.label, kind: 'definition', value: json(this.defValue(x.index), x.type) });
  }
  memberDef(x: Named, m: number): Definition {
    const byMember = (this.memberDefs[x.index] ??= []);
    return (byMember[m] ??= { name: x.name, label: x.label, kind: 'definition', value: json(this.memberDefValue(x.index, m), x.type), member: this.memberId(m) });
  }
  householdInput(x: OutputPlan['householdInputs'][number]): Input {
    let e = this.householdInputs.get(x.path);
    if (!e) {
      const raw = x.names.reduce<unknown>((v, n) => (v as Record<string, unknown> | null)?.[n] ?? null, this.cx.h);
      e = { path: x.path, value: x.type ? json(raw, x.type) : null };
      this.householdInputs.set(x.path, e);
    }
    return e;
  }
  memberInput(x: OutputPlan['memberInputs'][number], m: number): Input {
    let byMember = this.memberInputs.get(x.suffix);
    if (!byMember) { byMember = []; this.memberInputs.set(x.suffix, byMember); }
    let e = byMember[m];
    if (!e) {
      const raw = x.names.reduce<unknown>((v, n) => (v as Record<string, unknown> | null)?.[n] ?? null, this.cx.mem[m]);
      e = byMember[m] = { path: `members[${m}].${x.suffix}`, value: x.type ? json(raw, x.type) : null };
    }
    return e;
  }
}

// What the trace of each output reads, worked out once per program: the dependencies in order,
// their names and types, the field chains of the inputs and the constant parts (parameters,
// the deciding clause's citation), so that a traced evaluation only reads values.
interface OutputPlan {
  decided(k: number): DecidedBy;
  params: TraceEntry['definitions'];
  outputs: { index: number; name: string; label: string | null; type: Type }[];
  defs: { index: number; name: string; label: string | null; type: Type }[];
  memberDefs: { index: number; name: string; label: string | null; type: Type }[];
  householdInputs: { path: string; names: string[]; type: Type | null }[];
  memberInputs: { suffix: string; names: string[]; type: Type | null }[];
}
const plans = new WeakMap<Middle, OutputPlan[]>();
function planOf(mf: Middle): OutputPlan[] {
  let plan = plans.get(mf);
  if (plan) return plan;
  const p = mf.program;
  const memberField = p.household.fields.find((f) => f.type.k === 'list');
  const memberSchema = memberField && memberField.type.k === 'list' ? memberField.type.of : undefined;
  const inputType = (chain: FieldInfo[] | undefined): Type | null => {
    const f = chain?.[chain.length - 1];
    return !f || f.type.k === 'record' || f.type.k === 'list' ? null : fieldTypeToType(f.type, f.nullable);
  };
  const sorted = (xs: Set<number>) => [...xs].sort((a, b) => a - b);
  const deciders = decidersOf(mf);
  plan = p.outputs.map((o, oi) => {
    const paths = [...o.deps.inputs].sort();
    return {
      decided: deciders[oi]!,
      params: sorted(o.deps.params).map((pi) => {
        const prm = p.params[pi]!;
        return frozenCopy({ name: prm.decl.name.text, label: prm.decl.label, kind: 'parameter' as const, value: json(prm.value, prm.type) });
      }),
      outputs: sorted(o.deps.outputs).filter((oi) => !p.outputs[oi]!.decl.member).map((oi) => ({ index: oi, name: p.outputs[oi]!.decl.name.text, label: p.outputs[oi]!.decl.label, type: p.outputs[oi]!.type })),
      defs: sorted(o.deps.defs).map((di) => ({ index: di, name: p.defs[di]!.decl.name.text, label: p.defs[di]!.decl.label, type: p.defs[di]!.type })),
      memberDefs: sorted(o.deps.memberDefs).map((di) => ({ index: di, name: p.memberDefs[di]!.decl.name.text, label: p.memberDefs[di]!.decl.label, type: p.memberDefs[di]!.type })),
      householdInputs: paths.filter((x) => x.startsWith('household.')).map((path) => {
        const names = path.slice('household.'.length).split('.');
        return { path, names, type: inputType(fieldChain(p.household, names)) };
      }),
      memberInputs: paths.filter((x) => !x.startsWith('household.')).map((path) => {
        const names = path.slice('members[].'.length).split('.');
        return { suffix: names.join('.'), names, type: memberSchema ? inputType(fieldChain(memberSchema, names)) : null };
      }),
    };
  });
  plans.set(mf, plan);
  return plan;
}

/** Per output, the DecidedBy of a clause index (decidingClause's), worked out once per program. */
type Decider = (k: number) => DecidedBy;
const decidersByMiddle = new WeakMap<Middle, Decider[]>();
function decidersOf(mf: Middle): Decider[] {
  let deciders = decidersByMiddle.get(mf);
  if (deciders) return deciders;
  deciders = mf.outputs.map((d): Decider => {
    const body = d.body;
    // frozen copies: the same for every household (shared by every answer, written once: trace-json.ts)
    const expression: DecidedBy = frozenCopy({ kind: 'expression', name: d.name, sources: d.citations, range: d.range });
    const clauses: DecidedBy[] = body.kind === 'rules' ? body.clauses.map((c) => frozenCopy({ kind: c.kind, name: c.name, sources: c.citations, range: c.range })) : [];
    const otherwise: DecidedBy | null = body.kind === 'rules'
      ? frozenCopy({ kind: 'otherwise', name: null, sources: body.otherwiseCitations, range: body.otherwiseRange })
      : null;
    return (k) => (body.kind === 'expr' ? expression : k >= 0 ? clauses[k]! : otherwise!);
  });
  decidersByMiddle.set(mf, deciders);
  return deciders;
}

function fieldChain(s: SchemaInfo, names: string[]): FieldInfo[] | undefined {
  const chain: FieldInfo[] = [];
  let cur: SchemaInfo | undefined = s;
  for (const n of names) {
    const f: FieldInfo | undefined = cur?.fields.find((x) => x.name === n);
    if (!f) return undefined;
    chain.push(f);
    cur = f.type.k === 'record' ? f.type.of : undefined;
  }
  return chain;
}
