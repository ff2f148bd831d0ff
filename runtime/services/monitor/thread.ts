// The main thread's side of the monitoring evaluation thread (eval-thread.ts): started on the
// first chunk, sent the published policies at each run's start, then one chunk at a time.
// Unreferenced: an idle thread never keeps the process alive.
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { PackedEntries } from '../../store/registry.js';
import { threadScript } from '../../workers/script.js';
import type { PreviousResult } from '../../store/registry-runs.js';
import type { ChunkOutput, ChunkRun } from './chunk.js';
import type { ThreadReply, ThreadRequest } from './thread-protocol.js';

type Ask = ThreadRequest extends infer R ? (R extends ThreadRequest ? Omit<R, 'id'> : never) : never;

export class EvaluationThread {
  private worker: Worker | undefined;
  private next = 1;
  private waiting = new Map<number, { ok(r: ThreadReply): void; fail(e: Error): void }>();
  private sent: Ask | undefined;

  private start(): Worker {
    const w = new Worker(fileURLToPath(threadScript(new URL('./eval-thread.js', import.meta.url))), { stdout: false, stderr: false });
    w.unref();
    w.on('message', (r: ThreadReply) => { const p = this.waiting.get(r.id); this.waiting.delete(r.id); p?.ok(r); });
    const down = (e: Error) => {
      // every chunk it held is answered with the error (the chunk is retaken after its lease)
      for (const p of this.waiting.values()) p.fail(e);
      this.waiting.clear();
      if (this.worker === w) this.worker = undefined;
    };
    w.on('error', down);
    w.on('exit', (code) => down(new Error(`monitoring evaluation thread exited (${code})`)));
    return w;
  }

  private async ask(req: Ask): Promise<ThreadReply & { ok: true }> {
    if (!this.worker) {
      this.worker = this.start();
      // a thread started again (the last one died) evaluates with the policies its predecessor had
      if (this.sent && req.kind !== 'policies') void this.ask(this.sent).catch(() => undefined);
    }
    const id = this.next++;
    const r = await new Promise<ThreadReply>((ok, fail) => { this.waiting.set(id, { ok, fail }); this.worker!.postMessage({ ...req, id }); });
    if (!r.ok) throw new Error(r.error);
    return r;
  }

  /** The published policies and modules the next chunks are evaluated with. */
  async policies(asOf: string, today: string, modules: unknown, policies: unknown): Promise<void> {
    this.sent = { kind: 'policies', asOf, today, modules, policies };
    await this.ask(this.sent);
  }

  async evaluate(run: ChunkRun, entries: PackedEntries, previous: PreviousResult[]): Promise<ChunkOutput> {
    return (await this.ask({ kind: 'chunk', run: { id: run.id, as_of: run.as_of }, entries, previous })).output!;
  }

  /** Chunks sent and not yet answered. */
  get busy(): number { return this.waiting.size; }

  /** The thread's event-loop time so far, active and idle (ms; zeros before it starts): what the bench reports. */
  utilization(): { active: number; idle: number } {
    const u = this.worker?.performance.eventLoopUtilization();
    return { active: u?.active ?? 0, idle: u?.idle ?? 0 };
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}

/** Several evaluation threads (MONITOR_THREADS): a chunk goes to the least busy one. */
export class EvaluationThreads {
  private readonly threads: EvaluationThread[];
  constructor(n: number) { this.threads = Array.from({ length: n }, () => new EvaluationThread()); }
  get size(): number { return this.threads.length; }

  async policies(asOf: string, today: string, modules: unknown, policies: unknown): Promise<void> {
    await Promise.all(this.threads.map((t) => t.policies(asOf, today, modules, policies)));
  }

  evaluate(run: ChunkRun, entries: PackedEntries, previous: PreviousResult[]): Promise<ChunkOutput> {
    const t = this.threads.reduce((a, b) => (b.busy < a.busy ? b : a));
    return t.evaluate(run, entries, previous);
  }

  utilization(): { active: number; idle: number }[] { return this.threads.map((t) => t.utilization()); }

  async close(): Promise<void> { await Promise.all(this.threads.map((t) => t.close())); }
}
