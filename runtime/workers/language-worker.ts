// A language worker thread: runs jobs (analyse, compile, run scenarios) one at a time for the
// pool in pool.ts, which enforces the time budget (it terminates this thread) and the memory
// budget (resourceLimits when it starts the thread).
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { runJob } from './jobs.js';
import type { Job } from './protocol.js';

/** On a busy machine the event loop (evaluations, health) goes first: this thread runs at a lower
 *  priority (Linux: a thread's nice value is its own; elsewhere nothing changes). */
function yieldToEventLoop(): void {
  try { setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 5); } catch { /* not Linux, or not allowed */ }
}

const port = parentPort;
if (port) {
  yieldToEventLoop();
  port.on('message', (job: Job) => { port.postMessage(runJob(job)); });
  port.postMessage({ ready: true });
}
