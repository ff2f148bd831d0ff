// The checker: names, types, units and periods, levels (household vs member), cycles,
// parameter ranges, rule priorities, tiers and unused names. It never throws; it returns a
// Program the compiler can trust when no error was reported, and diagnostics either way.
import type * as A from '../syntax/ast.js';
import { diagnostic, moreDiagnostic, LIST_PER_CODE, type Diagnostic, type Range } from '../base/diagnostics.js';
import { T, describeType, type Type, type Program, type Resolution, type SchemaInfo, type FieldInfo, type FieldType, type Dependencies, type PolicyInfo, type ParamInfo } from './types.js';
import { buildSchemas } from './schema.js';
import { findConflicts, PAIR_BUDGET } from './conflicts.js';
import { tooDeep, ownDepth } from './eval-depth.js';
import { MAX_EVAL_DEPTH } from '../syntax/depth.js';
import { skeleton } from '../syntax/unicode-safety.js';
import { constantValue, type ConstValue } from './constants.js';
import { cmp, numToText, fenToYuan, mul, type Num } from '../base/money.js';
import { parseDate } from '../base/dates.js';

export interface CheckResult { program?: Program; diagnostics: Diagnostic[] }

// `id`: the symbol's place in declaration order (indexes the per-symbol arrays of `check`).
type Symbol =
  | { kind: 'param'; index: number; decl: A.ParamDecl; id: number }
  | { kind: 'def'; index: number; member: boolean; decl: A.DefDecl; id: number }
  | { kind: 'output'; index: number; member: boolean; decl: A.OutputDecl; id: number };

interface Scope { readonly member: boolean; readonly inAggregate: boolean }
const householdScope: Scope = { member: false, inAggregate: false };
const memberScope: Scope = { member: true, inAggregate: false };
const aggregateScope: Scope = { member: true, inAggregate: true };

export function fieldTypeToType(t: FieldType, nullable: boolean): Type {
  const base: Type = (() => {
    switch (t.k) {
      case 'integer': return { k: 'number' } as Type;
      case 'money': return { k: 'money', p: t.p } as Type;
      case 'enum': return { k: 'enum', name: '', values: t.values } as Type;
      case 'list': return { k: 'list', of: t.of } as Type;
      case 'record': return { k: 'record', of: t.of } as Type;
      default: return { k: t.k } as Type;
    }
  })();
  return nullable ? { ...base, nullable: true } : base;
}

/** `prefix` + the field names joined by dots. */
function pathText(prefix: string, chain: FieldInfo[]): string {
  let s = prefix + chain[0]!.name;
  for (let i = 1; i < chain.length; i++) s += '.' + chain[i]!.name;
  return s;
}

const isNum = (v: unknown): v is Num => typeof v === 'number' || (typeof v === 'object' && v !== null && 'n' in v && 'd' in v);

