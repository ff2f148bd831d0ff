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
import { MemoryFS, PGlite, parse, protocol } from '@electric-sql/pglite';
import { openPgliteThread } from './pglite-thread.js';
import { migrate } from './migrations.js';
import { checkSchemaName, type Migration, type QueryOptions, type SqlExecutor, type SqlStore } from './types.js';

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

/** A parameter PostgreSQL reads from its text as PGlite's own serialisers would write it (else: db.query). */
const plainParam = (v: unknown): v is string | number | null | undefined => v === null || v === undefined || typeof v === 'string' || typeof v === 'number';

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** Describe (portal), Execute (all rows) and Sync, as the wire protocol writes them. */
const DESCRIBE_EXECUTE_SYNC = Uint8Array.of(0x44, 0, 0, 0, 6, 0x50, 0, 0x45, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0x53, 0, 0, 0, 4);

/**
 * Bind (unnamed portal, statement `name`, text parameters) followed by DESCRIBE_EXECUTE_SYNC, in
 * one buffer written by Buffer's native UTF-8 encoder: PGlite's serializer measures each text
 * character by character and grows its buffer by copies (65 µs for a 4.5 KB parameter, against
 * 3 µs here).
 */
export function bindExecute(name: string, values: (string | null)[]): Uint8Array {
  let size = 1 + 4 + 1 + Buffer.byteLength(name) + 1 + 2 + 2 * values.length + 2 + 2;
  for (const v of values) size += 4 + (v === null ? 0 : Buffer.byteLength(v));
  const out = Buffer.allocUnsafe(size + DESCRIBE_EXECUTE_SYNC.length);
  let at = out.writeUInt8(0x42, 0);
  at = out.writeInt32BE(size - 1, at);
  at = out.writeUInt8(0, at);                            // unnamed portal
  at += out.write(name, at);
  at = out.writeUInt8(0, at);
  at = out.writeInt16BE(values.length, at);             // each parameter's format: text
  for (let i = 0; i < values.length; i++) at = out.writeInt16BE(0, at);
  at = out.writeInt16BE(values.length, at);
  for (const v of values) {
    if (v === null) { at = out.writeInt32BE(-1, at); continue; }
    const n = out.write(v, at + 4);
    out.writeInt32BE(n, at);
    at += 4 + n;
  }
  at = out.writeInt16BE(0, at);                          // every result column as text
  out.set(DESCRIBE_EXECUTE_SYNC, at);
  return out;
}

/** PGlite's internals the prepared path runs on (0.6.x; not part of its documented API). */
interface PgliteInternals {
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
  _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T>;
  execProtocolStream(message: Uint8Array, opts?: { syncToFs?: boolean }): Promise<Parameters<typeof parse.parseResults>[0]>;
}

/**
 * Whether `db`'s file system syncs nothing: PGlite's syncToFs() then only passes through a mutex
 * of its own and a scheduled promise (≈ 10 µs a call) to reach `fs.syncToFs`, which for NodeFS
 * (a folder) and MemoryFS (none) is EmscriptenBuiltinFilesystem's empty `async syncToFs() {}`
 * (PGlite 0.6.1, src/fs/base.ts; NodeFS and MemoryFS override only init and closeFs). Their
 * writes go straight to the OS (NODEFS: a write() per page or WAL block, inside the statement),
 * so a COMMIT is as durable before syncToFs as after. Another file system (IndexedDB, OPFS)
 * copies its files in syncToFs: then it is called, as PGlite does.
 */
const syncIsNoop = (db: PGlite): boolean => (db as { fs?: { syncToFs?: unknown } }).fs?.syncToFs === MemoryFS.prototype.syncToFs;

/** BindComplete, NoData, CommandComplete and ReadyForQuery: the whole reply of a statement without rows that succeeded. */
const BARE_REPLY = [0x32, 0x6e, 0x43, 0x5a];

/** Whether `reply` holds exactly the BARE_REPLY messages: read from their type bytes and lengths, nothing parsed. */
export function isBareReply(reply: Uint8Array): boolean {
  let at = 0;
  for (const type of BARE_REPLY) {
    if (at + 5 > reply.length || reply[at] !== type) return false;
    at += 1 + ((reply[at + 1]! << 24) | (reply[at + 2]! << 16) | (reply[at + 3]! << 8) | reply[at + 4]!);
  }
  return at === reply.length;
}

