// The household registry in the SQL store: stable ids, dated history (registry-schema.ts).
// An import stages its rows, then copies them into the history in one transaction; a run reads
// households in id order, as they were on its date and at the seq it started from.
import type { SqlExecutor, SqlStore } from '../sql/types.js';

export interface StagedRow { line: number; household_id: string; county: string | null; household: string }
export interface HistoryRow { seq: number; household_id: string; effective_from: string; county: string | null; household: string; import_id: string | null; recorded_at: string }
/** A household as a run sees it. */
export interface RegistryEntry { id: string; seq: number; county: string | null; effective_from: string; household: string }
/** A chunk's households as a run reads them: two texts, not a row object each (what PGlite decodes and a thread copies). */
export interface PackedEntries {
  /** JSON array of [id, seq, county], in id order. */
  meta: string;
  /** The households' canonical JSON, in the same order, separated by RS (\x1e: canonical JSON has no raw control character). */
  households: string;
}

export class RegistryRepository {
  constructor(private readonly sql: () => Promise<SqlStore>) {}

  async stage(importId: string, rows: StagedRow[]): Promise<void> {
    if (!rows.length) return;
    await (await this.sql()).query(
      `INSERT INTO registry_staging (import_id, line, household_id, county, household)
       SELECT $1, line, household_id, county, household FROM json_populate_recordset(NULL::registry_staging, $2::json)`,
      [importId, JSON.stringify(rows)]);
  }

  /** Ids given twice in one import (first and second line), at most `limit`. */
  async duplicates(importId: string, limit: number): Promise<{ household_id: string; first: number; again: number }[]> {
    const { rows } = await (await this.sql()).query<{ household_id: string; first: number; again: number }>(
      `SELECT household_id, min(line) AS first, max(line) AS again FROM registry_staging WHERE import_id = $1
       GROUP BY household_id HAVING count(*) > 1 ORDER BY min(line) LIMIT $2`, [importId, limit]);
    return rows.map((r) => ({ household_id: r.household_id, first: Number(r.first), again: Number(r.again) }));
  }

  async discard(importId: string): Promise<void> {
    await (await this.sql()).query('DELETE FROM registry_staging WHERE import_id = $1', [importId]);
  }

  /** Copies a staged import into the history, all in one transaction; answers the rows copied and how many ids were new. */
  async commit(importId: string, effectiveFrom: string): Promise<{ rows: number; created: number }> {
    return (await this.sql()).transaction(async (tx) => {
      const created = await tx.query<{ id: string }>(
        `INSERT INTO registry_households (id) SELECT DISTINCT household_id FROM registry_staging WHERE import_id = $1
         ON CONFLICT (id) DO NOTHING RETURNING id`, [importId]);
      const copied = await tx.query<{ seq: number }>(
        `INSERT INTO registry_history (household_id, effective_from, county, household, import_id)
         SELECT household_id, $2, county, household, import_id FROM registry_staging WHERE import_id = $1 ORDER BY line RETURNING seq`,
        [importId, effectiveFrom]);
      await tx.query('DELETE FROM registry_staging WHERE import_id = $1', [importId]);
      return { rows: copied.rows.length, created: created.rows.length };
    });
  }

  /** One household's new version (created when the id is new); answers its seq. */
  async put(id: string, effectiveFrom: string, county: string | null, household: string): Promise<{ seq: number; created: boolean }> {
    return (await this.sql()).transaction(async (tx: SqlExecutor) => {
      const created = await tx.query('INSERT INTO registry_households (id) VALUES ($1) ON CONFLICT (id) DO NOTHING RETURNING id', [id]);
      const { rows } = await tx.query<{ seq: number }>(
        'INSERT INTO registry_history (household_id, effective_from, county, household) VALUES ($1, $2, $3, $4) RETURNING seq',
        [id, effectiveFrom, county, household]);
      return { seq: Number(rows[0]!.seq), created: created.rows.length > 0 };
    });
  }

  /** Every version of one household, oldest date first (null: no such household). */
  async history(id: string): Promise<HistoryRow[] | null> {
    const sql = await this.sql();
    const known = await sql.query('SELECT id FROM registry_households WHERE id = $1', [id]);
    if (!known.rows.length) return null;
    const { rows } = await sql.query<Record<string, unknown>>(
      'SELECT seq, household_id, effective_from, county, household, import_id, recorded_at FROM registry_history WHERE household_id = $1 ORDER BY effective_from, seq', [id]);
    return rows.map((r) => ({ ...(r as unknown as HistoryRow), seq: Number(r.seq), recorded_at: new Date(String(r.recorded_at instanceof Date ? r.recorded_at.toISOString() : r.recorded_at)).toISOString() }));
  }

  async count(): Promise<number> {
    const { rows } = await (await this.sql()).query<{ n: number }>('SELECT count(*)::int AS n FROM registry_households');
    return Number(rows[0]!.n);
  }

  async maxSeq(): Promise<number> {
    const { rows } = await (await this.sql()).query<{ s: number | null }>('SELECT max(seq) AS s FROM registry_history');
    return Number(rows[0]!.s ?? 0);
  }

  /** Chunk boundaries: every `size`-th id in id order (the first is the smallest id), with the count each chunk holds. */
  async boundaries(size: number): Promise<{ lo: string; hi: string | null; size: number }[]> {
    const { rows } = await (await this.sql()).query<{ id: string }>(
      'SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM registry_households) t WHERE (rn - 1) % $1 = 0 ORDER BY id', [size]);
    const total = await this.count();
    return rows.map((r, i) => ({ lo: r.id, hi: rows[i + 1]?.id ?? null, size: i + 1 < rows.length ? size : total - i * size }));
  }

  /** asOf() packed: one row of two texts for the chunk. */
  async asOfPacked(lo: string, hi: string | null, asOf: string, maxSeq: number): Promise<PackedEntries> {
    const { rows } = await (await this.sql()).query<{ meta: string | null; households: string | null }>(
      `SELECT json_agg(json_build_array(household_id, seq, county) ORDER BY household_id)::text AS meta, string_agg(household, E'\\x1e' ORDER BY household_id) AS households
       FROM (SELECT DISTINCT ON (household_id) household_id, seq, county, household FROM registry_history
             WHERE household_id >= $1 AND ($2::text IS NULL OR household_id < $2) AND effective_from <= $3 AND seq <= $4
             ORDER BY household_id, effective_from DESC, seq DESC) t`, [lo, hi, asOf, maxSeq]);
    return { meta: rows[0]?.meta ?? '[]', households: rows[0]?.households ?? '' };
  }

  /** The households lo ≤ id < hi as they were on `asOf` (latest version dated on or before it, among seq ≤ maxSeq). */
  async asOf(lo: string, hi: string | null, asOf: string, maxSeq: number): Promise<RegistryEntry[]> {
    const { rows } = await (await this.sql()).query<RegistryEntry & { household_id: string }>(
      `SELECT DISTINCT ON (household_id) household_id, seq, county, effective_from, household FROM registry_history
       WHERE household_id >= $1 AND ($2::text IS NULL OR household_id < $2) AND effective_from <= $3 AND seq <= $4
       ORDER BY household_id, effective_from DESC, seq DESC`, [lo, hi, asOf, maxSeq]);
    return rows.map((r) => ({ id: r.household_id, seq: Number(r.seq), county: r.county, effective_from: r.effective_from, household: r.household }));
  }
}
