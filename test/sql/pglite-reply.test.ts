// PGlite's named statements read their reply's raw bytes (runtime/sql/pglite.ts, issue 17): a reply
// of exactly BindComplete, NoData, CommandComplete and ReadyForQuery means no rows, recognised by
// its type bytes and lengths alone; any other reply is parsed (rows, errors), and a notification,
// which would reach no listener that way, is refused aloud.
import { describe, expect, it } from 'vitest';
import { isBareReply } from '../../runtime/sql/pglite.js';
import { openSqlStore } from '../../runtime/sql/open.js';

/** One backend message: its type, its length (itself included, the type not) and its body. */
const msg = (type: string, body: number[] = []) => {
  const n = body.length + 4;
  return [type.charCodeAt(0), (n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255, ...body];
};
const text = (s: string) => [...Buffer.from(s, 'utf8'), 0];
const bare = [...msg('2'), ...msg('n'), ...msg('C', text('INSERT 0 1')), ...msg('Z', [0x49])];

describe('isBareReply', () => {
  it('is true for BindComplete, NoData, CommandComplete, ReadyForQuery and nothing else', () => {
    expect(isBareReply(Uint8Array.from(bare))).toBe(true);
    expect(isBareReply(Uint8Array.from([...msg('2'), ...msg('n'), ...msg('C', text('UPDATE 0')), ...msg('Z', [0x49])]))).toBe(true);
  });

  it('is false for rows, an error, a notice, a missing or an extra byte', () => {
    const row = [...msg('D', [0, 1, 0, 0, 0, 1, 0x31])];
    expect(isBareReply(Uint8Array.from([...msg('2'), ...msg('T', [0, 0]), ...row, ...msg('C', text('SELECT 1')), ...msg('Z', [0x49])]))).toBe(false);
    expect(isBareReply(Uint8Array.from([...msg('2'), ...msg('n'), ...msg('E', [0x43, ...text('23505'), 0]), ...msg('Z', [0x49])]))).toBe(false);
    expect(isBareReply(Uint8Array.from([...msg('2'), ...msg('n'), ...msg('N', [0x4d, ...text('hi'), 0]), ...msg('C', text('INSERT 0 1')), ...msg('Z', [0x49])]))).toBe(false);
    expect(isBareReply(Uint8Array.from(bare.slice(0, -1)))).toBe(false);
    expect(isBareReply(Uint8Array.from([...bare, 0x5a]))).toBe(false);
    expect(isBareReply(new Uint8Array(0))).toBe(false);
  });
});

describe('PGlite named statements', () => {
  it('answer no rows for a statement without any, rows for one with them, and refuse a NOTIFY aloud', async () => {
    const sql = await openSqlStore({});
    try {
      await sql.query('CREATE TABLE reply_t (k integer PRIMARY KEY, s text)');
      expect((await sql.query('INSERT INTO reply_t (k, s) VALUES ($1, $2)', [1, 'a'], { name: 'reply_insert' })).rows).toEqual([]);
      expect((await sql.query('UPDATE reply_t SET s = $2 WHERE k = $1', [9, 'z'], { name: 'reply_update' })).rows).toEqual([]);
      expect((await sql.query('SELECT k, s FROM reply_t WHERE k = $1', [1], { name: 'reply_select' })).rows).toEqual([{ k: 1, s: 'a' }]);
      const heard: (string | null)[] = [];
      await sql.listen('reply_channel', (p) => heard.push(p));
      await expect(sql.query('SELECT pg_notify($1, $2)', ['reply_channel', 'x'], { name: 'reply_notify' })).rejects.toThrow(/NOTIFY/);
      // unnamed, the same NOTIFY goes through PGlite's own parser and reaches the listener
      await sql.query('SELECT pg_notify($1, $2)', ['reply_channel', 'y']);
      await new Promise((ok) => setImmediate(ok));   // PGlite hands notifications out in microtasks
      expect(heard).toEqual(['y']);
    } finally { await sql.close(); }
  });
});
