// UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then a 42-bit counter (12 bits in rand_a,
// 30 at the top of rand_b) that starts at a random value each millisecond and counts up
// within it, then 32 random bits. Ids made in one process therefore sort in the order they
// were made, even 10,000 in one millisecond (a batch); when the counter would overflow, the
// time borrows the next millisecond (RFC 9562 §6.2, method 1).
import { randomFillSync } from 'node:crypto';

const COUNTER_LIMIT = 2 ** 42;
/** Random bytes drawn 4 KB at a time (one call per id would cost more than the rest of it). */
const pool = Buffer.alloc(4096);
let poolAt = pool.length;
/** The index in `pool` of n fresh random bytes. */
function random(n: number): number {
  if (poolAt + n > pool.length) { randomFillSync(pool); poolAt = 0; }
  poolAt += n;
  return poolAt - n;
}
let lastMs = -1;
let counter = 0;

/** Two hex digits per byte value: the text is put together from them (no buffer per id). */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function uuidv7(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = pool.readUIntBE(random(6), 6) % 2 ** 41;   // leftmost bit clear: room to count up
  } else if (++counter >= COUNTER_LIMIT) {
    lastMs += 1;
    counter = 0;
  }
  const msHi = Math.floor(lastMs / 2 ** 32);   // the top 16 of the 48 bits
  const msLo = lastMs % 2 ** 32;
  const hi = Math.floor(counter / 2 ** 30);    // 12 bits
  const lo = counter % 2 ** 30;                // 30 bits
  const r = random(4);
  return HEX[msHi >>> 8]! + HEX[msHi & 0xff]! + HEX[msLo >>> 24]! + HEX[(msLo >>> 16) & 0xff]! + '-'
    + HEX[(msLo >>> 8) & 0xff]! + HEX[msLo & 0xff]! + '-'
    + HEX[0x70 | (hi >>> 8)]! + HEX[hi & 0xff]! + '-'
    + HEX[0x80 | (lo >>> 24)]! + HEX[(lo >>> 16) & 0xff]! + '-'
    + HEX[(lo >>> 8) & 0xff]! + HEX[lo & 0xff]! + HEX[pool[r]!]! + HEX[pool[r + 1]!]! + HEX[pool[r + 2]!]! + HEX[pool[r + 3]!]!;
}

export const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