/**
 * The rows of any other reply, parsed as PGlite's execProtocolStream does: its first error is
 * thrown, notices are dropped (PGlite drops them too, without debug or onNotice). A notification
 * would reach no listener (PGlite hands them out only from its own parser): none of our named
 * statements notifies (pg_notify runs in a transaction, and comes with the COMMIT's reply), so
 * one is a mistake, said as such, not lost in silence.
 */
function replyRows<R>(reply: Uint8Array, parsers: PGlite['parsers']): R[] {
  const messages: Parameters<typeof parse.parseResults>[0] = [];
  new protocol.Parser().parse(reply, (m) => { messages.push(m); });
  const error = messages.find((m) => m instanceof protocol.messages.DatabaseError);
  if (error) throw error;
  if (messages.some((m) => m instanceof protocol.messages.NotificationResponseMessage)) {
    throw new Error('a named statement sent a NOTIFY: its listeners would miss it (run it without a name)');
  }
  return (parse.parseResults(messages, parsers)[0]?.rows ?? []) as R[];
}
const hasInternals = (db: unknown): boolean => {
  const d = db as Partial<Record<keyof PgliteInternals, unknown>>;
  return typeof d._runExclusiveTransaction === 'function' && typeof d._runExclusiveQuery === 'function' && typeof d.execProtocolStream === 'function'
    && typeof (db as Partial<PGlite>).execProtocolRawStream === 'function';
};

/** What runs a statement inside a PGlite transaction (its `tx`). */
export interface PgliteTx { query<R>(text: string, params?: unknown[]): Promise<{ rows: R[] }> }

/**
 * Named prepared statements on one PGlite. PGlite's query() sends Parse, Describe, Bind,
 * Describe, Execute and Sync as six calls into PostgreSQL, parsing and planning the statement
 * every time; a prepared one is parsed once, then each call is Bind, Describe, Execute and Sync
 * in one message (a group of decision records: ≈ 40 % less CPU, docs/performance.md, issue 15).
 * Outside a transaction it runs under PGlite's own locks, so it never interleaves with a
 * transaction, and is committed (autocommit, ended by the Sync) before it resolves, as query() is;
 * inside one (`inTransaction`) under the query lock only, the transaction holding the other.
 * It uses PGlite internals (`_runExclusiveTransaction`, `_runExclusiveQuery`,
 * `execProtocolStream`) and the public `execProtocolRawStream`: a PGlite without them (another
 * version) gets plain db.query / tx.query, slower but the same rows.
 */
export class PglitePrepared {
  private readonly parsed = new Map<string, string>();
  private readonly db: PGlite & PgliteInternals;
  /** false: PGlite's internals are missing, every statement goes through query(). */
  readonly fast: boolean;
  /** Whether an autocommit statement syncs the files after it (see syncIsNoop). */
  private readonly syncAfterCommit: boolean;
  constructor(db: PGlite) {
    this.db = db as PGlite & PgliteInternals;
    this.fast = hasInternals(db);
    this.syncAfterCommit = !syncIsNoop(db);
  }

  query<R>(name: string, text: string, params: unknown[] = []): Promise<{ rows: R[] }> {
    if (!this.fast || !params.every(plainParam)) return this.db.query<R>(text, params);
    return this.db._runExclusiveTransaction(() => this.run<R>(name, text, params, true));
  }

  /**
   * The statement inside `tx`, a transaction PGlite is running (db.transaction's callback): the
   * same Bind written with Buffer, without syncing the files (the COMMIT does). Why: a monitoring
   * chunk's INSERT passes ≈ 1 MB of text, which PGlite's serializer measured character by
   * character twice (≈ 20 % of the run's main thread).
   */
  inTransaction<R>(tx: PgliteTx, name: string, text: string, params: unknown[] = []): Promise<{ rows: R[] }> {
    if (!this.fast || !params.every(plainParam)) return tx.query<R>(text, params);
    return this.run<R>(name, text, params, false);
  }

