// The embedded store's write-behind journal of decision records (issue 17). In PGlite every
// statement and its commit have a fixed cost on the event loop: a lone recorded decision (a
// steady 1,000 req/s meets them one at a time) cost ≈ 250 µs of CPU, against ≈ 60 µs per row in
// a group of hundreds. So a decision is appended here, one write() before its answer is sent,
// and moved into the table later in large groups (runtime/store/decisions.ts).
//
// Durable as the table is: PGlite runs with fsync off (SHOW fsync: off; its folder's files are
// written by write() inside each statement), so a commit there survives a kill -9 of the process
// and not a power cut; a write() here is in the OS's page cache the moment it returns, the same.
//
// Files: DATA_DIR/sql-journal/<n>.log, n rising. Records are appended to the newest; once it
// holds ROTATE_BYTES a move into the table starts a new file (rotate), and the old ones are
// deleted once their rows are committed. (A new file per move, ≈ 10 decisions at 1,000 req/s,
// measured ≈ 280 µs for its open and close and 55 µs for its unlink on ext4: more than the rows'
// own statement. So the newest file also holds rows already moved; at start-up they are skipped
// as stored.) A file's record: payload length (u32 LE), CRC-32 of the payload
// (u32 LE), payload (the rows, one JSON array, UTF-8). At start-up every file is read; a record
// cut short or failing its checksum ends a file (a write() the kill stopped: its decision was
// never answered), and the rows read are written again (an insert that skips ids already stored:
// the kill may have come between their commit and the file's deletion).
import { closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { DecisionRow } from './decision-row.js';

const HEADER = 8;
/** The size from which a move starts a new file (≈ 1,300 decisions of ≈ 800 bytes): what a start-up reads again at most, besides what was not yet moved. */
export const ROTATE_BYTES = 1 << 20;
const NAME = /^(\d+)\.log$/;

/** The rows of every whole record of `bytes`, in order, up to the first torn or damaged one. */
export function readRecords(bytes: Uint8Array): DecisionRow[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rows: DecisionRow[] = [];
  for (let at = 0; at + HEADER <= buf.length;) {
    const n = buf.readUInt32LE(at);
    if (at + HEADER + n > buf.length) break;
    const payload = buf.subarray(at + HEADER, at + HEADER + n);
    if (crc32(payload) !== buf.readUInt32LE(at + 4)) break;
    let parsed: unknown;
    try { parsed = JSON.parse(payload.toString('utf8')); } catch { break; }
    if (!Array.isArray(parsed)) break;
    rows.push(...(parsed as DecisionRow[]));
    at += HEADER + n;
  }
  return rows;
}

/** `rows` as one record. */
export function record(rows: DecisionRow[]): Buffer {
  const text = JSON.stringify(rows);
  const out = Buffer.allocUnsafe(HEADER + Buffer.byteLength(text));
  const n = out.write(text, HEADER);
  out.writeUInt32LE(n, 0);
  out.writeUInt32LE(crc32(out.subarray(HEADER)), 4);
  return out;
}

export class DecisionJournal {
  private fd: number;
  private seq: number;
  /** Bytes in the current file (where a failed append is cut back to). */
  private size = 0;
  /** Files rotated out (or left by an earlier process) whose rows are not yet committed to the table. */
  private readonly closed: number[];

  private constructor(private readonly dir: string, files: number[]) {
    this.closed = files;
    this.seq = (files[files.length - 1] ?? 0) + 1;
    this.fd = openSync(this.file(this.seq), 'a');
  }

  /** Opens the journal in `dir` (made when missing); `rows`: what earlier processes left in it, to be stored. */
  static open(dir: string): { journal: DecisionJournal; rows: DecisionRow[] } {
    mkdirSync(dir, { recursive: true });
    const files = readdirSync(dir).map((f) => NAME.exec(f)).filter((m) => m !== null).map((m) => Number(m[1])).sort((a, b) => a - b);
    const rows: DecisionRow[] = [];
    for (const f of files) rows.push(...readRecords(readFileSync(join(dir, `${f}.log`))));
    return { journal: new DecisionJournal(dir, files), rows };
  }

  private file(n: number): string { return join(this.dir, `${n}.log`); }

  /** Appends `rows` as one record; returns once the OS has it (throws when it cannot be written whole). */
  append(rows: DecisionRow[]): void {
    const bytes = record(rows);
    try {
      for (let at = 0; at < bytes.length;) at += writeSync(this.fd, bytes, at, bytes.length - at);
    } catch (e) {
      // a partial record (disk full) is cut off, so that the records after it are read back
      try { ftruncateSync(this.fd, this.size); } catch { /* read back as torn: it and what follows are ignored */ }
      throw e;
    }
    this.size += bytes.length;
  }

  /** Starts a new file when the current one holds ROTATE_BYTES (`always`: any record); returns the
   *  newest file rotated out (committed() deletes it and those before it once the rows appended so
   *  far are in the table). */
  rotate(always = false): number {
    if (this.size >= ROTATE_BYTES || (always && this.size > 0)) {
      const fd = this.fd;
      this.closed.push(this.seq);
      this.fd = openSync(this.file(++this.seq), 'a');
      this.size = 0;
      closeSync(fd);
    }
    return this.closed[this.closed.length - 1] ?? 0;
  }

  /** The rows of every file up to `upTo` are in the table: delete those files. */
  committed(upTo: number): void {
    while (this.closed.length && this.closed[0]! <= upTo) {
      const f = this.closed.shift()!;
      try { unlinkSync(this.file(f)); } catch { /* already gone */ }
    }
  }

  close(): void { closeSync(this.fd); }
}
