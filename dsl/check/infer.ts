// The type of every expression (recorded in `types`), the meaning of every name (`resolutions`)
// and its level (`memberLevel`), one walk. Operator typing is type-rules.ts; levels are
// levels.ts; tier ranges are ranges.ts.
import type * as A from '../syntax/ast.js';
import { nearHint } from '../base/nearest.js';
import { T, typeText, type Type } from './types.js';
import { MAX_EVAL_DEPTH } from '../syntax/depth.js';
import { constantValue, type ConstValue } from './constants.js';
import { parseDate } from '../base/dates.js';
import type { Num } from '../base/money.js';
import type { CheckState, Scope } from './state.js';
import { unify, comparable, expectType, binaryType, fieldTypeToType, fnText } from './type-rules.js';
import { isMemberLevel as level, markMember, needMember, needAggregate, aggregateAllowed } from './levels.js';
import { resolveField, pathText } from './names.js';
import { checkTierIntervals, interval, type Interval } from './ranges.js';
import { inferLinkedField } from './linked.js';
import { isDateRoundFn, dateRoundCall } from './date-round-types.js';
import type { TableContext } from './table.js';

const isNum = (v: unknown): v is Num => typeof v === 'number' || (typeof v === 'object' && v !== null && 'n' in v && 'd' in v);

// Checking follows definitions into definitions (on first use): past MAX_EVAL_DEPTH nested
// inferences it stops with check.too-deep rather than run out of stack. Evaluation recurses at
// least as deep, so such a program could not run anyway (see unused.ts's reportTooDeep).
export function infer(cx: CheckState, e: A.Expr, scope: Scope, expected?: Type): Type {
  if (cx.inferDepth >= MAX_EVAL_DEPTH) {
    if (!cx.tooDeepReported) cx.err('check.too-deep', e.range, { name: cx.current?.decl.name.text ?? '', limit: MAX_EVAL_DEPTH });
    cx.tooDeepReported = true;
    cx.types.set(e, T.error);
    return T.error;
  }
  cx.inferDepth++;
  const t = inferInner(cx, e, scope, expected);
  cx.inferDepth--;
  cx.types.set(e, t);
  return t;
}

function inferInner(cx: CheckState, e: A.Expr, scope: Scope, expected?: Type): Type {
  switch (e.kind) {
    case 'Error': return T.error;
    case 'Number': return T.number;
    case 'Money': return T.money(e.period);
    case 'Percent': return T.percent;
    case 'Date':
      if (parseDate(e.text) === undefined) cx.err('check.bad-date', e.range, { text: e.text });
      return T.date;
    case 'Duration': return T.duration;
    case 'Text': return T.text;
    case 'Bool': return T.bool;
    case 'None': return T.null;
    case 'List':
      for (const i of e.items) expectType(cx, infer(cx, i, scope), T.text, i.range);
      return T.textlist;
    case 'AsOf': return T.date;
    case 'Age':
      needMember(cx, e, scope, { zh: '年龄', en: 'age' });
      return T.number;
    case 'Members':
      needAggregate(cx, e, scope);
      return T.members;
    case 'Ref': return inferRef(cx, e, scope, expected);
    case 'Field': return inferField(cx, e, scope);
    case 'Unary': {
      const t = infer(cx, e.arg, scope);
      markMember(cx, e, level(cx, e.arg));
      if (e.op === 'not') { expectType(cx, t, T.bool, e.arg.range); return T.bool; }
      if (t.k === 'error') return t;
      if (!(t.k === 'number' || t.k === 'money' || t.k === 'percent' || t.k === 'duration')) cx.err('check.operand-types', e.range, { op: '−', left: typeText(t), right: { zh: '（无）', en: '(nothing)' } });
      return t;
    }
    case 'Binary': return inferBinary(cx, e, scope);
    case 'If': {
      expectType(cx, infer(cx, e.cond, scope), T.bool, e.cond.range);
      const a = infer(cx, e.then, scope), b = infer(cx, e.else, scope);
      markMember(cx, e, level(cx, e.cond) || level(cx, e.then) || level(cx, e.else));
      const u = unify(a, b);
      if (!u) { cx.err('check.type-mismatch', e.else.range, { expected: typeText(a), actual: typeText(b) }); return T.error; }
      return u;
    }
    case 'Call': return inferCall(cx, e, scope);
    case 'Aggregate': return inferAggregate(cx, e, scope);
    case 'Tier': return inferTier(cx, e, scope);
  }
}

