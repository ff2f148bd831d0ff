// Expressions to closures. Types were settled by the checker, so each closure is specialised:
// integer fast paths for money in fen, null checks only where a value can be null, and no
// name lookups at run time (names were resolved to slots), so nothing can be injected.
import type * as A from '../syntax/ast.js';
import type { Program, Type } from '../check/types.js';
import { type Ctx, type Fn, UNSET, EvalFault } from './context.js';
import { constOf } from './const-of.js';
import { add, sub, mul, div, neg, cmp, eq, isZero, roundFen, min, max, type Num } from '../base/money.js';
import { constantValue } from '../check/constants.js';
import { ageOn, addMonths, addDays } from '../base/dates.js';
import { dateRoundOp } from '../base/date-round-ops.js';

export interface Slots { def(index: number, member: boolean): Fn; output(index: number): Fn; param(index: number): unknown }

const isNum = (v: unknown): v is Num => typeof v === 'number' || (typeof v === 'object' && v !== null && 'n' in v);

/** The field name when e reads one field of the current member (成员.income_monthly, disability_level), else undefined. */
function memberFieldOf(e: A.Expr, p: Program): string | undefined {
  if (e.kind !== 'Field' && e.kind !== 'Ref') return undefined;
  const r = p.resolutions.get(e);
  return r?.kind === 'memberField' && r.fields.length === 1 ? r.fields[0]!.name : undefined;
}

/** The operands of a chain of the same boolean operator: a or b or c → [a, b, c]. */
function chain(e: A.Expr, op: 'and' | 'or', out: A.Expr[] = []): A.Expr[] {
  if (e.kind === 'Binary' && e.op === op) { chain(e.left, op, out); chain(e.right, op, out); } else out.push(e);
  return out;
}

