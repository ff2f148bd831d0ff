// A language worker thread: runs jobs (analyse, compile, run scenarios) one at a time for the
// pool in pool.ts, which enforces the time budget (it terminates this thread) and the memory
// budget (resourceLimits when it starts the thread).
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { Job } from './protocol.js';

/** This thread's id (Linux), for the pool to read its CPU time; undefined elsewhere. */
function threadId(): number | undefined {
  try { return Number(readlinkSync('/proc/thread-self').split('/').pop()) || undefined; } catch { return undefined; }
}

/** On a busy machine the event loop (evaluations, health) goes first: this thread runs at a lower
 *  priority (Linux: a thread's nice value is its own; elsewhere nothing changes). */
function yieldToEventLoop(tid: number | undefined): void {
  try { if (tid) setPriority(tid, 5); } catch { /* not allowed */ }
}

const port = parentPort;
if (port) {
  const tid = threadId();
  // lowered before the language is loaded (~1 s of CPU): a worker started to replace one ended
  // for its budget loads without taking the event loop's CPU
  yieldToEventLoop(tid);
  const { runJob, transfers } = await import('./jobs.js');
  port.on('message', (job: Job) => { const r = runJob(job); port.postMessage(r, transfers(r)); });
  port.postMessage({ ready: true, tid });
}
