// Profiling loop for compute() in both compiler modes on the 4-member household and on the
// 10,000 benchmark households: `node [--cpu-prof] dist/bench/profile-codegen.js [seconds] [--source] [--closures|--codegen] [--four|--many]`.
// Prints evaluations per CPU-second, alternating the modes (codegen, closures) in one process.
import { loadPolicy } from './lib/policy.js';
import { FOUR_MEMBERS } from './throughput.js';
import { generateHouseholds, AS_OF, SEED } from './lib/households.js';
import { compile, type CompiledPolicy } from '../dsl/index.js';
import { parseDate } from '../dsl/index.js';

const seconds = Number(process.argv[2] ?? 5);
const pol = loadPolicy();
const modes = process.argv.includes('--closures') ? (['closures'] as const) : process.argv.includes('--codegen') ? (['codegen'] as const) : (['codegen', 'closures'] as const);
const compiled = Object.fromEntries(modes.map((m) => [m, compile(pol.compiled.program, { mode: m })])) as Record<string, CompiledPolicy>;
if (process.argv.includes('--source')) console.log(compiled['codegen']?.source);
const asOf = parseDate(AS_OF)!;
const four = Array.from({ length: 1000 }, () => pol.compiled.prepare(FOUR_MEMBERS).value!);
const many = generateHouseholds(10_000, SEED, AS_OF).map((h) => pol.compiled.prepare(h).value!);
let sink = 0;
function loop(c: CompiledPolicy, hs: Record<string, unknown>[], ms: number): number {
  const ai = pol.amountIndex, ei = pol.eligibleIndex;
  let n = 0;
  const c0 = process.cpuUsage(), t0 = performance.now();
  while (performance.now() - t0 < ms) {
    for (let i = 0; i < hs.length; i++) { const cx = c.compute(hs[i]!, asOf); if (c.outputValue(cx, ei)) sink++; if (c.outputValue(cx, ai) !== 0) sink++; }
    n += hs.length;
  }
  const cu = process.cpuUsage(c0);
  return n / ((cu.user + cu.system) / 1e6);
}
const only = process.argv.includes('--four') ? 'four' : process.argv.includes('--many') ? 'many' : undefined;
for (const m of modes) { loop(compiled[m]!, four, 300); loop(compiled[m]!, many, 300); }
const rounds = Math.max(1, Math.round(seconds / (0.8 * modes.length)));
const res: Record<string, { four: number[]; many: number[] }> = {};
for (let r = 0; r < rounds; r++) {
  for (const m of modes) {
    const x = (res[m] ??= { four: [], many: [] });
    x.four.push(only === 'many' ? 0 : loop(compiled[m]!, four, 400));
    x.many.push(only === 'four' ? 0 : loop(compiled[m]!, many, 400));
  }
}
const med = (a: number[]) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]!; };
for (const m of modes) console.log(`${m.padEnd(8)} 4-member ${(med(res[m]!.four) / 1e6).toFixed(2)} M/s CPU, 10,000 households ${(med(res[m]!.many) / 1e6).toFixed(2)} M/s CPU (medians of ${rounds})`);
if (sink < 0) console.log(sink);
