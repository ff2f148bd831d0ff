// Decision records in the SQL store. Writes are grouped: the records of every request that
// arrives while one statement is running go into the next one (one multi-row INSERT, see
// decision-insert.ts), so N concurrent evaluations cost one round trip, not N, and a
// batch of 10,000 households is one statement. insert() resolves only once its rows are
// committed: the answer goes out after its decision is stored.
// Embedded (PGlite in DATA_DIR), a group of fewer than JOURNAL_BELOW records goes to the journal
// instead (decision-journal.ts: one write() before the answers) and into the table in larger
// groups a little later; every read first moves what the journal holds, so it sees every answered
// decision. A PostgreSQL server (DATABASE_URL) is written directly: several instances share it,
// and a journal on one instance's disk would hide its decisions from the others.
import type { SqlStore } from '../sql/types.js';
import { DECISION_COLUMNS, decisionInsert, SPLIT_MIN_ROWS } from './decision-insert.js';
import { DecisionJournal } from './decision-journal.js';
import { StoreError } from './types.js';

export type { DecisionRow } from './decision-row.js';
import type { DecisionRow } from './decision-row.js';

export interface DecisionFilter {
  policy?: string;
  household_id?: string;
  caller_name?: string;
  caller_key?: string;
  /** decision time bounds (ISO): from ≤ at < to. */
  from?: string;
  to?: string;
  /** newest first: ids below the cursor. */
  cursor?: string;
  limit: number;
}

/** Rows per INSERT statement at most (groups beyond it wait for the next statement). */
export const MAX_ROWS_PER_INSERT = 20_000;

const SELECT = `SELECT ${DECISION_COLUMNS.join(', ')} FROM decisions`;
const BY_ID = `${SELECT} WHERE id = $1::uuid`;

interface Waiting { rows: DecisionRow[]; done(error?: unknown): void }

/**
 * Group statements running at once. One: the rows arriving while it runs make the next group.
 * Four on a PostgreSQL server was tried (a request would not wait for the statement before its
 * own): on the quiet machine recorded throughput fell from 2,713 to 1,441 req/s, every request
 * then paying its own commit (docs/performance.md, issue 15).
 */
const GROUPS_IN_FLIGHT = 1;

/**
 * Journaled rows move into the table this long after the first of them, once traffic is light
 * (below), or at once from DRAIN_ROWS rows, in statements of at most DRAIN_ROWS. Why these: a
 * move stops the event loop for its statement (in PGlite ≈ 180 µs + ≈ 30–50 µs per row); at a
 * steady 1,000 req/s 10 ms holds ≈ 10 decisions, a ≈ 0.8 ms stop every 10 ms, where a statement
 * each cost ≈ 250 µs per decision.
 */
const DRAIN_MS = 10;
const DRAIN_ROWS = 512;
/**
 * While rows come faster than this (per ms: 1,500 decisions a second, 1.5 times the steady
 * 1,000 req/s of issue 17's p99 row), the move waits for DRAIN_ROWS, at most DRAIN_MAX_MS after
 * its oldest row: moves of a few dozen rows cost nearly as much per row as writing each group
 * directly, 512 about a quarter less (in process, groups of 32: ≈ 36 µs a row directly, 27–30
 * moved 512 at a time; docs/performance.md, issue 17). A rate, not a count: a timer that fires
 * late on a loaded machine finds more rows, not a higher rate. At a steady 1,000 req/s rows are
 * moved every DRAIN_MS as before (≈ 10 rows, a stop of ≈ 0.5 ms).
 */
const BUSY_ROWS_PER_MS = 1.5;
const DRAIN_MAX_MS = 100;
/** After a move failed (the store unavailable), the next is tried this much later, not at once. */
const RETRY_MS = 1000;

/**
 * Embedded, a group of fewer rows than this goes to the journal, a larger one (a batch, a JSON
 * Lines chunk) to the table directly. Measured in PGlite (in process, one core): a statement
 * costs ≈ 180 µs plus ≈ 30–50 µs per row; a row journaled costs ≈ 1–2 µs for its record and its
 * share of a 512-row move, ≈ 27–33 µs. So single evaluations are journaled at any rate: a lone
 * decision (≈ 250 µs directly, ≈ 160–200 journaled) and the groups of a few dozen that 32
 * concurrent connections make (≈ 36 µs a row directly as a VALUES list). From this size on a
 * group is a statement of its own as cheap per row as a move (SPLIT_MIN_ROWS: the split lines).
 */
const JOURNAL_BELOW = SPLIT_MIN_ROWS;

export class DecisionRepository {
  private waiting: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;
  private idle: (() => void)[] = [];
  /** The embedded journal, and the rows appended to it that are not yet in the table. */
  private readonly journal: DecisionJournal | undefined;
  private journaled: DecisionRow[] = [];
  private moving: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The last move failed: the next waits RETRY_MS. */
  private failed = false;
  /** The next move may meet rows already stored (an earlier process's, read back from the journal;
   *  a move that failed after its commit): it skips stored ids, which costs ≈ 10 % more per row. */
  private mayBeStored = false;
  /** When the oldest row not yet moved was journaled (performance.now()). */
  private oldest = 0;

