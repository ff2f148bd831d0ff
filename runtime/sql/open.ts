// Which SQL store a process uses: the PostgreSQL server named by DATABASE_URL, else PGlite in
// DATA_DIR/sql. Either way the migrations are applied before it is used.
import { join } from 'node:path';
import { migrate, MIGRATIONS } from './migrations.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';
import type { SqlStore } from './types.js';

export interface SqlOptions {
  /** postgres://… : a server; absent: embedded PGlite. */
  url?: string;
  /** PGlite's folder; absent: in memory. */
  dir?: string;
  /** Work in this schema (created when missing); tests use a fresh one per run. */
  schema?: string;
  /** PGlite in a folder on a worker thread (runtime/sql/pglite-thread.ts); PGLITE_THREAD=1 (off by default: measured slower), see docs/performance.md (issue 15). */
  thread?: boolean;
}

export async function openSqlStore(opts: SqlOptions = {}): Promise<SqlStore> {
  // a new PGlite database starts with these migrations applied (a cached template): migrate() below then finds them done
  const sql = opts.url ? await openPostgres(opts.url, { schema: opts.schema }) : await openPglite({ dir: opts.dir, schema: opts.schema, thread: opts.thread, migrations: MIGRATIONS });
  try {
    await migrate(sql);
  } catch (e) {
    await sql.close().catch(() => undefined);
    throw e;
  }
  return sql;
}

/** The store the server uses: DATABASE_URL, or PGlite under DATA_DIR/sql. */
export const sqlOptionsFromEnv = (env: NodeJS.ProcessEnv, dataDir: string): SqlOptions =>
  env.DATABASE_URL ? { url: env.DATABASE_URL } : { dir: join(dataDir, 'sql'), thread: env.PGLITE_THREAD === '1' };

let shared: Promise<SqlStore> | undefined;

/** A process-wide in-memory PGlite, opened on first use: the decision store of an app given
 *  none (tests, embedding). The server always passes its own (DATA_DIR/sql or DATABASE_URL). */
export function sharedMemorySql(): Promise<SqlStore> {
  return (shared ??= openSqlStore({}).catch((e: unknown) => { shared = undefined; throw e; }));
}
