// Batches as JSON Lines, streamed both ways: households come in one per line and results go out
// one per line, in order, as each input chunk is read (the evaluate batch of one policy, and the
// entitlements batch of every programme: streamLines() is the one reader and writer of both). Memory is bounded by one
// input chunk plus one line (at most MAX_LINE_BYTES), whatever the number of lines, so there is
// no household limit in this mode. Answer: a header line (the version and its assumptions,
// said once), one result line per input line (blank lines are skipped but keep their number),
// and a trailer line with the counts (a client that sees no trailer knows the answer was cut).
// Each chunk's households are answered by the JSON batch's own call, so their outputs and errors
// are exactly those of the JSON batch.
import type { Readable, Writable } from 'node:stream';
import { requireDate } from './dates.js';
import { DomainError } from './domain-error.js';
import { Utf8Sink } from '../../dsl/index.js';
import { slabBytes } from '../sink-bytes.js';
import { LineBuffers, StreamClosed, writeOut as write } from './line-buffers.js';
import type { EvaluationService, HouseholdError } from './evaluation.js';
import type { VersionRecord } from '../store/types.js';

/** Longest line accepted (bytes, newline excluded): one household, however large, fits well below. */
export const MAX_LINE_BYTES = 1024 * 1024;

export interface StreamWhere { as_of?: string; version?: string }
export interface StreamTrailer { done: true; lines: number; results: number; error_count: number }

/** The as_of and version query parameters, checked before anything is written (400 otherwise). */
export function streamParams(where: StreamWhere, today: () => string): { asOf: string; version?: number } {
  const asOf = where.as_of ?? today();
  requireDate(asOf);
  if (where.version === undefined) return { asOf };
  const version = Number(where.version);
  if (!/^\d{1,9}$/.test(where.version) || version < 1) {
    throw new DomainError('invalid', 'request.invalid', '版本号应为正整数', 'version must be a positive whole number', [{ path: 'version', message: where.version.slice(0, 40) }]);
  }
  return { asOf, version };
}

export const lineError = (line: number, code: string, zh: string, en: string, details: HouseholdError['details'] = []): HouseholdError => ({
  code, message: `第 ${line} 行：${zh} / line ${line}: ${en}`, message_zh: `第 ${line} 行：${zh}`, message_en: `line ${line}: ${en}`, details,
});

/** One input line the fast path did not answer: a household to evaluate, or already its (error) result line. */
type Parsed = { line: number; household: unknown } | { line: number; json: string };

function parseLine(text: string, line: number, idKey: string): Parsed {
  try {
    return { line, household: JSON.parse(text) as unknown };
  } catch (e) {
    const why = e instanceof Error ? e.message.slice(0, 200) : 'invalid JSON';
    const error = lineError(line, 'line.invalid_json', '不是合法的 JSON', 'is not valid JSON', [{ path: `line ${line}`, message: why }]);
    return { line, json: JSON.stringify({ line, [idKey]: null, error }) };
  }
}

/** The result line of one evaluated household (without its newline): the text JSON.stringify
 *  gives for {line, id, decision_id?, outputs} (or {line, id, error}), written by concatenation
 *  so that only the outputs go through JSON.stringify (no object and spread per line). */
export function resultLine(r: BatchItem, line: number): { json: string; error: boolean } {
  const id = r.id === null ? 'null' : JSON.stringify(r.id);
  if ('outputs' in r) return { json: `{"line":${line},"id":${id}${r.decision_id ? `,"decision_id":${JSON.stringify(r.decision_id)}` : ''},"outputs":${JSON.stringify(r.outputs)}}`, error: false };
  const e = r.error;
  return { json: `{"line":${line},"id":${id},"error":${JSON.stringify(lineError(line, e.code, e.message_zh, e.message_en, e.details))}}`, error: true };
}

/** One result of a batch call, as the JSON batch gives it (decision_id when recorded). */
export type BatchItem = { id: string | null; decision_id?: string; outputs: Record<string, unknown> } | { id: string | null; error: HouseholdError };
/** Stores the decisions of one chunk's results under `version` (one statement, as the JSON batch
 *  does: DecisionService.recordResults) and answers the results with their decision ids; undefined: a dry run. */
export type RecordChunk = (version: VersionRecord, households: unknown[], items: BatchItem[]) => Promise<BatchItem[]>;

