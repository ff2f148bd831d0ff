// The explanation trace: for every output, the rule or exception that decided it (with its
// citation and place in the source), the parameters, definitions and other outputs it used
// with their values, and the household fields it read.
import type { Program, SchemaInfo, FieldInfo, Type } from './types.js';
import type { Range } from './diagnostics.js';
import { type Ctx, UNSET } from './compiler/context.js';
import type { Slots } from './compiler/expr.js';
import { toJson, type Json } from './values.js';
import { fieldTypeToType } from './checker/index.js';

export interface DecidedBy { kind: 'rule' | 'exception' | 'otherwise' | 'expression'; name: string | null; sources: string[]; range: Range }
export interface TraceEntry {
  output: string; label: string | null; value: Json;
  decidedBy: DecidedBy;
  members?: { member: string; value: Json; decidedBy: DecidedBy }[];
  definitions: { name: string; label: string | null; kind: 'parameter' | 'definition' | 'output'; value: Json; member?: string }[];
  inputs: { path: string; value: Json }[];
}

interface Layout { outputSlot: number[]; mStride: number; nOut: number; defFns: Slots }

export function buildTrace(p: Program, cx: Ctx, layout: Layout): TraceEntry[] {
  const safe = (f: () => unknown): unknown => { try { return f(); } catch { return null; } };
  const nDefs = p.defs.length;
  const defValue = (i: number) => { const v = cx.hs[i]; return v === UNSET ? safe(() => layout.defFns.def(i, false)(cx)) : v; };
  const memberDefValue = (i: number, m: number) => {
    const v = cx.ms[m * layout.mStride + i];
    if (v !== UNSET) return v;
    const saved = cx.m; cx.m = m;
    const r = safe(() => layout.defFns.def(i, true)(cx));
    cx.m = saved; return r;
  };
  void nDefs;
  const memberId = (m: number) => String(cx.mem[m]!['id'] ?? m);

  return p.outputs.map((o, i) => {
    const decided = (k: number): DecidedBy => {
      const body = o.decl.body;
      if (body.kind === 'Expr') return { kind: 'expression', name: o.decl.name.text, sources: o.decl.sources.map((s) => s.text), range: o.decl.range };
      if (k >= 0) {
        const r = body.rules[k]!;
        return { kind: r.kind, name: r.name.text, sources: r.sources.map((s) => s.text), range: r.range };
      }
      const cites = body.otherwiseSources.length ? body.otherwiseSources : o.decl.sources;
      return { kind: 'otherwise', name: null, sources: cites.map((s) => s.text), range: body.otherwiseRange ?? o.decl.range };
    };
    const entry: TraceEntry = {
      output: o.decl.name.text, label: o.decl.label, value: null,
      decidedBy: decided(cx.dec[i] ?? -1), definitions: [], inputs: [],
    };
    if (!o.decl.member) entry.value = toJson(cx.hs[layout.outputSlot[i]!], o.type);
    else {
      entry.members = cx.mem.map((_, m) => ({
        member: memberId(m),
        value: toJson(cx.ms[m * layout.mStride + layout.outputSlot[i]!], o.type),
        decidedBy: decided(cx.mdec[m * layout.nOut + i] ?? -1),
      }));
      const per: Record<string, Json> = {};
      for (const x of entry.members) per[x.member] = x.value;
      entry.value = per;
      if (entry.members[0]) entry.decidedBy = entry.members[0].decidedBy;
    }
    for (const pi of [...o.deps.params].sort((a, b) => a - b)) {
      const prm = p.params[pi]!;
      entry.definitions.push({ name: prm.decl.name.text, label: prm.decl.label, kind: 'parameter', value: toJson(prm.value, prm.type) });
    }
    for (const oi of [...o.deps.outputs].sort((a, b) => a - b)) {
      const other = p.outputs[oi]!;
      if (other.decl.member) continue;
      entry.definitions.push({ name: other.decl.name.text, label: other.decl.label, kind: 'output', value: toJson(cx.hs[layout.outputSlot[oi]!], other.type) });
    }
    for (const di of [...o.deps.defs].sort((a, b) => a - b)) {
      const d = p.defs[di]!;
      entry.definitions.push({ name: d.decl.name.text, label: d.decl.label, kind: 'definition', value: toJson(defValue(di), d.type) });
    }
    for (const di of [...o.deps.memberDefs].sort((a, b) => a - b)) {
      const d = p.memberDefs[di]!;
      cx.mem.forEach((_, m) => entry.definitions.push({ name: d.decl.name.text, label: d.decl.label, kind: 'definition', value: toJson(memberDefValue(di, m), d.type), member: memberId(m) }));
    }
    for (const path of [...o.deps.inputs].sort()) {
      if (path.startsWith('household.')) {
        const names = path.slice('household.'.length).split('.');
        const chain = fieldChain(p.household, names);
        const raw = names.reduce<unknown>((x, n) => (x as Record<string, unknown> | null)?.[n] ?? null, cx.h);
        entry.inputs.push({ path, value: chain ? inputJson(raw, chain) : null });
      } else {
        const names = path.slice('members[].'.length).split('.');
        const memberSchema = p.household.fields.find((f) => f.type.k === 'list');
        const chain = memberSchema && memberSchema.type.k === 'list' ? fieldChain(memberSchema.type.of, names) : undefined;
        cx.mem.forEach((mm, m) => {
          const raw = names.reduce<unknown>((x, n) => (x as Record<string, unknown> | null)?.[n] ?? null, mm);
          entry.inputs.push({ path: `members[${m}].${names.join('.')}`, value: chain ? inputJson(raw, chain) : null });
        });
      }
    }
    return entry;
  });
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

function inputJson(raw: unknown, chain: FieldInfo[]): Json {
  const f = chain[chain.length - 1]!;
  if (f.type.k === 'record' || f.type.k === 'list') return null;
  const t: Type = fieldTypeToType(f.type, f.nullable);
  return toJson(raw, t);
}
