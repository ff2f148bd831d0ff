// Profiling helper: `node --cpu-prof dist/bench/profile-ours.js [seconds] [policy-file]` runs
// only our compute() loop over the generated households so the profile shows the evaluator.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPolicy, loadModules, policyFrom } from './lib/policy.js';
import { compileSource } from '../dsl/index.js';
import { oursCompute } from './engines/ours.js';
import { profileLoop } from './lib/profile-loop.js';
import { repoRoot } from '../base/repo-root.js';

const seconds = Number(process.argv[2] ?? 5);
const file = process.argv[3];
let pol = loadPolicy();
if (file) {
  const src = readFileSync(join(repoRoot(), file), 'utf8');
  const r = compileSource(src, { file, modules: loadModules() });
  if (!r.compiled) throw new Error(`${file} does not compile`);
  pol = policyFrom(file, src, loadModules(), r.compiled);
}
const r = profileLoop(oursCompute(pol), seconds);
console.log(`${pol.file}: ${(r.perWall / 1e6).toFixed(3)} M evaluations/s wall, ${(r.perCpu / 1e6).toFixed(3)} M/s of process CPU time`);
