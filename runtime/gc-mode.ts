// How V8 collects garbage in the server's process (issue #17): the one definition of the node flags
// the server runs with, read by its launcher (runtime/start.ts: `npm start`) and by every bench
// that spawns a server, so they cannot drift apart.
//
// V8 hands parts of each scavenge and mark-compact to helper threads. When the process may use one
// CPU only (pinned with taskset or a cpuset, one instance per core), those helpers wait for the
// very core the main thread holds: a pinned server at a steady 1,000 req/s spent 0.7–1.8 s of each
// 5 s phase waiting for its CPU, and its untraced p99 was 9–34 ms; with `--single-threaded-gc`
// 8–180 ms and 5.6–9.3 ms (docs/performance.md, "Lead for the p99 rows"). With a second CPU
// free the helpers run beside the main thread and shorten its pauses, so there they stay.
//
// The flag must be on node's command line: NODE_OPTIONS refuses it, and
// v8.setFlagsFromString('--single-threaded-gc') once V8 runs aborts the process at the next
// collection (Node 20: a failed CHECK in cppgc's marker, "concurrent_marking_handle_").
import { availableParallelism } from 'node:os';

export type GcMode = 'single' | 'parallel';
export const GC_FLAG = '--single-threaded-gc';

/**
 * POLICY_SERVER_GC: `single` (the helpers off), `parallel` (V8's default) or `auto` (the default:
 * single when the process may run on one CPU only). `cpus` is how many CPUs the server will be
 * allowed (its affinity: availableParallelism() of a process pinned before it starts).
 */
export function gcMode(text: string | undefined, cpus: number): GcMode {
  const v = (text ?? 'auto').trim();
  if (v === 'single' || v === 'parallel') return v;
  if (v === 'auto' || v === '') return cpus <= 1 ? 'single' : 'parallel';
  throw new Error(`POLICY_SERVER_GC "${v.slice(0, 20)}": expected auto (single when the server may use one CPU only), single or parallel`);
}

/** The node flags for a server started with `env`, allowed `cpus` CPUs (default: this process's). */
export function serverNodeFlags(env: NodeJS.ProcessEnv, cpus: number = availableParallelism()): string[] {
  return gcMode(env.POLICY_SERVER_GC, cpus) === 'single' ? [GC_FLAG] : [];
}

/** The collector this process runs with (for the start log). */
export function runningGcMode(execArgv: readonly string[] = process.execArgv): GcMode {
  return execArgv.includes(GC_FLAG) ? 'single' : 'parallel';
}
