// Large answer buffers kept for the next answer. On this kind of host (a virtual machine) first
// touching fresh memory costs a page fault per 4 KB page, ≈ 10 µs each: a batch's ≈ 9.5 MB of
// answer bytes written into a buffer just allocated cost more in faults (≈ 30–40 µs per
// household) than deciding and writing the household. A buffer given back once its bytes are
// sent (the route: when the response has finished) is written again by the next batch, its pages
// already mapped. A buffer never given back is simply collected: nothing is reused while lent.
// 大批量答复的缓冲区在发送完成后留作下次使用，免去新内存的缺页开销。

export class BytePool {
  readonly #free: Buffer[] = [];
  /** At most `keep` buffers kept, none larger than `maxBytes` (the memory held for reuse). */
  constructor(readonly keep: number, readonly maxBytes: number) {}

  /** A kept buffer (the largest kept last), or undefined. */
  take(): Buffer | undefined {
    return this.#free.pop();
  }

  /** The smallest kept buffer of at least `size` bytes, or a new one of the next power of two
   *  (a slightly larger request later finds it large enough): for a caller that must not grow it. */
  atLeast(size: number): Buffer {
    const i = this.#free.findIndex((b) => b.length >= size);
    if (i >= 0) return this.#free.splice(i, 1)[0]!;
    // its own memory (never a view of Buffer's shared pool, which other bytes may be)
    return Buffer.allocUnsafeSlow(size <= 1 ? 1 : 2 ** Math.ceil(Math.log2(size)));
  }

  /** `b` back for reuse: no one reads or writes it any more. Kept while there is room. */
  give(b: Buffer): void {
    if (b.length > this.maxBytes || this.#free.length >= this.keep || this.#free.includes(b)) return;
    this.#free.push(b);
    // the largest last: taken first
    this.#free.sort((x, y) => x.length - y.length);
  }

  /** Buffers kept (for tests). */
  get size(): number { return this.#free.length; }
}

/** Bytes lent from a pool's buffer: `release()` once they are read no more (sent) gives the
 *  buffer back; never called, the buffer is simply collected. */
export interface LentBytes { bytes: Buffer; release(): void }