export function check(ast: A.PolicyFile, modules: Map<string, A.PolicyFile> = new Map()): CheckResult {
  const diagnostics: Diagnostic[] = [];
  const err = (code: string, range: Range, args: Record<string, string | number> = {}) => diagnostics.push(diagnostic(code, range, args));

  // ── header and schema ─────────────────────────────────────────────────────────────────
  const header = ast.header;
  if (!header) err('parse.missing-header', ast.range.start.offset === 0 ? { start: ast.range.start, end: ast.range.start } : ast.range);
  else {
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(header.id.text)) err('parse.bad-policy-id', header.id.range, { id: header.id.text });
    if (header.effective && parseDate(header.effective.text) === undefined) err('parse.bad-date', header.effective.range, { text: header.effective.text });
  }
  const schemaDecls: A.SchemaDecl[] = [];
  for (const u of ast.uses) {
    const m = modules.get(u.module);
    if (!m) { err('check.unknown-module', u.range, { name: u.module }); continue; }
    schemaDecls.push(...m.schemas);
  }
  schemaDecls.push(...ast.schemas);
  const schemas = buildSchemas(schemaDecls, diagnostics);
  const household: SchemaInfo = schemas.get('household') ?? { name: 'household', label: null, fields: [], range: ast.range };
  const membersField = household.fields.find((f) => f.type.k === 'list');
  const member: SchemaInfo | undefined = membersField && membersField.type.k === 'list' ? membersField.type.of : undefined;
  const isPolicy = ast.decls.length > 0 || header !== null;
  if (isPolicy && !schemas.has('household')) err('check.no-schema', header?.range ?? ast.range);

  // ── symbols ───────────────────────────────────────────────────────────────────────────
  const symbols = new Map<string, Symbol>();
  const params: Program['params'] = [];
  const defs: Program['defs'] = [];
  const memberDefs: Program['memberDefs'] = [];
  const outputs: Program['outputs'] = [];
  for (const d of ast.decls) {
    if (symbols.has(d.name.text)) { err('check.duplicate-name', d.name.range, { name: d.name.text }); continue; }
    if (d.kind === 'Param') { symbols.set(d.name.text, { kind: 'param', index: params.length, decl: d, id: symbols.size }); params.push({ decl: d, type: T.error, value: null }); }
    else if (d.kind === 'Def') {
      const list = d.member ? memberDefs : defs;
      symbols.set(d.name.text, { kind: 'def', index: list.length, member: d.member, decl: d, id: symbols.size });
      list.push({ decl: d, type: T.error });
    } else {
      symbols.set(d.name.text, { kind: 'output', index: outputs.length, member: d.member, decl: d, id: symbols.size });
      outputs.push({ decl: d, type: T.error, deps: emptyDeps() });
    }
  }

  reportLookAlikes(ast.decls.map((d) => d.name), err);

  const types = new Map<A.Expr, Type>();
  const resolutions = new Map<A.Expr, Resolution>();
  const overrides = new Map<A.RuleClause, number[]>();
  // Per symbol (by id): its type once checked; the symbols it uses directly, for unused-name
  // warnings and the trace; the household fields it reads directly, for the trace. The lists
  // hold no repeats, in order of first use (a handful of entries each).
  const declType: (Type | undefined)[] = [];
  const directDeps: (Symbol[] | undefined)[] = [];
  const directInputs: (string[] | undefined)[] = [];
  const inProgress: string[] = [];
  const readInput = (path: string) => {
    if (!current) return;
    let list = directInputs[current.id];
    if (!list) directInputs[current.id] = (list = []);
    if (!list.includes(path)) list.push(path);
  };
  let current: Symbol | null = null;

  const typeOfSymbol = (s: Symbol, at: Range): Type => {
    const name = s.decl.name.text;
    if (current) { const list = directDeps[current.id]!; if (!list.includes(s)) list.push(s); }
    const known = declType[s.id];
    if (known !== undefined) return known;
    if (inProgress.includes(name)) {
      const cycle = [...inProgress.slice(inProgress.indexOf(name)), name].join(' → ');
      err('check.cycle', at, { path: cycle });
      return T.error;
    }
    return checkDecl(s);
  };

  function checkDecl(s: Symbol): Type {
    const known = declType[s.id];
    if (known !== undefined) return known;
    inProgress.push(s.decl.name.text);
    const saved = current;
    // (a name recovered from a syntax error may be empty: such a declaration records nothing)
    current = s.decl.name.text ? s : null;
    if (!directDeps[s.id]) directDeps[s.id] = [];
    let t: Type;
    if (s.kind === 'param') t = checkParam(s.decl, s.index);
    else t = checkBody(s.decl, s.decl.body, s.member ? memberScope : householdScope);
    current = saved;
    inProgress.pop();
    declType[s.id] = t;
    if (s.kind === 'def') (s.member ? memberDefs : defs)[s.index]!.type = t;
    if (s.kind === 'output') outputs[s.index]!.type = t;
    return t;
  }

  function checkParam(d: A.ParamDecl, index: number): Type {
    const v = constantValue(d.value);
    if (v === undefined) { err('check.not-constant', d.value.range); return T.error; }
    const t = infer(d.value, householdScope);
    params[index]!.type = t;
    params[index]!.value = v as Program['params'][number]['value'];
    if (d.min && d.max) {
      const lo = constantValue(d.min), hi = constantValue(d.max);
      const tl = infer(d.min, householdScope), th = infer(d.max, householdScope);
      for (const [b, tb] of [[d.min, tl], [d.max, th]] as const) {
        if (!compatible(t, tb)) err('check.type-mismatch', b.range, { expected: describeType(t), actual: describeType(tb) });
      }
      const months = (x: unknown): Num | undefined => {
        if (!x || typeof x !== 'object' || !('duration' in x)) return undefined;
        const d = x as { duration: Num; unit: string };
        return d.unit === 'months' ? d.duration : d.unit === 'years' ? mul(d.duration, 12) : undefined;
      };
      const [mv, mlo, mhi] = [months(v), months(lo), months(hi)];
      if (mv !== undefined && mlo !== undefined && mhi !== undefined) {
        if (cmp(mlo, mhi) > 0) err('check.range-order', d.min.range);
        else if (cmp(mv, mlo) < 0 || cmp(mv, mhi) > 0) err('check.out-of-range', d.value.range, { name: d.name.text, value: showConst(v, t), min: showConst(lo, t), max: showConst(hi, t) });
      } else if (t.k === 'duration') {
        err('check.type-mismatch', d.min.range, { expected: '以月或年计的期限 a duration in months or years', actual: describeType(t) });
      }
      if (isNum(lo) && isNum(hi) && isNum(v)) {
        if (cmp(lo, hi) > 0) err('check.range-order', d.min.range);
        else if (cmp(v, lo) < 0 || cmp(v, hi) > 0) {
          err('check.out-of-range', d.value.range, { name: d.name.text, value: showConst(v, t), min: showConst(lo, t), max: showConst(hi, t) });
        }
      }
    }
    return t;
  }

  function checkBody(decl: A.DefDecl | A.OutputDecl, body: A.Body, scope: Scope): Type {
    if (body.kind === 'Expr') {
      const t = infer(body.expr, scope);
      if (t.k === 'members') err('check.type-mismatch', body.expr.range, { expected: '值 value', actual: describeType(t) });
      return t;
    }
    let result: Type | null = null;
    const unifyInto = (e: A.Expr) => {
      const t = infer(e, scope);
      if (result === null) { result = t; return; }
      const u = unify(result, t);
      if (!u) err('check.type-mismatch', e.range, { expected: describeType(result), actual: describeType(t) });
      else result = u;
    };
    const rules = body.rules;
    for (const r of rules) {
      const ct = infer(r.when, scope);
      expectType(ct, T.bool, r.when.range);
      unifyInto(r.then);
      if (r.sources.length === 0 && decl.sources.length === 0) diagnostics.push(diagnostic('check.missing-source', r.name.range, { name: r.name.text }));
    }
    // priorities
    const ruleNames = new Set<string>();
    for (const r of rules) {
      if (ruleNames.has(r.name.text)) err('check.duplicate-name', r.name.range, { name: r.name.text });
      ruleNames.add(r.name.text);
    }
    const baseRules = rules.map((r, i) => [r, i] as const).filter(([r]) => r.kind === 'rule');
    const ruleIndex = new Map<string, number>();
    rules.forEach((r, i) => { if (!ruleIndex.has(r.name.text)) ruleIndex.set(r.name.text, i); });
    rules.forEach((r) => {
      if (r.kind !== 'exception') { overrides.set(r, []); return; }
      if (r.overrides.length === 0) {
        if (baseRules.length === 0) err('check.exception-without-rule', r.name.range, { name: r.name.text });
        overrides.set(r, baseRules.map(([, i]) => i));
        return;
      }
      const targets: number[] = [];
      for (const o of r.overrides) {
        const i = ruleIndex.get(o.text) ?? -1;
        if (i < 0 || rules[i] === r) err('check.exception-unknown-rule', o.range, { name: r.name.text, target: o.text });
        else targets.push(i);
      }
      overrides.set(r, targets);
    });
    reportConflicts(decl, rules);
    if (body.otherwise) unifyInto(body.otherwise);
    else err('check.output-undefined-path', decl.name.range, { name: decl.name.text });
    return result ?? T.error;
  }

  // Conflicting pairs are counted; the first LIST_PER_CODE of the program are listed, the rest
  // summed up in one diag.more at the end (their number can be quadratic in the rules).
  let conflictsListed = 0, conflictsMore = 0;
  let conflictsAt: Range | null = null;
  function reportConflicts(decl: A.DefDecl | A.OutputDecl, rules: A.RuleClause[]): void {
    const c = findConflicts(rules, overrides, LIST_PER_CODE - conflictsListed);
    for (const [i, j] of c.listed) err('check.rule-conflict', rules[j]!.name.range, { a: rules[i]!.name.text, b: rules[j]!.name.text });
    conflictsListed += c.listed.length;
    if (c.total > c.listed.length) { conflictsMore += c.total - c.listed.length; conflictsAt ??= decl.name.range; }
    if (!c.exact) err('check.rules-too-many', decl.name.range, { name: decl.name.text, budget: PAIR_BUDGET });
  }

  function expectType(actual: Type, expected: Type, range: Range): void {
    if (actual.k === 'error') return;
    if (!compatible(expected, actual)) err('check.type-mismatch', range, { expected: describeType(expected), actual: describeType(actual) });
  }

  function resolveField(schema: SchemaInfo, path: A.Name[], owner: string): FieldInfo[] | undefined {
    const chain: FieldInfo[] = [];
    let s: SchemaInfo | undefined = schema;
    for (const p of path) {
      const f: FieldInfo | undefined = s?.fields.find((x) => x.name === p.text);
      if (!f) { err('check.unknown-field', p.range, { owner: s?.label ? `${s.label}（${s.name}）` : (s?.name ?? owner), name: p.text }); return undefined; }
      chain.push(f);
      s = f.type.k === 'record' ? f.type.of : undefined;
    }
    return chain;
  }

  // ── expressions ───────────────────────────────────────────────────────────────────────
  // Checking follows definitions into definitions (on first use): past MAX_EVAL_DEPTH nested
  // inferences it stops with check.too-deep rather than run out of stack. Evaluation recurses at
  // least as deep, so such a program could not run anyway (see evalDepths below).
  let inferDepth = 0, tooDeepReported = false;
  function infer(e: A.Expr, scope: Scope, expected?: Type): Type {
    if (inferDepth >= MAX_EVAL_DEPTH) {
      if (!tooDeepReported) err('check.too-deep', e.range, { name: current?.decl.name.text ?? '', limit: MAX_EVAL_DEPTH });
      tooDeepReported = true;
      types.set(e, T.error);
      return T.error;
    }
    inferDepth++;
    const t = inferInner(e, scope, expected);
    inferDepth--;
    types.set(e, t);
    return t;
  }

  function level(e: A.Expr): boolean {
    // true when e depends on the current member (needs a member in scope)
    return memberLevel.has(e);
  }
  // the expressions that depend on the current member (a set: most expressions are not)
  const memberLevel = new Set<A.Expr>();
  const markMember = (e: A.Expr, v: boolean) => { if (v) memberLevel.add(e); else memberLevel.delete(e); };

  function inferInner(e: A.Expr, scope: Scope, expected?: Type): Type {
    switch (e.kind) {
      case 'Error': return T.error;
      case 'Number': return T.number;
      case 'Money': return T.money(e.period);
      case 'Percent': return T.percent;
      case 'Date':
        if (parseDate(e.text) === undefined) err('parse.bad-date', e.range, { text: e.text });
        return T.date;
      case 'Duration': return T.duration;
      case 'Text': return T.text;
      case 'Bool': return T.bool;
      case 'None': return T.null;
      case 'List':
        for (const i of e.items) expectType(infer(i, scope), T.text, i.range);
        return T.textlist;
      case 'AsOf': return T.date;
      case 'Age':
        if (!scope.member) err('check.member-context', e.range, { name: '年龄 age' });
        markMember(e, true);
        return T.number;
      case 'Members':
        if (!scope.inAggregate) err('check.member-context', e.range, { name: '成员 members' });
        return T.members;
      case 'Ref': {
        // Against an enum, a value's name or label wins over a definition that happens to share it.
        if (expected?.k === 'enum') {
          const v = expected.values.find((x) => x.name === e.name || x.label === e.name);
          if (v) { resolutions.set(e, { kind: 'enum', value: v.name }); return expected; }
        }
        const s = symbols.get(e.name);
        if (s) {
          const t = typeOfSymbol(s, e.range);
          if (s.kind === 'param') resolutions.set(e, { kind: 'param', index: s.index });
          else {
            resolutions.set(e, { kind: s.kind, index: s.index, member: s.member });
            if (s.member) {
              if (!scope.member) err('check.member-context', e.range, { name: e.name });
              markMember(e, true);
            }
          }
          return t;
        }
        if (scope.member && member) {
          const f = member.fields.find((x) => x.name === e.name);
          if (f) {
            resolutions.set(e, { kind: 'memberField', fields: [f] });
            readInput(`members[].${f.name}`);
            markMember(e, true);
            return fieldTypeToType(f.type, f.nullable);
          }
        }
        if (expected?.k === 'enum') {
          const v = expected.values.find((x) => x.name === e.name || x.label === e.name);
          if (v) { resolutions.set(e, { kind: 'enum', value: v.name }); return expected; }
          err('check.enum-value', e.range, { name: e.name, enum: expected.name || '枚举', values: expected.values.map((x) => x.label ? `${x.name}「${x.label}」` : x.name).join('、') });
          return T.error;
        }
        err('check.unknown-name', e.range, { name: e.name });
        return T.error;
      }
      case 'Field': {
        if (e.base === 'household') {
          const chain = resolveField(household, e.path, 'household');
          if (!chain) return T.error;
          resolutions.set(e, { kind: 'householdField', fields: chain });
          readInput(pathText('household.', chain));
          const last = chain[chain.length - 1]!;
          const nullable = chain.some((f) => f.nullable);
          return fieldTypeToType(last.type, nullable);
        }
        if (!scope.member) err('check.member-context', e.range, { name: `成员.${e.path.map((p) => p.text).join('.')}` });
        markMember(e, true);
        if (!member) return T.error;
        const chain = resolveField(member, e.path, 'member');
        if (!chain) return T.error;
        resolutions.set(e, { kind: 'memberField', fields: chain });
        readInput(pathText('members[].', chain));
        return fieldTypeToType(chain[chain.length - 1]!.type, chain.some((f) => f.nullable));
      }
      case 'Unary': {
        const t = infer(e.arg, scope);
        markMember(e, level(e.arg));
        if (e.op === 'not') { expectType(t, T.bool, e.arg.range); return T.bool; }
        if (t.k === 'error') return t;
        if (!(t.k === 'number' || t.k === 'money' || t.k === 'percent' || t.k === 'duration')) err('check.operand-types', e.range, { op: '−', left: describeType(t), right: '' });
        return t;
      }
      case 'Binary': return inferBinary(e, scope);
      case 'If': {
        expectType(infer(e.cond, scope), T.bool, e.cond.range);
        const a = infer(e.then, scope), b = infer(e.else, scope);
        markMember(e, level(e.cond) || level(e.then) || level(e.else));
        const u = unify(a, b);
        if (!u) { err('check.type-mismatch', e.else.range, { expected: describeType(a), actual: describeType(b) }); return T.error; }
        return u;
      }
      case 'Call': return inferCall(e, scope);
      case 'Aggregate': return inferAggregate(e, scope);
      case 'Tier': return inferTier(e, scope);
    }
  }

  function inferBinary(e: Extract<A.Expr, { kind: 'Binary' }>, scope: Scope): Type {
    const op = e.op;
    let l = infer(e.left, scope);
    let r = infer(e.right, scope, l);
    // `none` is also a keyword: against an enum that has a value named none, it means that value.
    if ((op === '=' || op === '!=') && e.right.kind === 'None' && l.k === 'enum' && l.values.some((v) => v.name === 'none')) {
      resolutions.set(e.right, { kind: 'enum', value: 'none' });
      r = l; types.set(e.right, l);
    }
    if (l.k === 'error' && e.left.kind === 'Ref' && r.k === 'enum') {
      // an enum value written first: 城市 是 household.area
      // (the unknown-name error just reported for it: near the end, so searched from there)
      let at = diagnostics.length - 1;
      while (at >= 0 && diagnostics[at]!.range !== e.left.range) at--;
      if (at >= 0) diagnostics.splice(at, 1);
      l = infer(e.left, scope, r);
    }
    markMember(e, level(e.left) || level(e.right));
    if (l.k === 'error' || r.k === 'error') return op === 'and' || op === 'or' || op === '<' || op === '<=' || op === '>' || op === '>=' || op === '=' || op === '!=' || op === 'in' ? T.bool : T.error;
    return binaryType(e, op, l, r);
  }

  function badOperands(e: A.Expr, op: A.BinaryOp, l: Type, r: Type): Type {
    err('check.operand-types', e.range, { op: opText(op), left: describeType(l), right: describeType(r) });
    return T.error;
  }
  function periodMismatch(e: A.Expr, l: Type, r: Type): Type | null {
    if (l.k === 'money' && r.k === 'money' && l.p !== 'none' && r.p !== 'none' && l.p !== r.p) {
      err('check.period-mismatch', e.range, { left: describeType(l), right: describeType(r) });
      return T.error;
    }
    return null;
  }

  function binaryType(e: Extract<A.Expr, { kind: 'Binary' }>, op: A.BinaryOp, l: Type, r: Type): Type {
    switch (op) {
      case 'and': case 'or':
        expectType(l, T.bool, e.left.range); expectType(r, T.bool, e.right.range); return T.bool;
      case 'in':
        if (!(l.k === 'text' || l.k === 'enum') || r.k !== 'textlist') return badOperands(e, op, l, r);
        return T.bool;
      case '=': case '!=':
        if (periodMismatch(e, l, r)) return T.bool;
        if (!comparable(l, r, true)) { badOperands(e, op, l, r); }
        return T.bool;
      case '<': case '<=': case '>': case '>=':
        if (periodMismatch(e, l, r)) return T.bool;
        if (!comparable(l, r, false)) badOperands(e, op, l, r);
        return T.bool;
      case '+': case '-': {
        if (periodMismatch(e, l, r)) return T.error;
        if (l.k === 'date' && r.k === 'duration') return { k: 'date', nullable: l.nullable || r.nullable };
        if (l.k === 'money' && r.k === 'money') return { k: 'money', p: l.p === 'none' ? r.p : l.p, nullable: l.nullable || r.nullable };
        if (l.k === r.k && (l.k === 'number' || l.k === 'percent' || l.k === 'duration')) return { ...l, nullable: l.nullable || r.nullable } as Type;
        // 1 + 10% = 1.1: a rate added to a plain number is a number
        if ((l.k === 'number' && r.k === 'percent') || (l.k === 'percent' && r.k === 'number')) return T.number;
        return badOperands(e, op, l, r);
      }
      case '*': {
        if (l.k === 'money' && scalar(r)) return l;
        if (r.k === 'money' && scalar(l)) return r;
        if (l.k === 'number' && r.k === 'number') return T.number;
        if (scalar(l) && scalar(r)) return T.percent;
        if (l.k === 'duration' && r.k === 'number') return l;
        // 500 元/月 × 3 个月 = 1500 元: an amount per period over a duration is a sum
        if ((l.k === 'money' && l.p !== 'none' && r.k === 'duration') || (r.k === 'money' && r.p !== 'none' && l.k === 'duration')) return { k: 'money', p: 'none', nullable: l.nullable || r.nullable };
        return badOperands(e, op, l, r);
      }
      case '/': {
        if (l.k === 'money' && (r.k === 'number' || r.k === 'percent')) return l;
        if (l.k === 'money' && r.k === 'money') return periodMismatch(e, l, r) ?? T.number;
        if ((l.k === 'number' || l.k === 'percent') && (r.k === 'number' || r.k === 'percent')) return l.k === 'percent' && r.k === 'number' ? T.percent : T.number;
        return badOperands(e, op, l, r);
      }
    }
  }

  function inferCall(e: Extract<A.Expr, { kind: 'Call' }>, scope: Scope): Type {
    const ts = e.args.map((a) => infer(a, scope));
    markMember(e, e.args.some(level));
    const a = ts[0] ?? T.error;
    if (ts.some((t) => t.k === 'error')) return e.fn === 'present' ? T.bool : T.error;
    const arity = e.fn === 'min' || e.fn === 'max' || e.fn === 'atLeast' || e.fn === 'atMost' ? 2 : 1;
    if (e.args.length !== arity) { err('check.type-mismatch', e.range, { expected: `${arity} 个参数 arguments`, actual: String(e.args.length) }); return T.error; }
    switch (e.fn) {
      case 'round':
        if (a.k !== 'money' && a.k !== 'number') { err('check.type-mismatch', e.args[0]!.range, { expected: describeType(T.money('none')), actual: describeType(a) }); return T.error; }
        return a;
      case 'monthly':
        if (a.k !== 'money' || a.p === 'month') { err('check.type-mismatch', e.args[0]!.range, { expected: describeType(T.money('year')), actual: describeType(a) }); return T.error; }
        return { k: 'money', p: 'month', nullable: a.nullable };
      case 'yearly':
        if (a.k !== 'money' || a.p === 'year') { err('check.type-mismatch', e.args[0]!.range, { expected: describeType(T.money('month')), actual: describeType(a) }); return T.error; }
        return { k: 'money', p: 'year', nullable: a.nullable };
      case 'present': return T.bool;
      default: {
        const b = ts[1]!;
        if (a.k === 'money' && b.k === 'money' && a.p !== 'none' && b.p !== 'none' && a.p !== b.p) {
          err('check.period-mismatch', e.range, { left: describeType(a), right: describeType(b) });
          return T.error;
        }
        const u = unify(a, b);
        if (!u || !(u.k === 'money' || u.k === 'number' || u.k === 'percent' || u.k === 'date')) { err('check.operand-types', e.range, { op: e.fn, left: describeType(a), right: describeType(b) }); return T.error; }
        return u;
      }
    }
  }

  function inferAggregate(e: Extract<A.Expr, { kind: 'Aggregate' }>, scope: Scope): Type {
    if (scope.member) err('check.aggregate-nested', e.range);
    const inner: Scope = aggregateScope;
    const t = e.arg ? infer(e.arg, inner) : T.error;
    if (e.where) expectType(infer(e.where, inner), T.bool, e.where.range);
    markMember(e, false);
    const isList = t.k === 'members' || t.k === 'list';
    switch (e.fn) {
      case 'count': case 'ids':
        if (!isList && t.k !== 'bool' && t.k !== 'error') err('check.type-mismatch', e.arg.range, { expected: '成员 members / 布尔 bool', actual: describeType(t) });
        return e.fn === 'count' ? T.number : T.textlist;
      case 'any': case 'all':
        expectType(t, T.bool, e.arg.range);
        return T.bool;
      default:
        if (t.k !== 'money' && t.k !== 'number' && t.k !== 'percent' && t.k !== 'error') {
          err('check.type-mismatch', e.arg.range, { expected: `${describeType(T.money('none'))} / ${describeType(T.number)}`, actual: describeType(t) });
          return T.error;
        }
        return t.nullable ? { ...t, nullable: false } as Type : t;
    }
  }

  function inferTier(e: Extract<A.Expr, { kind: 'Tier' }>, scope: Scope): Type {
    const st = infer(e.subject, scope);
    let result: Type | null = null;
    let member = level(e.subject);
    const intervals: { lo: Num | null; loIn: boolean; hi: Num | null; hiIn: boolean; text: string; range: Range }[] = [];
    for (const b of e.brackets) {
      const bounds: (Num | null)[] = [];
      for (const bd of [b.lower, b.upper]) {
        if (!bd) { bounds.push(null); continue; }
        const bt = infer(bd.value, scope);
        if (bt.k !== 'error' && st.k !== 'error' && !comparable(st, bt, false)) err('check.type-mismatch', bd.value.range, { expected: describeType(st), actual: describeType(bt) });
        const v = constantValue(bd.value) ?? paramConstant(bd.value);
        if (!isNum(v)) { err('check.tier-bound', bd.value.range); bounds.push(null); continue; }
        bounds.push(v);
      }
      const rt = infer(b.result, scope);
      member = member || level(b.result);
      if (result === null) result = rt;
      else {
        const u = unify(result, rt);
        if (!u) err('check.type-mismatch', b.result.range, { expected: describeType(result), actual: describeType(rt) }); else result = u;
      }
      intervals.push({ lo: bounds[0] ?? null, loIn: b.lower?.inclusive ?? false, hi: bounds[1] ?? null, hiIn: b.upper?.inclusive ?? false, text: intervalText(b, bounds, st), range: b.range });
    }
    if (e.otherwise) {
      const ot = infer(e.otherwise, scope);
      member = member || level(e.otherwise);
      if (result) {
        const u = unify(result, ot);
        if (!u) err('check.type-mismatch', e.otherwise.range, { expected: describeType(result), actual: describeType(ot) }); else result = u;
      }
    }
    markMember(e, member);
    // overlaps and gaps, in order of lower bound
    const sorted = [...intervals].sort((x, y) => (x.lo === null ? -1 : y.lo === null ? 1 : cmp(x.lo, y.lo)));
    for (let i = 0; i + 1 < sorted.length; i++) {
      const a = sorted[i]!, b = sorted[i + 1]!;
      if (a.hi === null) { err('check.tier-overlap', b.range, { a: a.text, b: b.text }); continue; }
      if (b.lo === null) { err('check.tier-overlap', b.range, { a: a.text, b: b.text }); continue; }
      const c = cmp(a.hi, b.lo);
      if (c > 0 || (c === 0 && a.hiIn && b.loIn)) err('check.tier-overlap', b.range, { a: a.text, b: b.text });
      else if (c < 0 || (c === 0 && !a.hiIn && !b.loIn)) diagnostics.push(diagnostic('check.tier-gap', b.range, { a: a.text, b: b.text }));
    }
    const covered = sorted.length > 0 && sorted[0]!.lo === null && sorted[sorted.length - 1]!.hi === null;
    if (!e.otherwise && !covered) err('check.output-undefined-path', e.range, { name: '分档 tier' });
    return result ?? T.error;
  }

  function paramConstant(e: A.Expr): ConstValue | undefined {
    if (e.kind !== 'Ref') return undefined;
    const s = symbols.get(e.name);
    return s?.kind === 'param' ? (constantValue(s.decl.value) ?? undefined) : undefined;
  }

  // ── run ───────────────────────────────────────────────────────────────────────────────
  for (const s of symbols.values()) checkDecl(s);

  if (conflictsMore > 0) diagnostics.push(moreDiagnostic('check.rule-conflict', conflictsMore, conflictsAt!, 'error'));

  if (!tooDeepReported) {
    for (const s of tooDeep([...symbols.values()], (s) => directDeps[s.id] ?? [], (s) => ownDepth(s.decl))) {
      err('check.too-deep', s.decl.name.range, { name: s.decl.name.text, limit: MAX_EVAL_DEPTH });
    }
  }

  // reachability from outputs (an explicit stack: chains of definitions can be long)
  const reachable: boolean[] = new Array(symbols.size).fill(false);
  const toVisit = outputs.map((o) => symbols.get(o.decl.name.text)!);
  while (toVisit.length) {
    const s = toVisit.pop()!;
    if (reachable[s.id]) continue;
    reachable[s.id] = true;
    for (const d of directDeps[s.id] ?? []) toVisit.push(d);
  }
  // (after a check cut short by depth, uses past the cut are unknown: no unused-name warnings)
  for (const s of tooDeepReported ? [] : symbols.values()) {
    if (reachable[s.id]) continue;
    if (s.kind === 'def') diagnostics.push(diagnostic('check.unused-definition', s.decl.name.range, { name: s.decl.name.text }));
    if (s.kind === 'param') diagnostics.push(diagnostic('check.unused-parameter', s.decl.name.range, { name: s.decl.name.text }));
  }

  // dependencies of each output, for the explanation trace (a depth-first walk per output;
  // `seenBy` holds, per symbol, the last output whose walk visited it)
  const seenBy = new Int32Array(symbols.size).fill(-1);
  // (an explicit stack of [symbol, next dependency]; inputs are added after the dependencies, in
  // the order the recursive walk added them, which the trace shows)
  const walk = (start: Symbol, o: number, self: Symbol, deps: Dependencies) => {
    const stack: [Symbol, number][] = [];
    const enter = (s: Symbol) => {
      if (seenBy[s.id] === o) return;
      seenBy[s.id] = o;
      if (s.kind === 'param') deps.params.add(s.index);
      else if (s.kind === 'def') (s.member ? deps.memberDefs : deps.defs).add(s.index);
      else if (s !== self) deps.outputs.add(s.index);
      stack.push([s, 0]);
    };
    enter(start);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const ds = directDeps[top[0].id];
      if (ds && top[1] < ds.length) { enter(ds[top[1]++]!); continue; }
      stack.pop();
      const ins = directInputs[top[0].id];
      if (ins) for (let i = 0; i < ins.length; i++) deps.inputs.add(ins[i]!);
    }
  };
  outputs.forEach((o, k) => {
    const self = symbols.get(o.decl.name.text)!;
    walk(self, k, self, o.deps); // (o.deps: the empty sets made with the output, still unused)
  });

  const info: PolicyInfo = {
    id: header?.id.text ?? '', title: header?.title ?? '', program: header?.program ?? '', jurisdiction: header?.jurisdiction ?? '',
    effective: header?.effective?.text ?? null, effectiveAssumed: header?.effective?.assumed?.text ?? null, note: header?.note ?? null, sources: header?.sources.map((s) => s.text) ?? [],
    parameters: params.map((p): ParamInfo => ({
      name: p.decl.name.text, label: p.decl.label, labelEn: p.decl.labelEn ?? null, type: describeType(p.type), value: showConst(p.value, p.type), unit: unitOf(p.type),
      min: p.decl.min ? showConst(constantValue(p.decl.min) ?? null, p.type) : null,
      max: p.decl.max ? showConst(constantValue(p.decl.max) ?? null, p.type) : null,
      sources: p.decl.sources.map((s) => s.text), assumed: p.decl.assumed?.text ?? null, range: p.decl.range, valueRange: p.decl.value.range,
    })),
    outputs: outputs.map((o) => ({ name: o.decl.name.text, label: o.decl.label, labelEn: o.decl.labelEn ?? null, type: describeType(o.type), perMember: o.decl.member })),
  };

  const hasErrors = diagnostics.some((d) => d.severity === 'error');
  const program: Program = { ast, info, household, params, defs, memberDefs, outputs, types, resolutions, overrides };
  return { program: hasErrors ? undefined : program, diagnostics, ...(hasErrors ? { partial: program } : {}) } as CheckResult & { partial?: Program };
}

