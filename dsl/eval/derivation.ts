// Explanations as derivations: for each output, the rule that decided it, its formula written
// with the policy's labels, the same formula with the household's values put in, and the result;
// then, expandable, the same for every name the deciding path used (definitions, parameters,
// household data), down to the household's own figures. Rendered from the middle form's bodies
// (clauses in priority order, citations) and the AST, so it works for every policy; values are
// read from the evaluated context, sub-expressions (人数(成员), 合计(…)) evaluated by the
// closures backend on the same context. Chinese math text: × ÷ − +, percentages as %.
import type * as A from '../syntax/ast.js';
import type { Type, FieldInfo } from '../check/types.js';
import type { Range } from '../base/diagnostics.js';
import type { Ctx, Fn } from '../backends/context.js';
import { UNSET } from '../backends/context.js';
import { compileExpr, type Slots } from '../backends/closures.js';
import type { Middle, Decl } from '../middle/index.js';
import { words, precedence } from '../syntax/formatter.js';
import { showValue, type Bilingual } from './show-value.js';
import { frozenCopy } from './frozen.js';

export type { Bilingual } from './show-value.js';

export interface DerivationRule {
  kind: 'rule' | 'exception' | 'otherwise';
  /** The rule's or exception's name; null for 否则 and for a declaration that is one expression. */
  name: string | null;
  /** "规则「差额补助」" / 'rule "差额补助"'. */
  text: Bilingual;
  /** The clause's condition (当 … 时) with the values put in, and whether it held. */
  condition?: { formula: Bilingual; values: Bilingual; result: Bilingual };
  line: number;
  /** Where the clause (and its 依据) is written in the policy. */
  range: Range;
}

/** A derivation node. Its keys come in the order decl() (and unshared()'s stub) set them: the
 *  runtime's answers are written by their shape in that order (trace-json.ts: shapedNode, checked
 *  against JSON.stringify for every shipped version in test/dsl/trace-json.test.ts). */
export interface DerivationNode {
  /** The identifier (stable, for tools and tests); people read `label`. */
  name: string;
  kind: 'output' | 'definition' | 'parameter' | 'input';
  label: Bilingual;
  /** The member it is about, for member-level definitions and member fields. */
  member?: string;
  value: Bilingual;
  /** The rule, exception or 否则 that decided a declaration written as rules (absent when the
   *  declaration is one expression). */
  rule?: DerivationRule;
  /** The deciding expression with labels, and with values. */
  formula?: Bilingual;
  values?: Bilingual;
  /** Conditions of 如果 … 那么 … 否则 on the path taken, each with its values and result. */
  conditions?: { formula: Bilingual; values: Bilingual; result: Bilingual }[];
  /** The one line: 月保障金额 = 舍入到分(265.775 × 2 + …) = 584.71 元. */
  text: Bilingual;
  /** 依据: the citations of the deciding clause (or of the parameter). */
  sources: string[];
  /** Where the definition, output or parameter is declared (absent for household data). */
  range?: Range;
  /** The names the deciding path used, each derived the same way. */
  uses: DerivationNode[];
  /** Derived in full earlier in the same output's tree: here only its line (`uses` empty). */
  repeated?: true;
  /** Past MAX_NODES nodes in the output's tree: its line only (any sub-derivations left out). */
  truncated?: true;
}

export interface Derivation extends DerivationNode {
  /** Per member, for member outputs (the node itself is the first member's). */
  members?: DerivationNode[];
}

type Lang = 0 | 1;
const both = (f: (l: Lang) => string): Bilingual => ({ zh: f(0), en: f(1) });
const w = (k: string, l: Lang): string => words[k]?.[l] ?? k;
const ops: Record<string, [string, string]> = {
  '+': ['+', '+'], '-': ['−', '−'], '*': ['×', '×'], '/': ['÷', '÷'], '<': ['<', '<'], '<=': ['≤', '≤'], '>': ['>', '>'], '>=': ['≥', '≥'],
  '=': ['=', '='], '!=': ['≠', '≠'], and: ['并且', 'and'], or: ['或者', 'or'], in: ['属于', 'in'],
};
/** Sub-derivations deeper than this are not expanded (a policy's names rarely nest past 6). */
const MAX_DEPTH = 12;

