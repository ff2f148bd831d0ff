// An answer written as UTF-8 bytes into one growing byte array, for the dry-run batch answers
// read from their bytes (a JSON batch's results, a JSON Lines chunk's result lines): the outputs
// are written as bytes by a writer generated per policy (backends/outputs-bytes.ts), amounts as
// digits, names and fixed values as bytes made once, so no string is made, joined, flattened and
// encoded per household. Texts that still come as strings (the batch's head with its Chinese
// assumptions, an error line) are encoded here as Buffer.from(text, 'utf8') encodes them (a lone
// surrogate as U+FFFD), so the bytes of an answer are those of its text, whichever way each piece
// was written. dsl/ has no Buffer or TextEncoder (ES2022 only): the caller may give the
// allocation (the runtime gives Buffer.allocUnsafe, so views of the bytes are Buffers).

/** The UTF-8 of the surrogate pair c, d (a code point above U+FFFF, four bytes) at b[n]; the next n. */
function pair(b: Uint8Array, n: number, c: number, d: number): number {
  const p = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
  b[n] = 0xf0 | (p >> 18); b[n + 1] = 0x80 | ((p >> 12) & 63); b[n + 2] = 0x80 | ((p >> 6) & 63); b[n + 3] = 0x80 | (p & 63);
  return n + 4;
}

/** ".00" to ".99" as the two digits after the point (c / 10, c % 10), for fen written as yuan. */
const CENT_TENS = Uint8Array.from({ length: 100 }, (_, c) => 48 + Math.floor(c / 10));
const CENT_ONES = Uint8Array.from({ length: 100 }, (_, c) => 48 + (c % 10));

/** The decimal digits of a whole number 0 ≤ v < 2³¹. */
const digitsOf = (v: number): number =>
  v < 10 ? 1 : v < 100 ? 2 : v < 1e3 ? 3 : v < 1e4 ? 4 : v < 1e5 ? 5 : v < 1e6 ? 6 : v < 1e7 ? 7 : v < 1e8 ? 8 : v < 1e9 ? 9 : 10;

export class Utf8Sink {
  /** The bytes: the first `n` are written. Replaced (a larger copy) as it fills. */
  b: Uint8Array;
  /** `b` as a DataView (from its first byte), for writers that store four bytes at a time (outputs-bytes.ts). */
  dv: DataView;
  n = 0;

  /** `first`: an array to write into first (a kept buffer whose pages are already mapped). */
  constructor(size: number, private readonly alloc: (size: number) => Uint8Array = (k) => new Uint8Array(k), first?: Uint8Array) {
    this.b = first ?? alloc(Math.max(16, size));
    this.dv = new DataView(this.b.buffer, this.b.byteOffset, this.b.length);
  }

  /** Room for `k` more bytes (the array replaced by one at least twice as large when short). */
  room(k: number): Uint8Array {
    if (this.n + k > this.b.length) {
      const more = this.alloc(Math.max(this.n + k, this.b.length * 2));
      more.set(this.b.subarray(0, this.n));
      this.b = more;
      this.dv = new DataView(more.buffer, more.byteOffset, more.length);
    }
    return this.b;
  }

  /** The bytes written so far (a view: valid until the next write). */
  bytes(): Uint8Array { return this.b.subarray(0, this.n); }

  /** One byte (ASCII). */
  byte(c: number): void {
    const b = this.room(1);
    b[this.n++] = c;
  }

  /** Bytes made beforehand (a name and its punctuation). */
  put(bytes: Uint8Array): void {
    const k = bytes.length, b = this.room(k);
    let n = this.n;
    // a short one byte by byte (a call to set costs more), a longer one copied
    if (k > 16) { b.set(bytes, n); this.n = n + k; return; }
    for (let i = 0; i < k; i++) b[n++] = bytes[i]!;
    this.n = n;
  }

  /** A whole number ≥ 0 (a safe integer) in decimal, as String(v) writes it. */
  whole(v: number): void {
    const b = this.room(16);
    let n = this.n;
    if (v < 10) { b[n] = 48 + v; this.n = n + 1; return; }
    let digits = 1;
    if (v < 0x80000000) {
      // 32-bit integers: a division by a constant V8 makes a multiplication
      for (let x = v; x >= 10; x = (x / 10) | 0) digits++;
      n += digits;
      this.n = n;
      for (let x = v; ; ) {
        const q = (x / 10) | 0;
        b[--n] = 48 + (x - q * 10);
        if (q === 0) return;
        x = q;
      }
    }
    for (let x = v; x >= 10; x = Math.floor(x / 10)) digits++;
    n += digits;
    this.n = n;
    for (let x = v; ; ) {
      const q = Math.floor(x / 10);
      b[--n] = 48 + (x - q * 10);
      if (q === 0) return;
      x = q;
    }
  }

