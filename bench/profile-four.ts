// Profiling helper: `node --cpu-prof dist/bench/profile-four.js [seconds]`: our compute() on the
// 4-member household of the issue-2 benchmark, nothing else.
import { loadPolicy } from './lib/policy.js';
import { FOUR_MEMBERS } from './throughput.js';
import { now } from './lib/system.js';

const seconds = Number(process.argv[2] ?? 5);
const pol = loadPolicy();
const c = pol.compiled;
const d = c.prepare(FOUR_MEMBERS).value!;
let sink = 0;
const t0 = now(), c0 = process.cpuUsage();
let n = 0;
while (now() - t0 < seconds * 1000) {
  for (let i = 0; i < 10000; i++) { const cx = c.compute(d, 20240601); if (c.outputValue(cx, pol.amountIndex) !== 0) sink++; }
  n += 10000;
}
const cu = process.cpuUsage(c0);
console.log(`${pol.file} 4-member: ${(n / ((cu.user + cu.system) / 1e6) / 1e6).toFixed(3)} M/s CPU (${sink === n ? 'eligible' : 'not eligible'})`);