/**
 * Reads `input` to its end and writes the answer to `out` (not ended here). The version is
 * resolved and compiled by the caller first, so a 404/410 is answered before any line. Each
 * chunk's households are evaluated by EvaluationService.batchResult — the JSON batch's own
 * per-household step, error numbering per chunk included — without the JSON batch's answer
 * object around them, and recorded (when `record`) in one statement before their lines go out.
 */
export async function batchStream(evaluation: EvaluationService, id: string, asOf: string, version: number | undefined,
  input: AsyncIterable<Buffer | string> & Readable, out: Writable, record: RecordChunk | undefined): Promise<StreamTrailer> {
  const head = evaluation.batch(id, { households: [], as_of: asOf, version });
  const header = { policy: head.policy, version: head.version, effective_from: head.effective_from, as_of: head.as_of, assumptions: head.assumptions };
  const run = async (households: unknown[]): Promise<BatchItem[]> => {
    const { version: v, compiled: c } = evaluation.lookup(id, asOf, version);
    const where = { id, version: v.version }, count = { errors: 0 };
    const items: BatchItem[] = new Array<BatchItem>(households.length);
    for (let i = 0; i < households.length; i++) items[i] = evaluation.batchResult(c, households[i], asOf, where, count);
    return record ? record(v, households, items) : items;
  };
  // a dry run answers each household whose text the policy's reader takes without JSON.parse
  // (the same result as batchResult's: CompiledPolicy.evaluateJson); a recorded one keeps the
  // parsed household for its decision
  const fast = record ? undefined : () => {
    const read = evaluation.textEvaluator(evaluation.lookup(id, asOf, version).compiled, asOf);
    return read === undefined ? undefined : (bytes: Uint8Array, start: number, end: number, line: number, sink: Utf8Sink) => {
      // {"line":N,"id":…,"outputs":…}\n, or nothing (the sink as it was)
      const from = sink.n;
      sink.put(LINE_KEY); sink.whole(line); sink.byte(44);
      if (read(bytes, start, end, sink) < 0) { sink.n = from; return false; }
      sink.byte(125); sink.byte(10);
      return true;
    };
  };
  return streamLines<BatchItem>(input, out, { header, run, line: resultLine, fast });
}

/** What a JSON Lines batch says: its header line, how a chunk's households are answered (in one
 *  call, recorded before their lines go out), and the line of one answer. */
export interface LineBatch<T> {
  header: object;
  run(households: unknown[]): Promise<T[]>;
  line(item: T, line: number): { json: string; error: boolean };
  /** The key naming a household in a result line (`id`; the entitlements' answers say `household_id`). */
  idKey?: string;
  /** Asked once per input chunk (as `run` is called once per chunk): a function answering one
   *  line's bytes (bytes start..end, read in place: no view made per line; and its number) by
   *  writing into `sink` the UTF-8 of the result line `line` would write for `run`'s answer to its
   *  parsed household, newline included (true), or by writing nothing (false: then `run` answers
   *  it); only for answers that are not errors, so `run`'s error numbering is unchanged. */
  fast?: () => FastLine | undefined;
}

/** LineBatch.fast's answer to one line. */
type FastLine = (bytes: Uint8Array, start: number, end: number, line: number, sink: Utf8Sink) => boolean;

/** What a fast result line starts with, before its number. */
const LINE_KEY = Buffer.from('{"line":', 'utf8');

