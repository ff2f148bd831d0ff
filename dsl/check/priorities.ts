// Priorities and exclusivity: rule names unique per declaration, each exception's targets
// (all base rules when it names none), and pairs of rules that can both apply with nothing
// ordering them (conflicts.ts decides that, exclusive.ts proves conditions disjoint).
import type * as A from '../syntax/ast.js';
import { moreDiagnostic, LIST_PER_CODE } from '../base/diagnostics.js';
import { findConflicts, PAIR_BUDGET } from './conflicts.js';
import type { CheckState } from './state.js';

/** `conflicts`: whether to look for rules that may both apply (not for a table's rows: its own check does). */
export function checkPriorities(cx: CheckState, decl: A.DefDecl | A.OutputDecl, rules: A.RuleClause[], conflicts = true): void {
  const ruleNames = new Set<string>();
  for (const r of rules) {
    if (ruleNames.has(r.name.text)) cx.err('check.duplicate-name', r.name.range, { name: r.name.text });
    ruleNames.add(r.name.text);
  }
  const baseRules = rules.map((r, i) => [r, i] as const).filter(([r]) => r.kind === 'rule');
  const ruleIndex = new Map<string, number>();
  rules.forEach((r, i) => { if (!ruleIndex.has(r.name.text)) ruleIndex.set(r.name.text, i); });
  rules.forEach((r) => {
    if (r.kind !== 'exception') { cx.overrides.set(r, []); return; }
    if (r.overrides.length === 0) {
      if (baseRules.length === 0) cx.err('check.exception-without-rule', r.name.range, { name: r.name.text });
      cx.overrides.set(r, baseRules.map(([, i]) => i));
      return;
    }
    const targets: number[] = [];
    for (const o of r.overrides) {
      const i = ruleIndex.get(o.text) ?? -1;
      if (i < 0 || rules[i] === r) cx.err('check.exception-unknown-rule', o.range, { name: r.name.text, target: o.text });
      else targets.push(i);
    }
    cx.overrides.set(r, targets);
  });
  if (conflicts) reportConflicts(cx, decl, rules);
}

function reportConflicts(cx: CheckState, decl: A.DefDecl | A.OutputDecl, rules: A.RuleClause[]): void {
  const c = findConflicts(rules, cx.overrides, LIST_PER_CODE - cx.conflictsListed);
  for (const [i, j] of c.listed) cx.err('check.rule-conflict', rules[j]!.name.range, { a: rules[i]!.name.text, b: rules[j]!.name.text });
  cx.conflictsListed += c.listed.length;
  if (c.total > c.listed.length) { cx.conflictsMore += c.total - c.listed.length; cx.conflictsAt ??= decl.name.range; }
  if (!c.exact) cx.err('check.rules-too-many', decl.name.range, { name: decl.name.text, budget: PAIR_BUDGET });
}

/** The conflicts past the listed ones, summed up once for the program. */
export function reportMoreConflicts(cx: CheckState): void {
  if (cx.conflictsMore > 0) cx.diagnostics.push(moreDiagnostic('check.rule-conflict', cx.conflictsMore, cx.conflictsAt!, 'error'));
}