  /** `sql` may be opened lazily (the first use waits for it). `journalDir`: the embedded store's
   *  journal (DATA_DIR/sql-journal), whose rows left by an earlier process are stored first. */
  constructor(private readonly sql: () => Promise<SqlStore>, private readonly log: (e: Record<string, unknown>) => void = () => undefined, journalDir?: string) {
    if (journalDir) {
      const { journal, rows } = DecisionJournal.open(journalDir);
      this.journal = journal;
      this.journaled = rows;
      this.mayBeStored = rows.length > 0;
      this.scheduleMove();
    }
  }

  /** Stores the rows; resolves once they are committed (with the rows of other requests), or
   *  once they are in the journal. */
  insert(rows: DecisionRow[]): Promise<void> {
    if (!rows.length) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ rows, done: (e) => (e === undefined ? resolve() : reject(e)) });
      if (!this.scheduled) {
        this.scheduled = true;
        // the requests answered in this turn of the event loop join the same statement
        setImmediate(() => { this.scheduled = false; this.launch(); });
      }
    });
  }

  /** Appends every waiting group to the journal as one record, when they are few rows; true if so. */
  private journalWaiting(): boolean {
    let n = 0;
    for (const g of this.waiting) if ((n += g.rows.length) >= JOURNAL_BELOW) return false;
    const group = this.waiting.splice(0);
    const rows = group.length === 1 ? group[0]!.rows : group.flatMap((g) => g.rows);
    try {
      this.journal!.append(rows);
    } catch (e) {
      this.log({ level: 'error', msg: 'decision records not stored', rows: rows.length, error: e instanceof Error ? e.message : String(e) });
      const failure = new StoreError('store.unavailable', 'decision records could not be stored');
      for (const g of group) g.done(failure);
      return true;
    }
    if (!this.journaled.length) this.oldest = performance.now();
    for (const r of rows) this.journaled.push(r);
    for (const g of group) g.done();
    this.scheduleMove();
    return true;
  }

  private scheduleMove(): void {
    if (this.moving) return;   // it schedules the next when it ends
    if (this.journaled.length >= DRAIN_ROWS && !this.failed) { clearTimeout(this.timer); this.timer = undefined; void this.moveQuietly(); return; }
    // (an unreferenced timer: rows still in the journal when the process ends are stored at the next start)
    this.moveLater(this.failed ? RETRY_MS : DRAIN_MS);
  }

  private moveLater(ms: number): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      // busy: wait for DRAIN_ROWS rather than move a few dozen rows, within DRAIN_MAX_MS
      const age = performance.now() - this.oldest;
      if (!this.failed && age < DRAIN_MAX_MS && this.journaled.length >= BUSY_ROWS_PER_MS * age) this.moveLater(DRAIN_MS);
      else void this.moveQuietly();
    }, ms).unref();
  }

  private moveQuietly(): Promise<void> {
    return this.move().catch(() => undefined);  // logged by move(); the rows stay in the journal
  }

  /** Moves the journaled rows into the table (one move at a time); rejects when they could not be stored. */
  private move(): Promise<void> {
    this.moving ??= (async () => {
      const upTo = this.journal!.rotate();
      const rows = this.journaled;
      this.journaled = [];
      clearTimeout(this.timer);
      this.timer = undefined;
      try {
        // in statements of at most DRAIN_ROWS, of equal size (544 rows as 512 + 32 would write the 32 as dearly as directly)
        const statements = Math.ceil(rows.length / DRAIN_ROWS);
        for (let s = 0; s < statements; s++) {
          await this.write(rows.slice(Math.floor((s * rows.length) / statements), Math.floor(((s + 1) * rows.length) / statements)), this.mayBeStored);
        }
      } catch (e) {
        this.failed = true;
        this.mayBeStored = true;
        this.journaled = rows.concat(this.journaled);
        this.log({ level: 'error', msg: 'journaled decision records not stored', rows: rows.length, error: e instanceof Error ? e.message : String(e) });
        throw new StoreError('store.unavailable', 'decision records could not be stored');
      }
      this.failed = false;
      this.mayBeStored = false;
      this.journal!.committed(upTo);
    })().finally(() => {
      this.moving = undefined;
      if (this.journaled.length) this.scheduleMove();
    });
    return this.moving;
  }

  /** Every journaled row is in the table (a read sees every answered decision). */
  private async caughtUp(): Promise<void> {
    if (!this.journal) return;
    while (this.moving || this.journaled.length) await this.move();
  }

  /** Resolves when nothing is waiting to be written (shutdown). */
  async flushed(): Promise<void> {
    await this.caughtUp();
    // everything journaled is in the table: its files go (a start-up then reads none again)
    if (this.journal && !this.journaled.length && !this.moving) this.journal.committed(this.journal.rotate(true));
    while (this.waiting.length || this.inFlight || this.scheduled) await new Promise<void>((ok) => this.idle.push(ok));
  }

  /** Starts a statement for the rows waiting, while fewer than the store's limit are running. */
  private launch(): void {
    // (only while no group statement runs: the rows arriving meanwhile join the next group. Small
    // groups were once journaled only below 8 rows: with every window of 10 ms moved, 32 closed-loop
    // connections made moves of ≈ 60 rows, no cheaper than writing each group, and measured 57–83
    // µs of recording per request against 46–61 directly; busy moves now wait, BUSY_ROWS_PER_MS)
    if (this.journal && !this.inFlight && this.journalWaiting()) {
      for (const ok of this.idle.splice(0)) ok();
      return;
    }
    while (this.waiting.length && this.inFlight < GROUPS_IN_FLIGHT) {
      let n = 0;
      let take = 0;
      while (take < this.waiting.length && (take === 0 || n + this.waiting[take]!.rows.length <= MAX_ROWS_PER_INSERT)) n += this.waiting[take++]!.rows.length;
      const group = this.waiting.splice(0, take);
      this.inFlight++;
      void this.writeGroup(group, n).finally(() => {
        this.inFlight--;
        if (this.waiting.length) this.launch();
        else if (!this.inFlight && !this.scheduled) for (const ok of this.idle.splice(0)) ok();
      });
    }
  }

  private async writeGroup(group: Waiting[], n: number): Promise<void> {
    try {
      await this.write(group.length === 1 ? group[0]!.rows : group.flatMap((g) => g.rows));
      for (const g of group) g.done();
    } catch (e) {
      this.log({ level: 'error', msg: 'decision records not stored', rows: n, error: e instanceof Error ? e.message : String(e) });
      const failure = new StoreError('store.unavailable', 'decision records could not be stored');
      for (const g of group) g.done(failure);
    }
  }

  private async write(rows: DecisionRow[], skipStored = false): Promise<void> {
    // one INSERT for the group, in both modes (runtime/store/decision-insert.ts). (PGlite's COPY FROM a
    // blob was tried: cheaper for one 10,000-row group in isolation, but a streamed batch of 100,000
    // households in groups of up to 1,000 took 39 s by COPY against 11 s by the INSERT on the same quiet machine.)
    const { text, name, params } = decisionInsert(rows, skipStored);
    await (await this.sql()).query(text, params, { name });
  }

  async get(id: string): Promise<DecisionRow | null> {
    await this.caughtUp();
    const { rows } = await (await this.sql()).query<Record<string, unknown>>(BY_ID, [id], { name: 'decisions_by_id' });
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** Newest first, at most `limit`. */
  async list(f: DecisionFilter): Promise<DecisionRow[]> {
    await this.caughtUp();
    const { where, params } = filterSql(f, TABLE_COLUMNS);
    const text = `${SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`;
    const { rows } = await (await this.sql()).query<Record<string, unknown>>(text, params);
    return rows.map(toRow);
  }
}

