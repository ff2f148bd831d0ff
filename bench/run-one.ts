// One benchmark job in its own process (index.ts starts one per engine, pinned to one core, so
// no engine's JIT state or garbage affects another). Prints its setup, then `RESULT <json>`.
import { engineBench, fourMemberBench, HOUSEHOLDS } from './throughput.js';
import { runLanguage } from './language.js';
import { ENGINE_KEYS, type EngineKey } from './engines/index.js';
import { DEFAULTS, type Options } from './lib/measure.js';
import { setupLine } from './lib/system.js';

const [job, arg] = (process.argv[2] ?? '').split(':');
const quick = process.argv.includes('--quick');
const opt: Options = quick ? { warmupMs: 500, runs: 3, minRunMs: 200 } : DEFAULTS;

async function main() {
  if (job === 'engine' || job === 'four') {
    if (!ENGINE_KEYS.includes(arg as EngineKey)) throw new Error(`unknown engine ${arg}; one of ${ENGINE_KEYS.join(', ')}`);
    const r = job === 'engine' ? await engineBench(arg as EngineKey, opt) : await fourMemberBench(arg as EngineKey, opt);
    console.log(`[${job} ${arg}] ${setupLine({ households: job === 'engine' ? HOUSEHOLDS : '1 (4 members) ×1000', 'warm-up ms': opt.warmupMs, runs: opt.runs, 'min ms per run': opt.minRunMs })}`);
    console.log(`RESULT ${JSON.stringify(r)}`);
  } else if (job === 'language') {
    console.log(`RESULT ${JSON.stringify(runLanguage())}`);
  } else {
    throw new Error(`unknown job ${job}: engine:<key> | four:<key> | language`);
  }
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
