// Declarations: each checked once, on first use (a definition used before it is declared is
// checked then), with cycles reported along the path that closes them.
import type * as A from '../syntax/ast.js';
import { diagnostic, type Range } from '../base/diagnostics.js';
import { T, typeText, type Type, type Program } from './types.js';
import { constantValue } from './constants.js';
import type { CheckState, Symbol, Scope } from './state.js';
import { householdScope, memberScope } from './levels.js';
import { infer } from './infer.js';
import { unify, compatible, expectType } from './type-rules.js';
import { checkParamRange } from './ranges.js';
import { checkPriorities } from './priorities.js';
import { checkTable } from './table.js';
import { tableContext } from './infer.js';

/** Installs `cx.typeOfSymbol` (how infer.ts reaches a declaration's type). */
export function installDeclarations(cx: CheckState): void {
  cx.typeOfSymbol = typeOfSymbol;
}

function typeOfSymbol(cx: CheckState, s: Symbol, at: Range): Type {
  const name = s.decl.name.text;
  if (cx.current) { const list = cx.directDeps[cx.current.id]!; if (!list.includes(s)) list.push(s); }
  const known = cx.declType[s.id];
  if (known !== undefined) return known;
  if (cx.inProgress.includes(name)) {
    const cycle = [...cx.inProgress.slice(cx.inProgress.indexOf(name)), name].join(' → ');
    cx.err('check.cycle', at, { path: cycle });
    return T.error;
  }
  return checkDecl(cx, s);
}

export function checkDecl(cx: CheckState, s: Symbol): Type {
  const known = cx.declType[s.id];
  if (known !== undefined) return known;
  cx.inProgress.push(s.decl.name.text);
  const saved = cx.current;
  // (a name recovered from a syntax error may be empty: such a declaration records nothing)
  cx.current = s.decl.name.text ? s : null;
  if (!cx.directDeps[s.id]) cx.directDeps[s.id] = [];
  let t: Type;
  if (s.kind === 'param') t = checkParam(cx, s.decl, s.index);
  else t = checkBody(cx, s.decl, s.decl.body, s.member ? memberScope : householdScope);
  cx.current = saved;
  cx.inProgress.pop();
  cx.declType[s.id] = t;
  if (s.kind === 'def') (s.member ? cx.memberDefs : cx.defs)[s.index]!.type = t;
  if (s.kind === 'output') cx.outputs[s.index]!.type = t;
  return t;
}

function checkParam(cx: CheckState, d: A.ParamDecl, index: number): Type {
  const v = constantValue(d.value);
  if (v === undefined) { cx.err('check.not-constant', d.value.range); return T.error; }
  const t = infer(cx, d.value, householdScope);
  cx.params[index]!.type = t;
  cx.params[index]!.value = v as Program['params'][number]['value'];
  if (d.min && d.max) {
    const lo = constantValue(d.min), hi = constantValue(d.max);
    const tl = infer(cx, d.min, householdScope), th = infer(cx, d.max, householdScope);
    for (const [b, tb] of [[d.min, tl], [d.max, th]] as const) {
      if (!compatible(t, tb)) cx.err('check.type-mismatch', b.range, { expected: typeText(t), actual: typeText(tb) });
    }
    checkParamRange(cx, d as A.ParamDecl & { min: A.Expr; max: A.Expr }, v, t, lo, hi);
  }
  return t;
}

function checkBody(cx: CheckState, decl: A.DefDecl | A.OutputDecl, body: A.Body, scope: Scope): Type {
  if (body.kind === 'Expr') {
    const t = infer(cx, body.expr, scope);
    if (t.k === 'members') cx.err('check.type-mismatch', body.expr.range, { expected: { zh: '值', en: 'a value' }, actual: typeText(t) });
    if (body.table) cx.diagnostics.push(...checkTable(body.table, tableContext(cx)));
    return t;
  }
  let result: Type | null = null;
  const unifyInto = (e: A.Expr) => {
    const t = infer(cx, e, scope);
    if (result === null) { result = t; return; }
    const u = unify(result, t);
    if (!u) cx.err('check.type-mismatch', e.range, { expected: typeText(result), actual: typeText(t) });
    else result = u;
  };
  const rules = body.rules;
  for (const r of rules) {
    const ct = infer(cx, r.when, scope);
    expectType(cx, ct, T.bool, r.when.range);
    unifyInto(r.then);
    if (r.sources.length === 0 && decl.sources.length === 0) cx.diagnostics.push(diagnostic('check.missing-source', r.name.range, { name: r.name.text }));
  }
  // a table's rows are proved apart (or ordered by 首个) by its own check, which also reports its gaps
  checkPriorities(cx, decl, rules, !body.table);
  if (body.table) cx.diagnostics.push(...checkTable(body.table, tableContext(cx)));
  if (body.otherwise) unifyInto(body.otherwise);
  else if (!body.table) cx.err('check.output-undefined-path', decl.name.range, { name: decl.name.text });
  return result ?? T.error;
}