const compiledBySlots = new WeakMap<Slots, Map<A.Expr, Fn>>();
const formulas = new WeakMap<A.Expr, Bilingual>();
/** Parameter nodes by parameter index, per compiled policy (Deriver.param). */
const paramNodes = new WeakMap<Middle, DerivationNode[]>();
const fieldLabels = new WeakMap<FieldInfo[], Bilingual>();
const declLabels = new WeakMap<Decl, Bilingual>();
const inputNames = new WeakMap<object, string>();
/** Per compiled policy and frozen, like the labels: a range or citation list as the nodes give
 *  it, a clause's rule line, the 否则 rule, the result of a condition (是 / 否). Frozen parts
 *  are shared by every answer and their JSON text made once (trace-json.ts). */
const ranges = new WeakMap<Range, Range>();
const citationLists = new WeakMap<readonly string[], string[]>();
const ruleTexts = new WeakMap<object, Bilingual>();
const otherwiseRules = new WeakMap<object, DerivationRule>();
const conditionResults: Bilingual[] = [];
/** Input nodes by the compiled read (Deriver.input), then member id and value. */
const inputNodes = new WeakMap<object, Map<string, DerivationNode>>();
const INPUT_NODES_MAX = 4096;

/** The range, frozen (a copy, key for key: the compiled policy's own is not ours to freeze), once per range. */
function frozenRange(r: Range): Range {
  let f = ranges.get(r);
  if (!f) { f = frozenCopy(r); ranges.set(r, f); }
  return f;
}
/** The citations, frozen (a copy), once per list. */
function frozenCitations(list: readonly string[]): string[] {
  let f = citationLists.get(list);
  if (!f) { f = frozenCopy(list) as string[]; citationLists.set(list, f); }
  return f;
}
/** 是 / 否 as a condition's result. */
function conditionResult(held: boolean): Bilingual {
  const i = held ? 1 : 0;
  return (conditionResults[i] ??= Object.freeze(showValue(held, { k: 'bool' }, 'exact')));
}

/** The derivation of every output of an evaluated context. */
export function buildDerivations(mf: Middle, cx: Ctx, slots: Slots): Derivation[] {
  const d = new Deriver(mf, cx, slots);
  const stubs = new Map<DerivationNode, DerivationNode>();
  const seen: Seen = { output: new Map(), current: 0, count: 0 };
  return mf.outputs.map((o, i) => {
    const x = d.output(o);
    seen.current = i + 1; seen.count = 0;
    const tree: Derivation = unshared(x, seen, stubs);
    if (x.members) tree.members = x.members.map((m) => unshared(m, seen, stubs));
    return tree;
  });
}

/** The nodes given in full so far, for every output of one evaluation at once: each node's
 *  last output (1-based) rather than a Set per output, since the outputs share most of their
 *  nodes and a Set built afresh per output grows (and rehashes) through them all again. */
interface Seen { output: Map<DerivationNode, number>; current: number; count: number }

/** Nodes given in full per output: past them a name is its one line (`truncated`), so that a
 *  household of many members or a policy of many names cannot make the trace unbounded. */
export const MAX_NODES = 400;

/** The tree with each sub-derivation in full once: where a name is used again (整户符合 under
 *  every member's 单人户) it is its one line, marked `repeated`, so that the trace stays small.
 *  A node whose sub-derivations all come out as they are is itself the answer (no copy: most
 *  of a tree is copied otherwise, and nothing writes to a node once it is built); `stubs` holds
 *  each node's `repeated` line, the same for every output of one evaluation. */
