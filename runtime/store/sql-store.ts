// The Store on SQL (the PostgreSQL server of DATABASE_URL; PGlite works too), for several
// instances on one database. Each instance keeps the committed state as a frozen snapshot
// (`data`, read synchronously by the services), tagged with store_meta.change.
//
// A mutation is one transaction that first locks the store_meta row (FOR UPDATE): mutations of
// all instances therefore run one after another, and each starts by reading what the others
// committed (the policies whose `change` is newer than its snapshot, the audit entries after
// its last), so its checks (If-Match revision, pending request, version count, four eyes) see
// the committed state, never a stale memory. The diff is written with compare-and-set updates
// and guarded by constraints (primary key (policy, version), one pending request per policy,
// four_eyes, append-only triggers on versions and audit): a write that slips past the lock
// still cannot commit a second v(n+1). The transaction then bumps change and NOTIFYs.
// Other instances LISTEN and reload what changed (after a lost connection, they reload too).
import type { SqlExecutor, SqlStore } from '../sql/types.js';
import { applyMutation, freezeCommitted } from './mutation.js';
import {
  auditFromRow, auditRow, insertRow, policyFromRow, policyRow, requestFromRow, requestRow, updateRow, versionFromRow, versionRow,
} from './sql-rows.js';
import { emptyData, StoreError, type AuditEntry, type DbData, type Mutation, type PolicyRecord, type PublishRequestRecord, type Store, type VersionRecord } from './types.js';

export const CHANGE_CHANNEL = 'policy_store_change';
/** How long a failed reload waits before trying again. */
const RETRY_MS = 500;

interface Snapshot { data: DbData; change: number }
type Log = (e: Record<string, unknown>) => void;

/** PostgreSQL error codes a conflicting write raises: unique, check and trigger (integrity) violations. */
const CONFLICT_CODES = new Set(['23505', '23514', '23000', '23503', '40001', '40P01']);

export class SqlPolicyStore implements Store {
  private current: DbData = freezeCommitted(emptyData());
  private change = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private reloadQueued = false;
  private retry: NodeJS.Timeout | undefined;
  private stopListening: (() => Promise<void>) | null = null;
  private closed = false;
  fresh = false;

  private constructor(private readonly sql: SqlStore, private readonly log: Log) {}

  /** Loads the committed state and follows the changes other instances commit. */
  static async open(sql: SqlStore, log: Log = () => undefined): Promise<SqlPolicyStore> {
    const store = new SqlPolicyStore(sql, log);
    // listen before the first load: a change committed in between is then heard, not lost
    store.stopListening = await sql.listen(CHANGE_CHANNEL, (payload) => {
      if (payload === null || Number(payload) !== store.change) store.reloadSoon();
    });
    await store.reload();
    store.fresh = store.current.seeded_at === null && Object.keys(store.current.policies).length === 0;
    return store;
  }

  get data(): Readonly<DbData> { return this.current; }

  /** The store_meta.change the snapshot reflects. */
  get changeCounter(): number { return this.change; }