  /** Whole fen ≥ 0 (a safe integer) as the JSON text of its yuan, quotes included: "12.05" (fenJsonShared's text). */
  fenJson(fen: number): void {
    const c = fen % 100, yuan = (fen - c) / 100;
    let b: Uint8Array, end: number;
    if (yuan < 0x80000000) {
      // (the common case in one place: room once, the digits counted by comparisons, not divisions)
      b = this.room(16);
      const at = this.n;
      b[at] = 34;
      end = at + 1 + digitsOf(yuan);
      for (let x = yuan, i = end; ;) {
        const q = (x / 10) | 0;
        b[--i] = 48 + (x - q * 10);
        if (q === 0) break;
        x = q;
      }
    } else {
      this.byte(34);
      this.whole(yuan);
      b = this.room(4);
      end = this.n;
    }
    b[end] = 46; b[end + 1] = CENT_TENS[c]!; b[end + 2] = CENT_ONES[c]!; b[end + 3] = 34;
    this.n = end + 4;
  }

  /** A text as UTF-8 (Buffer.from(text, 'utf8')'s bytes: a lone surrogate is U+FFFD). */
  text(s: string): void {
    const k = s.length;
    const b = this.room(k * 3);
    let n = this.n;
    for (let i = 0; i < k; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) { b[n++] = c; continue; }
      if (c < 0x800) { b[n++] = 0xc0 | (c >> 6); b[n++] = 0x80 | (c & 63); continue; }
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < k ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          n = pair(b, n, c, d);
          i++;
          continue;
        }
        c = 0xfffd;
      }
      b[n++] = 0xe0 | (c >> 12); b[n++] = 0x80 | ((c >> 6) & 63); b[n++] = 0x80 | (c & 63);
    }
    this.n = n;
  }

  /** JSON.stringify(s) as UTF-8: a short text of printable ASCII other than a quote or backslash
   *  (an id as the text reader reads it) written as it is, quoted; any other through JSON.stringify. */
  jsonString(s: string): void {
    const k = s.length;
    if (k <= 32) {
      const b = this.room(k + 2);
      let n = this.n, i = 0;
      b[n++] = 34;
      for (; i < k; i++) {
        const c = s.charCodeAt(i);
        if (c < 32 || c > 126 || c === 34 || c === 92) break;
        b[n++] = c;
      }
      if (i === k) { b[n++] = 34; this.n = n; return; }
    }
    this.text(JSON.stringify(s));
  }

  /** JSON.stringify(s) as UTF-8, in one pass (no escaped copy first): `"` and `\\` escaped,
   *  \b \t \n \f \r as those, other control characters and lone surrogates as \u and four
   *  lowercase hex digits, every other character as its UTF-8 (a pair as one 4-byte sequence). */
  jsonText(s: string): void {
    const k = s.length;
    const b = this.room(k * 6 + 2);
    let n = this.n;
    b[n++] = 34;
    for (let i = 0; i < k; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c !== 34 && c !== 92) { b[n++] = c; continue; }
        b[n++] = 92;
        const short = ESCAPES[c]!;
        if (short !== 0) { b[n++] = short; continue; }
        n = hex4(b, n, c);
        continue;
      }
      if (c < 0x800) { b[n++] = 0xc0 | (c >> 6); b[n++] = 0x80 | (c & 63); continue; }
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < k ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          n = pair(b, n, c, d);
          i++;
          continue;
        }
        b[n++] = 92;
        n = hex4(b, n, c);
        continue;
      }
      b[n++] = 0xe0 | (c >> 12); b[n++] = 0x80 | ((c >> 6) & 63); b[n++] = 0x80 | (c & 63);
    }
    b[n++] = 34;
    this.n = n;
  }

  /** An ASCII text (a number's digits) as it is. */
  ascii(s: string): void {
    const k = s.length, b = this.room(k);
    let n = this.n;
    for (let i = 0; i < k; i++) b[n++] = s.charCodeAt(i);
    this.n = n;
  }

  /** Bytes start..end written earlier into this sink, once more (a part of the answer met again). */
  again(start: number, end: number): void {
    const b = this.room(end - start);
    b.copyWithin(this.n, start, end);
    this.n += end - start;
  }
}

/** The letter after the backslash of JSON.stringify's two-character escapes, by code (0: \u form). */
const ESCAPES = new Uint8Array(128);
ESCAPES[34] = 34; ESCAPES[92] = 92; ESCAPES[8] = 98; ESCAPES[9] = 116; ESCAPES[10] = 110; ESCAPES[12] = 102; ESCAPES[13] = 114;
const HEX = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];
/** `u` and c as four lowercase hex digits at b[n]: the position after them. */
function hex4(b: Uint8Array, n: number, c: number): number {
  b[n] = 117; b[n + 1] = HEX[c >> 12]!; b[n + 2] = HEX[(c >> 8) & 15]!; b[n + 3] = HEX[(c >> 4) & 15]!; b[n + 4] = HEX[c & 15]!;
  return n + 5;
}

/** A text's UTF-8 bytes (Utf8Sink.text's), made once (a name and its punctuation, for Utf8Sink.put). */
export function utf8Bytes(s: string): Uint8Array {
  const sink = new Utf8Sink(s.length * 3);
  sink.text(s);
  return sink.bytes().slice();
}