function unshared(n: DerivationNode, seen: Seen, stubs: Map<DerivationNode, DerivationNode>): DerivationNode {
  const again = seen.output.get(n) === seen.current;
  if (again || seen.count >= MAX_NODES) {
    if (again) { const known = stubs.get(n); if (known) return known; }
    const stub: DerivationNode = { name: n.name, kind: n.kind, label: n.label, value: n.value, text: n.text, sources: [], uses: [] };
    if (again) stub.repeated = true; else stub.truncated = true;
    if (n.member !== undefined) stub.member = n.member;
    if (again) stubs.set(n, stub);
    return stub;
  }
  seen.output.set(n, seen.current); seen.count++;
  const uses = n.uses;
  let copy: DerivationNode[] | undefined;
  for (let i = 0; i < uses.length; i++) {
    const u = unshared(uses[i]!, seen, stubs);
    if (u !== uses[i] && !copy) copy = uses.slice(0, i);
    if (copy) copy.push(u);
  }
  return copy ? { ...n, uses: copy } : n;
}

class Deriver {
  private fns: Map<A.Expr, Fn>;
  /** Each name's node once per answer, by what it is (a declaration, a field path's name) then
   *  member (0: household level, m + 1: member m): keys that are already made, not strings
   *  joined and hashed per lookup. */
  private memo = new Map<object | string, DerivationNode[]>();
  private memoOf(key: object | string): DerivationNode[] {
    let byMember = this.memo.get(key);
    if (!byMember) { byMember = []; this.memo.set(key, byMember); }
    return byMember;
  }
  /** shown()'s values by expression, then member (0: household level, m + 1: member m). */
  private shownValues = new Map<A.Expr, Bilingual[]>();
  constructor(private mf: Middle, private cx: Ctx, private slots: Slots) {
    let fns = compiledBySlots.get(slots);
    if (!fns) { fns = new Map(); compiledBySlots.set(slots, fns); }
    this.fns = fns;
  }

  output(o: Decl): Derivation {
    if (o.level === 'household') return this.decl(o, null, 0);
    const members = this.cx.mem.map((_, m) => this.decl(o, m, 0));
    return { ...(members[0] ?? this.decl(o, null, 0)), members };
  }

  // ── values ────────────────────────────────────────────────────────────────────────────────
  private type(e: A.Expr): Type | undefined { return this.mf.program.types.get(e); }
  private eval(e: A.Expr, member: number | null): unknown {
    let fn = this.fns.get(e);
    if (!fn) { fn = compileExpr(e, this.mf, this.slots); this.fns.set(e, fn); }
    const saved = this.cx.m;
    if (member !== null) this.cx.m = member;
    try { return fn(this.cx); } catch { return null; } finally { this.cx.m = saved; }
  }
  private declValue(d: Decl, member: number | null): unknown {
    const cx = this.cx;
    const v = d.level === 'household' ? cx.hs[d.slot] : cx.ms[(member ?? 0) * this.mf.layout.mStride + d.slot];
    if (v !== UNSET) return v;
    const saved = cx.m;
    if (member !== null) cx.m = member;
    try {
      return d.kind === 'output' ? this.slots.output(d.index)(cx) : this.slots.def(d.index, d.level === 'member')(cx);
    } catch { return null; } finally { cx.m = saved; }
  }
  private memberId(m: number): string { return String(this.cx.mem[m]?.['id'] ?? m); }

