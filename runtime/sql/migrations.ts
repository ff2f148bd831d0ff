// The schema, as numbered migrations applied in order, each once, inside one transaction that
// also records them in schema_migrations. The same statements run on PGlite and PostgreSQL.
// An advisory lock makes instances that start together on one database apply them once.
import type { SqlStore } from './types.js';
import { MONITOR_MIGRATIONS } from '../store/registry-schema.js';

export interface Migration { version: number; name: string; sql: string }

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
