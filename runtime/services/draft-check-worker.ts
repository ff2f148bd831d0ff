// Worker thread entry (compiled to dist/runtime/services/draft-check-worker.js): compiles the
// policy pairs of simulation jobs on request, so that the budget in draft-check.ts measures
// compiling alone, not loading this thread's modules. Says { ready: true } once loaded.
import { parentPort } from 'node:worker_threads';
import { compilePair, SimulationError, type SimulationConfig } from '../../simulation/index.js';

export type CheckRequest = { id: number; pair: Pick<SimulationConfig, 'baseline' | 'candidate' | 'modules' | 'linked'> };
export type CheckReply =
  | { ready: true }
  | { id: number; ok: true }
  | { id: number; ok: false; message: string; details: { path: string; message: string }[] };

const port = parentPort!;
port.on('message', (m: CheckRequest) => {
  let reply: CheckReply;
  try {
    compilePair(m.pair);
    reply = { id: m.id, ok: true };
  } catch (e) {
    reply = { id: m.id, ok: false, message: (e as Error)?.message ?? String(e), details: e instanceof SimulationError ? e.details : [] };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true } satisfies CheckReply);
