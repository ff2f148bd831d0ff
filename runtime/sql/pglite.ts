// The embedded adapter: PGlite (PostgreSQL compiled to WebAssembly, in this process). With a
// folder it persists there (DATA_DIR/sql); without one it lives in memory (tests, embedding).
// A fresh PGlite runs initdb, which takes seconds; an in-memory store therefore starts from a
// dump of a freshly initialised one, made once per machine and kept in the temp folder. A store
// opened with its migrations (runtime/sql/open.ts) starts from a dump with them applied too,
// one per set of migrations (their first run in a new process costs 1–3 s of CPU).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { openPgliteThread } from './pglite-thread.js';
import { migrate } from './migrations.js';
import { checkSchemaName, type Migration, type SqlExecutor, type SqlStore } from './types.js';

// (its exports map hides package.json: read beside its entry, dist/index.cjs; a template of another version must not be loaded)
const pgliteVersion = (): string => {
  try {
    const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    return (JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch { return 'unknown'; }
};

const templates = new Map<string, Promise<Blob>>();

/**
 * A dump of an initialised PGlite with `migrations` applied (none: an empty one), cached in the
 * temp folder under a name that holds a hash of the migrations, written atomically.
 */
function template(migrations: Migration[] = []): Promise<Blob> {
  const key = migrations.length === 0 ? 'empty'
    : `migrated-${createHash('sha256').update(JSON.stringify(migrations.map((m) => [m.version, m.name, m.sql]))).digest('hex').slice(0, 16)}`;
  let made = templates.get(key);
  if (!made) {
    made = (async () => {
      const file = join(tmpdir(), `policy-studio-pglite-${pgliteVersion()}-${key}.tar`);
      if (existsSync(file)) {
        try { return new Blob([readFileSync(file)]); } catch { /* unreadable: make it again */ }
      }
      const db = migrations.length === 0 ? await PGlite.create() : await PGlite.create({ loadDataDir: await template() });
      if (migrations.length > 0) await migrate(new PgliteStore(db), migrations);
      const dump = await db.dumpDataDir('none');
      await db.close();
      const bytes = Buffer.from(await dump.arrayBuffer());
      const tmp = `${file}.${process.pid}.tmp`;
      try { writeFileSync(tmp, bytes); renameSync(tmp, file); } catch { /* a read-only temp folder: keep it in memory only */ }
      return new Blob([bytes]);
    })();
    made.catch(() => templates.delete(key));
    templates.set(key, made);
  }
  return made;
}

class PgliteStore implements SqlStore {
  readonly kind = 'pglite' as const;
  constructor(private readonly db: PGlite) {}

  async query<R>(text: string, params?: unknown[]) {
    const r = await this.db.query<R>(text, params);
    return { rows: r.rows };
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => fn({ query: async <R>(text: string, params?: unknown[]) => ({ rows: (await tx.query<R>(text, params)).rows }) }));
  }

  async listen(channel: string, handler: (payload: string | null) => void): Promise<() => Promise<void>> {
    // one process, one connection: nothing to lose and reconnect
    return this.db.listen(checkSchemaName(channel), (payload) => handler(payload));
  }

  async close(): Promise<void> { if (!this.db.closed) await this.db.close(); }
}

/**
 * The PGlite database itself: in `dir` (created when missing), or in memory without one, working
 * in `schema`. A new database starts with `migrations` applied (from a template; not with a
 * schema), their applied_at set to now; the caller still runs migrate() (then a no-op).
 */
export async function openPgliteDb(opts: { dir?: string; schema?: string; migrations?: Migration[] } = {}): Promise<PGlite> {
  const start = opts.schema ? [] : opts.migrations ?? [];
  let db: PGlite;
  let fresh = true;
  if (opts.dir) {
    mkdirSync(opts.dir, { recursive: true });
    // a new folder starts from the template too (initdb would take seconds on every first start)
    fresh = !existsSync(join(opts.dir, 'PG_VERSION'));
    db = fresh ? await PGlite.create({ dataDir: opts.dir, loadDataDir: await template(start) }) : await PGlite.create(opts.dir);
  } else {
    db = await PGlite.create({ loadDataDir: await template(start) });
  }
  if (fresh && start.length > 0) await db.query('UPDATE schema_migrations SET applied_at = now()');
  if (opts.schema) {
    const s = checkSchemaName(opts.schema);
    // one connection: the search_path set here holds for every later statement
    await db.exec(`CREATE SCHEMA IF NOT EXISTS ${s}; SET search_path TO ${s}`);
  }
  return db;
}

/**
 * Opens PGlite in `dir` (created when missing), or in memory without one. With a folder and
 * `thread`, it runs in a worker thread (runtime/sql/pglite-thread.ts): its statements no longer
 * stop the event loop, but each group then costs a thread hand-off, and groups are smaller.
 */
export async function openPglite(opts: { dir?: string; schema?: string; thread?: boolean; migrations?: Migration[] } = {}): Promise<SqlStore> {
  if (opts.dir && opts.thread) {
    const threaded = await openPgliteThread({ dir: opts.dir, schema: opts.schema });
    if (threaded) return threaded;
  }
  return new PgliteStore(await openPgliteDb(opts));
}
