// What the generator carries while it writes one program: the constants passed in K, the
// functions written so far, the temporaries of the function being written, and small emitters
// every part uses. The expression emitter is a hook (`ex`), installed by expr.ts, so the parts
// (pairs, binary, aggregate, rules) can call it without importing each other in a loop.
import type { Middle } from '../../middle/index.js';
import type * as A from '../../syntax/ast.js';
import type { Program, Type } from '../../check/types.js';
import { Ratio, type Num } from '../../base/money.js';

export const isNum = (v: unknown): v is Num => typeof v === 'number' || v instanceof Ratio;
export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** The same text, internalized by V8 (a property name always is). */
function internalized(s: string): string {
  return Object.keys({ [s]: 0 })[0] ?? s;
}

export class CodeGen {
  readonly K: unknown[] = [];
  private readonly kIndex = new Map<unknown, number>();
  readonly fns: string[] = [];
  private helperN = 0;
  private coldN = 0;
  // temporaries of the function being generated
  temps: string[] = [];
  // the current member's age, computed at most once per function body (or loop iteration): the
  // member (mr) and the date do not change within one (calls restore the current member)
  ageVar: string | null = null;
  // inside a pair's generic fallback, subexpressions are generic too (else the code doubles per level)
  noPair = 0;
  /** The code of an expression (installed by expr.ts). */
  ex!: (e: A.Expr) => string;
  /** The code of an expression without the fraction-pair path at its root (installed by expr.ts). */
  exGeneric!: (e: A.Expr) => string;

  // per-program caches of the analyses in inline.ts and pairs.ts (walked once per expression)
  readonly simpleMemo = new Map<A.Expr, number | null>();
  readonly inlinable = new Map<A.DefDecl, A.Expr | undefined>();
  readonly inlinedSize = new Map<A.Expr, number>();

  readonly p: Program;
  constructor(readonly m: Middle) { this.p = m.program; }

  /** A value passed by reference: its place in K. A text is passed internalized, so that `===`
   *  against an internalized input (a literal, a JSON key) is a pointer comparison, not a call to
   *  V8's StringEqual on every household (文本常量先内部化，比较时只比指针). */
  k(v: unknown): string {
    if (typeof v === 'string') v = internalized(v);
    let i = this.kIndex.get(v);
    if (i === undefined || typeof v === 'object') { i = this.K.push(v) - 1; if (typeof v !== 'object') this.kIndex.set(v, i); }
    return `K[${i}]`;
  }
  /** A constant: a safe integer is written as digits, anything else goes through K. */
  lit(v: unknown): string {
    return isInt(v) ? (Object.is(v, -0) ? '0' : String(v)) : v === null ? 'null' : typeof v === 'boolean' ? String(v) : this.k(v);
  }
  q(name: string): string { return JSON.stringify(name); }
  tmp(): string { const t = `t${this.temps.length}`; this.temps.push(t); return t; }

  type(x: A.Expr): Type { return this.p.types.get(x) ?? { k: 'error' }; }
  nullable(x: A.Expr): boolean { const t = this.type(x); return Boolean(t.nullable) || t.k === 'null'; }
  numeric(t: Type): boolean { return t.k === 'money' || t.k === 'number' || t.k === 'percent'; }
  /** The folded constant of e (the middle form's), or undefined. */
  constOf(e: A.Expr): { v: unknown } | undefined { return this.m.constants.get(e); }

  /** A helper function generated next to the definitions (aggregates, tiers), with its own temporaries. */
  helper(build: () => string): string {
    const saved = this.temps, savedAge = this.ageVar; this.temps = []; this.ageVar = null;
    const name = `H${this.helperN++}`;
    const body = build();
    this.fns.push(`function ${name}() { ${this.temps.length ? `let ${this.temps.join(', ')};` : ''} ${body} }`);
    this.temps = saved; this.ageVar = savedAge;
    return `${name}()`;
  }

  /** Code that rarely runs (a fraction pair's generic fallback) in a function of its own, called
   *  with the current member's record (an aggregate's loop may hold it in a local): the function
   *  it leaves stays small enough for V8 to inline (很少执行的兜底代码移出热函数，热函数才能被内联). */
  cold(build: () => string): string {
    const saved = this.temps, savedAge = this.ageVar; this.temps = []; this.ageVar = null;
    const name = `C${this.coldN++}`;
    const body = build();
    this.fns.push(`function ${name}(mr) { ${this.temps.length ? `let ${this.temps.join(', ')};` : ''} return ${body}; }`);
    this.temps = saved; this.ageVar = savedAge;
    return `${name}(mr)`;
  }

  // x + y, x − y, x × y with the integer fast path inline (a Num number is always a safe integer,
  // so a result within ±(2^53 − 1) is exact), else money.ts. A result that is an int32 (s | 0 is
  // s: the usual fen amounts) is tested first: TurboFan compiles that to an integer compare, where
  // the ±(2^53 − 1) test alone becomes a conversion to double and two float compares per operation.
  // (结果是 32 位整数时先用整数比较判断，不必转成浮点数比较范围)
  arith(op: '+' | '-' | '*', a: string, b: string): string {
    const fn = op === '+' ? 'add' : op === '-' ? 'sub' : 'mul';
    const ia = /^-?\d+$/.test(a), ib = /^-?\d+$/.test(b);
    const x = ia ? a : this.tmp(), y = ib ? b : this.tmp(), s = this.tmp();
    const pre = `${ia ? '' : `${x} = ${a}, `}${ib ? '' : `${y} = ${b}, `}`;
    const isN = [ia ? '' : `typeof ${x} === 'number'`, ib ? '' : `typeof ${y} === 'number'`].filter(Boolean).join(' && ');
    return `(${pre}${isN ? `${isN} && ` : ''}(((${s} = ${x} ${op} ${y}) | 0) === ${s} || ${s} <= 9007199254740991 && ${s} >= -9007199254740991) ? ${s} : ${fn}(${x}, ${y}))`;
  }

  /** `f`'s code with the pair path off (the generic fallback of a pair). */
  plain(f: () => string): string { this.noPair++; try { return f(); } finally { this.noPair--; } }
}