function inferRef(cx: CheckState, e: Extract<A.Expr, { kind: 'Ref' }>, scope: Scope, expected?: Type): Type {
  // Against an enum, a value's name or label wins over a definition that happens to share it.
  if (expected?.k === 'enum') {
    const v = expected.values.find((x) => x.name === e.name || x.label === e.name);
    if (v) { cx.resolutions.set(e, { kind: 'enum', value: v.name }); return expected; }
  }
  const s = cx.symbols.get(e.name);
  if (s) {
    const t = cx.typeOfSymbol(cx, s, e.range);
    if (s.kind === 'param') cx.resolutions.set(e, { kind: 'param', index: s.index });
    else {
      cx.resolutions.set(e, { kind: s.kind, index: s.index, member: s.member });
      if (s.member) needMember(cx, e, scope, e.name);
    }
    return t;
  }
  if (scope.member && cx.member) {
    const f = cx.member.fields.find((x) => x.name === e.name);
    if (f) {
      cx.resolutions.set(e, { kind: 'memberField', fields: [f] });
      cx.readInput(`members[].${f.name}`);
      markMember(cx, e, true);
      return fieldTypeToType(f.type, f.nullable);
    }
  }
  if (expected?.k === 'enum') {
    cx.err('check.enum-value', e.range, { name: e.name, enum: expected.name ? expected.name : { zh: '枚举', en: 'the enum' }, values: expected.values.map((x) => x.label ? `${x.name}「${x.label}」` : x.name).join('、') });
    return T.error;
  }
  // compared with something already reported unknown: likely an enum value of it (是 城市), and
  // one mistake gives one error
  if (expected?.k === 'error') return T.error;
  const known = () => [...cx.symbols.keys(), ...(scope.member && cx.member ? cx.member.fields.map((f) => f.name) : [])];
  cx.err('check.unknown-name', e.range, { name: e.name, ...(cx.suggestionsLeft-- > 0 ? nearHint(e.name, known()) : { hint_zh: '', hint_en: '' }) });
  return T.error;
}

function inferField(cx: CheckState, e: Extract<A.Expr, { kind: 'Field' }>, scope: Scope): Type {
  if (e.base === 'linked') return inferLinkedField(e, cx.links, (c, r, a) => cx.err(c, r, a), cx.resolutions, (p) => cx.readInput(p), fieldTypeToType);
  if (e.base === 'household') {
    const chain = resolveField(cx, cx.household, e.path, 'household');
    if (!chain) return T.error;
    cx.resolutions.set(e, { kind: 'householdField', fields: chain });
    cx.readInput(pathText('household.', chain));
    const last = chain[chain.length - 1]!;
    const nullable = chain.some((f) => f.nullable);
    return fieldTypeToType(last.type, nullable);
  }
  { const path = e.path.map((p) => p.text).join('.'); needMember(cx, e, scope, { zh: `成员.${path}`, en: `member.${path}` }); }
  if (!cx.member) return T.error;
  const chain = resolveField(cx, cx.member, e.path, 'member');
  if (!chain) return T.error;
  cx.resolutions.set(e, { kind: 'memberField', fields: chain });
  cx.readInput(pathText('members[].', chain));
  return fieldTypeToType(chain[chain.length - 1]!.type, chain.some((f) => f.nullable));
}

