// The fast path of the compiler: a checked Program compiled to JavaScript source and built once
// with `new Function` (the closure compiler in closures.ts is the fallback, used when code
// generation is unavailable, e.g. under a Content-Security-Policy without 'unsafe-eval').
//
// Semantics are those of the closure compiler, expression by expression (same memo slots, same
// decided-by records, same faults, same evaluation order), so both modes give byte-identical
// outputs and traces; test/dsl/codegen.test.ts checks that on every shipped policy.
//
// Safety: nothing a policy author writes is ever spliced into the source. The generated text
// contains only JS operators, names the generator makes up (D3, M0, O1, t12, …), integers the
// generator checked with Number.isSafeInteger (rendered by String(): digits and '-'), array
// indexes, and field names quoted by JSON.stringify (which escapes quotes, backslashes and
// control characters; U+2028/U+2029 are legal inside string literals since ES2019). Every other
// value — literals, parameter values, enum names, texts, rule names for messages — is passed
// in the array K and read as K[i].
//
// The parts, in codegen/: state.ts (what the generator carries), expr.ts (expressions),
// binary.ts (operators), pairs.ts (exact fractions without allocation), inline.ts (small
// definitions in place), aggregate.ts, rules.ts (a declaration's function), runtime.ts (the
// helpers the generated code calls).
import type { Program } from '../check/types.js';
import type { Middle, Layout, Decl } from '../middle/index.js';
import type { Ctx } from './context.js';
import { R } from './codegen/runtime.js';
import { CodeGen } from './codegen/state.js';
import { installExpr } from './codegen/expr.js';
import { declarationFunction } from './codegen/rules.js';
import { inlineBody } from './codegen/inline.js';

export interface Generated {
  source: string;
  /** Runs the policy on a decoded household; fills the context's memo slots and decided-by records. */
  compute(h: Record<string, unknown>, asOf: number): Ctx;
  /** A definition's value for member mi of the last computed household (computed if not yet): for the trace. */
  def(i: number, member: boolean, mi: number): unknown;
}


/** What a member slot's store is followed by: compute() then knows the household had member slots
 *  filled (most households fill none: their member loops are skipped on a household-level head). */
const MEMBER_STORED = ' mset = true;';

/** The household-level outputs no declaration reads: compute() calls each exactly once and it
 *  always stores its value, so its function needs no memo check and compute() no reset of its
 *  slot (a compute() that ended early is followed by the full reset). The slot is still written:
 *  outputValue and the trace read it. (无人引用的户级输出：每次计算只调用一次，无需查备忘、无需清空) */
function unreadOutputs(mf: Middle): Set<Decl> {
  const read = new Set<Decl>();
  for (const d of mf.sorted) for (const u of d.uses) read.add(u);
  return new Set(mf.outputs.filter((o) => o.level !== 'member' && !read.has(o)));
}

/** Generates and builds the code; throws when `new Function` is refused or a construct is unknown. */
export function generate(mf: Middle, cx: Ctx): Generated {
  const { mStride, nOut } = mf.layout;
  const g = new CodeGen(mf);
  installExpr(g);
  // a definition's function is only called where its slot was just read unset (expr.ts; def()
  // reads it first too), so it has no memo check of its own (定义函数只在槽位未填时被调用)
  mf.defs.forEach((d, i) => declarationFunction(g, `D${i}`, 'let v;', d, `hs[${d.slot}]`, null, '', false));
  mf.memberDefs.forEach((d, i) => declarationFunction(g, `M${i}`, `const at = m * ${mStride} + ${d.slot}; let v;`, d, 'ms[at]', null, MEMBER_STORED, false));
  const unread = unreadOutputs(mf);
  mf.outputs.forEach((o, i) => {
    const member = o.level === 'member';
    declarationFunction(g, `O${i}`, member ? `const at = m * ${mStride} + ${o.slot}; let v = ms[at];` : unread.has(o) ? 'let v;' : `let v = hs[${o.slot}];`,
      o, member ? 'ms[at]' : `hs[${o.slot}]`, member ? `mdec[m * ${nOut} + ${i}]` : `dec[${i}]`, member ? MEMBER_STORED : '', !unread.has(o));
  });
  // the slots compute() itself can fill: a definition written in place (inline.ts) is never
  // called by it, so its slot is only filled by def() (the trace)
  const called = {
    h: [...mf.defs.filter((d, i) => inlineBody(g, i, false) === undefined).map((d) => d.slot), ...mf.outputs.filter((o) => o.level !== 'member' && !unread.has(o)).map((o) => o.slot)],
    m: [...mf.memberDefs.filter((d, i) => inlineBody(g, i, true) === undefined).map((d) => d.slot), ...mf.outputs.filter((o) => o.level === 'member').map((o) => o.slot)],
  };
  const source = programSource(mf.program, mf.layout, g.fns, called, mf.defs, mf.memberDefs);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const made = new Function('R', 'K', 'cx', source)(R, g.K, cx) as Omit<Generated, 'source'>;
  return { source, compute: made.compute, def: made.def };
}