/** Two declared names that look the same (one written with Cyrillic or Greek look-alikes): the
 *  second is reported (B8; a reviewer reading `cop` cannot tell which of the two is meant). */
function reportLookAlikes(names: A.Name[], err: (code: string, range: Range, args: Record<string, string>) => void): void {
  const seen = new Map<string, string>();
  for (const n of names) {
    const key = skeleton(n.text);
    const other = seen.get(key);
    if (other !== undefined && other !== n.text) err('check.confusable-name', n.range, { name: n.text, other });
    if (other === undefined) seen.set(key, n.text);
  }
}

function emptyDeps(): Dependencies {
  return { params: new Set(), defs: new Set(), memberDefs: new Set(), outputs: new Set(), inputs: new Set() };
}

export function unify(a: Type, b: Type): Type | null {
  if (a.k === 'error') return b;
  if (b.k === 'error') return a;
  if (a.k === 'null') return { ...b, nullable: true } as Type;
  if (b.k === 'null') return { ...a, nullable: true } as Type;
  const nullable = a.nullable || b.nullable;
  if (a.k === 'money' && b.k === 'money') {
    if (a.p !== 'none' && b.p !== 'none' && a.p !== b.p) return null;
    return { k: 'money', p: a.p === 'none' ? b.p : a.p, nullable };
  }
  if (a.k === 'enum' && b.k === 'enum') return a;
  if ((a.k === 'enum' && b.k === 'text') || (a.k === 'text' && b.k === 'enum')) return T.text;
  if (a.k !== b.k) return null;
  return nullable ? ({ ...a, nullable } as Type) : a;
}

