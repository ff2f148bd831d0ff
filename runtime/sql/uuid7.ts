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
function random(n: number): Buffer {
  if (poolAt + n > pool.length) { randomFillSync(pool); poolAt = 0; }
  poolAt += n;
  return pool.subarray(poolAt - n, poolAt);
}
let lastMs = -1;
let counter = 0;

export function uuidv7(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = random(6).readUIntBE(0, 6) % 2 ** 41;   // leftmost bit clear: room to count up
  } else if (++counter >= COUNTER_LIMIT) {
    lastMs += 1;
    counter = 0;
  }
  const b = Buffer.alloc(16);
  b.writeUIntBE(lastMs, 0, 6);
  const hi = Math.floor(counter / 2 ** 30);   // 12 bits
  const lo = counter % 2 ** 30;               // 30 bits
  b[6] = 0x70 | (hi >>> 8);
  b[7] = hi & 0xff;
  b[8] = 0x80 | (lo >>> 24);
  b[9] = (lo >>> 16) & 0xff;
  b[10] = (lo >>> 8) & 0xff;
  b[11] = lo & 0xff;
  random(4).copy(b, 12);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
