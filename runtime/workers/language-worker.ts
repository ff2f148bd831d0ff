// A language worker thread: runs jobs (analyse, compile, run scenarios) one at a time for the
// pool in pool.ts, which enforces the time budget (it terminates this thread) and the memory
// budget (resourceLimits when it starts the thread).
import { parentPort } from 'node:worker_threads';
import { runJob } from './jobs.js';
import type { Job } from './protocol.js';

const port = parentPort;
if (port) {
  port.on('message', (job: Job) => { port.postMessage(runJob(job)); });
  port.postMessage({ ready: true });
}
