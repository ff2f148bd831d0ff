// Unused names: definitions and parameters no output reaches are warned about; and declarations
// whose evaluation would nest past MAX_EVAL_DEPTH are errors (found on the same use graph).
import { diagnostic } from '../base/diagnostics.js';
import { MAX_EVAL_DEPTH } from '../syntax/depth.js';
import { tooDeep, ownDepth } from './eval-depth.js';
import type { CheckState } from './state.js';

export function reportTooDeep(cx: CheckState): void {
  if (cx.tooDeepReported) return;
  for (const s of tooDeep([...cx.symbols.values()], cx.directDeps, (s) => ownDepth(s.decl))) {
    cx.err('check.too-deep', s.decl.name.range, { name: s.decl.name.text, limit: MAX_EVAL_DEPTH });
  }
}

export function reportUnused(cx: CheckState): void {
  // (after a check cut short by depth, uses past the cut are unknown: no unused-name warnings)
  if (cx.tooDeepReported) return;
  const { symbols } = cx;
  // reachability from outputs (an explicit stack: chains of definitions can be long)
  const reachable: boolean[] = new Array(symbols.size).fill(false);
  const toVisit = cx.outputs.map((o) => symbols.get(o.decl.name.text)!);
  while (toVisit.length) {
    const s = toVisit.pop()!;
    if (reachable[s.id]) continue;
    reachable[s.id] = true;
    for (const d of cx.directDeps[s.id] ?? []) toVisit.push(d);
  }
  for (const s of symbols.values()) {
    if (reachable[s.id]) continue;
    if (s.kind === 'def') cx.diagnostics.push(diagnostic('check.unused-definition', s.decl.name.range, { name: s.decl.name.text }));
    if (s.kind === 'param') cx.diagnostics.push(diagnostic('check.unused-parameter', s.decl.name.range, { name: s.decl.name.text }));
  }
}