/** The whole program: helpers bound, the declarations' functions, compute() and def(). */
function programSource(p: Program, layout: Layout, fns: string[], called: { h: number[]; m: number[] }, defs: Decl[], memberDefs: Decl[]): string {
  const { hSize, mStride, nOut } = layout;
  const hAll = Array.from({ length: hSize }, (_, i) => `hs[${i}] = undefined;`).join(' ');
  const hCalled = [...called.h].sort((a, b) => a - b).map((i) => `hs[${i}] = undefined;`).join(' ');
  const mCalled = [...called.m].sort((a, b) => a - b);
  // the member slots the last compute() filled lie below its own `nms` (kept in msetN): they are
  // cleared only when it filled any, as a household whose member loops were all skipped fills none
  // (上一次计算写过成员槽位时才清空，范围是它自己的成员数)
  const mReset = mCalled.length === 0 ? '' : `if (msetN !== 0) { ${mCalled.length === mStride
    ? 'for (let i = 0; i < msetN; i++) ms[i] = undefined;'
    : `for (let i = 0; i < msetN; i += ${mStride}) { ${mCalled.map((k) => `ms[i + ${k}] = undefined;`).join(' ')} }`} }`;
  const run = p.outputs.map((o, i) => (o.decl.member ? `for (m = 0; m < mem.length; m++) { mr = mem[m]; O${i}(); } m = 0; mr = mem[0];` : `O${i}();`)).join('\n  ');
  // the slot first: a value already computed is returned, not computed again
  const defCases = [
    ...defs.map((d, i) => `if (!member && i === ${i}) { const v = hs[${d.slot}]; return v !== undefined ? v : D${i}(); }`),
    ...memberDefs.map((d, i) => `if (member && i === ${i}) { const v = ms[m * ${mStride} + ${d.slot}]; return v !== undefined ? v : M${i}(); }`),
  ].join(' ');
  return `"use strict";
const { Ratio, ratioN, add, sub, mul, div, neg, cmp, eq, roundFen, min, max, sameValue, frac, ageOn, roundPair, fault, conflict, divide, negDur, dateAdd, durAdd, durMul, moneyDur, dateRoundOp } = R;
const hs = cx.hs, ms = cx.ms, dec = cx.dec, mdec = cx.mdec;
// The state every function reads is declared with var, not let: a let read from an inner
// function is checked for its temporal dead zone (a compare with the hole) at every access,
// in every loop iteration, which TurboFan cannot prove away here (var 声明：内层函数每次读取 let 都要检查暂时性死区).
// m: the current member's index, mr: its record (mem[m])
var h = cx.h, mem = cx.mem, m = 0, mr = undefined, asOf = 0;
// clean: the last compute() ended normally and def() has not run since (see compute)
var clean = false;
// mset: a member slot was filled during this compute(); msetN: the last compute()'s \`nms\` if it filled any, else 0
var mset = false, msetN = 0;
${fns.join('\n')}
function compute(h_, asOf_) {
  h = h_; mem = h_["members"] ?? []; m = 0; mr = mem[0]; asOf = asOf_;
  cx.h = h; cx.mem = mem; cx.m = 0; cx.asOf = asOf;
  const nms = ${mStride} * mem.length, nmd = ${nOut} * mem.length;
  // after a compute() that ended normally, with no def() since, only the slots compute() fills
  // hold values: the others (definitions written in place) are still unset
  // (上一次正常结束且其后未调用 def() 时，只需清空 compute() 会写入的槽位)
  for (let i = ms.length; i < nms; i++) ms.push(undefined);   // (grown in order: the array stays packed)
  if (clean) { clean = false; ${hCalled} ${mReset} }
  else { ${hAll} for (let i = 0; i < ms.length; i++) ms[i] = undefined; }
  mset = false;
  // dec needs no reset: an output with rules records its clause (or -2) on every compute, the others never write it
  ${p.outputs.some((o) => o.decl.member) ? 'for (let i = 0; i < nmd; i++) mdec[i] = -1;' : '// no member outputs: mdec is never read'}
  ${run}
  msetN = mset ? nms : 0;
  clean = true;
  return cx;
}
function def(i, member, mi) { clean = false; const sv = m; m = mi; mr = mem[mi]; try { ${defCases} return null; } finally { m = sv; mr = mem[sv]; } }
return { compute, def };`;
}

let available: boolean | undefined;
/** Whether `new Function` works here (false under a Content-Security-Policy without 'unsafe-eval'); tested once. */
export function codegenAvailable(): boolean {
  if (available === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      available = (new Function('return 1') as () => number)() === 1;
    } catch {
      available = false;
    }
  }
  return available;
}
