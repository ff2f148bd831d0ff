// Password hashes: scrypt (node:crypto) with a random 16-byte salt per hash, stored with its cost
// parameters so they can be raised later without invalidating old hashes. Checking compares in
// constant time.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** Cost: N = 2^15 (about 32 MB and 50–100 ms per hash), r = 8, p = 1. */
export const SCRYPT = { N: 1 << 15, r: 8, p: 1, keylen: 32, saltBytes: 16 } as const;
export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 200;

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((ok, fail) => scryptCb(password.normalize('NFC'), salt, keylen, opts, (e, key) => (e ? fail(e) : ok(key))));
}
const memFor = (N: number, r: number) => 256 * N * r;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SCRYPT.saltBytes);
  const { N, r, p, keylen } = SCRYPT;
  const key = await scrypt(password, salt, keylen, { N, r, p, maxmem: memFor(N, r) });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** true when `password` matches `stored`; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((x) => Number.isInteger(x) && x > 0) || N > 1 << 20 || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (expected.length < 16) return false;
  const key = await scrypt(password, salt, expected.length, { N, r, p, maxmem: memFor(N, r) });
  return timingSafeEqual(key, expected);
}

/** A hash of a random password: checked against when the name is unknown, so an unknown name
 *  costs the same time as a wrong password (names cannot be probed by timing). */
let dummy: Promise<string> | undefined;
export const dummyHash = () => (dummy ??= hashPassword(randomBytes(16).toString('hex')));
