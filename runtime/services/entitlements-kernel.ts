// 一门受理 answers written from the programmes' computed contexts by one function generated per
// programme list (the list's kernel): the totals and each programme's `granted` read from the
// contexts' slots, the outputs written by the programmes' own compiled writers (dsl
// CompiledPolicy.outputsInto), the fixed texts between them copied, `uses` copied from the
// outputs just written. The list's facts are constants of straight-line code: each writer called
// at a call site of its own (one function there: V8 may inline it), no loop over programmes, no
// array of positions, no object of totals or parts per household. The bytes are writeAnswer's
// for the answer's outputs objects (so JSON.stringify's of the answer object: entitlements-text.ts),
// tested against them. Without `new Function` there is no kernel, nor any outputs writer: the
// answers are made by decide().
// 每个项目清单生成一个写答复的函数：项目数、槽位和固定文本都是常量。
import type { Utf8Sink } from '../../dsl/index.js';
import { plainFen, type Computed } from './entitlements-computed.js';
import { HOUSEHOLD_ID, NULL_ID, ONE_OFF, SERVICES, YEARLY, type ListTexts, type Piece } from './entitlements-text.js';

type Ctx = Parameters<Computed['writers'][number]>[0];

/**
 * Writes one answer not recorded from its programmes' contexts (in list order). `asOf`: the
 * `,"as_of":…,"jurisdiction":` piece of its date and route (asOfPiece); `intro`: introOf's pieces
 * for its jurisdiction view; `close`: closingOf's piece for its reason. false: nothing written, the
 * answer is to be made otherwise (an amount totals() would sum by its exact arithmetic). A writer
 * that throws leaves part of the answer written (the caller puts the sink back).
 */
export type Kernel = (s: Utf8Sink, cxs: readonly Ctx[], householdId: string | null, asOf: Piece, intro: readonly [Piece, Piece], close: Piece) => boolean;

/** The list's kernel (`services`: each programme's line in the totals' services, as its JSON:
 *  pieceOf); undefined without `new Function`. */
export function kernelOf(p: Computed, t: ListTexts, services: readonly Piece[]): Kernel | undefined {
  const n = p.writers.length;
  const consts: Uint8Array[] = [];
  const k = (b: Uint8Array): string => { consts.push(b); return `C[${consts.length - 1}]`; };
  const src: string[] = [];
  for (let i = 0; i < n; i++) src.push(`const x${i} = cxs[${i}], h${i} = x${i}.hs;`);
  src.push('let mo = 0, on = 0, v;');
  // the totals first, nothing written before they are known plain. Each value read where
  // outputValue reads it; a bool output's JSON is true exactly when its value is truthy, a money
  // output's is text exactly when its value is not null (outputs.ts), and plain fen's text reads
  // back as these fen: what totals() sums from the outputs' JSON
  for (let i = 0; i < n; i++) {
    const e = p.eligible[i]!, m = p.monthly[i]!, a = p.amount[i]!;
    src.push(`let q${i} = 0; const g${i} = ${e >= 0 ? `h${i}[${e}] ? 1 : 0` : '0'};`);
    if (e < 0) continue;
    src.push(`if (g${i} === 1) {
    v = ${m >= 0 ? `h${i}[${m}]` : 'null'};
    if (v !== null && v !== undefined) { if (!plain(v)) return false; mo += v; }
    else { v = ${a >= 0 ? `h${i}[${a}]` : 'null'}; if (v !== null && v !== undefined) { if (!plain(v)) return false; on += v; } else q${i} = 1; }
  }`);
  }
  src.push('if (!Number.isSafeInteger(mo * 12) || !Number.isSafeInteger(on)) return false;');
  src.push('if (householdId === null) s.put(NULL_ID); else { s.put(HOUSEHOLD_ID); s.jsonString(householdId); }');
  src.push('s.put(asOf.bytes); s.put(intro[g0].bytes);');
  for (let i = 0; i < n; i++) {
    // (where each programme's outputs were written: its `uses` in a later one copies them)
    src.push(`const a${i} = s.n; W${i}(x${i}, s); const b${i} = s.n;`);
    const at = t.usesAt[i]!, keys = t.usesKey[i]!;
    for (let j = 0; j < at.length; j++) src.push(`s.put(${k(keys[j]!.bytes)}); s.again(a${at[j]!}, b${at[j]!});`);
    src.push(i + 1 < n ? `s.put(g${i + 1} === 1 ? ${k(t.next[i]![1].bytes)} : ${k(t.next[i]![0].bytes)});` : `s.put(${k(t.last.bytes)});`);
  }
  src.push('s.fenJson(mo); s.put(YEARLY); s.fenJson(mo * 12); s.put(ONE_OFF); s.fenJson(on); s.put(SERVICES);');
  // the services' lines (granted without cash), a comma between two
  src.push('let c = 0;');
  for (let i = 0; i < n; i++) src.push(`if (q${i} === 1) { if (c === 1) s.byte(44); s.put(${k(services[i]!.bytes)}); c = 1; }`);
  src.push('s.put(close.bytes); return true;');
  // each writer a constant of the closure (a call site of one function)
  const writers = p.writers.map((_, i) => `W${i} = W[${i}]`).join(', ');
  const source = `'use strict';\nconst ${writers};\nreturn (s, cxs, householdId, asOf, intro, close) => {\n  ${src.join('\n  ')}\n};`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    return (new Function('C', 'W', 'plain', 'NULL_ID', 'HOUSEHOLD_ID', 'YEARLY', 'ONE_OFF', 'SERVICES', source) as (...a: unknown[]) => Kernel)(
      consts, p.writers.slice(), plainFen, NULL_ID.bytes, HOUSEHOLD_ID.bytes, YEARLY.bytes, ONE_OFF.bytes, SERVICES.bytes);
  } catch {
    return undefined;
  }
}
