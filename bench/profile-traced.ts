// Profiling helper for the traced evaluate answer (issue 17: 1,000 traced req/s):
// `node --cpu-prof dist/bench/profile-traced.js [seconds]` evaluates 1,000 generated households
// with the trace through the service the route uses (EvaluationService.evaluate) and turns each
// answer into bytes as sendJson does (jsonBytes), in a loop; prints µs of process CPU per traced
// answer, for building it and for its bytes apart, and the load.
import { loadavg } from 'node:os';
import { seededEvaluation } from './lib/seeded-evaluation.js';
import { jsonBytes } from '../runtime/json-bytes.js';
import { generateHouseholds, AS_OF } from './lib/households.js';

const cpuUs = () => { const u = process.cpuUsage(); return u.user + u.system; };

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  const policy = process.argv[3] ?? 'dawukou-dibao';
  const seeded = await seededEvaluation(AS_OF, 'profile-traced-');
  const { evaluation } = seeded;
  try {
    const hs = generateHouseholds(1000, 4242);
    const one = (h: unknown) => evaluation.evaluate(policy, { household: h, as_of: AS_OF });
    let bytes = 0;
    for (let k = 0; k < 3; k++) for (const h of hs) bytes = jsonBytes(one(h))!.length;   // warm-up
    let n = 0, build = 0, write = 0, total = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < seconds * 1000) {
      for (const h of hs) {
        const c0 = cpuUs();
        const a = one(h);
        const c1 = cpuUs();
        total += jsonBytes(a)!.length;
        const c2 = cpuUs();
        build += c1 - c0; write += c2 - c1; n++;
      }
    }
    console.log(`${policy}: ${n} traced answers (≈${(total / n / 1024).toFixed(0)} KB, last warm-up ${bytes} B): ` +
      `${((build + write) / n).toFixed(1)} µs CPU per answer (build ${(build / n).toFixed(1)}, bytes ${(write / n).toFixed(1)}), load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  } finally {
    await seeded.close();
  }
}
void main();