export function compileExpr(e: A.Expr, p: Program, slots: Slots): Fn {
  const type = (x: A.Expr): Type => p.types.get(x) ?? { k: 'error' };
  const nullable = (x: A.Expr) => Boolean(type(x).nullable) || type(x).k === 'null';
  const c = (x: A.Expr) => compileExpr(x, p, slots);

  switch (e.kind) {
    case 'Number': case 'Money': case 'Percent': case 'Date': case 'Duration': case 'Text': case 'Bool': case 'None': case 'List': {
      const r = p.resolutions.get(e);
      const v = r?.kind === 'enum' ? r.value : constantValue(e) ?? null;
      return () => v;
    }
    case 'Error': return () => { throw new EvalFault('表达式有误', 'invalid expression', e.range.start.line); };
    case 'AsOf': return (cx) => cx.asOf;
    case 'Age': return (cx) => {
      const b = cx.mem[cx.m]!['birth_date'] as number | null;
      return b == null ? null : ageOn(b, cx.asOf);
    };
    case 'Members': return () => true;
    case 'Ref': {
      const r = p.resolutions.get(e)!;
      switch (r.kind) {
        case 'param': { const v = slots.param(r.index); return () => v; }
        case 'def': return slots.def(r.index, r.member);
        case 'output': return slots.output(r.index);
        case 'enum': { const v = r.value; return () => v; }
        case 'memberField': { const name = r.fields[0]!.name; return (cx) => cx.mem[cx.m]![name]; }
        default: return () => null;
      }
    }
    case 'Field': {
      const r = p.resolutions.get(e)!;
      const names = r.kind === 'householdField' || r.kind === 'memberField' ? r.fields.map((f) => f.name) : [];
      if (r.kind === 'householdField') {
        if (names.length === 1) { const a = names[0]!; return (cx) => cx.h[a]; }
        if (names.length === 2) { const a = names[0]!, b = names[1]!; return (cx) => (cx.h[a] as Record<string, unknown> | null)?.[b] ?? null; }
        return (cx) => names.reduce<unknown>((o, n) => (o as Record<string, unknown> | null)?.[n] ?? null, cx.h);
      }
      if (names.length === 1) { const a = names[0]!; return (cx) => cx.mem[cx.m]![a]; }
      return (cx) => names.reduce<unknown>((o, n) => (o as Record<string, unknown> | null)?.[n] ?? null, cx.mem[cx.m]);
    }
    case 'Unary': {
      const a = c(e.arg);
      if (e.op === 'not') return (cx) => !a(cx);
      if (type(e.arg).k === 'duration') return (cx) => { const d = a(cx) as { duration: Num; unit: string } | null; return d && { ...d, duration: neg(d.duration) }; };
      return nullable(e.arg) ? (cx) => { const v = a(cx) as Num | null; return v === null ? null : neg(v); } : (cx) => neg(a(cx) as Num);
    }
    case 'Binary': return compileBinary(e, p, slots);
    case 'If': {
      const k = c(e.cond), a = c(e.then), b = c(e.else);
      return (cx) => (k(cx) ? a(cx) : b(cx));
    }
    case 'Call': {
      const args = e.args.map(c);
      const a = args[0]!, b = args[1]!;
      const n0 = nullable(e.args[0]!);
      switch (e.fn) {
        case 'round': return n0 ? (cx) => { const v = a(cx) as Num | null; return v === null ? null : roundFen(v); } : (cx) => roundFen(a(cx) as Num);
        case 'monthly': return (cx) => { const v = a(cx) as Num | null; return v === null ? null : div(v, 12); };
        case 'yearly': return (cx) => { const v = a(cx) as Num | null; return v === null ? null : mul(v, 12); };
        case 'present': return (cx) => a(cx) !== null && a(cx) !== undefined;
        case 'daysBetween': case 'monthsBetween': case 'yearsBetween': case 'yearOf': case 'monthOf': case 'prorate': case 'roundTo': {
          const fn = e.fn, c3 = args[2];
          return c3 ? (cx) => dateRoundOp(fn, a(cx), b!(cx), c3(cx)) : b ? (cx) => dateRoundOp(fn, a(cx), b(cx)) : (cx) => dateRoundOp(fn, a(cx));
        }
        case 'min': return type(e).k === 'date' ? (cx) => Math.min(a(cx) as number, b(cx) as number) : (cx) => min(a(cx) as Num, b(cx) as Num);
        case 'max': return type(e).k === 'date' ? (cx) => Math.max(a(cx) as number, b(cx) as number) : (cx) => max(a(cx) as Num, b(cx) as Num);
        case 'atLeast': case 'atMost': {
          const k = constOf(e.args[0]!, p);
          const lo = e.fn === 'atLeast';
          if (k !== undefined && typeof k.v === 'number') {
            const kv = k.v;
            return lo
              ? (cx) => { const v = b(cx) as Num; return typeof v === 'number' ? (v >= kv ? v : kv) : max(v, kv); }
              : (cx) => { const v = b(cx) as Num; return typeof v === 'number' ? (v <= kv ? v : kv) : min(v, kv); };
          }
          return lo ? (cx) => max(b(cx) as Num, a(cx) as Num) : (cx) => min(b(cx) as Num, a(cx) as Num);
        }
      }
      break;
    }
    case 'Aggregate': return compileAggregate(e, p, slots);
    case 'Tier': {
      const subject = c(e.subject);
      const brackets = e.brackets.map((b) => ({
        lo: b.lower ? boundValue(b.lower.value, p, slots) : null, loIn: b.lower?.inclusive ?? false,
        hi: b.upper ? boundValue(b.upper.value, p, slots) : null, hiIn: b.upper?.inclusive ?? false,
        result: c(b.result),
      }));
      const otherwise = e.otherwise ? c(e.otherwise) : () => null;
      return (cx) => {
        const v = subject(cx) as Num | null;
        if (v === null || v === undefined) return otherwise(cx);
        for (const b of brackets) {
          if (b.lo !== null) { const k = cmp(v, b.lo); if (k < 0 || (k === 0 && !b.loIn)) continue; }
          if (b.hi !== null) { const k = cmp(v, b.hi); if (k > 0 || (k === 0 && !b.hiIn)) continue; }
          return b.result(cx);
        }
        return otherwise(cx);
      };
    }
  }
  return () => null;
}

function boundValue(e: A.Expr, p: Program, slots: Slots): Num {
  const v = constantValue(e);
  if (isNum(v)) return v;
  const r = e.kind === 'Ref' ? p.resolutions.get(e) : undefined;
  if (r?.kind === 'param') return slots.param(r.index) as Num;
  return 0;
}

