// The pool of answer buffers (byte-pool.ts): bounded in count and size, a buffer kept once,
// the largest taken first.
import { describe, expect, it } from 'vitest';
import { BytePool } from '../../runtime/services/byte-pool.js';
import { ByteSink } from '../../runtime/services/entitlements-text.js';

describe('BytePool', () => {
  it('keeps at most `keep` buffers, none over maxBytes, each once; the largest taken first', () => {
    const pool = new BytePool(2, 1000);
    expect(pool.take()).toBeUndefined();
    const small = Buffer.alloc(10), large = Buffer.alloc(900), third = Buffer.alloc(500);
    pool.give(Buffer.alloc(1001));
    expect(pool.size).toBe(0);
    pool.give(large); pool.give(large); pool.give(small);
    expect(pool.size).toBe(2);
    pool.give(third);
    expect(pool.size).toBe(2);
    expect(pool.take()).toBe(large);
    expect(pool.take()).toBe(small);
    expect(pool.take()).toBeUndefined();
  });

  it('atLeast: the smallest kept buffer large enough, else a new one of the next power of two, of its own memory', () => {
    const pool = new BytePool(3, 1 << 20);
    const a = Buffer.alloc(100), b = Buffer.alloc(300);
    pool.give(b); pool.give(a);
    expect(pool.atLeast(90)).toBe(a);
    expect(pool.atLeast(90)).toBe(b);
    const fresh = pool.atLeast(1000);
    expect(fresh.length).toBe(1024);
    // not a view of Buffer's shared pool: the whole array is its own
    expect(fresh.buffer.byteLength).toBe(1024);
    pool.give(Buffer.alloc(10));
    expect(pool.atLeast(20).length).toBe(32);
    expect(pool.size).toBe(1);
  });

  it('a ByteSink lends its bytes: released once, its buffer is the next sink\'s', () => {
    const pool = new BytePool(1, 1 << 20);
    const one = new ByteSink(64, pool);
    one.str('{"a":"甲"}');
    const lent = one.lend();
    expect(lent.bytes.toString('utf8')).toBe('{"a":"甲"}');
    // not released yet: a new sink writes elsewhere
    const other = new ByteSink(64, pool);
    other.str('x');
    expect(lent.bytes.toString('utf8')).toBe('{"a":"甲"}');
    lent.release(); lent.release();
    expect(pool.size).toBe(1);
    const next = new ByteSink(64, pool);
    next.str('[1]');
    expect(next.bytes().buffer).toBe(lent.bytes.buffer);
    expect(next.bytes().toString('utf8')).toBe('[1]');
    // a sink without a pool: release does nothing
    const plain = new ByteSink(8);
    plain.str('y');
    plain.lend().release();
    expect(pool.size).toBe(0);
  });
});