  // ── labels ────────────────────────────────────────────────────────────────────────────────
  private astDecl(d: Decl): A.DefDecl | A.OutputDecl {
    const p = this.mf.program;
    return d.kind === 'output' ? p.outputs[d.index]!.decl : d.level === 'member' ? p.memberDefs[d.index]!.decl : p.defs[d.index]!.decl;
  }
  private labelOf(name: string, label: string | null | undefined, labelEn: string | null | undefined): Bilingual {
    return { zh: label ?? name, en: labelEn ?? label ?? name };
  }
  /** A field path's label: the same for every household, so made once per path (`fields` is
   *  the compiled policy's own array for each read) and frozen. */
  private fieldLabel(fields: FieldInfo[]): Bilingual {
    let b = fieldLabels.get(fields);
    if (!b) {
      const f = fields[fields.length - 1]!;
      b = Object.freeze(this.labelOf(fields.map((x) => x.name).join('.'), f.label, f.labelEn));
      fieldLabels.set(fields, b);
    }
    return b;
  }
  /** A declaration's label, once per compiled declaration (frozen, shared by every answer). */
  private declLabel(d: Decl): Bilingual {
    let b = declLabels.get(d);
    if (!b) {
      const ast = this.astDecl(d);
      b = Object.freeze(this.labelOf(d.name, ast.label, ast.labelEn));
      declLabels.set(d, b);
    }
    return b;
  }
  /** The label of what a name or field path reads, or undefined for an enum value. */
  private refLabel(e: A.Expr): Bilingual | undefined {
    const r = this.mf.reads.get(e);
    if (!r) return undefined;
    if (r.kind === 'param') { const d = this.mf.program.params[r.index]!.decl; return this.labelOf(d.name.text, d.label, d.labelEn); }
    if (r.kind === 'decl') { const d = this.astDecl(r.decl); return this.labelOf(d.name.text, d.label, d.labelEn); }
    if (r.kind === 'householdField' || r.kind === 'memberField') return this.fieldLabel(r.fields);
    return undefined;
  }
  private quote(b: Bilingual): Bilingual { return { zh: `「${b.zh}」`, en: `"${b.en}"` }; }

  // ── formulas ──────────────────────────────────────────────────────────────────────────────
  /** The expression with labels: the same for every household, so written once per policy. */
  private formula(e: A.Expr, out: Collect): Bilingual {
    let f = formulas.get(e);
    if (!f) { f = Object.freeze(both((l) => this.render(e, 0, false, null, out, l))); formulas.set(e, f); }
    return f;
  }

  /** The expression with labels (values = false), or with values put in (values = true) at
   *  `member` (null: household level). With values, the names read are added to `uses`. */
  private render(e: A.Expr, parent: number, values: boolean, member: number | null, out: Collect, l: Lang): string {
    const s = this.inner(e, values, member, out, l);
    return precedence(e) < parent && !(values && this.isLeaf(e)) ? `(${s})` : s;
  }
  private isLeaf(e: A.Expr): boolean { const k = e.kind; return k !== 'Binary' && k !== 'Unary' && k !== 'If' && k !== 'Call'; }
  /** A value as a formula shows it: worked out once per answer for both languages (the English
   *  rendering of a formula reads the values its Chinese one showed). */
  private shown(e: A.Expr, member: number | null, l: Lang): string {
    let byMember = this.shownValues.get(e);
    if (!byMember) { byMember = []; this.shownValues.set(e, byMember); }
    const i = member === null ? 0 : member + 1;
    const v = (byMember[i] ??= showValue(this.eval(e, member), this.type(e), 'formula'));
    return l === 0 ? v.zh : v.en;
  }