function compatible(expected: Type, actual: Type): boolean {
  if (actual.k === 'error' || expected.k === 'error') return true;
  return unify(expected, actual) !== null;
}

const scalar = (t: Type) => t.k === 'number' || t.k === 'percent';

function comparable(l: Type, r: Type, equality: boolean): boolean {
  if (l.k === 'null' || r.k === 'null') return equality;
  if (l.k === 'money' && r.k === 'money') return true;
  if (l.k === r.k) return equality || l.k === 'number' || l.k === 'percent' || l.k === 'date' || l.k === 'duration' || l.k === 'money';
  if (equality && ((l.k === 'enum' && r.k === 'text') || (l.k === 'text' && r.k === 'enum'))) return true;
  return false;
}

function opText(op: A.BinaryOp): string {
  return ({ '*': '×', '/': '÷', '-': '−', and: '并且', or: '或者', in: '属于' } as Record<string, string>)[op] ?? op;
}

function unitOf(t: Type): string {
  if (t.k === 'money') return t.p === 'month' ? '元/月' : t.p === 'year' ? '元/年' : '元';
  if (t.k === 'percent') return '%';
  return '';
}

export function showConst(v: unknown, t: Type): string {
  if (v === null || v === undefined) return '';
  if (isNum(v)) {
    if (t.k === 'money') return fenToYuan(v).replace(/\.00$/, '');
    if (t.k === 'percent') return numToText(mul(v, 100)) + '%';
    return numToText(v);
  }
  if (typeof v === 'object' && v && 'duration' in v) { const d = v as unknown as { duration: Num; unit: string }; return `${numToText(d.duration)} ${d.unit}`; }
  if (Array.isArray(v)) return `[${v.join(', ')}]`;
  if (typeof v === 'boolean') return v ? '真' : '假';
  if (typeof v === 'number' && t.k === 'date') return String(v);
  return String(v);
}

function intervalText(b: A.TierBracket, bounds: (Num | null)[], st: Type): string {
  const lo = bounds[0] != null ? showConst(bounds[0], st) : '-∞';
  const hi = bounds[1] != null ? showConst(bounds[1], st) : '+∞';
  return `${b.lower?.inclusive ? '[' : '('}${lo}, ${hi}${b.upper?.inclusive ? ']' : ')'}`;
}
