// The SQL store: the one interface both adapters give (PGlite in-process, a PostgreSQL server
// through pg.Pool), so the same SQL and the same migrations run embedded and served.

export interface SqlResult<R> { rows: R[] }

export interface QueryOptions {
  /**
   * Prepare the statement once per connection under this name, then only bind and execute it:
   * it is parsed and planned once, not at every call (a statement run very often: the decision
   * insert, the lookup by id, a monitoring chunk's inserts). One name, one text. Inside a
   * transaction too (the transaction's executor).
   */
  name?: string;
}

export interface SqlExecutor {
  /** One statement with $1, $2, … parameters. */
  query<R = Record<string, unknown>>(text: string, params?: unknown[], opts?: QueryOptions): Promise<SqlResult<R>>;
}

export interface SqlStore extends SqlExecutor {
  /** 'pglite' (embedded) or 'postgres' (DATABASE_URL). */
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn inside BEGIN … COMMIT on one connection (ROLLBACK when it throws). */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * Calls `handler` on every NOTIFY on `channel`, and with null after the listening connection
   * was lost and made again (notifications may have been missed meanwhile). Answers a stop function.
   */
  listen(channel: string, handler: (payload: string | null) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** A schema name safe to splice into SQL (tests use a random one per run). */
export function checkSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid SQL schema name: ${schema}`);
  return schema;
}

/** One numbered step of the schema (runtime/sql/migrations.ts applies them in order, each once). */
export interface Migration { version: number; name: string; sql: string }