function inferBinary(cx: CheckState, e: Extract<A.Expr, { kind: 'Binary' }>, scope: Scope): Type {
  const op = e.op;
  let l = infer(cx, e.left, scope);
  // an unknown left side silences an unknown right side only where the right is likely one of
  // its values (是/不是/属于: 地区 是 城市); in arithmetic each unknown name is its own mistake
  const valueOfLeft = op === '=' || op === '!=' || op === 'in';
  let r = infer(cx, e.right, scope, l.k === 'error' && !valueOfLeft ? undefined : l);
  // `none` is also a keyword: against an enum that has a value named none, it means that value.
  if ((op === '=' || op === '!=') && e.right.kind === 'None' && l.k === 'enum' && l.values.some((v) => v.name === 'none')) {
    cx.resolutions.set(e.right, { kind: 'enum', value: 'none' });
    r = l; cx.types.set(e.right, l);
  }
  if (l.k === 'error' && e.left.kind === 'Ref' && r.k === 'enum') {
    // an enum value written first: 城市 是 household.area
    // (the unknown-name error just reported for it: near the end, so searched from there)
    const diagnostics = cx.diagnostics;
    let at = diagnostics.length - 1;
    while (at >= 0 && diagnostics[at]!.range !== e.left.range) at--;
    if (at >= 0) diagnostics.splice(at, 1);
    l = infer(cx, e.left, scope, r);
  }
  markMember(cx, e, level(cx, e.left) || level(cx, e.right));
  if (l.k === 'error' || r.k === 'error') return op === 'and' || op === 'or' || op === '<' || op === '<=' || op === '>' || op === '>=' || op === '=' || op === '!=' || op === 'in' ? T.bool : T.error;
  return binaryType(cx, e, op, l, r);
}

function inferCall(cx: CheckState, e: Extract<A.Expr, { kind: 'Call' }>, scope: Scope): Type {
  const ts = e.args.map((a) => infer(cx, a, scope));
  markMember(cx, e, e.args.some((a) => level(cx, a)));
  const a = ts[0] ?? T.error;
  if (ts.some((t) => t.k === 'error')) return e.fn === 'present' ? T.bool : T.error;
  if (isDateRoundFn(e.fn)) {
    const r = dateRoundCall(e.fn, ts);
    for (const p of r.problems) {
      if ('count' in p) cx.err('check.arity', e.range, { fn: fnText(e.fn), expected: p.expected, actual: p.count });
      else cx.err('check.type-mismatch', e.args[p.index]!.range, { expected: typeText(p.expected), actual: typeText(ts[p.index]!) });
    }
    return r.problems.length ? T.error : r.type;
  }
  const arity = e.fn === 'min' || e.fn === 'max' || e.fn === 'atLeast' || e.fn === 'atMost' ? 2 : 1;
  if (e.args.length !== arity) { cx.err('check.arity', e.range, { fn: fnText(e.fn), expected: arity, actual: e.args.length }); return T.error; }
  switch (e.fn) {
    case 'round':
      if (a.k !== 'money' && a.k !== 'number') { cx.err('check.type-mismatch', e.args[0]!.range, { expected: typeText(T.money('none')), actual: typeText(a) }); return T.error; }
      return a;
    case 'monthly':
      if (a.k !== 'money' || a.p === 'month') { cx.err('check.type-mismatch', e.args[0]!.range, { expected: typeText(T.money('year')), actual: typeText(a) }); return T.error; }
      return { k: 'money', p: 'month', nullable: a.nullable };
    case 'yearly':
      if (a.k !== 'money' || a.p === 'year') { cx.err('check.type-mismatch', e.args[0]!.range, { expected: typeText(T.money('month')), actual: typeText(a) }); return T.error; }
      return { k: 'money', p: 'year', nullable: a.nullable };
    case 'present': return T.bool;
    default: {
      const b = ts[1]!;
      if (a.k === 'money' && b.k === 'money' && a.p !== 'none' && b.p !== 'none' && a.p !== b.p) {
        cx.err('check.period-mismatch', e.range, { left: typeText(a), right: typeText(b) });
        return T.error;
      }
      const u = unify(a, b);
      if (!u || !(u.k === 'money' || u.k === 'number' || u.k === 'percent' || u.k === 'date')) { cx.err('check.operand-types', e.range, { op: fnText(e.fn), left: typeText(a), right: typeText(b) }); return T.error; }
      return u;
    }
  }
}

