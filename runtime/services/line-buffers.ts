// The byte buffers a JSON Lines answer is written into (runtime/services/batch-stream.ts): the
// result lines of several input chunks gathered in one buffer and written to the socket together
// once it holds FLUSH_BYTES, and each buffer written again once the socket has sent it (its write
// callback). A chunk's answer (≈ 30 KB for 64 KB of input) written by itself, into bytes of its
// own, cost a write per chunk (chunked encoding's framing, corking, a drain awaited) and ≈ 20 MB
// of fresh memory per 100,000 lines: external memory that drives V8's collections, pages to
// fault in. Memory stays bounded: the buffer being filled, those the socket still holds (the
// stream waits for it to drain, as before), and at most KEEP kept for reuse.
import type { Writable } from 'node:stream';

/** Bytes of one buffer: FLUSH_BYTES and room for the answer of a 64 KB input chunk or more after them. */
const BUFFER_BYTES = 1152 * 1024;
/** Written once this many bytes are gathered: a write per ≈ 5,000 result lines of the benchmark's
 *  (≈ 37 input chunks of 64 KB). At 128 KB a dry stream of 100,000 lines made ≈ 155 writes (each a
 *  syscall, chunked framing, a drain awaited) and cost 230–295 ms of server CPU, at 1 MB 201–245 ms
 *  (bench/http.js, 4 alternated pairs); the memory kept stays constant (KEEP buffers). */
const FLUSH_BYTES = 1024 * 1024;
/** Buffers kept for reuse once sent. */
const KEEP = 4;

/** No buffer yet (bytes of their own: never a view of Buffer's shared pool, which other answers may be). */
const NONE = Buffer.from(new ArrayBuffer(0));

export class LineBuffers {
  #cur: Buffer = NONE;
  /** Bytes of #cur gathered, not yet written. */
  #n = 0;
  readonly #free: Buffer[] = [];

  /** The array the next answer is written into first (the rest of the current buffer), with room
   *  for at least `size` bytes: the gathered bytes are written first when there is not. */
  async room(out: Writable, size: number): Promise<Uint8Array> {
    if (this.#cur.length - this.#n < size) {
      await this.flush(out);
      this.#cur = size <= BUFFER_BYTES ? this.#free.pop() ?? Buffer.allocUnsafe(BUFFER_BYTES) : Buffer.allocUnsafe(size);
    }
    return this.#cur.subarray(this.#n);
  }

  /** An answer's bytes, in order after those gathered: kept in place when written into room()'s
   *  array (the gathered bytes written once there are FLUSH_BYTES), else written after them. */
  async add(out: Writable, answer: Uint8Array | string): Promise<void> {
    const cur = this.#cur;
    if (typeof answer !== 'string' && cur !== NONE && answer.buffer === cur.buffer && answer.byteOffset === cur.byteOffset + this.#n
      && this.#n + answer.length <= cur.length) {
      this.#n += answer.length;
      if (this.#n >= FLUSH_BYTES) await this.flush(out);
      return;
    }
    await this.flush(out);
    if (answer.length) await writeOut(out, answer);
  }

  /** Writes the gathered bytes; their buffer is reused once the socket has sent them. */
  async flush(out: Writable): Promise<void> {
    if (this.#n === 0) return;
    const sent = this.#cur, bytes = sent.subarray(0, this.#n);
    this.#cur = NONE;
    this.#n = 0;
    await writeOut(out, bytes, (e) => { if (!e && sent.length === BUFFER_BYTES && this.#free.length < KEEP) this.#free.push(sent); });
  }
}

/** Writes, waiting for the reader when the socket's buffer is full (backpressure); stops the
 *  stream (throws) once the reader has gone. `sent`: called once the socket is done with `data`. */
export async function writeOut(out: Writable, data: string | Uint8Array, sent?: (e?: Error | null) => void): Promise<void> {
  if (out.destroyed) throw new StreamClosed();
  if (out.write(data, sent)) return;
  await new Promise<void>((resolve) => {
    const done = () => { out.off('drain', done); out.off('close', done); resolve(); };
    out.on('drain', done); out.on('close', done);
  });
  if (out.destroyed) throw new StreamClosed();
}

/** The client went away mid-stream: nothing more to write. */
export class StreamClosed extends Error {}
