// The schema, as numbered migrations applied in order, each once, inside one transaction that
// also records them in schema_migrations. The same statements run on PGlite and PostgreSQL.
// An advisory lock makes instances that start together on one database apply them once.
import type { SqlStore } from './types.js';
import { USER_MIGRATIONS } from '../store/users.js';
import { MONITOR_MIGRATIONS } from '../store/registry-schema.js';

import type { Migration } from './types.js';

export type { Migration };

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'decisions',
    sql: `
CREATE TABLE decisions (
  id             uuid PRIMARY KEY,            -- UUIDv7: sorts by time
  at             timestamptz NOT NULL,
  caller_name    text NOT NULL,
  caller_role    text NOT NULL,
  caller_key     text NOT NULL,               -- key fingerprint: ownership (a client reads its own)
  request_id     text,
  policy         text NOT NULL,
  version        integer NOT NULL,
  version_hash   text NOT NULL,               -- sha256 of source + NUL + scenarios (as in /versions)
  source_hash    text NOT NULL,               -- sha256 of the policy source alone
  effective_from text NOT NULL,
  as_of          text NOT NULL,
  household_id   text,
  household      text NOT NULL,               -- canonical JSON (keys sorted), as received
  outputs        text NOT NULL,               -- canonical JSON
  batch_index    integer                      -- position in its batch; null for a single evaluation
);
CREATE INDEX decisions_policy_id ON decisions (policy, id);
CREATE INDEX decisions_household_id ON decisions (household_id, id);
CREATE INDEX decisions_caller_id ON decisions (caller_key, id);
CREATE INDEX decisions_at ON decisions (at);
`,
  },
  {
    // The policy documents (with DATABASE_URL; embedded they stay in lowdb): see store/sql-store.ts.
    // Times are text, as the store has them (ISO strings, byte for byte); nested objects are
    // json (kept as written, key order included), not jsonb.
    version: 2,
    name: 'policy store',
    sql: `
CREATE TABLE store_meta (
  id          integer PRIMARY KEY CHECK (id = 1),
  change      bigint NOT NULL,                -- +1 per committed mutation: what a snapshot reflects
  seeded_at   text,
  audit_seq   integer NOT NULL,
  request_seq integer NOT NULL
);
INSERT INTO store_meta (id, change, seeded_at, audit_seq, request_seq) VALUES (1, 0, NULL, 0, 0);
CREATE TABLE policies (
  id               text PRIMARY KEY,
  created_at       text NOT NULL,
  created_by       text NOT NULL,
  retired          json,
  draft_source     text NOT NULL,
  draft_scenarios  text NOT NULL,
  draft_revision   integer NOT NULL CHECK (draft_revision >= 1),
  draft_updated_at text NOT NULL,
  draft_updated_by text NOT NULL,
  change           bigint NOT NULL              -- store_meta.change of its last mutation
);
CREATE INDEX policies_change ON policies (change);
CREATE TABLE policy_versions (
  policy         text NOT NULL REFERENCES policies (id),
  version        integer NOT NULL CHECK (version >= 1),
  effective_from text NOT NULL,
  note           text NOT NULL,
  source         text NOT NULL,
  scenarios      text NOT NULL,
  hash           text NOT NULL,
  author         text NOT NULL,
  approved_by    text,
  published_at   text NOT NULL,
  draft_revision integer,
  supersedes     json,
  PRIMARY KEY (policy, version)                 -- two publishes of one policy cannot both make v(n+1)
);
CREATE TABLE publish_requests (
  policy             text NOT NULL REFERENCES policies (id),
  id                 text NOT NULL,
  ord                integer NOT NULL,
  status             text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  source             text NOT NULL,
  scenarios          text NOT NULL,
  hash               text NOT NULL,
  draft_revision     integer NOT NULL,
  base_version       integer NOT NULL,
  effective_from     text NOT NULL,
  note               text NOT NULL,
  requested_by       text NOT NULL,
  requested_by_key   text NOT NULL,
  requested_at       text NOT NULL,
  decided_by         text,
  decided_by_key     text,
  decided_at         text,
  decision_note      text,
  version            integer,
  correction         json,
  confirm_far_future boolean,
  PRIMARY KEY (policy, id),
  UNIQUE (id),
  -- four eyes: an approval names the approving key, and it is not the requester's
  CONSTRAINT four_eyes CHECK (status <> 'approved' OR (decided_by_key IS NOT NULL AND decided_by_key <> requested_by_key)),
  FOREIGN KEY (policy, version) REFERENCES policy_versions (policy, version)
);
CREATE UNIQUE INDEX publish_requests_one_pending ON publish_requests (policy) WHERE status = 'pending';
CREATE TABLE audit (
  seq      integer PRIMARY KEY,
  at       text NOT NULL,
  who      text NOT NULL,
  role     text NOT NULL,
  action   text NOT NULL,
  policy   text,
  revision integer,
  version  integer,
  details  json NOT NULL
);
CREATE FUNCTION store_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation'; END $$;
CREATE TRIGGER policy_versions_append_only BEFORE UPDATE OR DELETE ON policy_versions FOR EACH ROW EXECUTE FUNCTION store_append_only();
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION store_append_only();
`,
  },
  ...USER_MIGRATIONS,
  // registry and monitoring runs (issue 16): versions 10–19
  ...MONITOR_MIGRATIONS,
];

/** Applies the migrations not yet applied; answers the versions it applied. */
export async function migrate(sql: SqlStore, migrations: Migration[] = MIGRATIONS): Promise<number[]> {
  return sql.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(7240015)");
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => Number(r.version)));
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      for (const statement of m.sql.split(/;\s*$/m).map((s) => s.trim()).filter(Boolean)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}