function toRow(r: Record<string, unknown>): DecisionRow {
  const at = r.at instanceof Date ? r.at.toISOString() : new Date(String(r.at)).toISOString();
  return { ...(r as unknown as DecisionRow), at, version: Number(r.version), batch_index: r.batch_index === null ? null : Number(r.batch_index) };
}

/** The SQL column (or expression) each filter field compares, in a store's own query. */
export interface FilterColumns { policy: string; household_id: string; caller_name: string; caller_key: string; at: string; id: string }
const TABLE_COLUMNS: FilterColumns = { policy: 'policy', household_id: 'household_id', caller_name: 'caller_name', caller_key: 'caller_key', at: 'at', id: 'id' };

/** A DecisionFilter as WHERE conditions and parameters, the limit last (every store that keeps
 *  decisions lists them by the same filter, newest first by id). */
export function filterSql(f: DecisionFilter, c: FilterColumns, where: string[] = []): { where: string[]; params: unknown[] } {
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => { params.push(v); where.push(`${sql} $${params.length}`); };
  if (f.policy !== undefined) add(`${c.policy} =`, f.policy);
  if (f.household_id !== undefined) add(`${c.household_id} =`, f.household_id);
  if (f.caller_name !== undefined) add(`${c.caller_name} =`, f.caller_name);
  if (f.caller_key !== undefined) add(`${c.caller_key} =`, f.caller_key);
  if (f.from !== undefined) { params.push(f.from); where.push(`${c.at} >= $${params.length}::timestamptz`); }
  if (f.to !== undefined) { params.push(f.to); where.push(`${c.at} < $${params.length}::timestamptz`); }
  if (f.cursor !== undefined) { params.push(f.cursor); where.push(`${c.id} < $${params.length}::uuid`); }
  params.push(f.limit);
  return { where, params };
}