function inferAggregate(cx: CheckState, e: Extract<A.Expr, { kind: 'Aggregate' }>, scope: Scope): Type {
  const inner = aggregateAllowed(cx, e, scope);
  const t = e.arg ? infer(cx, e.arg, inner) : T.error;
  if (e.where) expectType(cx, infer(cx, e.where, inner), T.bool, e.where.range);
  markMember(cx, e, false);
  const isList = t.k === 'members' || t.k === 'list';
  switch (e.fn) {
    case 'count': case 'ids':
      if (!isList && t.k !== 'bool' && t.k !== 'error') cx.err('check.type-mismatch', e.arg.range, { expected: { zh: '成员或布尔', en: 'members or bool' }, actual: typeText(t) });
      return e.fn === 'count' ? T.number : T.textlist;
    case 'any': case 'all':
      expectType(cx, t, T.bool, e.arg.range);
      return T.bool;
    default:
      if (t.k !== 'money' && t.k !== 'number' && t.k !== 'percent' && t.k !== 'error') {
        cx.err('check.type-mismatch', e.arg.range, { expected: { zh: '金额或数', en: 'money or number' }, actual: typeText(t) });
        return T.error;
      }
      return t.nullable ? { ...t, nullable: false } as Type : t;
  }
}

function inferTier(cx: CheckState, e: Extract<A.Expr, { kind: 'Tier' }>, scope: Scope): Type {
  const st = infer(cx, e.subject, scope);
  let result: Type | null = null;
  let member = level(cx, e.subject);
  const intervals: Interval[] = [];
  const unifyResult = (x: A.Expr, t: Type) => {
    if (result === null) { result = t; return; }
    const u = unify(result, t);
    if (!u) cx.err('check.type-mismatch', x.range, { expected: typeText(result), actual: typeText(t) }); else result = u;
  };
  for (const b of e.brackets) {
    const bounds = [b.lower, b.upper].map((bd) => (bd ? tierBound(cx, bd.value, st, scope) : null));
    const rt = infer(cx, b.result, scope);
    member = member || level(cx, b.result);
    unifyResult(b.result, rt);
    intervals.push(interval(b, bounds, st));
  }
  if (e.otherwise) {
    const ot = infer(cx, e.otherwise, scope);
    member = member || level(cx, e.otherwise);
    if (result) unifyResult(e.otherwise, ot);
  }
  markMember(cx, e, member);
  checkTierIntervals(cx, e, intervals);
  return result ?? T.error;
}

/** A bracket's bound: of the subject's type, and a constant (a literal or a parameter). */
function tierBound(cx: CheckState, value: A.Expr, st: Type, scope: Scope): Num | null {
  const bt = infer(cx, value, scope);
  if (bt.k !== 'error' && st.k !== 'error' && !comparable(st, bt, false)) cx.err('check.type-mismatch', value.range, { expected: typeText(st), actual: typeText(bt) });
  const v = constantValue(value) ?? paramConstant(cx, value);
  if (!isNum(v)) { cx.err('check.tier-bound', value.range); return null; }
  return v;
}

/** What a decision table's check reads of the checked program: types, resolutions, constants. */
export function tableContext(cx: CheckState): TableContext {
  return {
    typeOf: (e) => cx.types.get(e),
    resolutionOf: (e) => cx.resolutions.get(e),
    valueOf: (e) => constantValue(e) ?? paramConstant(cx, e),
  };
}

function paramConstant(cx: CheckState, e: A.Expr): ConstValue | undefined {
  if (e.kind !== 'Ref') return undefined;
  const s = cx.symbols.get(e.name);
  return s?.kind === 'param' ? (constantValue(s.decl.value) ?? undefined) : undefined;
}
