// Decision records in the SQL store. Writes are grouped: the records of every request that
// arrives while one statement is running go into the next one (one multi-row INSERT, see
// decision-insert.ts), so N concurrent evaluations cost one round trip, not N, and a
// batch of 10,000 households is one statement. insert() resolves only once its rows are
// committed: the answer goes out after its decision is stored.
import type { SqlStore } from '../sql/types.js';
import { DECISION_COLUMNS, decisionInsert } from './decision-insert.js';
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

export class DecisionRepository {
  private waiting: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;
  private idle: (() => void)[] = [];

  /** `sql` may be opened lazily (the first use waits for it). */
  constructor(private readonly sql: () => Promise<SqlStore>, private readonly log: (e: Record<string, unknown>) => void = () => undefined) {}

  /** Stores the rows; resolves once they are committed (with the rows of other requests). */
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

  /** Resolves when nothing is waiting to be written (shutdown). */
  async flushed(): Promise<void> {
    while (this.waiting.length || this.inFlight || this.scheduled) await new Promise<void>((ok) => this.idle.push(ok));
  }

  /** Starts a statement for the rows waiting, while fewer than the store's limit are running. */
  private launch(): void {
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

  private async write(rows: DecisionRow[]): Promise<void> {
    // one INSERT for the group, in both modes (runtime/store/decision-insert.ts). (PGlite's COPY FROM a
    // blob was tried: cheaper for one 10,000-row group in isolation, but a streamed batch of 100,000
    // households in groups of up to 1,000 took 39 s by COPY against 11 s by the INSERT on the same quiet machine.)
    const { text, name, params } = decisionInsert(rows);
    await (await this.sql()).query(text, params, { name });
  }

  async get(id: string): Promise<DecisionRow | null> {
    const { rows } = await (await this.sql()).query<Record<string, unknown>>(BY_ID, [id], { name: 'decisions_by_id' });
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** Newest first, at most `limit`. */
  async list(f: DecisionFilter): Promise<DecisionRow[]> {
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