function compileBinary(e: Extract<A.Expr, { kind: 'Binary' }>, p: Program, slots: Slots): Fn {
  const a = compileExpr(e.left, p, slots), b = compileExpr(e.right, p, slots);
  const lt = p.types.get(e.left) ?? { k: 'error' }, rt = p.types.get(e.right) ?? { k: 'error' };
  const canBeNull = Boolean(lt.nullable || rt.nullable || lt.k === 'null' || rt.k === 'null');
  const numeric = (t: Type) => t.k === 'money' || t.k === 'number' || t.k === 'percent';
  const line = e.range.start.line;
  switch (e.op) {
    case 'and': case 'or': {
      const fs = chain(e, e.op).map((x) => compileExpr(x, p, slots));
      if (e.op === 'and') {
        if (fs.length === 2) { const f = fs[0]!, g = fs[1]!; return (cx) => Boolean(f(cx)) && Boolean(g(cx)); }
        return (cx) => { for (let i = 0; i < fs.length; i++) if (!fs[i]!(cx)) return false; return true; };
      }
      if (fs.length === 2) { const f = fs[0]!, g = fs[1]!; return (cx) => Boolean(f(cx)) || Boolean(g(cx)); }
      return (cx) => { for (let i = 0; i < fs.length; i++) if (fs[i]!(cx)) return true; return false; };
    }
    case 'in': return (cx) => { const l = b(cx) as string[] | null; return l !== null && l !== undefined && l.includes(a(cx) as string); };
    case '=': case '!=': {
      const numericEq = numeric(lt) && numeric(rt);
      const k = constOf(e.right, p);
      // comparison with a constant enum/text/bool value: one closure, no call for the constant
      if (numericEq && k !== undefined && typeof k.v === 'number') {
        const kv = k.v;
        return e.op === '='
          ? (cx) => { const x = a(cx) as Num | null; return typeof x === 'number' ? x === kv : x != null && eq(x, kv); }
          : (cx) => { const x = a(cx) as Num | null; return typeof x === 'number' ? x !== kv : !(x != null && eq(x, kv)); };
      }
      if (!numericEq && k !== undefined) {
        const kv = k.v ?? null;
        return e.op === '=' ? (cx) => (a(cx) ?? null) === kv : (cx) => (a(cx) ?? null) !== kv;
      }
      const same = numericEq
        ? (x: unknown, y: unknown) => (x === null || y === null ? x === y : eq(x as Num, y as Num))
        : (x: unknown, y: unknown) => x === y;
      return e.op === '=' ? (cx) => same(a(cx) ?? null, b(cx) ?? null) : (cx) => !same(a(cx) ?? null, b(cx) ?? null);
    }
    case '<': case '<=': case '>': case '>=': {
      const op = e.op;
      const test = { '<': (k: number) => k < 0, '<=': (k: number) => k <= 0, '>': (k: number) => k > 0, '>=': (k: number) => k >= 0 }[op];
      if (lt.k === 'date' || rt.k === 'date') {
        return (cx) => { const x = a(cx) as number | null, y = b(cx) as number | null; return x === null || y === null || x === undefined || y === undefined ? false : test(x - y); };
      }
      const k = constOf(e.right, p);
      // 年龄 ≥ 60: the age is computed inline from the member's birth date (null birth date → false)
      if (e.left.kind === 'Age' && k !== undefined && typeof k.v === 'number') {
        const kv = k.v;
        const age = (cx: Ctx) => { const bd = cx.mem[cx.m]!['birth_date'] as number | null | undefined; return bd == null ? null : ageOn(bd, cx.asOf); };
        switch (op) {
          case '<': return (cx) => { const x = age(cx); return x !== null && x < kv; };
          case '<=': return (cx) => { const x = age(cx); return x !== null && x <= kv; };
          case '>': return (cx) => { const x = age(cx); return x !== null && x > kv; };
          case '>=': return (cx) => { const x = age(cx); return x !== null && x >= kv; };
        }
      }
      // x ⋚ constant: integer fast path, exact comparison otherwise; null → false
      if (k !== undefined && isNum(k.v)) {
        const kv = k.v;
        const fieldName = memberFieldOf(e.left, p);
        if (typeof kv === 'number' && fieldName !== undefined) {
          // a member's field against a constant (disability_level > 0): read in place, no operand calls
          const f = fieldName;
          switch (op) {
            case '<': return (cx) => { const x = cx.mem[cx.m]![f] as Num | null; return typeof x === 'number' ? x < kv : x != null && cmp(x, kv) < 0; };
            case '<=': return (cx) => { const x = cx.mem[cx.m]![f] as Num | null; return typeof x === 'number' ? x <= kv : x != null && cmp(x, kv) <= 0; };
            case '>': return (cx) => { const x = cx.mem[cx.m]![f] as Num | null; return typeof x === 'number' ? x > kv : x != null && cmp(x, kv) > 0; };
            case '>=': return (cx) => { const x = cx.mem[cx.m]![f] as Num | null; return typeof x === 'number' ? x >= kv : x != null && cmp(x, kv) >= 0; };
          }
        }
        if (typeof kv === 'number') {
          switch (op) {
            case '<': return (cx) => { const x = a(cx) as Num | null; return typeof x === 'number' ? x < kv : x != null && cmp(x, kv) < 0; };
            case '<=': return (cx) => { const x = a(cx) as Num | null; return typeof x === 'number' ? x <= kv : x != null && cmp(x, kv) <= 0; };
            case '>': return (cx) => { const x = a(cx) as Num | null; return typeof x === 'number' ? x > kv : x != null && cmp(x, kv) > 0; };
            case '>=': return (cx) => { const x = a(cx) as Num | null; return typeof x === 'number' ? x >= kv : x != null && cmp(x, kv) >= 0; };
          }
        }
        return (cx) => { const x = a(cx) as Num | null; return x != null && test(cmp(x, kv)); };
      }
      switch (op) {
        case '<': return (cx) => { const x = a(cx) as Num | null, y = b(cx) as Num | null; return typeof x === 'number' && typeof y === 'number' ? x < y : x != null && y != null && cmp(x, y) < 0; };
        case '<=': return (cx) => { const x = a(cx) as Num | null, y = b(cx) as Num | null; return typeof x === 'number' && typeof y === 'number' ? x <= y : x != null && y != null && cmp(x, y) <= 0; };
        case '>': return (cx) => { const x = a(cx) as Num | null, y = b(cx) as Num | null; return typeof x === 'number' && typeof y === 'number' ? x > y : x != null && y != null && cmp(x, y) > 0; };
        case '>=': return (cx) => { const x = a(cx) as Num | null, y = b(cx) as Num | null; return typeof x === 'number' && typeof y === 'number' ? x >= y : x != null && y != null && cmp(x, y) >= 0; };
      }
      break;
    }
    case '+': case '-': {
      if (lt.k === 'date') {
        const sign = e.op === '+' ? 1 : -1;
        return (cx) => {
          const d = a(cx) as number | null, dur = b(cx) as { duration: Num; unit: string } | null;
          if (d === null || dur === null || d === undefined) return null;
          const n = dur.duration;
          if (typeof n !== 'number') throw new EvalFault('期限必须是整数', 'a duration added to a date must be whole', line);
          return dur.unit === 'days' ? addDays(d, sign * n) : addMonths(d, sign * n * (dur.unit === 'years' ? 12 : 1));
        };
      }
      if (lt.k === 'duration') {
        const f = e.op === '+' ? add : sub;
        return (cx) => { const x = a(cx) as { duration: Num; unit: string }, y = b(cx) as { duration: Num; unit: string }; return { duration: f(x.duration, y.duration), unit: x.unit }; };
      }
      const f = e.op === '+' ? add : sub;
      if (canBeNull) return (cx) => { const x = a(cx) as Num | null, y = b(cx) as Num | null; return x === null || y === null ? null : f(x, y); };
      if (e.op === '+') return (cx) => { const x = a(cx) as Num, y = b(cx) as Num; if (typeof x === 'number' && typeof y === 'number') { const s = x + y; if (Number.isSafeInteger(s)) return s; } return add(x, y); };
      return (cx) => { const x = a(cx) as Num, y = b(cx) as Num; if (typeof x === 'number' && typeof y === 'number') { const s = x - y; if (Number.isSafeInteger(s)) return s; } return sub(x, y); };
    }
    case '*': {
      if ((lt.k === 'money' && rt.k === 'duration') || (lt.k === 'duration' && rt.k === 'money')) {
        // an amount per month (year) over a duration in months, years or days
        const perMonth = (lt.k === 'money' ? lt : rt) as { p: string };
        const [money, dur] = lt.k === 'money' ? [a, b] : [b, a];
        return (cx) => {
          const m = money(cx) as Num | null, d = dur(cx) as { duration: Num; unit: string } | null;
          if (m === null || d === null) return null;
          const months = d.unit === 'years' ? mul(d.duration, 12) : d.unit === 'months' ? d.duration : null;
          if (months === null) throw new EvalFault('按日计的期限不能与月/年金额相乘', 'a duration in days cannot multiply an amount per month or year', line);
          return perMonth.p === 'year' ? div(mul(m, months), 12) : mul(m, months);
        };
      }
      if (lt.k === 'duration') return (cx) => { const x = a(cx) as { duration: Num; unit: string }; return { duration: mul(x.duration, b(cx) as Num), unit: x.unit }; };
      if (canBeNull) return (cx) => { const x = a(cx) as Num | null, y = b(cx) as Num | null; return x === null || y === null ? null : mul(x, y); };
      const kl = constOf(e.left, p), kr = constOf(e.right, p);
      // rate × amount with a constant rate (10 % = 1/10): the rate's numerator multiplies first, one reduction
      if (kl !== undefined && isNum(kl.v)) {
        const kv = kl.v;
        if (typeof kv === 'number') return (cx) => { const y = b(cx) as Num; if (typeof y === 'number') { const s = kv * y; if (Number.isSafeInteger(s)) return s; } return mul(kv, y); };
        return (cx) => mul(kv, b(cx) as Num);
      }
      if (kr !== undefined && isNum(kr.v)) {
        const kv = kr.v;
        if (typeof kv === 'number') return (cx) => { const x = a(cx) as Num; if (typeof x === 'number') { const s = x * kv; if (Number.isSafeInteger(s)) return s; } return mul(x, kv); };
        return (cx) => mul(a(cx) as Num, kv);
      }
      return (cx) => { const x = a(cx) as Num, y = b(cx) as Num; if (typeof x === 'number' && typeof y === 'number') { const s = x * y; if (Number.isSafeInteger(s)) return s; } return mul(x, y); };
    }
    case '/': {
      return (cx) => {
        const x = a(cx) as Num | null, y = b(cx) as Num | null;
        if (x === null || y === null) return null;
        if (isZero(y)) throw new EvalFault('除数为零', 'division by zero', line);
        return div(x, y);
      };
    }
  }
}

