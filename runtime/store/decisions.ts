// Decision records in the SQL store. Writes are grouped: the records of every request that
// arrives while one statement is running go into the next one (a multi-row INSERT … SELECT FROM
// json_populate_recordset), so N concurrent evaluations cost one round trip, not N, and a
// batch of 10,000 households is one statement. insert() resolves only once its rows are
// committed: the answer goes out after its decision is stored.
import type { SqlStore } from '../sql/types.js';
import { StoreError } from './types.js';

export interface DecisionRow {
  id: string;
  at: string;                   // ISO timestamp
  caller_name: string;
  caller_role: string;
  caller_key: string;           // key fingerprint
  request_id: string | null;
  policy: string;
  version: number;
  version_hash: string;
  source_hash: string;
  effective_from: string;
  as_of: string;
  household_id: string | null;
  household: string;            // canonical JSON
  outputs: string;              // canonical JSON
  batch_index: number | null;
}

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

const COLUMNS: [keyof DecisionRow, string][] = [
  ['id', 'uuid'], ['at', 'timestamptz'], ['caller_name', 'text'], ['caller_role', 'text'], ['caller_key', 'text'], ['request_id', 'text'],
  ['policy', 'text'], ['version', 'integer'], ['version_hash', 'text'], ['source_hash', 'text'], ['effective_from', 'text'], ['as_of', 'text'],
  ['household_id', 'text'], ['household', 'text'], ['outputs', 'text'], ['batch_index', 'integer'],
];
// The rows go as one JSON array parameter, expanded by the server (json_populate_recordset):
// one statement, one parameter, and JSON parsing in C rather than 16 array literals.
const INSERT = `INSERT INTO decisions (${COLUMNS.map(([c]) => c).join(', ')}) SELECT ${COLUMNS.map(([c]) => c).join(', ')} FROM json_populate_recordset(NULL::decisions, $1::json)`;
const SELECT = `SELECT ${COLUMNS.map(([c]) => c).join(', ')} FROM decisions`;

interface Waiting { rows: DecisionRow[]; done(error?: unknown): void }

export class DecisionRepository {
  private waiting: Waiting[] = [];
  private draining: Promise<void> | null = null;

  /** `sql` may be opened lazily (the first use waits for it). */
  constructor(private readonly sql: () => Promise<SqlStore>, private readonly log: (e: Record<string, unknown>) => void = () => undefined) {}

  /** Stores the rows; resolves once they are committed (with the rows of other requests). */
  insert(rows: DecisionRow[]): Promise<void> {
    if (!rows.length) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ rows, done: (e) => (e === undefined ? resolve() : reject(e)) });
      this.draining ??= this.drain();
    });
  }

  /** Resolves when nothing is waiting to be written (shutdown). */
  async flushed(): Promise<void> { while (this.draining) await this.draining; }

  private async drain(): Promise<void> {
    // the requests answered in this turn of the event loop join the first statement
    await new Promise<void>((ok) => setImmediate(ok));
    while (this.waiting.length) {
      let n = 0;
      let take = 0;
      while (take < this.waiting.length && (take === 0 || n + this.waiting[take]!.rows.length <= MAX_ROWS_PER_INSERT)) n += this.waiting[take++]!.rows.length;
      const group = this.waiting.splice(0, take);
      try {
        await this.write(group.length === 1 ? group[0]!.rows : group.flatMap((g) => g.rows));
        for (const g of group) g.done();
      } catch (e) {
        this.log({ level: 'error', msg: 'decision records not stored', rows: n, error: e instanceof Error ? e.message : String(e) });
        const failure = new StoreError('store.unavailable', 'decision records could not be stored');
        for (const g of group) g.done(failure);
      }
    }
    this.draining = null;
  }

  private async write(rows: DecisionRow[]): Promise<void> {
    // one INSERT for the group, in both modes. (PGlite's COPY FROM a blob was tried: cheaper for one
    // 10,000-row group in isolation, but a streamed batch of 100,000 households in groups of up
    // to 1,000 took 39 s by COPY against 11 s by this INSERT on the same quiet machine.)
    await (await this.sql()).query(INSERT, [JSON.stringify(rows)]);
  }

  async get(id: string): Promise<DecisionRow | null> {
    const { rows } = await (await this.sql()).query<Record<string, unknown>>(`${SELECT} WHERE id = $1::uuid`, [id]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** Newest first, at most `limit`. */
  async list(f: DecisionFilter): Promise<DecisionRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => { params.push(v); where.push(sql.replace('?', `$${params.length}`)); };
    if (f.policy !== undefined) add('policy = ?', f.policy);
    if (f.household_id !== undefined) add('household_id = ?', f.household_id);
    if (f.caller_name !== undefined) add('caller_name = ?', f.caller_name);
    if (f.caller_key !== undefined) add('caller_key = ?', f.caller_key);
    if (f.from !== undefined) add('at >= ?::timestamptz', f.from);
    if (f.to !== undefined) add('at < ?::timestamptz', f.to);
    if (f.cursor !== undefined) add('id < ?::uuid', f.cursor);
    params.push(f.limit);
    const text = `${SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`;
    const { rows } = await (await this.sql()).query<Record<string, unknown>>(text, params);
    return rows.map(toRow);
  }
}

function toRow(r: Record<string, unknown>): DecisionRow {
  const at = r.at instanceof Date ? r.at.toISOString() : new Date(String(r.at)).toISOString();
  return { ...(r as unknown as DecisionRow), at, version: Number(r.version), batch_index: r.batch_index === null ? null : Number(r.batch_index) };
}
