// The timed loop of the profiling helpers (profile-ours, profile-evaluate): an engine's prepared
// households run again and again for `seconds` after a warm-up, so `node --cpu-prof` sees the
// steady state; the rate per wall second and per second of process CPU (steadier on a shared machine).
import { generateHouseholds, AS_OF } from './households.js';
import { newSink, type Engine } from '../engines/types.js';
import { now } from './system.js';

export function profileLoop<P>(e: Engine<P>, seconds: number): { perWall: number; perCpu: number } {
  const prepared = generateHouseholds().map((h) => e.prepare(h, AS_OF));
  const sink = newSink(prepared.length);
  for (let k = 0; k < 30; k++) e.runAll(prepared, sink);   // warm-up
  const t0 = now(), c0 = process.cpuUsage();
  let n = 0;
  while (now() - t0 < seconds * 1000) { e.runAll(prepared, sink); n += prepared.length; }
  const wall = (now() - t0) / 1000, cu = process.cpuUsage(c0), cpu = (cu.user + cu.system) / 1e6;
  return { perWall: n / wall, perCpu: n / cpu };
}
