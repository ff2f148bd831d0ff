// The store behind an interface: plain records, one serialised mutate() that commits a whole
// new state atomically, and the invariant that a published version never changes.

export interface Actor { name: string; role: string }

export interface DraftRecord {
  source: string;
  scenarios: string;
  revision: number;            // +1 on every save; the ETag is "<revision>"
  updated_at: string;
  updated_by: string;
}

export interface VersionRecord {
  version: number;              // 1, 2, …
  effective_from: string;       // 'YYYY-MM-DD'
  note: string;
  source: string;
  scenarios: string;
  hash: string;                 // sha256 hex of source + "\0" + scenarios
  author: string;               // who published (or requested, when reviewed)
  approved_by: string | null;   // the reviewer, in two-step publishing
  published_at: string;
  draft_revision: number | null;
  /** A correction: this version replaces `version` from the same date (absent = an ordinary new version). */
  supersedes?: Correction | null;
}

/** An explicit correction of the latest version, published with the same effective date. */
export interface Correction { supersedes: number; reason: string }

export interface PublishRequestRecord {
  id: string;                   // 'pr-<n>'
  status: 'pending' | 'approved' | 'rejected';
  source: string;
  scenarios: string;
  hash: string;
  draft_revision: number;
  base_version: number;         // latest version when requested (0 = none)
  effective_from: string;
  note: string;
  requested_by: string;
  requested_by_key: string;     // key fingerprint: the approver must differ
  requested_at: string;
  decided_by: string | null;
  /** The approving (or rejecting) key's fingerprint: four eyes, checked by the SQL store's constraint too. */
  decided_by_key?: string | null;
  decided_at: string | null;
  decision_note: string | null;
  version: number | null;       // the version it produced
  correction?: Correction | null;
  confirm_far_future?: boolean;
}

export interface PolicyRecord {
  id: string;
  created_at: string;
  created_by: string;
  retired: { at: string; by: string; reason: string | null } | null;
  draft: DraftRecord;
  versions: VersionRecord[];
  publish_requests: PublishRequestRecord[];
}

export interface AuditEntry {
  seq: number;
  at: string;
  who: string;                  // key name
  role: string;
  action: string;               // 'policy.create', 'draft.update', 'publish', …
  policy: string | null;
  revision: number | null;      // draft revision concerned
  version: number | null;       // published version concerned
  details: Record<string, unknown>;
}

export interface DbData {
  format: 1;
  seeded_at: string | null;
  policies: Record<string, PolicyRecord>;
  audit: AuditEntry[];
  counters: { audit: number; request: number };
}

export type AuditInput = Omit<AuditEntry, 'seq' | 'at'> & { at?: string };

/** A mutation: change `data` (a private copy) and/or call `audit`; the return value is passed on. */
export type Mutation<T> = (data: DbData, audit: (entry: AuditInput) => AuditEntry) => T;

export interface Store {
  /** The current committed state. Deep-frozen: never mutate it. */
  readonly data: Readonly<DbData>;
  /** Runs mutations one at a time; resolves after the new state is durably on disk. */
  mutate<T>(fn: Mutation<T>): Promise<T>;
  /**
   * Brings `data` up to what is committed, when other processes commit to the same store (SQL
   * store: one small query; absent where this process is the only writer, as with lowdb).
   */
  sync?(): Promise<void>;
  /** True when the store was created empty (seed it). */
  readonly fresh: boolean;
  close(): Promise<void>;
}

export class StoreError extends Error {
  constructor(readonly code: string, message: string) { super(message); this.name = 'StoreError'; }
}

export function emptyData(): DbData {
  return { format: 1, seeded_at: null, policies: {}, audit: [], counters: { audit: 0, request: 0 } };
}