  private run<R>(name: string, text: string, params: unknown[], autocommit: boolean): Promise<{ rows: R[] }> {
    const values = params.map((v) => (v === null || v === undefined ? null : String(v)));
    const S = protocol.serialize;
    const syncToFs = autocommit && this.syncAfterCommit;
    return this.db._runExclusiveQuery(async () => {
      const known = this.parsed.get(name);
      if (known === undefined) {
        // alone, so that a statement that fails to bind later leaves no doubt whether it exists
        // (a statement parsed inside a transaction outlives its rollback: PostgreSQL's are per session)
        await this.db.execProtocolStream(concat([S.parse({ name, text }), S.sync()]), { syncToFs: false });
        this.parsed.set(name, text);
      } else if (known !== text) throw new Error(`prepared statement ${name} has another text`);
      // the reply's raw bytes (execProtocolRawStream, public): execProtocolStream would run each
      // message through PGlite's JavaScript parser (≈ 27 µs for an INSERT's four), where one
      // without rows needs only to be recognised as such (issue 17)
      const chunks: Uint8Array[] = [];
      await this.db.execProtocolRawStream(bindExecute(name, values), { syncToFs, onRawData: (b) => { chunks.push(b.slice()); } });
      const reply = chunks.length === 1 ? chunks[0]! : concat(chunks);
      return { rows: isBareReply(reply) ? [] : replyRows<R>(reply, this.db.parsers) };
    });
  }
}

class PgliteStore implements SqlStore {
  readonly kind = 'pglite' as const;
  private readonly prepared: PglitePrepared;
  constructor(private readonly db: PGlite) { this.prepared = new PglitePrepared(db); }

  async query<R>(text: string, params?: unknown[], opts?: QueryOptions) {
    if (opts?.name) return this.prepared.query<R>(opts.name, text, params);
    const r = await this.db.query<R>(text, params);
    return { rows: r.rows };
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => fn({
      query: async <R>(text: string, params?: unknown[], opts?: QueryOptions) =>
        (opts?.name ? this.prepared.inTransaction<R>(tx, opts.name, text, params) : { rows: (await tx.query<R>(text, params)).rows }),
    }));
  }

  async listen(channel: string, handler: (payload: string | null) => void): Promise<() => Promise<void>> {
    // one process, one connection: nothing to lose and reconnect
    return this.db.listen(checkSchemaName(channel), (payload) => handler(payload));
  }

  async close(): Promise<void> { if (!this.db.closed) await this.db.close(); }
}

/** PGlite's work_mem (see openPgliteDb). */
export const PGLITE_WORK_MEM = '32MB';

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
  // A batch's decision insert reads its rows from set-returning functions, which PostgreSQL keeps
  // in a tuplestore (≈ 6.5 MB for 10,000 households): past work_mem (4 MB by default) it spills
  // to a temp file, written and read back through NODEFS on the main thread (issue 17). One
  // connection, one statement at a time: 32 MB is 32 MB at most, once.
  await db.exec(`SET work_mem = '${PGLITE_WORK_MEM}'`);
  // PostgreSQL's durability settings are left as PGlite starts them (measured and reasoned for
  // issue 17; a decision whose id was answered must survive a killed process, and no crash may
  // corrupt the store). PGlite runs with fsync off (its -F start option): a commit is a write()
  // of the WAL into the OS (≈ 1.5 pwrite per single-decision commit, no fsync or fdatasync), so a
  // killed process loses nothing committed, while an OS crash or a power cut is not covered at
  // all, whatever else is set. synchronous_commit stays on: off, a commit returns before its WAL
  // leaves PGlite's memory, and a killed process loses decisions already answered.
  // full_page_writes stays on: a kill during a page's write can leave it half written, and the
  // page's image in the WAL is what repairs it. commit_delay waits only when other transactions
  // are open (one session here: never) and wal_sync_method chooses a sync never made: neither
  // changes anything. wal_init_zero changes nothing either: PGlite already makes a new WAL
  // segment with one byte at its end (traced), not 16 MB of zeros. wal_buffers holds a few
  // commits at most. What a single decision costs is the statement itself (decision-insert.ts).
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
