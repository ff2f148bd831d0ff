// Profiling helper: `node --cpu-prof dist/bench/profile-evaluate.js [seconds]` runs only the
// evaluate(json, asOf) loop over the generated households (the `ours: evaluate(json, asOf)` row),
// so the profile shows validation, decoding, compute and output building; prints the rate per
// CPU-second (steadier than wall time on a shared machine).
import { generateHouseholds, AS_OF } from './lib/households.js';
import { loadPolicy } from './lib/policy.js';
import { oursEvaluate } from './engines/ours.js';
import { newSink } from './engines/types.js';
import { now } from './lib/system.js';
import { loadavg } from 'node:os';

const seconds = Number(process.argv[2] ?? 5);
const e = oursEvaluate(loadPolicy());
const prepared = generateHouseholds().map((h) => e.prepare(h, AS_OF));
const sink = newSink(prepared.length);
for (let k = 0; k < 30; k++) e.runAll(prepared, sink);   // warm-up
const t0 = now(), c0 = process.cpuUsage();
let n = 0;
while (now() - t0 < seconds * 1000) { e.runAll(prepared, sink); n += prepared.length; }
const wall = (now() - t0) / 1000, cu = process.cpuUsage(c0), cpu = (cu.user + cu.system) / 1e6;
console.log(`evaluate(json, asOf): ${(n / wall / 1e3).toFixed(0)} k/s wall, ${(n / cpu / 1e3).toFixed(0)} k/s of process CPU time (load ${loadavg()[0]!.toFixed(1)})`);
