// Profiling helper: `node --cpu-prof dist/bench/profile-evaluate.js [seconds]` runs only the
// evaluate(json, asOf) loop over the generated households (the `ours: evaluate(json, asOf)` row),
// so the profile shows validation, decoding, compute and output building; prints the rate per
// CPU-second (steadier than wall time on a shared machine).
import { loadPolicy } from './lib/policy.js';
import { oursEvaluate } from './engines/ours.js';
import { profileLoop } from './lib/profile-loop.js';
import { loadavg } from 'node:os';

const seconds = Number(process.argv[2] ?? 5);
const r = profileLoop(oursEvaluate(loadPolicy()), seconds);
console.log(`evaluate(json, asOf): ${(r.perWall / 1e3).toFixed(0)} k/s wall, ${(r.perCpu / 1e3).toFixed(0)} k/s of process CPU time (load ${loadavg()[0]!.toFixed(1)})`);
