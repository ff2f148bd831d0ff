// Monitoring runs in the SQL store: the run, its chunks (claimed by any instance with
// FOR UPDATE SKIP LOCKED, retaken when a claimer's heartbeat is older than the lease), and what
// each chunk produced — a result row per household (monitor-results.ts) and list rows, unique
// per (run, household[, list, policy]), written in the same transaction that marks the chunk
// done, so a chunk counts once whoever finishes it.
import type { SqlStore } from '../sql/types.js';
import { filterSql, type DecisionFilter, type DecisionRow, type FilterColumns } from './decisions.js';
import { baseOf, type PackedResults } from './monitor-results.js';

export type RunStatus = 'running' | 'done' | 'cancelled' | 'failed';

export interface RunRow {
  id: string; as_of: string; status: RunStatus; created_at: string; finished_at: string | null;
  started_by: string; caller_role: string; caller_key: string; registry_seq: number; previous_run: string | null;
  total: number; done: number; errors: number;
}
export interface ChunkRow { run_id: string; seq: number; lo: string; hi: string | null; size: number; attempts: number }
/** A household's results in a run: its outcomes column (monitor-results.ts), what the next run compares with. */
export interface PreviousResult { household_id: string; outcomes: string }
/** A programme version a run decided under, with the hashes its decisions name. */
export interface RunVersion { policy: string; version: number; version_hash: string; source_hash: string; effective_from: string }
export interface ListRow { run_id: string; list: string; household_id: string; policy: string; county: string | null; decision_id: string | null; detail: string }
export interface ListFilter { policy?: string; county?: string; household_id?: string; after?: { household_id: string; policy: string }; limit: number }

/** A chunk's household rows: small fields as JSON, the two text columns split as they are (monitor-results.ts). */
const INSERT_HOUSEHOLDS = `INSERT INTO monitor_households (run_id, household_id, county, household_seq, decision_base, outcomes, outputs)
SELECT $1, r.h, r.c, r.s, r.b, coalesce(r.outcomes, ''), coalesce(r.outputs, '')
FROM ROWS FROM (json_to_recordset($2::json) AS (h text, c text, s bigint, b uuid), string_to_table($3, E'\\x1e'), string_to_table($4, E'\\x1e'))
  AS r(h, c, s, b, outcomes, outputs)
ON CONFLICT DO NOTHING`;
/** A chunk's distinct outputs, the n-th of its `#n` lines (monitor-results.ts); no ON CONFLICT: a clash must fail the chunk, never mix two chunks' outputs. */
const INSERT_OUTPUTS = `INSERT INTO monitor_outputs (run_id, block, n, outputs)
SELECT $1, t.block, t.n::integer, t.outputs FROM ROWS FROM (string_to_table($2, E'\\x1e'), string_to_table($3, E'\\x1e')) WITH ORDINALITY AS t(outputs, block, n)`;
const INSERT_LISTS = `INSERT INTO monitor_list_rows (run_id, list, household_id, policy, county, decision_id, detail)
SELECT $1, l, h, p, c, i, d::text FROM json_to_recordset($2::json) AS (l text, h text, p text, c text, i uuid, d json) ON CONFLICT DO NOTHING`;

const iso = (v: unknown) => (v === null || v === undefined ? null : (v instanceof Date ? v : new Date(String(v))).toISOString());

/** A run's decisions in the decisions API's row shape: the household is the registry version the
 *  run read; caller, request and time are the run's. The view holds every run's results, one row
 *  per (household, programme) (migration 14). */
const RUN_DECISIONS = `SELECT r.decision_id AS id, run.created_at AS at, run.started_by AS caller_name, run.caller_role, run.caller_key, 'monitor-run:' || run.id AS request_id,
       r.policy, r.version, v.version_hash, v.source_hash, v.effective_from, run.as_of, r.household_id, h.household, r.outputs
  FROM monitor_programme_results r JOIN monitor_runs run ON run.id = r.run_id JOIN registry_history h ON h.seq = r.household_seq
  JOIN monitor_run_versions v ON v.run_id = r.run_id AND v.policy = r.policy AND v.version = r.version`;
