// The served adapter: a PostgreSQL server through a pg.Pool (DATABASE_URL).
import pg from 'pg';
import { checkSchemaName, type SqlExecutor, type SqlStore } from './types.js';

class PostgresStore implements SqlStore {
  readonly kind = 'postgres' as const;
  constructor(private readonly pool: pg.Pool) {}

  async query<R>(text: string, params?: unknown[]) {
    const r = await this.pool.query(text, params as unknown[] | undefined);
    return { rows: r.rows as R[] };
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn({ query: async <R>(text: string, params?: unknown[]) => ({ rows: (await client.query(text, params as unknown[] | undefined)).rows as R[] }) });
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  close(): Promise<void> { return this.pool.end(); }
}

/** A pool on `url`; with `schema`, every connection works in it (created when missing). */
export async function openPostgres(url: string, opts: { schema?: string; max?: number } = {}): Promise<SqlStore> {
  const schema = opts.schema === undefined ? undefined : checkSchemaName(opts.schema);
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  // an idle client's connection error (server restart) must not crash the process
  pool.on('error', () => undefined);
  try {
    if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    else await pool.query('SELECT 1');
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
  return new PostgresStore(pool);
}
