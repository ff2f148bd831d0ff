// Lowering a checked Program to the middle form (form.ts), once per Program: memo slots and
// levels, each body's clauses in priority order with their citations, what every name reads,
// the declarations in dependency order, constants folded.
import type * as A from '../syntax/ast.js';
import type { Program } from '../check/types.js';
import { constantValue } from '../check/constants.js';
import { div, mul, Ratio } from '../base/money.js';
import { ruleOrder } from './rule-order.js';
import type { Middle, Decl, Body, Layout, Read } from './form.js';

const lowered = new WeakMap<Program, Middle>();

export function lower(p: Program): Middle {
  let m = lowered.get(p);
  if (!m) { m = build(p); lowered.set(p, m); }
  return m;
}

function layoutOf(p: Program): Layout {
  const nDefs = p.defs.length, nMemberDefs = p.memberDefs.length;
  let nh = 0, nm = 0;
  const outputSlot = p.outputs.map((o) => (o.decl.member ? nMemberDefs + nm++ : nDefs + nh++));
  return { hSize: nDefs + nh, mStride: nMemberDefs + nm, nOut: p.outputs.length, outputSlot };
}

function bodyOf(p: Program, b: A.Body, decl: A.DefDecl | A.OutputDecl): Body {
  if (b.kind === 'Expr') return { kind: 'expr', expr: b.expr };
  const { overriddenBy, order } = ruleOrder(b.rules, p.overrides);
  return {
    kind: 'rules',
    clauses: b.rules.map((r, index) => ({
      index, kind: r.kind, name: r.name.text, line: r.range.start.line, range: r.range, nameRange: r.name.range, targets: r.overrides, when: r.when, then: r.then,
      citations: r.sources.map((s) => s.text), overriddenBy: overriddenBy[index]!,
    })),
    order,
    otherwise: b.otherwise,
    otherwiseCitations: (b.otherwiseSources.length ? b.otherwiseSources : decl.sources).map((s) => s.text),
    otherwiseRange: b.otherwiseRange ?? decl.range,
  };
}

function build(p: Program): Middle {
  const layout = layoutOf(p);
  const decl = (kind: Decl['kind'], index: number, d: A.DefDecl | A.OutputDecl, type: Decl['type'], slot: number): Decl => ({
    kind, index, name: d.name.text, label: d.label, labelEn: d.labelEn ?? null, level: d.member ? 'member' : 'household', slot, type,
    body: bodyOf(p, d.body, d), citations: d.sources.map((s) => s.text), range: d.range, nameRange: d.name.range, uses: [],
  });
  const defs = p.defs.map((d, i) => decl('def', i, d.decl, d.type, i));
  const memberDefs = p.memberDefs.map((d, i) => decl('def', i, d.decl, d.type, i));
  const outputs = p.outputs.map((o, i) => decl('output', i, o.decl, o.type, layout.outputSlot[i]!));
  const m: Middle = { program: p, layout, defs, memberDefs, outputs, sorted: [], constants: new Map(), reads: new Map() };
  for (const d of [...defs, ...memberDefs, ...outputs]) visitBody(d.body, (e) => annotate(m, d, e));
  m.sorted = topological([...defs, ...memberDefs, ...outputs]);
  return m;
}

function visitBody(b: Body, f: (e: A.Expr) => void): void {
  if (b.kind === 'expr') { visit(b.expr, f); return; }
  for (const c of b.clauses) { visit(c.when, f); visit(c.then, f); }
  if (b.otherwise) visit(b.otherwise, f);
}

/** Every expression under e, e first (an explicit stack: expressions can nest deeply). */
function visit(e: A.Expr, f: (e: A.Expr) => void): void {
  const stack = [e];
  while (stack.length) {
    const x = stack.pop()!;
    f(x);
    switch (x.kind) {
      case 'List': stack.push(...x.items); break;
      case 'Unary': stack.push(x.arg); break;
      case 'Binary': stack.push(x.right, x.left); break;
      case 'If': stack.push(x.else, x.then, x.cond); break;
      case 'Call': stack.push(...[...x.args].reverse()); break;
      case 'Aggregate': if (x.where) stack.push(x.where); if (x.arg) stack.push(x.arg); break;
      case 'Tier':
        if (x.otherwise) stack.push(x.otherwise);
        for (let i = x.brackets.length - 1; i >= 0; i--) {
          const b = x.brackets[i]!;
          stack.push(b.result);
          if (b.upper) stack.push(b.upper.value);
          if (b.lower) stack.push(b.lower.value);
        }
        stack.push(x.subject);
        break;
      default: break;
    }
  }
}

function annotate(m: Middle, owner: Decl, e: A.Expr): void {
  const p = m.program;
  const k = constantOf(m, e);
  if (k !== undefined) m.constants.set(e, k);
  if (e.kind !== 'Ref' && e.kind !== 'Field') return;
  const r = p.resolutions.get(e);
  let read: Read | undefined;
  switch (r?.kind) {
    case 'param': read = { kind: 'param', index: r.index }; break;
    case 'enum': read = { kind: 'enum', value: r.value }; break;
    case 'householdField': case 'memberField': read = { kind: r.kind, fields: r.fields }; break;
    case 'def': case 'output': {
      const d = r.kind === 'output' ? m.outputs[r.index]! : (r.member ? m.memberDefs : m.defs)[r.index]!;
      read = { kind: 'decl', decl: d };
      if (!owner.uses.includes(d)) owner.uses.push(d);
      break;
    }
    default: break;
  }
  if (read) m.reads.set(e, read);
}

/** The folded value of e when known at compile time (see Middle.constants). */
function constantOf(m: Middle, e: A.Expr): { v: unknown } | undefined {
  const p = m.program;
  switch (e.kind) {
    case 'Number': case 'Money': case 'Percent': case 'Date': case 'Text': case 'Bool': case 'None': {
      const r = p.resolutions.get(e);
      return { v: r?.kind === 'enum' ? r.value : constantValue(e) ?? null };
    }
    case 'Ref': {
      const r = p.resolutions.get(e);
      if (r?.kind === 'param') return { v: p.params[r.index]!.value };
      if (r?.kind === 'enum') return { v: r.value };
      return undefined;
    }
    case 'Call': {
      // 按月(农村低保标准): an amount known when compiling, divided once here
      if (e.fn !== 'monthly' && e.fn !== 'yearly') return undefined;
      const a = e.args[0] ? constantOf(m, e.args[0]) : undefined;
      const v = a?.v;
      if (typeof v !== 'number' && !(v instanceof Ratio)) return undefined;
      return { v: e.fn === 'monthly' ? div(v, 12) : mul(v, 12) };
    }
    default: return undefined;
  }
}

/** The declarations, each after those it uses (depth-first, an explicit stack; a checked
 *  program has no cycles). */
function topological(all: Decl[]): Decl[] {
  const out: Decl[] = [];
  const state = new Map<Decl, number>(); // 1 entered, 2 placed
  for (const root of all) {
    if (state.has(root)) continue;
    const stack: [Decl, number][] = [[root, 0]];
    state.set(root, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const next = top[0].uses[top[1]++];
      if (next !== undefined) {
        if (!state.has(next)) { state.set(next, 1); stack.push([next, 0]); }
        continue;
      }
      stack.pop();
      state.set(top[0], 2);
      out.push(top[0]);
    }
  }
  return out;
}
