// The dry-run batch answers are written as UTF-8 bytes into the language's Utf8Sink (dsl/, which
// has no Buffer): given this allocation its arrays are Buffers, so the bytes written go out as
// they are (res.end, a stream's write) with no copy. A small one comes from Buffer's pool.

/** The allocation of a Utf8Sink whose bytes go out as they are. */
export const allocBytes = (size: number): Buffer => Buffer.allocUnsafe(size);
