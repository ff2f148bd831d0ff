// Types, units and periods: which operands an operator takes and what it yields (元/月 + 元/年
// is a period mismatch; 元/月 × 个月 is 元), and how the branches of a rule or `if` unify.
import type * as A from '../syntax/ast.js';
import { T, typeText, type Type, type FieldType } from './types.js';
import type { CheckState } from './state.js';
import { keywordInfos } from '../syntax/lexer.js';

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

export function compatible(expected: Type, actual: Type): boolean {
  if (actual.k === 'error' || expected.k === 'error') return true;
  return unify(expected, actual) !== null;
}

const scalar = (t: Type) => t.k === 'number' || t.k === 'percent';

export function comparable(l: Type, r: Type, equality: boolean): boolean {
  if (l.k === 'null' || r.k === 'null') return equality;
  if (l.k === 'money' && r.k === 'money') return true;
  if (l.k === r.k) return equality || l.k === 'number' || l.k === 'percent' || l.k === 'date' || l.k === 'duration' || l.k === 'money';
  if (equality && ((l.k === 'enum' && r.k === 'text') || (l.k === 'text' && r.k === 'enum'))) return true;
  return false;
}

/** A built-in function as each language writes it (最大 / max), for messages. */
export function fnText(fn: A.CallFn): string | { zh: string; en: string } {
  const k = keywordInfos.find((x) => x.token.name.toLowerCase() === fn.toLowerCase());
  return k?.zh[0] && k.en[0] ? { zh: k.zh[0], en: k.en[0] } : fn;
}

function opText(op: A.BinaryOp): string | { zh: string; en: string } {
  switch (op) {
    case '*': return '×';
    case '/': return '÷';
    case '-': return '−';
    case 'and': return { zh: '并且', en: 'and' };
    case 'or': return { zh: '或者', en: 'or' };
    case 'in': return { zh: '属于', en: 'in' };
    default: return op;
  }
}

export function expectType(cx: CheckState, actual: Type, expected: Type, range: A.Expr['range']): void {
  if (actual.k === 'error') return;
  if (!compatible(expected, actual)) cx.err('check.type-mismatch', range, { expected: typeText(expected), actual: typeText(actual) });
}

function badOperands(cx: CheckState, e: A.Expr, op: A.BinaryOp, l: Type, r: Type): Type {
  cx.err('check.operand-types', e.range, { op: opText(op), left: typeText(l), right: typeText(r) });
  return T.error;
}

export function periodMismatch(cx: CheckState, e: A.Expr, l: Type, r: Type): Type | null {
  if (l.k === 'money' && r.k === 'money' && l.p !== 'none' && r.p !== 'none' && l.p !== r.p) {
    cx.err('check.period-mismatch', e.range, { left: typeText(l), right: typeText(r) });
    return T.error;
  }
  return null;
}

/** The type of `l op r` (both operand types known, neither an error). */
export function binaryType(cx: CheckState, e: Extract<A.Expr, { kind: 'Binary' }>, op: A.BinaryOp, l: Type, r: Type): Type {
  switch (op) {
    case 'and': case 'or':
      expectType(cx, l, T.bool, e.left.range); expectType(cx, r, T.bool, e.right.range); return T.bool;
    case 'in':
      if (!(l.k === 'text' || l.k === 'enum') || r.k !== 'textlist') return badOperands(cx, e, op, l, r);
      return T.bool;
    case '=': case '!=':
      if (periodMismatch(cx, e, l, r)) return T.bool;
      if (!comparable(l, r, true)) { badOperands(cx, e, op, l, r); }
      return T.bool;
    case '<': case '<=': case '>': case '>=':
      if (periodMismatch(cx, e, l, r)) return T.bool;
      if (!comparable(l, r, false)) badOperands(cx, e, op, l, r);
      return T.bool;
    case '+': case '-': return additiveType(cx, e, op, l, r);
    case '*': return productType(cx, e, op, l, r);
    case '/': {
      if (l.k === 'money' && (r.k === 'number' || r.k === 'percent')) return l;
      if (l.k === 'money' && r.k === 'money') return periodMismatch(cx, e, l, r) ?? T.number;
      if ((l.k === 'number' || l.k === 'percent') && (r.k === 'number' || r.k === 'percent')) return l.k === 'percent' && r.k === 'number' ? T.percent : T.number;
      return badOperands(cx, e, op, l, r);
    }
  }
}

function additiveType(cx: CheckState, e: A.Expr, op: A.BinaryOp, l: Type, r: Type): Type {
  if (periodMismatch(cx, e, l, r)) return T.error;
  if (l.k === 'date' && r.k === 'duration') return { k: 'date', nullable: l.nullable || r.nullable };
  if (l.k === 'money' && r.k === 'money') return { k: 'money', p: l.p === 'none' ? r.p : l.p, nullable: l.nullable || r.nullable };
  if (l.k === r.k && (l.k === 'number' || l.k === 'percent' || l.k === 'duration')) return { ...l, nullable: l.nullable || r.nullable } as Type;
  // 1 + 10% = 1.1: a rate added to a plain number is a number
  if ((l.k === 'number' && r.k === 'percent') || (l.k === 'percent' && r.k === 'number')) return T.number;
  return badOperands(cx, e, op, l, r);
}

function productType(cx: CheckState, e: A.Expr, op: A.BinaryOp, l: Type, r: Type): Type {
  if (l.k === 'money' && scalar(r)) return l;
  if (r.k === 'money' && scalar(l)) return r;
  if (l.k === 'number' && r.k === 'number') return T.number;
  if (scalar(l) && scalar(r)) return T.percent;
  if (l.k === 'duration' && r.k === 'number') return l;
  // 500 元/月 × 3 个月 = 1500 元: an amount per period over a duration is a sum
  if ((l.k === 'money' && l.p !== 'none' && r.k === 'duration') || (r.k === 'money' && r.p !== 'none' && l.k === 'duration')) return { k: 'money', p: 'none', nullable: l.nullable || r.nullable };
  return badOperands(cx, e, op, l, r);
}

/** The checker's type of an input field (integer fields are numbers; enums carry their values). */
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
