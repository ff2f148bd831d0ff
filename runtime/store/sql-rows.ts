// The policy store's records as SQL rows and back (tables of migration 2): one function per
// table each way, so the column lists are written once. Nested objects go to json columns.
import type { SqlExecutor } from '../sql/types.js';
import type { AuditEntry, PolicyRecord, PublishRequestRecord, VersionRecord } from './types.js';

type Row = Record<string, unknown>;

const JSON_COLUMNS = new Set(['retired', 'supersedes', 'correction', 'details']);

/** INSERT of one row; json columns are sent as text and cast. */
export async function insertRow(tx: SqlExecutor, table: string, row: Row): Promise<void> {
  const cols = Object.keys(row);
  const values = cols.map((c) => (JSON_COLUMNS.has(c) && row[c] !== null ? JSON.stringify(row[c]) : row[c]));
  await tx.query(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c, i) => `$${i + 1}${JSON_COLUMNS.has(c) ? '::json' : ''}`).join(', ')})`, values);
}

/**
 * UPDATE of `row` where every `where` column has its value (a compare-and-set: the row must
 * still be what the mutation started from). Answers whether a row matched.
 */
export async function updateRow(tx: SqlExecutor, table: string, row: Row, where: Row): Promise<boolean> {
  const params: unknown[] = [];
  const param = (c: string, v: unknown) => { params.push(JSON_COLUMNS.has(c) && v !== null ? JSON.stringify(v) : v); return `$${params.length}${JSON_COLUMNS.has(c) ? '::json' : ''}`; };
  const set = Object.entries(row).map(([c, v]) => `${c} = ${param(c, v)}`).join(', ');
  const cond = Object.entries(where).map(([c, v]) => `${c} = ${param(c, v)}`).join(' AND ');
  const { rows } = await tx.query(`UPDATE ${table} SET ${set} WHERE ${cond} RETURNING 1 AS ok`, params);
  return rows.length === 1;
}

/** The policies row: everything but versions and publish requests (they have tables of their own). */
export const policyRow = (p: PolicyRecord): Row => ({
  id: p.id, created_at: p.created_at, created_by: p.created_by, retired: p.retired,
  draft_source: p.draft.source, draft_scenarios: p.draft.scenarios, draft_revision: p.draft.revision,
  draft_updated_at: p.draft.updated_at, draft_updated_by: p.draft.updated_by,
});

export const policyFromRow = (r: Row, versions: VersionRecord[], requests: PublishRequestRecord[]): PolicyRecord => ({
  id: String(r.id), created_at: String(r.created_at), created_by: String(r.created_by),
  retired: (r.retired ?? null) as PolicyRecord['retired'],
  draft: {
    source: String(r.draft_source), scenarios: String(r.draft_scenarios), revision: Number(r.draft_revision),
    updated_at: String(r.draft_updated_at), updated_by: String(r.draft_updated_by),
  },
  versions, publish_requests: requests,
});

export const versionRow = (policy: string, v: VersionRecord): Row => ({
  policy, version: v.version, effective_from: v.effective_from, note: v.note, source: v.source, scenarios: v.scenarios,
  hash: v.hash, author: v.author, approved_by: v.approved_by, published_at: v.published_at,
  draft_revision: v.draft_revision, supersedes: v.supersedes ?? null,
});

export const versionFromRow = (r: Row): VersionRecord => ({
  version: Number(r.version), effective_from: String(r.effective_from), note: String(r.note),
  source: String(r.source), scenarios: String(r.scenarios), hash: String(r.hash), author: String(r.author),
  approved_by: (r.approved_by ?? null) as string | null, published_at: String(r.published_at),
  draft_revision: r.draft_revision === null ? null : Number(r.draft_revision),
  supersedes: (r.supersedes ?? null) as VersionRecord['supersedes'],
});

export const requestRow = (policy: string, ord: number, r: PublishRequestRecord): Row => ({
  policy, id: r.id, ord, status: r.status, source: r.source, scenarios: r.scenarios, hash: r.hash,
  draft_revision: r.draft_revision, base_version: r.base_version, effective_from: r.effective_from, note: r.note,
  requested_by: r.requested_by, requested_by_key: r.requested_by_key, requested_at: r.requested_at,
  decided_by: r.decided_by, decided_by_key: r.decided_by_key ?? null, decided_at: r.decided_at,
  decision_note: r.decision_note, version: r.version, correction: r.correction ?? null,
  confirm_far_future: r.confirm_far_future ?? false,
});

const nullableNumber = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export const requestFromRow = (r: Row): PublishRequestRecord => ({
  id: String(r.id), status: r.status as PublishRequestRecord['status'], source: String(r.source), scenarios: String(r.scenarios),
  hash: String(r.hash), draft_revision: Number(r.draft_revision), base_version: Number(r.base_version),
  effective_from: String(r.effective_from), note: String(r.note), requested_by: String(r.requested_by),
  requested_by_key: String(r.requested_by_key), requested_at: String(r.requested_at),
  decided_by: (r.decided_by ?? null) as string | null, decided_by_key: (r.decided_by_key ?? null) as string | null,
  decided_at: (r.decided_at ?? null) as string | null, decision_note: (r.decision_note ?? null) as string | null,
  version: nullableNumber(r.version), correction: (r.correction ?? null) as PublishRequestRecord['correction'],
  confirm_far_future: r.confirm_far_future === true,
});

export const auditRow = (e: AuditEntry): Row => ({
  seq: e.seq, at: e.at, who: e.who, role: e.role, action: e.action, policy: e.policy,
  revision: e.revision, version: e.version, details: e.details,
});

export const auditFromRow = (r: Row): AuditEntry => ({
  seq: Number(r.seq), at: String(r.at), who: String(r.who), role: String(r.role), action: String(r.action),
  policy: (r.policy ?? null) as string | null, revision: nullableNumber(r.revision), version: nullableNumber(r.version),
  details: (r.details ?? {}) as Record<string, unknown>,
});