const RUN_COLUMNS: FilterColumns = { policy: 'r.policy', household_id: 'r.household_id', caller_name: 'run.started_by', caller_key: 'run.caller_key', at: 'run.created_at', id: 'r.decision_id' };
const runDecision = (r: Record<string, unknown>): DecisionRow =>
  ({ ...(r as unknown as DecisionRow), id: String(r.id), at: iso(r.at)!, version: Number(r.version), batch_index: null });
const toRun = (r: Record<string, unknown>): RunRow => ({
  ...(r as unknown as RunRow), created_at: iso(r.created_at)!, finished_at: iso(r.finished_at),
  registry_seq: Number(r.registry_seq), total: Number(r.total), done: Number(r.done), errors: Number(r.errors),
});

export class RunRepository {
  constructor(private readonly sql: () => Promise<SqlStore>) {}

  async create(run: Omit<RunRow, 'done' | 'errors' | 'finished_at' | 'status'>, chunks: { lo: string; hi: string | null; size: number }[]): Promise<void> {
    await (await this.sql()).transaction(async (tx) => {
      await tx.query(
        `INSERT INTO monitor_runs (id, as_of, status, created_at, started_by, caller_role, caller_key, registry_seq, previous_run, total)
         VALUES ($1, $2, 'running', $3, $4, $5, $6, $7, $8, $9)`,
        [run.id, run.as_of, run.created_at, run.started_by, run.caller_role, run.caller_key, run.registry_seq, run.previous_run, run.total]);
      if (chunks.length) {
        await tx.query(
          `INSERT INTO monitor_chunks (run_id, seq, lo, hi, size) SELECT $1, seq, lo, hi, size FROM json_populate_recordset(NULL::monitor_chunks, $2::json)`,
          [run.id, JSON.stringify(chunks.map((c, i) => ({ ...c, seq: i })))]);
      } else {
        await tx.query(`UPDATE monitor_runs SET status = 'done', finished_at = now() WHERE id = $1`, [run.id]);
      }
    });
  }

  async get(id: string): Promise<RunRow | null> {
    const { rows } = await (await this.sql()).query<Record<string, unknown>>('SELECT * FROM monitor_runs WHERE id = $1::uuid', [id]);
    return rows[0] ? toRun(rows[0]) : null;
  }

  async list(limit: number): Promise<RunRow[]> {
    const { rows } = await (await this.sql()).query<Record<string, unknown>>('SELECT * FROM monitor_runs ORDER BY id DESC LIMIT $1', [limit]);
    return rows.map(toRun);
  }

  /** The latest finished run for a date before `asOf` (or on it, created earlier): what a new run compares with. */
  async previous(asOf: string): Promise<string | null> {
    const { rows } = await (await this.sql()).query<{ id: string }>(
      `SELECT id FROM monitor_runs WHERE status = 'done' AND as_of <= $1 ORDER BY as_of DESC, id DESC LIMIT 1`, [asOf]);
    return rows[0]?.id ?? null;
  }

  /** Claims one open chunk of a running run: pending, or running with a heartbeat older than the lease. */
  async claim(instance: string, leaseMs: number): Promise<(ChunkRow & { run: RunRow }) | null> {
    const sql = await this.sql();
    const { rows } = await sql.query<Record<string, unknown>>(
      // the pick is a CTE: evaluated once (a subquery joined in FROM may be re-run per row and claim several)
      `WITH pick AS (SELECT ch.run_id, ch.seq FROM monitor_chunks ch JOIN monitor_runs r ON r.id = ch.run_id
             WHERE r.status = 'running' AND (ch.status = 'pending' OR (ch.status = 'running' AND ch.heartbeat < now() - ($2::text || ' milliseconds')::interval))
             ORDER BY ch.run_id, ch.seq LIMIT 1 FOR UPDATE OF ch SKIP LOCKED)
       UPDATE monitor_chunks c SET status = 'running', claimed_by = $1, heartbeat = now(), attempts = c.attempts + 1
       FROM pick WHERE c.run_id = pick.run_id AND c.seq = pick.seq
       RETURNING c.run_id, c.seq, c.lo, c.hi, c.size, c.attempts`, [instance, String(leaseMs)]);
    const c = rows[0];
    if (!c) return null;
    const run = await this.get(String(c.run_id));
    return { run_id: String(c.run_id), seq: Number(c.seq), lo: String(c.lo), hi: c.hi === null ? null : String(c.hi), size: Number(c.size), attempts: Number(c.attempts), run: run! };
  }

