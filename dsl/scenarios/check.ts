// Checks a scenario against the policy it runs on: every `expect` and `decided_by` key must be
// an output, and every `decided_by` value a rule or exception of that output (or 否则 /
// otherwise). A typo there would otherwise fail with a puzzling "expected x, actual null", or,
// worse, check nothing.
import { diagnostic, type Diagnostic } from '../base/diagnostics.js';
import type { CompiledPolicy } from '../backends/index.js';
import { hint } from '../base/nearest.js';
import type { Scenario } from './index.js';

const OTHERWISE = ['否则', 'otherwise'];

/** Per output, the names a scenario's decided_by may give for it. Computed once per policy. */
const deciders = new WeakMap<CompiledPolicy, Map<string, string[]>>();
function decidersOf(compiled: CompiledPolicy): Map<string, string[]> {
  let m = deciders.get(compiled);
  if (m) return m;
  m = new Map();
  for (const o of compiled.program.outputs) {
    const body = o.decl.body;
    // An output without rules is decided by its own expression, which the trace names after it.
    m.set(o.decl.name.text, body.kind === 'Rules' ? [...body.rules.map((r) => r.name.text), ...OTHERWISE] : [o.decl.name.text]);
  }
  deciders.set(compiled, m);
  return m;
}

export function checkScenario(compiled: CompiledPolicy, s: Scenario): Diagnostic[] {
  const names = decidersOf(compiled);
  const outputs = [...names.keys()];
  const found: Diagnostic[] = [];
  const unknownOutput = (section: string, name: string) => found.push(diagnostic('scenario.unknown-output', s.keys?.[section === 'expect' ? 'expect' : 'decided_by'][name] ?? s.range,
    { scenario: s.name, section, name, ...hint(name, outputs) }));
  for (const name of Object.keys(s.expect)) if (!names.has(name)) unknownOutput('expect', name);
  for (const [output, rule] of Object.entries(s.decided_by ?? {})) {
    const allowed = names.get(output);
    if (!allowed) { unknownOutput('decided_by', output); continue; }
    if (!allowed.includes(rule)) {
      found.push(diagnostic('scenario.unknown-rule', s.keys?.decided_by[output] ?? s.range, { scenario: s.name, output, name: rule, ...hint(rule, allowed) }));
    }
  }
  return found;
}
