// The embedded store in a worker thread: PGlite (runtime/sql/pglite-worker.ts) runs there and
// this SqlStore forwards each call to it by message. In the server's own thread every statement
// (WebAssembly, plus the folder's synchronous writes and fsyncs at each commit) stopped the
// event loop for 1–5 ms; here the loop keeps evaluating requests meanwhile, and their decision
// records join the next group. Durability is unchanged: a call resolves only when the worker
// answers, i.e. after PGlite has committed.
import { Worker } from 'node:worker_threads';
import { builtScript } from '../workers/script.js';
import type { QueryOptions, SqlExecutor, SqlResult, SqlStore } from './types.js';

/** What the thread asks the worker. `tx`: inside that open transaction; `name`: a prepared statement's (QueryOptions). */
export type PgliteRequest =
  | { id: number; op: 'query'; text: string; params?: unknown[]; tx?: number; name?: string }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'listen'; channel: string }
  | { id: number; op: 'unlisten'; listener: number }
  | { id: number; op: 'close' };

/** What the worker answers (`id`), or a notification on a channel it listens to. */
export interface PgliteAnswer { id: number; ok: true; rows?: unknown[]; tx?: number; listener?: number }
export type PgliteReply =
  | PgliteAnswer
  | { id: number; ok: false; error: Record<string, unknown> & { message: string } }
  | { notify: number; payload: string }
  | { ready: true }
  | { failed: Record<string, unknown> & { message: string } };

/** dist/runtime/sql/pglite-worker.js (compiled), also when running from the TypeScript sources (a worker cannot load .ts). */
export function pgliteWorkerScript(): string | null {
  return builtScript(new URL('./pglite-worker.js', import.meta.url));
}

/** An error as the worker sent it, with its fields (a PostgreSQL error keeps `code`, `detail`, `constraint`). */
function revive(e: Record<string, unknown> & { message: string }): Error {
  return Object.assign(new Error(e.message), e);
}

interface Pending { resolve(r: PgliteAnswer): void; reject(e: Error): void }
/** A request without its id (the distributive Omit keeps each kind's fields). */
type Ask = PgliteRequest extends infer R ? R extends PgliteRequest ? Omit<R, 'id'> : never : never;

class PgliteThreadStore implements SqlStore {
  readonly kind = 'pglite' as const;
  private seq = 0;
  private pending = new Map<number, Pending>();
  private listeners = new Map<number, (payload: string) => void>();
  private stopped: Error | null = null;

  constructor(private readonly worker: Worker) {
    worker.on('message', (m: PgliteReply) => {
      if ('notify' in m) { this.listeners.get(m.notify)?.(m.payload); return; }
      if (!('id' in m)) return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (!this.pending.size) worker.unref();
      if (m.ok) p.resolve(m); else p.reject(revive(m.error));
    });
    // the worker died (a WebAssembly abort, out of memory): every call waiting fails, later ones too
    const lost = (e: Error) => {
      this.stopped ??= e;
      for (const p of this.pending.values()) p.reject(this.stopped);
      this.pending.clear();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the SQL store's worker stopped (exit code ${code})`)));
    worker.unref();
  }

  /** One request; the worker keeps the process alive only while something waits for it. */
  private ask(req: Ask): Promise<PgliteAnswer> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...req, id });
    });
  }

  query<R>(text: string, params?: unknown[], opts?: QueryOptions): Promise<SqlResult<R>> {
    return this.run<R>(text, params, undefined, opts?.name);
  }

  private async run<R>(text: string, params: unknown[] | undefined, tx: number | undefined, name?: string): Promise<SqlResult<R>> {
    const r = await this.ask({ op: 'query', text, params, tx, ...(name ? { name } : {}) });
    return { rows: (r.rows ?? []) as R[] };
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const { tx } = await this.ask({ op: 'begin' });
    let out: T;
    try {
      out = await fn({ query: <R>(text: string, params?: unknown[], opts?: QueryOptions) => this.run<R>(text, params, tx, opts?.name) });
    } catch (e) {
      await this.ask({ op: 'end', tx: tx!, commit: false }).catch(() => undefined);
      throw e;
    }
    await this.ask({ op: 'end', tx: tx!, commit: true });
    return out;
  }

  async listen(channel: string, handler: (payload: string | null) => void): Promise<() => Promise<void>> {
    const { listener } = await this.ask({ op: 'listen', channel });
    this.listeners.set(listener!, handler);
    return async () => {
      if (!this.listeners.delete(listener!)) return;
      await this.ask({ op: 'unlisten', listener: listener! }).catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    if (this.stopped) return;
    await this.ask({ op: 'close' }).catch(() => undefined);
    this.stopped = new Error('the SQL store is closed');
    await this.worker.terminate();
  }
}

/** PGlite in `dir` on a worker thread; null when the worker's script is not built (then it runs in this thread). */
export async function openPgliteThread(opts: { dir: string; schema?: string }): Promise<SqlStore | null> {
  const script = pgliteWorkerScript();
  if (!script) return null;
  const worker = new Worker(script, { workerData: opts, stdout: false, stderr: false });
  await new Promise<void>((resolve, reject) => {
    const early = (e: Error) => reject(e);
    const exit = (code: number) => reject(new Error(`the SQL store's worker stopped while opening (exit code ${code})`));
    worker.once('error', early);
    worker.once('exit', exit);
    worker.once('message', (m: PgliteReply) => {
      worker.off('error', early);
      worker.off('exit', exit);
      if ('ready' in m) resolve(); else reject('failed' in m ? revive(m.failed) : new Error('the SQL store worker did not start'));
    });
  }).catch(async (e: unknown) => { await worker.terminate(); throw e; });
  return new PgliteThreadStore(worker);
}
