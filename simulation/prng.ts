// A small seeded PRNG (sfc32, seeded through splitmix32) so a population is reproducible: the
// same (seed, household index) always gives the same household, whichever worker generates it
// and in whichever order. Not for cryptography.

/** 32-bit mix (splitmix32 finaliser). */
export function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
  return (x ^ (x >>> 15)) >>> 0;
}

/** A seed from a number or text: 0–4294967295 (as a number or digits) is itself, other text is hashed (FNV-1a). */
export function seedOf(seed: string | number): number {
  if (typeof seed === 'number' && Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff) return seed >>> 0;
  if (typeof seed === 'string' && /^\d{1,10}$/.test(seed) && Number(seed) <= 0xffffffff) return Number(seed) >>> 0;
  const s = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193); }
  return h >>> 0;
}

export class Rng {
  private a: number; private b: number; private c: number; private d: number;
  /** A stream for (seed, stream): household i of a population uses stream i. */
  constructor(seed: number, stream = 0) {
    this.a = mix32(seed ^ 0x5bd1e995);
    this.b = mix32(stream ^ 0x27d4eb2f);
    this.c = mix32((seed + Math.imul(stream, 0x85ebca6b)) | 0);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number { return this.u32() / 4294967296; }
  /** Integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number { return lo + Math.floor(this.next() * (hi - lo + 1)); }
  chance(p: number): boolean { return this.next() < p; }
  /** Index picked with the given (unnormalised) weights. */
  pick(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) { r -= weights[i]!; if (r < 0) return i; }
    return weights.length - 1;
  }
  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next(), v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
