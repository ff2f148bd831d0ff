// Profiling helper for the code-generation experiment: `node --cpu-prof dist/bench/profile-codegen.js [seconds]`.
import { loadPolicy } from './lib/policy.js';
import { FOUR_MEMBERS } from './throughput.js';
import { generate } from './experimental/codegen.js';
import { now } from './lib/system.js';

const seconds = Number(process.argv[2] ?? 5);
const pol = loadPolicy();
const g = generate(pol.compiled.program);
if (process.argv.includes('--source')) console.log(g.source);
const d = pol.compiled.prepare(FOUR_MEMBERS).value!;
let sink = 0, n = 0;
const t0 = now(), c0 = process.cpuUsage();
while (now() - t0 < seconds * 1000) { for (let i = 0; i < 10000; i++) { g.compute(d, 20240601); if (g.output(pol.amountIndex) !== 0) sink++; } n += 10000; }
const cu = process.cpuUsage(c0);
console.log(`codegen 4-member: ${(n / ((cu.user + cu.system) / 1e6) / 1e6).toFixed(3)} M/s CPU (${sink === n ? 'eligible' : '?'})`);
