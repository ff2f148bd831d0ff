// Main-thread side of the language worker: coalesces updates (at most one analysis in flight,
// the newest text wins) and turns service requests into promises.
import type { Analysis, FromWorker, ServiceMethod, ToWorker } from './protocol';
import type { Json } from './types';

type Listener = (a: Analysis) => void;

export class LanguageClient {
  private worker: Worker;
  private nextId = 1;
  private pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private listeners = new Set<Listener>();
  private version = 0;
  private inFlight = false;
  private queued: { source: string; scenarios: string } | null = null;
  latest: Analysis | null = null;
  ready: Promise<void>;
  private resolveReady!: () => void;

  constructor(worker?: Worker) {
    this.worker = worker ?? new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'policy-language' });
    this.ready = new Promise((r) => { this.resolveReady = r; });
    this.worker.onmessage = (ev: MessageEvent<FromWorker>) => this.receive(ev.data);
    this.worker.onerror = (ev) => console.error('language worker error', ev.message);
  }

  private send(m: ToWorker) { this.worker.postMessage(m); }

  private receive(m: FromWorker) {
    if (m.type === 'ready') this.resolveReady();
    else if (m.type === 'analysis') {
      this.inFlight = false;
      if (m.analysis.version === this.version || !this.queued) {
        this.latest = m.analysis;
        for (const l of this.listeners) l(m.analysis);
      }
      this.flush();
    } else if (m.type === 'response') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(new Error(m.error)); else p.resolve(m.result);
    }
  }

  init(modules: Record<string, string>) { this.send({ type: 'init', modules }); }

  onAnalysis(l: Listener): () => void {
    this.listeners.add(l);
    return () => { this.listeners.delete(l); };
  }

  /** Schedules an analysis of this text (the newest text wins if the worker is busy). */
  update(source: string, scenarios: string) {
    this.queued = { source, scenarios };
    this.flush();
  }

  private flush() {
    if (this.inFlight || !this.queued) return;
    const q = this.queued;
    this.queued = null;
    this.inFlight = true;
    this.version += 1;
    this.send({ type: 'update', version: this.version, source: q.source, scenarios: q.scenarios });
  }

  request<T>(method: ServiceMethod, args: { text?: string; pos?: { line: number; column: number }; household?: Json; asOf?: string; lang?: 'zh' | 'en' } = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.send({ type: 'request', id, method, ...args });
    });
  }

  dispose() { this.worker.terminate(); }
}
