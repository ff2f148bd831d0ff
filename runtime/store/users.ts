// People and their sign-in sessions in the SQL store (PGlite or PostgreSQL). Passwords are kept
// only as scrypt hashes (services/passwords.ts) and sessions only as the SHA-256 of their token,
// so a copy of the database signs nobody in.
import type { Migration } from '../sql/types.js';
import type { SqlStore } from '../sql/types.js';

/** Versions 20–29 belong to people and sessions (the other tables use 2–19). */
export const USER_MIGRATIONS: Migration[] = [{
  version: 20,
  name: 'users and sessions',
  sql: `
CREATE TABLE users (
  name           text PRIMARY KEY,            -- the sign-in name, shown in the audit log
  role           text NOT NULL,
  password_hash  text NOT NULL,               -- scrypt$N$r$p$salt$hash (base64)
  disabled       boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL,
  created_by     text NOT NULL,
  updated_at     timestamptz NOT NULL
);
CREATE TABLE sessions (
  token_hash     text PRIMARY KEY,            -- sha256 of the cookie's token (hex)
  user_name      text NOT NULL REFERENCES users (name) ON DELETE CASCADE,
  created_at     timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_name);
CREATE INDEX sessions_expires ON sessions (expires_at);
`,
}];

export interface UserRow { name: string; role: string; disabled: boolean; created_at: string; created_by: string; updated_at: string }
export interface UserWithHash extends UserRow { password_hash: string }

const USER_COLUMNS = 'name, role, disabled, created_at, created_by, updated_at';
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));
const toRow = (r: Record<string, unknown>): UserRow => ({
  name: String(r.name), role: String(r.role), disabled: r.disabled === true,
  created_at: iso(r.created_at), created_by: String(r.created_by), updated_at: iso(r.updated_at),
});

export class UserRepository {
  /** `sql` may be opened lazily (the first use waits for it). */
  constructor(private readonly sql: () => Promise<SqlStore>) {}

  async list(): Promise<UserRow[]> {
    const r = await (await this.sql()).query(`SELECT ${USER_COLUMNS} FROM users ORDER BY name`);
    return r.rows.map(toRow);
  }

  async find(name: string): Promise<UserWithHash | null> {
    const r = await (await this.sql()).query(`SELECT ${USER_COLUMNS}, password_hash FROM users WHERE name = $1`, [name]);
    const row = r.rows[0];
    return row ? { ...toRow(row), password_hash: String(row.password_hash) } : null;
  }

  /** false when the name is taken. */
  async insert(u: { name: string; role: string; password_hash: string; created_by: string }, at: Date): Promise<boolean> {
    const r = await (await this.sql()).query(
      'INSERT INTO users (name, role, password_hash, disabled, created_at, created_by, updated_at) VALUES ($1, $2, $3, false, $4, $5, $4) ON CONFLICT (name) DO NOTHING RETURNING name',
      [u.name, u.role, u.password_hash, at.toISOString(), u.created_by]);
    return r.rows.length === 1;
  }

  /** Changes the given fields; false when there is no such user. */
  async update(name: string, change: { password_hash?: string; disabled?: boolean; role?: string }, at: Date): Promise<boolean> {
    const sets: string[] = [];
    const params: unknown[] = [name, at.toISOString()];
    for (const [col, v] of Object.entries(change)) {
      if (v === undefined) continue;
      params.push(v);
      sets.push(`${col} = $${params.length}`);
    }
    const r = await (await this.sql()).query(`UPDATE users SET ${[...sets, 'updated_at = $2'].join(', ')} WHERE name = $1 RETURNING name`, params);
    return r.rows.length === 1;
  }

  /** How many enabled users there are, and how many of them review (two-step publishing). */
  async counts(): Promise<{ enabled: number; reviewers: number }> {
    const r = await (await this.sql()).query<{ enabled: unknown; reviewers: unknown }>(
      "SELECT count(*) AS enabled, count(*) FILTER (WHERE role = 'reviewer') AS reviewers FROM users WHERE NOT disabled");
    return { enabled: Number(r.rows[0]?.enabled ?? 0), reviewers: Number(r.rows[0]?.reviewers ?? 0) };
  }

  async insertSession(tokenHash: string, userName: string, at: Date, expires: Date): Promise<void> {
    const sql = await this.sql();
    // expired sessions go when new ones come: the table stays as small as the live sessions
    await sql.query('DELETE FROM sessions WHERE expires_at < $1', [at.toISOString()]);
    await sql.query('INSERT INTO sessions (token_hash, user_name, created_at, expires_at) VALUES ($1, $2, $3, $4)',
      [tokenHash, userName, at.toISOString(), expires.toISOString()]);
  }

  /** The signed-in user of a live session on an enabled account, else null. */
  async sessionUser(tokenHash: string, now: Date): Promise<UserRow | null> {
    const r = await (await this.sql()).query(
      `SELECT ${USER_COLUMNS.split(', ').map((c) => `u.${c}`).join(', ')} FROM sessions s JOIN users u ON u.name = s.user_name
       WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT u.disabled`, [tokenHash, now.toISOString()]);
    return r.rows[0] ? toRow(r.rows[0]) : null;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await (await this.sql()).query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
  }

  async deleteSessionsOf(userName: string): Promise<void> {
    await (await this.sql()).query('DELETE FROM sessions WHERE user_name = $1', [userName]);
  }
}
