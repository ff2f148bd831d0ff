// Failed sign-ins, counted per key (an account name, an IP address) in fixed windows. Memory is
// bounded: past `maxKeys` the oldest entries are forgotten first (Map keeps insertion order),
// so a flood of made-up names cannot grow it.
export interface LimitOptions { max: number; windowMs: number; maxKeys: number }

interface Entry { count: number; resetAt: number }

export class FailureLimiter {
  private readonly entries = new Map<string, Entry>();

  constructor(readonly opts: LimitOptions, private readonly now: () => number = Date.now) {}

  /** Seconds until `key` may try again; 0 when it may now. */
  retryAfter(key: string): number {
    const e = this.live(key);
    return e && e.count >= this.opts.max ? Math.max(1, Math.ceil((e.resetAt - this.now()) / 1000)) : 0;
  }

  fail(key: string): void {
    const e = this.live(key);
    if (e) { e.count++; return; }
    if (this.entries.size >= this.opts.maxKeys) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { count: 1, resetAt: this.now() + this.opts.windowMs });
  }

  reset(key: string): void { this.entries.delete(key); }

  get size(): number { return this.entries.size; }

  private live(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e && e.resetAt <= this.now()) { this.entries.delete(key); return undefined; }
    return e;
  }
}
