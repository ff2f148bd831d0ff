// Keeps the server draft in step with the editor: autosave after a pause, with the revision
// check (If-Match); a 409 becomes a visible conflict, never a silent overwrite. Unsaved text is
// also kept in localStorage so a crash or closed tab does not lose it.
import { ApiError, type ApiClient } from '../api/client';

export interface DraftContent { source: string; scenarios: string }
export type SyncState = 'saved' | 'dirty' | 'saving' | 'error' | 'conflict';
export interface SyncStatus { state: SyncState; revision: number | string; message?: string; conflictRevision?: number | string }

interface Backup extends DraftContent { etag: string; at: string }

export class DraftSync {
  etag: string;
  revision: number | string;
  private saved: DraftContent;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private saving: Promise<boolean> | null = null;
  status: SyncStatus;

  constructor(
    private api: ApiClient,
    private id: string,
    initial: DraftContent & { etag: string; revision: number | string },
    private current: () => DraftContent,     // replaced by a snapshot on close()
    private onStatus: (s: SyncStatus) => void,
    private delayMs = 1200,
  ) {
    this.etag = initial.etag;
    this.revision = initial.revision;
    this.saved = { source: initial.source, scenarios: initial.scenarios };
    this.status = { state: 'saved', revision: initial.revision };
  }

  private set(s: SyncStatus) { this.status = s; this.onStatus(s); }

  get dirty(): boolean {
    const c = this.current();
    return c.source !== this.saved.source || c.scenarios !== this.saved.scenarios;
  }

  /** Unsaved work worth warning about on leave. */
  get unsafe(): boolean { return this.dirty || this.status.state === 'saving' || this.status.state === 'conflict'; }

  /** Call on every edit. */
  changed() {
    if (this.status.state === 'conflict') { this.backup(); return; }
    if (!this.dirty) {
      this.clearBackup();
      if (this.status.state !== 'saving') this.set({ state: 'saved', revision: this.revision });
      return;
    }
    this.backup();
    if (this.status.state !== 'saving') this.set({ state: 'dirty', revision: this.revision });
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = null; void this.save(); }, this.delayMs);
  }

  /** Saves now (Ctrl+S, before publish). Resolves true when the server has the current text. */
  async save(): Promise<boolean> {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    if (this.saving) { await this.saving; }
    if (this.status.state === 'conflict') return false;
    if (!this.dirty) { this.set({ state: 'saved', revision: this.revision }); return true; }
    const { source, scenarios } = this.current();
    const content = { source, scenarios };
    this.set({ state: 'saving', revision: this.revision });
    this.saving = (async () => {
      try {
        const r = await this.api.saveDraft(this.id, content, this.etag);
        this.etag = r.etag;
        this.revision = r.revision;
        this.saved = content;
        if (this.dirty) {
          this.backup();
          this.set({ state: 'dirty', revision: this.revision });
          this.timer = setTimeout(() => { this.timer = null; void this.save(); }, this.delayMs);
        } else {
          this.clearBackup();
          this.set({ state: 'saved', revision: this.revision });
        }
        return true;
      } catch (e) {
        if (e instanceof ApiError && (e.status === 409 || e.status === 412)) {
          const body = e.body as { error?: { current_revision?: number | string; details?: unknown } } | null;
          let current: number | string | undefined = body?.error?.current_revision;
          if (current === undefined) {
            try { current = (await this.api.getDraft(this.id)).revision; } catch { /* unknown */ }
          }
          this.set({ state: 'conflict', revision: this.revision, conflictRevision: current ?? '?' });
        } else {
          this.set({ state: 'error', revision: this.revision, message: e instanceof Error ? e.message : String(e) });
        }
        return false;
      } finally {
        this.saving = null;
      }
    })();
    return this.saving;
  }

  /** Conflict → keep my text: take the server's current revision and save over it. */
  async overwrite(): Promise<boolean> {
    const server = await this.api.getDraft(this.id);
    this.etag = server.etag;
    this.revision = server.revision;
    this.saved = { source: server.source, scenarios: server.scenarios };
    this.set({ state: 'dirty', revision: this.revision });
    return this.save();
  }

  /** Conflict → discard mine: returns the server's draft (the caller puts it in the editor). */
  async reload(): Promise<DraftContent> {
    const server = await this.api.getDraft(this.id);
    this.etag = server.etag;
    this.revision = server.revision;
    this.saved = { source: server.source, scenarios: server.scenarios };
    this.clearBackup();
    this.set({ state: 'saved', revision: this.revision });
    return this.saved;
  }

  /** The editor is going away: keep its last text, and save it if it is unsaved. */
  async close(): Promise<void> {
    const { source, scenarios } = this.current();
    const snapshot = { source, scenarios };
    this.current = () => snapshot;
    if (this.dirty && this.status.state !== 'conflict') await this.save();
    this.dispose();
  }

  dispose() { if (this.timer) clearTimeout(this.timer); }

  private key() { return `studio.draft.${this.id}`; }
  private backup() {
    try {
      const b: Backup = { ...this.current(), etag: this.etag, at: new Date().toISOString() };
      localStorage.setItem(this.key(), JSON.stringify(b));
    } catch { /* storage full or unavailable */ }
  }
  private clearBackup() { try { localStorage.removeItem(this.key()); } catch { /* ignore */ } }

  /** A local copy of unsaved work that differs from the server draft, if any. */
  static readBackup(id: string, server: DraftContent): Backup | null {
    try {
      const raw = localStorage.getItem(`studio.draft.${id}`);
      if (!raw) return null;
      const b = JSON.parse(raw) as Backup;
      if (typeof b.source !== 'string' || typeof b.scenarios !== 'string') return null;
      if (b.source === server.source && b.scenarios === server.scenarios) return null;
      return b;
    } catch { return null; }
  }
}
