// The pieces under sign-in: scrypt hashes (salted, constant-time check) and the failure limiter
// (fixed windows, bounded memory).
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../runtime/services/passwords.js';
import { FailureLimiter } from '../../runtime/services/rate-limit.js';

describe('password hashes', () => {
  it('verify the password they were made from and nothing else; two hashes of one password differ', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).not.toBe(b);   // a salt per hash
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('correct horse battery', 'plain-text')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$99999999$8$1$AAAA$AAAA')).toBe(false);   // absurd cost: refused, not run
  });
});

describe('failure limiter', () => {
  it('allows max failures per window, then answers the seconds left; the window ends', () => {
    let now = 0;
    const l = new FailureLimiter({ max: 3, windowMs: 60_000, maxKeys: 10 }, () => now);
    for (let i = 0; i < 3; i++) { expect(l.retryAfter('a')).toBe(0); l.fail('a'); }
    now = 15_000;
    expect(l.retryAfter('a')).toBe(45);
    expect(l.retryAfter('b')).toBe(0);
    now = 60_000;
    expect(l.retryAfter('a')).toBe(0);
  });

  it('keeps at most maxKeys entries, forgetting the oldest', () => {
    const l = new FailureLimiter({ max: 1, windowMs: 60_000, maxKeys: 3 }, () => 0);
    for (const k of ['a', 'b', 'c', 'd']) l.fail(k);
    expect(l.size).toBe(3);
    expect(l.retryAfter('a')).toBe(0);   // forgotten
    expect(l.retryAfter('d')).toBe(60);
  });
});