  async heartbeat(runId: string, seq: number, instance: string): Promise<void> {
    await (await this.sql()).query('UPDATE monitor_chunks SET heartbeat = now() WHERE run_id = $1 AND seq = $2 AND claimed_by = $3', [runId, seq, instance]);
  }

  /** The previous run's outcomes for lo ≤ id < hi, a row per household (what the lists compare with). */
  async results(runId: string, lo: string, hi: string | null): Promise<PreviousResult[]> {
    const { rows } = await (await this.sql()).query<PreviousResult>(
      `SELECT household_id, outcomes FROM monitor_households WHERE run_id = $1 AND household_id >= $2 AND ($3::text IS NULL OR household_id < $3)
       UNION ALL
       -- a run stored before migration 14: its rows per programme, as outcome lines (errors aside: the lists do not read them)
       SELECT household_id, string_agg(concat_ws(E'\\x1f', policy, coalesce(version::text, ''), CASE eligible WHEN true THEN 't' WHEN false THEN 'f' ELSE '' END, coalesce(amount_fen::text, ''), coalesce(gradual_exit_until, ''), ''), E'\\n')
         FROM monitor_results WHERE run_id = $1 AND household_id >= $2 AND ($3::text IS NULL OR household_id < $3) GROUP BY household_id`, [runId, lo, hi]);
    return rows;
  }

  /**
   * Stores a chunk's results and list rows and marks it done, in one transaction, only while
   * this instance still holds it and the run is still running; answers false otherwise (then
   * nothing is written: another instance took it over, or the run was cancelled).
   */
  async complete(chunk: ChunkRow, instance: string, households: number, errors: number, results: PackedResults, versions: RunVersion[] = []): Promise<boolean> {
    return (await this.sql()).transaction(async (tx) => {
      const held = await tx.query(
        `UPDATE monitor_chunks c SET status = 'done', heartbeat = now() FROM monitor_runs r
         WHERE c.run_id = $1 AND c.seq = $2 AND c.claimed_by = $3 AND c.status = 'running' AND r.id = c.run_id AND r.status = 'running' RETURNING c.seq`,
        [chunk.run_id, chunk.seq, instance]);
      if (!held.rows.length) return false;
      if (versions.length) {
        await tx.query(`INSERT INTO monitor_run_versions SELECT $1, policy, version, version_hash, source_hash, effective_from
                        FROM json_populate_recordset(NULL::monitor_run_versions, $2::json) ON CONFLICT DO NOTHING`, [chunk.run_id, JSON.stringify(versions)]);
      }
      // named: a chunk's ≈ 1 MB of parameters is then written by Buffer (runtime/sql/pglite.ts), and each statement parsed once per connection
      if (results.rows) await tx.query(INSERT_HOUSEHOLDS, [chunk.run_id, results.households, results.outcomes, results.outputs], { name: 'monitor_households_insert' });
      if (results.shared) await tx.query(INSERT_OUTPUTS, [chunk.run_id, results.shared.texts, results.shared.blocks], { name: 'monitor_outputs_insert' });
      if (results.lists !== '[]') await tx.query(INSERT_LISTS, [chunk.run_id, results.lists], { name: 'monitor_lists_insert' });
      await tx.query('UPDATE monitor_runs SET done = done + $2, errors = errors + $3 WHERE id = $1', [chunk.run_id, households, errors]);
      await tx.query(
        `UPDATE monitor_runs SET status = 'done', finished_at = now() WHERE id = $1 AND status = 'running'
         AND NOT EXISTS (SELECT 1 FROM monitor_chunks WHERE run_id = $1 AND status <> 'done')`, [chunk.run_id]);
      return true;
    });
  }