function compileAggregate(e: Extract<A.Expr, { kind: 'Aggregate' }>, p: Program, slots: Slots): Fn {
  const argType = p.types.get(e.arg) ?? { k: 'error' };
  const isList = argType.k === 'members' || argType.k === 'list';
  const arg = isList ? () => true : compileExpr(e.arg, p, slots);
  const where = e.where ? compileExpr(e.where, p, slots) : null;
  const keep = where ? (cx: Ctx) => Boolean(where(cx)) : () => true;
  switch (e.fn) {
    case 'count':
      if (isList && where) {
        return (cx) => {
          const saved = cx.m; let n = 0;
          for (let i = 0; i < cx.mem.length; i++) { cx.m = i; if (where(cx)) n++; }
          cx.m = saved; return n;
        };
      }
      return (cx) => {
        if (isList && !where) return cx.mem.length;
        const saved = cx.m; let n = 0;
        for (let i = 0; i < cx.mem.length; i++) { cx.m = i; if (keep(cx) && arg(cx)) n++; }
        cx.m = saved; return n;
      };
    case 'ids':
      if (isList && where) {
        return (cx) => {
          const saved = cx.m; const out: string[] = [];
          for (let i = 0; i < cx.mem.length; i++) { cx.m = i; if (where(cx)) out.push(String(cx.mem[i]!['id'])); }
          cx.m = saved; return out;
        };
      }
      return (cx) => {
        const saved = cx.m; const out: string[] = [];
        for (let i = 0; i < cx.mem.length; i++) { cx.m = i; if (keep(cx) && arg(cx)) out.push(String(cx.mem[i]!['id'])); }
        cx.m = saved; return out;
      };
    case 'any':
      return (cx) => {
        const saved = cx.m; let r = false;
        for (let i = 0; i < cx.mem.length && !r; i++) { cx.m = i; if (keep(cx) && arg(cx)) r = true; }
        cx.m = saved; return r;
      };
    case 'all':
      return (cx) => {
        const saved = cx.m; let r = true;
        for (let i = 0; i < cx.mem.length && r; i++) { cx.m = i; if (keep(cx) && !arg(cx)) r = false; }
        cx.m = saved; return r;
      };
    case 'sum':
      if (!where && !isList) {
        // 合计(成员.a − 成员.b) and 合计(成员.a): the members' fields are read in place (no operand calls)
        const arg0 = e.arg;
        const nonNull = (x: A.Expr) => { const t = p.types.get(x); return t !== undefined && !t.nullable && t.k !== 'null'; };
        const one = memberFieldOf(arg0, p);
        const pair = arg0.kind === 'Binary' && (arg0.op === '-' || arg0.op === '+') && nonNull(arg0.left) && nonNull(arg0.right)
          ? [memberFieldOf(arg0.left, p), memberFieldOf(arg0.right, p), arg0.op] as const : undefined;
        if (one !== undefined && nonNull(arg0)) {
          return (cx) => {
            const ms = cx.mem; let s: Num = 0;
            for (let i = 0; i < ms.length; i++) {
              const v = ms[i]![one] as Num | null | undefined;
              if (v === null || v === undefined) continue;
              if (typeof s === 'number' && typeof v === 'number' && Number.isSafeInteger(s + v)) s = s + v; else s = add(s, v);
            }
            return s;
          };
        }
        if (pair && pair[0] !== undefined && pair[1] !== undefined) {
          const fa = pair[0], fb = pair[1], minus = pair[2] === '-';
          return (cx) => {
            const ms = cx.mem; let s: Num = 0;
            for (let i = 0; i < ms.length; i++) {
              const r = ms[i]!;
              const x = r[fa] as Num, y = r[fb] as Num;
              let v: Num;
              if (typeof x === 'number' && typeof y === 'number') { const d = minus ? x - y : x + y; v = Number.isSafeInteger(d) ? d : minus ? sub(x, y) : add(x, y); } else v = minus ? sub(x, y) : add(x, y);
              if (typeof s === 'number' && typeof v === 'number' && Number.isSafeInteger(s + v)) s = s + v; else s = add(s, v);
            }
            return s;
          };
        }
      }
      if (!where) {
        return (cx) => {
          const saved = cx.m; let s: Num = 0;
          for (let i = 0; i < cx.mem.length; i++) {
            cx.m = i;
            const v = arg(cx) as Num | null;
            if (v === null || v === undefined) continue;
            if (typeof s === 'number' && typeof v === 'number' && Number.isSafeInteger(s + v)) s = s + v; else s = add(s, v);
          }
          cx.m = saved; return s;
        };
      }
      return (cx) => {
        const saved = cx.m; let s: Num = 0;
        for (let i = 0; i < cx.mem.length; i++) {
          cx.m = i;
          if (!keep(cx)) continue;
          const v = arg(cx) as Num | null;
          if (v === null || v === undefined) continue;
          if (typeof s === 'number' && typeof v === 'number' && Number.isSafeInteger(s + v)) s = s + v; else s = add(s, v);
        }
        cx.m = saved; return s;
      };
    case 'min': case 'max': {
      const pick = e.fn === 'min' ? min : max;
      return (cx) => {
        const saved = cx.m; let r: Num | null = null;
        for (let i = 0; i < cx.mem.length; i++) {
          cx.m = i;
          if (!keep(cx)) continue;
          const v = arg(cx) as Num | null;
          if (v === null || v === undefined) continue;
          r = r === null ? v : pick(r, v);
        }
        cx.m = saved; return r;
      };
    }
  }
}

export { UNSET };
