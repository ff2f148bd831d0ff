// The dry-run batch answers are written as UTF-8 bytes into the language's Utf8Sink (dsl/, which
// has no Buffer): given these allocations its arrays are Buffers, so the bytes written go out as
// they are (res.end, a stream's write) with no copy.

/** The allocation of a Utf8Sink whose bytes go out as they are (a small one from Buffer's pool). */
export const allocBytes = (size: number): Buffer => Buffer.allocUnsafe(size);

/** Bytes of one slab (slabBytes). */
const SLAB_BYTES = 1024 * 1024;

/**
 * The allocation of many short-lived sinks (a JSON Lines stream's chunk answers, ≈ 30 KB each):
 * each array is the next unused part of a slab, and a new slab is made only when the rest of the
 * last is too short; a Buffer of its own per chunk cost more than writing the chunk's answer
 * (the allocation and its external-memory accounting, ≈ 3 % of a dry JSON Lines batch's CPU).
 * A part is never handed out twice, so bytes still waiting to be written are never overwritten;
 * a slab is freed once none of its parts is referred to.
 */
export function slabBytes(slab = SLAB_BYTES): (size: number) => Buffer {
  let current = Buffer.allocUnsafe(0), at = 0;
  return (size) => {
    if (at + size > current.length) {
      current = Buffer.allocUnsafe(Math.max(slab, size));
      at = 0;
    }
    const part = current.subarray(at, at + size);
    at += size;
    return part;
  };
}

/**
 * A slab written into in place (jsonBytes' traced answers, ≈ 110 KB each): a writer is given the
 * unused rest of the slab, writes its answer there, and keeps the part it used; the next answer
 * starts after it. No sink of its own copied out into a slab part afterwards (that copy of every
 * answer's bytes, into memory not yet in the cache, was ≈ a tenth of writing the answer). As with
 * slabBytes, a part kept is never handed out again, and a slab is freed once none of its parts
 * is referred to.
 */
export class Slab {
  private current = Buffer.allocUnsafe(0);
  private at = 0;
  constructor(private readonly size = SLAB_BYTES) {}

  /** The unused rest of the slab, at least `min` bytes (a new slab when the rest is shorter). */
  rest(min: number): Buffer {
    if (this.current.length - this.at < min) {
      this.current = Buffer.allocUnsafe(Math.max(this.size, min));
      this.at = 0;
    }
    return this.current.subarray(this.at);
  }

  /** The first n bytes of what rest() last gave, kept: the next rest() starts after them. */
  keep(n: number): Buffer {
    const part = this.current.subarray(this.at, this.at + n);
    this.at += n;
    return part;
  }
}