  /**
   * A run's decision as the decisions API shows any decision: the household is the registry
   * version the run read, caller, request and time are the run's (null: no such decision).
   */
  async decision(id: string): Promise<DecisionRow | null> {
    // by the household row's base (indexed), or the id itself (a run stored before migration 14)
    const { rows } = await (await this.sql()).query<Record<string, unknown>>(
      `${RUN_DECISIONS} WHERE r.decision_base IN ($1::uuid, $2::uuid) AND r.decision_id = $1::uuid`, [id, baseOf(id)]);
    return rows[0] ? runDecision(rows[0]) : null;
  }

  /** A run's decisions as GET /api/decisions filters any decision (newest first, by id). */
  async decisions(f: DecisionFilter): Promise<DecisionRow[]> {
    const { where, params } = filterSql(f, RUN_COLUMNS, ['r.decision_id IS NOT NULL']);
    const { rows } = await (await this.sql()).query<Record<string, unknown>>(
      `${RUN_DECISIONS} WHERE ${where.join(' AND ')} ORDER BY r.decision_id DESC LIMIT $${params.length}`, params);
    return rows.map(runDecision);
  }

  /** Marks a running run cancelled (its open chunks are no longer claimed); answers whether it was running. */
  async cancel(id: string): Promise<boolean> {
    const { rows } = await (await this.sql()).query(`UPDATE monitor_runs SET status = 'cancelled', finished_at = now() WHERE id = $1::uuid AND status = 'running' RETURNING id`, [id]);
    return rows.length > 0;
  }

  async chunkCounts(id: string): Promise<{ total: number; done: number; running: number }> {
    const { rows } = await (await this.sql()).query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM monitor_chunks WHERE run_id = $1::uuid GROUP BY status', [id]);
    const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    return { total: rows.reduce((a, r) => a + Number(r.n), 0), done: by.done ?? 0, running: by.running ?? 0 };
  }

  /** Rows per list, policy and county. */
  async counts(id: string): Promise<{ list: string; policy: string; county: string | null; n: number }[]> {
    const { rows } = await (await this.sql()).query<{ list: string; policy: string; county: string | null; n: number }>(
      'SELECT list, policy, county, count(*)::int AS n FROM monitor_list_rows WHERE run_id = $1::uuid GROUP BY list, policy, county ORDER BY list, policy, county', [id]);
    return rows.map((r) => ({ ...r, n: Number(r.n) }));
  }

  /** A page of one list, in (household, policy) order. */
  async listRows(id: string, list: string, f: ListFilter): Promise<ListRow[]> {
    const params: unknown[] = [id, list];
    const where = ['run_id = $1::uuid', 'list = $2'];
    const add = (sql: string, ...v: unknown[]) => { let s = sql; for (const x of v) { params.push(x); s = s.replace('?', `$${params.length}`); } where.push(s); };
    if (f.policy !== undefined) add('policy = ?', f.policy);
    if (f.county !== undefined) add('county = ?', f.county);
    if (f.household_id !== undefined) add('household_id = ?', f.household_id);
    if (f.after) add('(household_id, policy) > (?, ?)', f.after.household_id, f.after.policy);
    params.push(f.limit);
    const { rows } = await (await this.sql()).query<ListRow>(
      `SELECT run_id, list, household_id, policy, county, decision_id, detail FROM monitor_list_rows WHERE ${where.join(' AND ')} ORDER BY household_id, policy LIMIT $${params.length}`, params);
    return rows.map((r) => ({ ...r, run_id: String(r.run_id), decision_id: r.decision_id === null ? null : String(r.decision_id) }));
  }
}