  private inner(e: A.Expr, values: boolean, member: number | null, out: Collect, l: Lang): string {
    const r = (x: A.Expr, prec: number, m = member) => this.render(x, prec, values, m, out, l);
    switch (e.kind) {
      case 'Binary': {
        const p = precedence(e);
        const op = e.word ? w(e.op === '=' ? 'is' : 'isNot', l) : ops[e.op]![l];
        const lp = p === 4 ? 5 : p, rp = p === 4 ? 5 : p + 1;
        return `${r(e.left, lp)} ${op} ${r(e.right, rp)}`;
      }
      case 'Unary': return e.op === 'not' ? `${w('not', l)} ${r(e.arg, 3)}` : `−${r(e.arg, 7)}`;
      case 'If': {
        if (!values) return `${w('if', l)} ${r(e.cond, 0)} ${w('ifThen', l)} ${r(e.then, 0)} ${w('otherwise', l)} ${r(e.else, 0)}`;
        // only the branch taken; its condition is shown beside the formula
        const taken = Boolean(this.eval(e.cond, member));
        if (l === 0) out.conditions.push(this.condition(e.cond, member, out));
        return r(taken ? e.then : e.else, precedence(e.then));
      }
      case 'Call': {
        if (e.fn === 'atLeast' || e.fn === 'atMost') return `${w(e.fn, l)} ${r(e.args[0]!, 5)} (${r(e.args[1]!, 0)})`;
        const args = e.args.map((a, i) => (e.fn === 'roundTo' && i > 0 && a.kind === 'Text' ? w(a.text, l) : r(a, 0)));
        return `${w(e.fn, l)}(${args.join(', ')})`;
      }
      default: break;
    }
    if (values) {
      if (l === 0) this.collect(e, member, out);
      return this.shown(e, e.kind === 'Aggregate' ? null : member, l);
    }
    switch (e.kind) {
      case 'Ref': case 'Field': {
        const lab = this.refLabel(e);
        if (lab) { const q = this.quote(lab); return l === 0 ? q.zh : q.en; }
        const v = showValue(this.eval(e, member), this.type(e), 'formula');
        return l === 0 ? v.zh : v.en;
      }
      case 'Members': return w('members', l);
      case 'Age': return w('age', l);
      case 'AsOf': return w('asOf', l);
      case 'Aggregate': return `${w(e.fn, l)}(${r(e.arg, 0)}${e.where ? ` ${w('where', l)} ${r(e.where, 0)}` : ''})`;
      case 'Tier': return `${w('tier', l)} ${r(e.subject, 5)}`;
      case 'List': return `[${e.items.map((x) => r(x, 0)).join(', ')}]`;
      default: return this.shown(e, member, l);
    }
  }

  private condition(cond: A.Expr, member: number | null, out: Collect) {
    return {
      formula: this.formula(cond, out),
      values: both((l) => this.render(cond, 0, true, member, out, l)),
      result: conditionResult(Boolean(this.eval(cond, member))),
    };
  }

  /** The names a leaf reads, as sub-derivations: inside an aggregate, per member. */
  private collect(e: A.Expr, member: number | null, out: Collect): void {
    const visit = (x: A.Expr, m: number | null, inAggregate: boolean): void => {
      const rd = this.mf.reads.get(x);
      if ((x.kind === 'Ref' || x.kind === 'Field') && rd) {
        const memberLevel = rd.kind === 'memberField' || (rd.kind === 'decl' && rd.decl.level === 'member');
        const at = memberLevel && inAggregate ? this.cx.mem.map((_, i) => i) : [memberLevel ? m : null];
        for (const mi of at) out.add(x, rd, mi);
        return;
      }
      const agg = x.kind === 'Aggregate';
      for (const c of children(x)) visit(c, m, inAggregate || agg);
    };
    visit(e, member, false);
  }