/** Reads `input` to its end and writes the header, one line per non-blank input line, and the trailer to `out` (not ended here). */
export async function streamLines<T>(input: AsyncIterable<Buffer | string> & Readable, out: Writable, batch: LineBatch<T>): Promise<StreamTrailer> {
  await write(out, JSON.stringify(batch.header) + '\n');
  const idKey = batch.idKey ?? 'id';

  let line = 0, results = 0, errors = 0;
  let pending: Buffer[] = [], pendingBytes = 0, tooLong = false;
  let fast: FastLine | undefined;
  // a chunk's answer written into the buffers' next bytes (grown into the slab when longer)
  const buffers = new LineBuffers(), alloc = slabBytes();
  // the line is bytes start..end (none: too long); true: the fast path wrote its result line into the sink
  const finishLine = (bytes: Buffer | null, start: number, end: number, sink: Utf8Sink): Parsed | true | null => {
    line++;
    if (tooLong) {
      tooLong = false;
      const error = lineError(line, 'line.too_long', `超过 ${MAX_LINE_BYTES} 字节`, `is longer than ${MAX_LINE_BYTES} bytes`, [{ path: `line ${line}`, message: `max ${MAX_LINE_BYTES} bytes` }]);
      return { line, json: JSON.stringify({ line, [idKey]: null, error }) };
    }
    // the line's bytes first, as they are (a final CR is JSON whitespace to the reader too)
    if (bytes !== null && fast !== undefined && fast(bytes, start, end, line, sink)) return true;
    let text = bytes === null ? '' : bytes.toString('utf8', start, end);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() === '') return null;
    return parseLine(text, line, idKey);
  };
  // The chunk's answer: the fast path's lines as written into the sink, and the other lines
  // (those of one chunk evaluated, and their decisions recorded, in one batch call) put in at
  // their places (`at`: the sink's length when their line came). A chunk without a fast line (a
  // recorded batch: every one) is answered as text, as before there was a fast path.
  const answerOf = async (sink: Utf8Sink, slow: Slow[]): Promise<Buffer | string> => {
    const households: unknown[] = [];
    for (const { p } of slow) if ('household' in p) households.push(p.household);
    const items = households.length ? await batch.run(households) : [];
    const written = sink.bytes() as Buffer;
    if (slow.length === 0) return written;
    let k = 0;
    const texts = slow.map(({ p }) => {
      if ('json' in p) { errors++; return p.json + '\n'; }
      const r = batch.line(items[k++]!, p.line);
      if (r.error) errors++;
      return r.json + '\n';
    });
    if (written.length === 0) return texts.join('');
    const pieces: Buffer[] = [];
    let from = 0;
    slow.forEach(({ at }, i) => {
      pieces.push(written.subarray(from, at), Buffer.from(texts[i]!, 'utf8'));
      from = at;
    });
    pieces.push(written.subarray(from));
    return Buffer.concat(pieces);
  };

  async function readLines(): Promise<void> {
    for await (const piece of input) {
      const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
      fast = fastFor(batch);
      // result lines are ≈ 45 % of their input lines' bytes in the benchmark: room for half, grown when short
      const sink = fast === undefined ? new Utf8Sink(0, alloc) : new Utf8Sink(0, alloc, await buffers.room(out, chunk.length >> 1));
      const slow: Slow[] = [];
      const add = (p: Parsed | true | null) => {
        if (p === null) return;
        results++;
        if (p !== true) slow.push({ at: sink.n, p });
      };
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl >= 0; nl = chunk.indexOf(10, start)) {
        const from = start;
        start = nl + 1;
        if (tooLong || pendingBytes + (nl - from) > MAX_LINE_BYTES) { tooLong = true; add(finishLine(null, 0, 0, sink)); }
        else if (pending.length) { const whole = Buffer.concat([...pending, chunk.subarray(from, nl)]); add(finishLine(whole, 0, whole.length, sink)); }
        else add(finishLine(chunk, from, nl, sink));
        pending = []; pendingBytes = 0;
      }
      const rest = chunk.subarray(start);
      if (rest.length && !tooLong) {
        if (pendingBytes + rest.length > MAX_LINE_BYTES) { tooLong = true; pending = []; pendingBytes = 0; }
        // copied: the stream may reuse its chunk
        else { pending.push(Buffer.from(rest)); pendingBytes += rest.length; }
      }
      await buffers.add(out, await answerOf(sink, slow));
    }
    if (tooLong || pendingBytes > 0) {
      fast = fastFor(batch);
      const rest = tooLong ? null : Buffer.concat(pending);
      const sink = new Utf8Sink(fast === undefined || rest === null ? 0 : rest.length, alloc);
      const last = finishLine(rest, 0, rest?.length ?? 0, sink);
      if (last !== null) {
        results++;
        await buffers.add(out, await answerOf(sink, last === true ? [] : [{ at: 0, p: last }]));
      }
    }
    await buffers.flush(out);
  }
  try {
    await readLines();
  } catch (e) {
    // the lines answered before the fault go out before its line (as each chunk's did when written by itself)
    if (!(e instanceof StreamClosed)) await buffers.flush(out).catch(() => undefined);
    throw e;
  }
  const trailer: StreamTrailer = { done: true, lines: line, results, error_count: errors };
  await write(out, JSON.stringify(trailer) + '\n');
  return trailer;
}

/** A line the fast path did not answer, and where its result line goes among those it did. */
interface Slow { at: number; p: Parsed }

/** The batch's fast path for one chunk; none when asking fails (e.g. the policy was retired
 *  mid-stream): `run` then fails as it did, and only for a chunk that has a household. */
function fastFor<T>(batch: LineBatch<T>): FastLine | undefined {
  try { return batch.fast?.(); } catch { return undefined; }
}

export { StreamClosed };
