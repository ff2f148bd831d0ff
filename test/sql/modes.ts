// The SQL stores a test runs against: embedded PGlite (in memory) always, and the PostgreSQL
// server named by DATABASE_URL when it is set — in a fresh schema per store, dropped on close,
// so concurrent runs on one database do not collide. Tests loop over SQL_MODES: with no
// DATABASE_URL the server cases do not exist (rather than being skipped).
import { randomBytes } from 'node:crypto';
import { openSqlStore } from '../../runtime/sql/open.js';
import type { SqlStore } from '../../runtime/sql/types.js';

export interface SqlMode { name: 'pglite' | 'postgres'; open(): Promise<SqlStore> }

export const freshSchema = () => `test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;

/** The server store in a fresh schema; close() drops the schema first. */
async function openServer(url: string): Promise<SqlStore> {
  const schema = freshSchema();
  const sql = await openSqlStore({ url, schema });
  const close = sql.close.bind(sql);
  return Object.assign(sql, {
    close: async () => { await sql.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`); await close(); },
  });
}

export const SQL_MODES: SqlMode[] = [
  { name: 'pglite', open: () => openSqlStore({}) },
  ...(process.env.DATABASE_URL ? [{ name: 'postgres' as const, open: () => openServer(process.env.DATABASE_URL!) }] : []),
];

/**
 * A fresh database on the server of `url` (for server processes, which work in the default
 * schema); drop() removes it, closing what is still connected.
 */
export async function freshDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const pg = (await import('pg')).default;
  const name = `${freshSchema()}_db`;
  const admin = async (text: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try { await c.query(text); } finally { await c.end(); }
  };
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Which SQL modes this run covers (a test states it, so a run says what it proved). */
export const SQL_MODE_NAMES = SQL_MODES.map((m) => m.name);