  // ── nodes ─────────────────────────────────────────────────────────────────────────────────
  node(e: A.Expr, rd: NonNullable<ReturnType<Middle['reads']['get']>>, member: number | null, depth: number): DerivationNode | undefined {
    if (rd.kind === 'enum') return undefined;
    if (rd.kind === 'decl') return this.decl(rd.decl, rd.decl.level === 'member' ? member : null, depth);
    if (rd.kind === 'param') return this.param(rd.index);
    // the read's name: the same for every household (`rd` is the compiled policy's own record)
    let name = inputNames.get(rd);
    if (name === undefined) { name = (rd.kind === 'householdField' ? 'household.' : '') + rd.fields.map((f) => f.name).join('.'); inputNames.set(rd, name); }
    const memo = this.memoOf(name), at = member === null ? 0 : member + 1;
    const known = memo[at];
    if (known) return known;
    const v = showValue(this.eval(e, member), this.type(e), 'exact');
    const n = this.input(rd, name, v, member !== null && rd.kind === 'memberField' ? this.memberId(member) : null);
    memo[at] = n;
    return n;
  }
  /** A household figure's node: the same for every answer that reads the same field of the same
   *  member id with the same value, so built once for them all and frozen (its JSON text then
   *  written once per process: trace-json.ts); at most INPUT_NODES_MAX per field, then afresh. */
  private input(rd: object, name: string, value: Bilingual, id: string | null): DerivationNode {
    let byValue = inputNodes.get(rd);
    if (!byValue || byValue.size >= INPUT_NODES_MAX) { byValue = new Map(); inputNodes.set(rd, byValue); }
    // lengths first: no two (id, value) pairs give the same key
    const key = id === null ? `-${value.zh.length}:${value.zh}${value.en}` : `+${id.length}:${id}${value.zh.length}:${value.zh}${value.en}`;
    let n = byValue.get(key);
    if (!n) {
      const label = this.fieldLabel((rd as { fields: FieldInfo[] }).fields);
      n = { name, kind: 'input', label, value: Object.freeze(value), text: { zh: `${label.zh} = ${value.zh}`, en: `${label.en} = ${value.en}` }, sources: Object.freeze([]) as unknown as string[], uses: Object.freeze([]) as unknown as DerivationNode[] };
      if (id !== null) this.withMember(n, id);
      Object.freeze(n.text);
      byValue.set(key, Object.freeze(n));
    }
    return n;
  }
  /** A parameter's node: the same for every household of a version, so built once per compiled
   *  policy and frozen (shared by every answer; nothing may write to it). */
  private param(index: number): DerivationNode {
    let byIndex = paramNodes.get(this.mf);
    if (!byIndex) { byIndex = []; paramNodes.set(this.mf, byIndex); }
    let n = byIndex[index];
    if (!n) {
      const prm = this.mf.program.params[index]!;
      const label = Object.freeze(this.labelOf(prm.decl.name.text, prm.decl.label, prm.decl.labelEn));
      const value = Object.freeze(showValue(prm.value, prm.type, 'exact'));
      const sources = Object.freeze(prm.decl.sources.map((s) => s.text)) as string[];
      n = { name: prm.decl.name.text, kind: 'parameter', label, value, text: Object.freeze({ zh: `${label.zh} = ${value.zh}`, en: `${label.en} = ${value.en}` }), sources, uses: Object.freeze([]) as unknown as DerivationNode[] };
      n.range = frozenRange(prm.decl.range);
      byIndex[index] = Object.freeze(n);
    }
    return n;
  }
  /** The node, just built (not yet shared), made about one member: its line names the member
   *  and `member` comes last among its keys. In place: a copy of each member's node was a
   *  tenth of the trace's cost. */
  private withMember(n: DerivationNode, id: string): DerivationNode {
    n.member = id;
    n.text = { zh: n.text.zh.replace(' = ', `（${id}）= `), en: n.text.en.replace(' = ', ` (${id}) = `) };
    return n;
  }

  decl(d: Decl, member: number | null, depth: number): DerivationNode {
    const memo = this.memoOf(d), at = member === null ? 0 : member + 1;
    const known = memo[at];
    if (known) return known;
    const label = this.declLabel(d);
    const v = this.declValue(d, member);
    const value = showValue(v, d.type, d.kind === 'output' ? 'result' : 'exact');
    const out = new Collect(this, member, depth + 1);
    const { rule, expr, sources } = this.decided(d, member, out);
    const node: DerivationNode = { name: d.name, kind: d.kind === 'output' ? 'output' : 'definition', label, value, sources, range: frozenRange(d.range), text: { zh: '', en: '' }, uses: [] };
    if (rule) node.rule = rule;
    if (expr) {
      node.formula = this.formula(expr, out);
      node.values = both((l) => this.render(expr, 0, true, member, out, l));
    }
    const plain = showValue(v, d.type, 'formula');
    // joined with +, not [].join: the values' text is a rope of the formula's parts, and a join
    // would copy it once more (it is copied when the answer is written)
    const line = (l: 'zh' | 'en') => {
      const values = node.values?.[l];
      return values !== undefined && values !== plain[l] && values !== value[l] ? `${label[l]} = ${values} = ${value[l]}` : `${label[l]} = ${value[l]}`;
    };
    node.text = { zh: line('zh'), en: line('en') };
    if (out.conditions.length) node.conditions = out.conditions;
    node.uses = out.nodes;
    const result = member !== null && d.level === 'member' ? this.withMember(node, this.memberId(member)) : node;
    memo[at] = result;
    return result;
  }