  /** Runs `task` after the queued ones: the snapshot only moves forward, one step at a time. */
  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const p = this.queue.then(task, task);
    this.queue = p.catch(() => undefined);
    return p;
  }

  /** Brings the snapshot up to what is committed (a consistent read: one REPEATABLE READ transaction). */
  reload(): Promise<void> {
    return this.enqueue(() => this.sql.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      this.install(await this.load(tx, false));
    }));
  }

  /**
   * Read-your-writes across instances: a request that follows a write answered by another
   * instance must see it even before the NOTIFY arrives. One small query per call.
   */
  async sync(): Promise<void> {
    const { rows } = await this.sql.query<{ change: string }>('SELECT change::text AS change FROM store_meta WHERE id = 1');
    if (Number(rows[0]?.change) !== this.change) await this.reload();
  }

  /** A reload after the queued work; several notifications in a row make one. */
  private reloadSoon(): void {
    if (this.reloadQueued || this.closed) return;
    this.reloadQueued = true;
    void this.enqueue(async () => { this.reloadQueued = false; }).then(() => this.reload()).catch((e: unknown) => {
      this.log({ level: 'error', msg: 'policy store reload failed; retrying', error: e instanceof Error ? e.message : String(e) });
      clearTimeout(this.retry);
      this.retry = setTimeout(() => this.reloadSoon(), RETRY_MS);
      this.retry.unref();
    });
  }

  private install(s: Snapshot | null): void {
    if (s && s.change >= this.change) { this.current = freezeCommitted(s.data); this.change = s.change; }
  }

  /**
   * What was committed since the snapshot (null: nothing). With `lock`, the store_meta row is
   * locked first, until the transaction ends: mutations of all instances run one at a time.
   */
  private async load(tx: SqlExecutor, lock: boolean): Promise<Snapshot | null> {
    const meta = (await tx.query<{ change: string; seeded_at: string | null; audit_seq: number; request_seq: number }>(
      `SELECT change::text AS change, seeded_at, audit_seq, request_seq FROM store_meta WHERE id = 1${lock ? ' FOR UPDATE' : ''}`)).rows[0];
    if (!meta) throw new StoreError('store.corrupt', 'store_meta has no row: the policy store migration did not run');
    const change = Number(meta.change);
    if (change === this.change) return null;
    // a counter that went back (a database restored from a backup): read everything again
    const base = change > this.change ? this.current : emptyData();
    const since = change > this.change ? this.change : -1;
    const rows = (await tx.query('SELECT * FROM policies WHERE change > $1 ORDER BY id', [since])).rows;
    const ids = rows.map((r) => String(r.id));
    const versions = groupBy((await tx.query('SELECT * FROM policy_versions WHERE policy = ANY($1::text[]) ORDER BY policy, version', [ids])).rows, versionFromRow);
    const requests = groupBy((await tx.query('SELECT * FROM publish_requests WHERE policy = ANY($1::text[]) ORDER BY policy, ord', [ids])).rows, requestFromRow);
    const audit = (await tx.query('SELECT * FROM audit WHERE seq > $1 ORDER BY seq', [base.counters.audit])).rows.map(auditFromRow);
    const policies: Record<string, PolicyRecord> = { ...base.policies };
    for (const r of rows) {
      const id = String(r.id);
      // published versions never change: keep the objects already held (what is cached by them, compiled code, stays valid)
      const known = base.policies[id]?.versions ?? [];
      const vs = (versions.get(id) ?? []).map((v, i) => (known[i]?.hash === v.hash ? known[i]! : v));
      policies[id] = policyFromRow(r, vs, requests.get(id) ?? []);
    }
    return {
      change,
      data: {
        format: 1, seeded_at: meta.seeded_at, policies, audit: audit.length ? base.audit.concat(audit) : base.audit,
        counters: { audit: Number(meta.audit_seq), request: Number(meta.request_seq) },
      },
    };
  }

  mutate<T>(fn: Mutation<T>): Promise<T> {
    return this.enqueue(async () => {
      if (this.closed) throw new StoreError('store.closed', 'store is closed');
      const committed = await this.sql.transaction(async (tx) => {
        // what others committed is committed whatever happens to this transaction: install it now,
        // so the mutation (and anything it reads through `data`) works on the current state
        this.install(await this.load(tx, true));
        const prev = this.current;
        const { result, next, added } = applyMutation(prev, fn);
        const change = this.change + 1;
        await writeDiff(tx, prev, next, added, change);
        const bumped = await updateRow(tx, 'store_meta',
          { change, seeded_at: next.seeded_at, audit_seq: next.counters.audit, request_seq: next.counters.request },
          { id: 1, change: this.change });
        if (!bumped) throw new StoreError('store.conflict', 'the policy store changed during the write');
        await tx.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, String(change)]);
        return { result, next, change };
      }).catch((e: unknown) => { throw asStoreError(e); });
      this.install({ data: committed.next, change: committed.change });
      return committed.result;
    });
  }

  /** Waits for queued work, then stops following changes; the SqlStore is closed by its owner. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.queue;
    await this.stopListening?.();
    this.stopListening = null;
  }
}

function groupBy<T>(rows: Record<string, unknown>[], map: (r: Record<string, unknown>) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = String(r.policy);
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(map(r));
  }
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Writes what `next` adds to or changes in `prev` (checked append-only by applyMutation already). */
async function writeDiff(tx: SqlExecutor, prev: DbData, next: DbData, added: AuditEntry[], change: number): Promise<void> {
  for (const [id, p] of Object.entries(next.policies)) {
    const old = prev.policies[id];
    if (!old) {
      await insertRow(tx, 'policies', { ...policyRow(p), change });
      await insertVersions(tx, id, p.versions);
      for (const [i, r] of p.publish_requests.entries()) await insertRow(tx, 'publish_requests', requestRow(id, i, r));
      continue;
    }
    let touched = false;
    const row = policyRow(p);
    if (!same(row, policyRow(old))) {
      // compare-and-set on the draft revision: a save from a stale revision cannot land
      if (!await updateRow(tx, 'policies', { ...row, change }, { id, draft_revision: old.draft.revision })) {
        throw new StoreError('store.conflict', `the draft of ${id} changed meanwhile`);
      }
      touched = true;
    }
    if (p.versions.length > old.versions.length) { await insertVersions(tx, id, p.versions.slice(old.versions.length)); touched = true; }
    if (p.publish_requests.length < old.publish_requests.length) throw new StoreError('store.immutable', `publish requests of ${id} cannot be removed`);
    touched = await writeRequests(tx, id, old.publish_requests, p.publish_requests) || touched;
    if (touched && same(row, policyRow(old))) await updateRow(tx, 'policies', { change }, { id });
  }
  for (const e of added) await insertRow(tx, 'audit', auditRow(e));
}

async function insertVersions(tx: SqlExecutor, policy: string, versions: VersionRecord[]): Promise<void> {
  for (const v of versions) await insertRow(tx, 'policy_versions', versionRow(policy, v));
}

/** New requests are inserted; a changed one is updated only if its status is still the old one. */
async function writeRequests(tx: SqlExecutor, policy: string, old: PublishRequestRecord[], cur: PublishRequestRecord[]): Promise<boolean> {
  let touched = false;
  for (const [i, r] of cur.entries()) {
    const o = old[i];
    if (!o) { await insertRow(tx, 'publish_requests', requestRow(policy, i, r)); touched = true; continue; }
    if (same(o, r)) continue;
    if (o.id !== r.id) throw new StoreError('store.immutable', `publish requests of ${policy} cannot be reordered`);
    const { policy: _p, id: _i, ...fields } = requestRow(policy, i, r);
    if (!await updateRow(tx, 'publish_requests', fields, { policy, id: r.id, status: o.status })) {
      throw new StoreError('store.conflict', `publish request ${r.id} was decided meanwhile`);
    }
    touched = true;
  }
  return touched;
}

/** A constraint the database enforced (or a serialization failure) is a conflict (409); anything else passes unchanged. */
function asStoreError(e: unknown): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && CONFLICT_CODES.has(code)) {
    return new StoreError('store.conflict', `the write conflicts with another one: ${(e as Error).message}`);
  }
  return e;
}
