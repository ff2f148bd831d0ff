// A JSON answer already serialised, in parts. A policy's header info can be megabytes; the
// language worker serialises it once, off the event loop, and the answer writes those bytes as
// they are (no parse, no second stringify on the event loop). sendJson (operation.ts) knows it.

export class JsonText {
  private constructor(readonly parts: readonly Buffer[]) {}

  /**
   * One JSON object: `fields` serialised here (small), then each of `raw`, whose value is already
   * JSON text (bytes), or null. Key order: `fields` first, then `raw`.
   */
  static object(fields: Record<string, unknown>, raw: Record<string, Buffer | null>): JsonText {
    const head = JSON.stringify(fields);
    const parts: Buffer[] = [Buffer.from(head.slice(0, -1), 'utf8')];
    let first = head === '{}';
    for (const [key, value] of Object.entries(raw)) {
      parts.push(Buffer.from(`${first ? '' : ','}${JSON.stringify(key)}:${value === null ? 'null' : ''}`, 'utf8'));
      if (value !== null) parts.push(value);
      first = false;
    }
    parts.push(Buffer.from('}'));
    return new JsonText(parts);
  }

  /** A whole value's JSON text, already its UTF-8 bytes. */
  static bytes(text: Buffer): JsonText {
    return new JsonText([text]);
  }

  get byteLength(): number {
    return this.parts.reduce((n, p) => n + p.length, 0);
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts as Buffer[]);
  }

  /** The value (for callers in this process that need it as data: parses it). */
  toJSON(): unknown {
    return JSON.parse(this.toBuffer().toString('utf8'));
  }
}
