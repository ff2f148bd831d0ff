// `npm run build && node dist/bench/hardening-dsl.js`: the language side of issue 21's hostile
// sources, in this process (the HTTP bench measures them through the server): for each, the time
// to analyze (parse + check) and to compile in both modes, median of 5 runs, and what came out.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, compile } from '../dsl/index.js';
import { doublingChain, overlappingRules, largeSource } from './lib/hostile-sources.js';
import { repoRoot } from '../base/repo-root.js';

const modules = { 'common/household': readFileSync(join(repoRoot(), 'policies', 'common', 'household.policy'), 'utf8') };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const ms = (f: () => unknown) => { const t = performance.now(); f(); return performance.now() - t; };

const sources: [string, string][] = [
  ['40-definition doubling chain', doublingChain(40)],
  ['4,000 overlapping rules', overlappingRules(4000)],
  ['1 MB policy', largeSource(1_000_000).source],
];
for (const [name, source] of sources) {
  const a = analyze(source, { modules });
  const runs = Array.from({ length: 5 }, () => ({
    analyze: ms(() => analyze(source, { modules })),
    codegen: a.program ? ms(() => compile(a.program!, { mode: 'codegen' })) : NaN,
    closures: a.program ? ms(() => compile(a.program!, { mode: 'closures' })) : NaN,
  }));
  const m = (k: 'analyze' | 'codegen' | 'closures') => median(runs.map((r) => r[k])).toFixed(0);
  const codes = [...new Set(a.diagnostics.map((d) => d.code))].join(', ') || 'none';
  console.log(`${name} (${(source.length / 1024).toFixed(0)} KB): analyze ${m('analyze')} ms, compile codegen ${m('codegen')} ms, closures ${m('closures')} ms; ${a.diagnostics.length} diagnostics (${codes})`);
}