  /** The clause that decided (outputs: recorded by the evaluation; definitions: the first
   *  clause in priority order whose condition holds), with the expression it gave. */
  private decided(d: Decl, member: number | null, out: Collect): { rule?: DerivationRule; expr: A.Expr | null; sources: string[] } {
    const body = d.body;
    if (body.kind === 'expr') return { expr: body.expr, sources: frozenCitations(d.citations) };
    let k: number;
    if (d.kind === 'output') {
      const nOut = this.mf.layout.nOut;
      k = member === null ? this.cx.dec[d.index] ?? -2 : this.cx.mdec[member * nOut + d.index] ?? -2;
    } else {
      k = body.order.find((i) => Boolean(this.eval(body.clauses[i]!.when, member))) ?? -2;
    }
    const c = k >= 0 ? body.clauses[k] : undefined;
    if (!c) {
      // the same for every household: made once per body, frozen
      let rule = otherwiseRules.get(body);
      if (!rule) {
        rule = Object.freeze({ kind: 'otherwise', name: null, text: Object.freeze(both((l) => (l === 0 ? '否则（没有规则适用）' : 'otherwise (no rule applied)'))), line: body.otherwiseRange.start.line, range: frozenRange(body.otherwiseRange) }) as DerivationRule;
        otherwiseRules.set(body, rule);
      }
      return { rule, expr: body.otherwise, sources: frozenCitations(body.otherwiseCitations) };
    }
    let text = ruleTexts.get(c);
    if (!text) {
      const kindWord = both((l) => w(c.kind, l));
      text = Object.freeze({ zh: `${kindWord.zh}「${c.name}」`, en: `${kindWord.en} "${c.name}"` });
      ruleTexts.set(c, text);
    }
    return {
      rule: {
        kind: c.kind, name: c.name, line: c.line, range: frozenRange(c.range),
        text,
        condition: this.condition(c.when, member, out),
      },
      expr: c.then, sources: frozenCitations(c.citations),
    };
  }
}

/** The sub-derivations met while rendering one declaration, each once, in order. */
class Collect {
  nodes: DerivationNode[] = [];
  conditions: { formula: Bilingual; values: Bilingual; result: Bilingual }[] = [];
  private seen = new Set<DerivationNode>();
  constructor(private d: Deriver, readonly member: number | null, private depth: number) {}
  add(e: A.Expr, rd: NonNullable<ReturnType<Middle['reads']['get']>>, member: number | null): void {
    if (this.depth > MAX_DEPTH) return;
    const n = this.d.node(e, rd, member, this.depth);
    if (n && !this.seen.has(n)) { this.seen.add(n); this.nodes.push(n); }
  }
}

/** The direct sub-expressions of e. */
function children(e: A.Expr): A.Expr[] {
  switch (e.kind) {
    case 'Binary': return [e.left, e.right];
    case 'Unary': return [e.arg];
    case 'If': return [e.cond, e.then, e.else];
    case 'Call': return e.args;
    case 'Aggregate': return e.where ? [e.arg, e.where] : [e.arg];
    case 'Tier': return [e.subject, ...e.brackets.flatMap((b) => [b.result, ...(b.lower ? [b.lower.value] : []), ...(b.upper ? [b.upper.value] : [])]), ...(e.otherwise ? [e.otherwise] : [])];
    case 'List': return e.items;
    default: return [];
  }
}
