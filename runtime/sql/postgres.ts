// The served adapter: a PostgreSQL server through a pg.Pool (DATABASE_URL).
import pg from 'pg';
import { checkSchemaName, type QueryOptions, type SqlExecutor, type SqlStore } from './types.js';

/** How long a lost LISTEN connection waits before connecting again. */
const RELISTEN_MS = 200;

class PostgresStore implements SqlStore {
  readonly kind = 'postgres' as const;
  constructor(private readonly pool: pg.Pool, private readonly config: pg.ClientConfig) {}

  async query<R>(text: string, params?: unknown[], opts?: QueryOptions) {
    // a named statement: each pooled connection parses and plans it once (pg keeps the names per connection)
    const r = opts?.name ? await this.pool.query({ name: opts.name, text, values: params }) : await this.pool.query(text, params as unknown[] | undefined);
    return { rows: r.rows as R[] };
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn({
        query: async <R>(text: string, params?: unknown[], opts?: QueryOptions) => ({
          rows: (opts?.name ? await client.query({ name: opts.name, text, values: params }) : await client.query(text, params as unknown[] | undefined)).rows as R[],
        }),
      });
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  /**
   * LISTEN on a connection of its own (a pooled one would go back to the pool). When it is
   * lost (server restart, network), it is made again, and the handler hears null: whatever was
   * notified meanwhile must be read again.
   */
  async listen(channel: string, handler: (payload: string | null) => void): Promise<() => Promise<void>> {
    const name = checkSchemaName(channel);
    let client: pg.Client | null = null;
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const again = () => { if (!stopped) timer = setTimeout(() => { void connect(false); }, RELISTEN_MS); };
    const connect = async (first: boolean): Promise<void> => {
      const c = new pg.Client(this.config);
      client = c;
      let gone = false;
      const lost = () => {
        if (gone) return;
        gone = true;
        if (client === c) client = null;
        c.end().catch(() => undefined);
        again();
      };
      c.on('notification', (n) => { if (n.channel === name) handler(n.payload ?? null); });
      c.on('error', lost);
      c.on('end', lost);
      try {
        await c.connect();
        await c.query(`LISTEN ${name}`);
      } catch (e) {
        if (first) { gone = true; client = null; await c.end().catch(() => undefined); throw e; }
        lost();
        return;
      }
      if (!first) handler(null);
    };
    await connect(true);
    return async () => {
      stopped = true;
      clearTimeout(timer);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    };
  }

  close(): Promise<void> { return this.pool.end(); }
}

/** A pool on `url`; with `schema`, every connection works in it (created when missing). */
export async function openPostgres(url: string, opts: { schema?: string; max?: number } = {}): Promise<SqlStore> {
  const schema = opts.schema === undefined ? undefined : checkSchemaName(opts.schema);
  const config: pg.ClientConfig = { connectionString: url, ...(schema ? { options: `-c search_path=${schema}` } : {}) };
  const pool = new pg.Pool({ ...config, max: opts.max ?? 10 });
  // an idle client's connection error (server restart) must not crash the process
  pool.on('error', () => undefined);
  try {
    if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    else await pool.query('SELECT 1');
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
  return new PostgresStore(pool, config);
}
