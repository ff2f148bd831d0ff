// Profiling helper: `node --cpu-prof dist/bench/profile-ours.js [seconds] [policy-file]` runs
// only our compute() loop over the generated households so the profile shows the evaluator.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateHouseholds, AS_OF } from './lib/households.js';
import { loadPolicy, loadModules, policyFrom } from './lib/policy.js';
import { compileSource } from '../dsl/index.js';
import { oursCompute } from './engines/ours.js';
import { newSink } from './engines/types.js';
import { now, repoRoot } from './lib/system.js';

const seconds = Number(process.argv[2] ?? 5);
const file = process.argv[3];
let pol = loadPolicy();
if (file) {
  const src = readFileSync(join(repoRoot(), file), 'utf8');
  const r = compileSource(src, { file, modules: loadModules() });
  if (!r.compiled) throw new Error(`${file} does not compile`);
  pol = policyFrom(file, src, loadModules(), r.compiled);
}
const e = oursCompute(pol);
const hs = generateHouseholds();
const prepared = hs.map((h) => e.prepare(h, AS_OF));
const sink = newSink(prepared.length);
for (let k = 0; k < 30; k++) e.runAll(prepared, sink);   // warm-up
const t0 = now(), c0 = process.cpuUsage();
let n = 0;
while (now() - t0 < seconds * 1000) { e.runAll(prepared, sink); n += prepared.length; }
const wall = (now() - t0) / 1000, cu = process.cpuUsage(c0), cpu = (cu.user + cu.system) / 1e6;
console.log(`${pol.file}: ${(n / wall / 1e6).toFixed(3)} M evaluations/s wall, ${(n / cpu / 1e6).toFixed(3)} M/s of process CPU time`);
