// The Store on a lowdb JSON file. Each mutation works on a private copy, is checked against the
// invariants (published versions and the audit log are append-only and unchanged), and is
// committed by writing a temp file, fsync, rename over the old file, fsync the folder: a crash
// at any instant leaves either the old or the new file, never a torn one. Mutations run one at
// a time (a promise queue), so concurrent requests cannot interleave their read-modify-write.
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Low, type Adapter } from 'lowdb';
import { applyMutation, deepFreeze, freezeCommitted } from './mutation.js';
import { emptyData, StoreError, type DbData, type Mutation, type Store } from './types.js';

export const DB_FILE = 'studio-db.json';
export const LOCK_FILE = '.studio-db.lock';

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** Who holds the lock: a pid alone is ambiguous (pids are reused), so the process start time and boot id go with it. */
export interface LockOwner { pid: number; start: string | null; boot: string | null }

const readText = (file: string): string | null => { try { return readFileSync(file, 'utf8').trim(); } catch { return null; } };

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); null where there is no /proc. */
export function processStartTime(pid: number): string | null {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // The command name (field 2) is in parentheses and may contain spaces or ')': split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[22 - 3] ?? null;
}

export const bootId = (): string | null => readText('/proc/sys/kernel/random/boot_id');

export function currentOwner(): LockOwner {
  return { pid: process.pid, start: processStartTime(process.pid), boot: bootId() };
}

/** The lock file's owner: JSON {pid, start, boot}, or (written by older versions) a bare pid. */
export function parseLock(text: string): LockOwner | null {
  if (/^\d+$/.test(text)) return { pid: Number(text), start: null, boot: null };
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    return Number.isInteger(o.pid) && o.pid! > 0
      ? { pid: o.pid!, start: typeof o.start === 'string' ? o.start : null, boot: typeof o.boot === 'string' ? o.boot : null }
      : null;
  } catch { return null; }
}

/**
 * Whether the process that wrote the lock still runs. A pid that is not alive, or alive but
 * started at another time or in another boot, is another process that reused the pid: the
 * lock is stale. A bare-pid lock (older format) is compared by time: a process that started
 * after the lock file was written cannot have written it.
 */
function ownerAlive(owner: LockOwner, lockWrittenMs: number): boolean {
  if (!alive(owner.pid)) return false;
  const start = processStartTime(owner.pid);
  if (start === null) return true;          // no /proc: the pid is all we can check
  if (owner.start !== null) {
    if (owner.boot !== null && owner.boot !== bootId()) return false;
    return owner.start === start;
  }
  const startedMs = processStartMs(start);
  return startedMs === null || startedMs <= lockWrittenMs + 1000;
}

/** A start time in clock ticks since boot → ms since the epoch (via btime in /proc/stat; 100 ticks/s). */
function processStartMs(ticks: string): number | null {
  const btime = /^btime (\d+)$/m.exec(readText('/proc/stat') ?? '');
  return btime ? Number(btime[1]) * 1000 + Number(ticks) * 10 : null;
}

/**
 * Removes the stale lock `text` was read from. Two servers starting together may both judge it
 * stale: each moves the file aside (rename is atomic) and checks that what it moved is still the
 * stale lock; one that moved the other's fresh lock puts it back, and then finds it held.
 */
function takeOver(file: string, text: string): void {
  const aside = `${file}.${process.pid}.${Date.now()}`;
  try { renameSync(file, aside); } catch { return; /* another taker moved it first */ }
  let moved = '';
  try { moved = readFileSync(aside, 'utf8').trim(); } catch { /* gone: nothing to put back */ }
  if (moved !== text) { try { linkSync(aside, file); } catch { /* a third server holds it now */ } }
  try { unlinkSync(aside); } catch { /* already gone */ }
}

/** One process per DATA_DIR: a lock file naming its owner (a lock whose owner is gone is taken over). */
function acquireLock(file: string): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(currentOwner()));
      closeSync(fd);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let text: string, written: number;
      try { text = readFileSync(file, 'utf8').trim(); written = statSync(file).mtimeMs; } catch { continue; /* released meanwhile */ }
      const owner = parseLock(text);
      if (owner && ownerAlive(owner, written)) {
        throw new StoreError('store.locked', `${file} is held by process ${owner.pid}: another server uses this DATA_DIR`);
      }
      takeOver(file, text);
    }
  }
  throw new StoreError('store.locked', `could not take ${file}`);
}

/** lowdb adapter: JSON text, atomic and durable replace. */
export class DurableJsonFile implements Adapter<DbData> {
  readonly tempFile: string;
  constructor(readonly file: string) {
    this.tempFile = join(dirname(file), `.${basename(file)}.tmp`);
  }

  async read(): Promise<DbData | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    try {
      const data = JSON.parse(text) as DbData;
      if (!data || data.format !== 1 || typeof data.policies !== 'object') throw new Error('unexpected shape');
      return data;
    } catch (e) {
      // Refuse to start rather than overwrite a file we cannot read.
      throw new StoreError('store.corrupt', `cannot read ${this.file}: ${(e as Error).message}`);
    }
  }

  async write(data: DbData): Promise<void> {
    const text = JSON.stringify(data, null, 1);
    const fh = await open(this.tempFile, 'w');
    try {
      await fh.writeFile(text, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(this.tempFile, this.file);
    // Make the rename itself durable (not supported on every platform: best effort).
    try {
      const dh = await open(dirname(this.file), 'r');
      try { await dh.sync(); } finally { await dh.close(); }
    } catch { /* ignore */ }
  }
}

export class LowdbStore implements Store {
  private db: Low<DbData>;
  private current: DbData;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  fresh = false;

  private constructor(readonly file: string) {
    this.db = new Low<DbData>(new DurableJsonFile(file), emptyData());
    this.current = deepFreeze(emptyData());
  }

  private lockFile = '';

  /** Opens (or creates) DATA_DIR/studio-db.json; one process at a time (store.locked otherwise). */
  static async open(dataDir: string): Promise<LowdbStore> {
    mkdirSync(dataDir, { recursive: true });
    const store = new LowdbStore(join(dataDir, DB_FILE));
    store.lockFile = join(dataDir, LOCK_FILE);
    acquireLock(store.lockFile);
    try {
      const adapter = store.db.adapter as DurableJsonFile;
      await unlink(adapter.tempFile).catch(() => undefined); // a leftover from a crash mid-write
      const data = await adapter.read();
      store.fresh = data === null;
      store.current = deepFreeze(data ?? emptyData());
      if (store.fresh) await store.commit(emptyData());
    } catch (e) {
      store.releaseLock();
      throw e;
    }
    return store;
  }

  private releaseLock(): void {
    try { unlinkSync(this.lockFile); } catch { /* already gone */ }
  }

  get data(): Readonly<DbData> { return this.current; }

  mutate<T>(fn: Mutation<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.closed) throw new StoreError('store.closed', 'store is closed');
      const { result, next } = applyMutation(this.current, fn);
      await this.commit(next);
      return result;
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private async commit(next: DbData): Promise<void> {
    this.db.data = next;
    try {
      await this.db.write();
    } catch (e) {
      this.db.data = this.current;
      throw new StoreError('store.write_failed', `could not write ${this.file}: ${(e as Error).message}`);
    }
    this.current = freezeCommitted(next);
  }

  /** Waits for queued mutations, then refuses new ones and releases DATA_DIR. */
  async close(): Promise<void> {
    await this.queue;
    if (!this.closed) this.releaseLock();
    this.closed = true;
  }
}
