// The SQL store contract, against every mode (PGlite always; PostgreSQL when DATABASE_URL is
// set): migrations applied once and in order, parameters, transactions that commit or roll
// back whole, and the UUIDv7 ids the decision records use.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrate, MIGRATIONS } from '../../runtime/sql/migrations.js';
import type { SqlStore } from '../../runtime/sql/types.js';
import { uuidv7 } from '../../runtime/sql/uuid7.js';
import { VALUES_MAX_ROWS } from '../../runtime/store/decision-insert.js';
import { DecisionRepository, type DecisionRow } from '../../runtime/store/decisions.js';
import { SQL_MODES } from './modes.js';

for (const mode of SQL_MODES) {
  describe(`SQL store (${mode.name})`, () => {
    let sql: SqlStore;
    beforeAll(async () => { sql = await mode.open(); });
    afterAll(async () => { await sql.close(); });

    it('says which mode it is', () => {
      expect(sql.kind).toBe(mode.name);
    });

    it('has applied every migration once, in order, and applying again changes nothing', async () => {
      const rows = (await sql.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version')).rows;
      expect(rows.map((r) => [Number(r.version), r.name])).toEqual(MIGRATIONS.map((m) => [m.version, m.name]));
      expect(await migrate(sql)).toEqual([]);
      expect((await sql.query('SELECT version FROM schema_migrations')).rows).toHaveLength(MIGRATIONS.length);
    });

    it('applies a new migration after the known ones, and a failing one leaves nothing behind', async () => {
      const next = Math.max(...MIGRATIONS.map((m) => m.version)) + 1;   // versions are numbered in blocks (10–19: monitoring), not densely
      expect(await migrate(sql, [...MIGRATIONS, { version: next, name: 'extra', sql: 'CREATE TABLE extra_t (x integer);\nCREATE INDEX extra_x ON extra_t (x);' }])).toEqual([next]);
      await sql.query('INSERT INTO extra_t (x) VALUES ($1)', [7]);
      expect((await sql.query<{ x: number }>('SELECT x FROM extra_t')).rows).toEqual([{ x: 7 }]);
      // the second statement fails: the first one is rolled back with it, and the version is not recorded
      await expect(migrate(sql, [...MIGRATIONS, { version: next + 1, name: 'broken', sql: 'CREATE TABLE broken_t (x integer);\nSELECT no_such_column FROM broken_t;' }])).rejects.toThrow();
      expect((await sql.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'broken_t'")).rows).toEqual([{ n: 0 }]);
      expect((await sql.query('SELECT max(version)::int AS v FROM schema_migrations')).rows).toEqual([{ v: next }]);
    });

    it('passes parameters as values, never as SQL', async () => {
      await sql.query('CREATE TABLE param_t (s text)');
      const evil = "x'); DROP TABLE param_t; --";
      await sql.query('INSERT INTO param_t (s) VALUES ($1)', [evil]);
      expect((await sql.query('SELECT s FROM param_t')).rows).toEqual([{ s: evil }]);
    });

    it('a transaction commits whole, or rolls back whole when its function throws', async () => {
      await sql.query('CREATE TABLE tx_t (n integer)');
      await sql.transaction(async (tx) => { await tx.query('INSERT INTO tx_t VALUES (1)'); await tx.query('INSERT INTO tx_t VALUES (2)'); });
      await expect(sql.transaction(async (tx) => { await tx.query('INSERT INTO tx_t VALUES (3)'); throw new Error('stop'); })).rejects.toThrow('stop');
      expect((await sql.query<{ n: number }>('SELECT n FROM tx_t ORDER BY n')).rows.map((r) => r.n)).toEqual([1, 2]);
    });

    it('a named statement is prepared once and runs again and again with new parameters; a failing call leaves it usable', async () => {
      await sql.query('CREATE TABLE named_t (id uuid PRIMARY KEY, n integer, at timestamptz, s text)');
      const insert = 'INSERT INTO named_t (id, n, at, s) VALUES ($1::uuid, $2, $3::timestamptz, $4)';
      const ids = [uuidv7(1_700_000_300_000), uuidv7(1_700_000_300_001), uuidv7(1_700_000_300_002)];
      await sql.query(insert, [ids[0], 1, '2024-06-01T08:00:00.000Z', '低保 "引号" 😀'], { name: 'named_t_insert' });
      await sql.query(insert, [ids[1], 2, '2024-06-02T08:00:00.000Z', null], { name: 'named_t_insert' });
      // the same id again: the constraint's error, with PostgreSQL's code; the statement stays prepared
      await expect(sql.query(insert, [ids[0], 9, '2024-06-09T08:00:00.000Z', 'dup'], { name: 'named_t_insert' })).rejects.toMatchObject({ code: '23505' });
      await sql.query(insert, [ids[2], 3, '2024-06-03T08:00:00.000Z', ''], { name: 'named_t_insert' });
      const select = 'SELECT id, n, at, s FROM named_t WHERE n >= $1 ORDER BY n';
      const rows = (await sql.query<{ id: string; n: number; at: Date; s: string | null }>(select, [2], { name: 'named_t_select' })).rows;
      expect(rows.map((r) => [r.id, r.n, new Date(r.at).toISOString(), r.s])).toEqual([[ids[1], 2, '2024-06-02T08:00:00.000Z', null], [ids[2], 3, '2024-06-03T08:00:00.000Z', '']]);
      expect((await sql.query<{ s: string }>(select, [1], { name: 'named_t_select' })).rows[0]!.s).toBe('低保 "引号" 😀');
      // a name is for one text
      await expect(sql.query('SELECT 1 AS one', [], { name: 'named_t_select' })).rejects.toThrow();
      // inside a transaction too: committed with it
      await sql.transaction(async (tx) => { await tx.query(insert, [uuidv7(1_700_000_300_010), 10, '2024-06-10T08:00:00.000Z', 'tx'], { name: 'named_t_insert' }); });
      expect((await sql.query('SELECT count(*)::int AS n FROM named_t')).rows).toEqual([{ n: 4 }]);
    });

    it('a named statement inside a transaction: rolled back with it, an error rolls back the whole, first prepared there it stays usable after a rollback', async () => {
      await sql.query('CREATE TABLE named_tx (k text PRIMARY KEY, v text)');
      const insert = 'INSERT INTO named_tx (k, v) SELECT k, v FROM json_to_recordset($1::json) AS (k text, v text)';
      const big = '低保 "引号" 😀 '.repeat(20_000);
      // its first use (the Parse) inside a transaction that rolls back
      await expect(sql.transaction(async (tx) => {
        await tx.query(insert, [JSON.stringify([{ k: 'a', v: big }])], { name: 'named_tx_insert' });
        expect((await tx.query('SELECT count(*)::int AS n FROM named_tx')).rows).toEqual([{ n: 1 }]);
        throw new Error('undo');
      })).rejects.toThrow('undo');
      expect((await sql.query('SELECT count(*)::int AS n FROM named_tx')).rows).toEqual([{ n: 0 }]);
      // a failing call (the same key twice) rolls back the transaction's other rows, with PostgreSQL's code
      await expect(sql.transaction(async (tx) => {
        await tx.query(insert, [JSON.stringify([{ k: 'b', v: 'x' }])], { name: 'named_tx_insert' });
        await tx.query(insert, [JSON.stringify([{ k: 'b', v: 'y' }])], { name: 'named_tx_insert' });
      })).rejects.toMatchObject({ code: '23505' });
      expect((await sql.query('SELECT count(*)::int AS n FROM named_tx')).rows).toEqual([{ n: 0 }]);
      // then it commits, the text byte for byte, beside a statement without a name, and outside a transaction too
      await sql.transaction(async (tx) => {
        await tx.query(insert, [JSON.stringify([{ k: 'a', v: big }, { k: 'c', v: '' }])], { name: 'named_tx_insert' });
        await tx.query("INSERT INTO named_tx VALUES ('d', null)");
      });
      await sql.query(insert, [JSON.stringify([{ k: 'e', v: 'é' }])], { name: 'named_tx_insert' });
      const rows = (await sql.query<{ k: string; v: string | null }>('SELECT k, v FROM named_tx ORDER BY k')).rows;
      expect(rows).toEqual([{ k: 'a', v: big }, { k: 'c', v: '' }, { k: 'd', v: null }, { k: 'e', v: 'é' }]);
    });

    it('uuid columns keep UUIDv7 order: ids made in sequence sort in that order in SQL', async () => {
      const ids = Array.from({ length: 5000 }, () => uuidv7(1_700_000_000_000));   // one millisecond: the counter orders them
      await sql.query('CREATE TABLE uuid_t (id uuid PRIMARY KEY)');
      await sql.query('INSERT INTO uuid_t SELECT * FROM unnest($1::uuid[])', [[...ids].reverse()]);
      const sorted = (await sql.query<{ id: string }>('SELECT id FROM uuid_t ORDER BY id')).rows.map((r) => r.id);
      expect(sorted).toEqual(ids);
    });

    it('decision records read back exactly, one alone, groups of several sizes and a hundred together (one INSERT per group)', async () => {
      const repo = new DecisionRepository(async () => sql);
      // values that need escaping (tab, newline, carriage return, backslash: JSON's own escapes), a literal \N that is text and not null, non-ASCII text, and nulls
      const tricky = ['a\tb', 'line\nbreak', 'cr\rhere', 'back\\slash', '\\N', '低保 "引号"', ''];
      const row = (i: number): DecisionRow => ({
        id: uuidv7(1_700_000_100_000 + i), at: new Date(1_700_000_100_000 + i).toISOString(), caller_name: `c${tricky[i % tricky.length]}`, caller_role: 'client', caller_key: 'k1',
        request_id: i % 3 ? `r-${i}` : null, policy: 'p', version: 2, version_hash: 'a'.repeat(64), source_hash: 'b'.repeat(64), effective_from: '2023-01-01', as_of: '2024-06-01',
        household_id: i % 4 ? tricky[i % tricky.length]! : null,
        household: JSON.stringify({ id: tricky[i % tricky.length], note: 'q"\\\t' }), outputs: '{"monthly_amount":"1.00"}', batch_index: i % 5 ? i : null,
      });
      const small = [row(0)];
      const large = Array.from({ length: 100 }, (_, i) => row(1000 + i));
      // each group alone (awaited): VALUES statements of several row counts up to the largest, and the JSON one past them
      const few = [2, 3, 4, 5, VALUES_MAX_ROWS, VALUES_MAX_ROWS + 1].map((n) => Array.from({ length: n }, (_, i) => row(100 * n + i)));
      await repo.insert(small);
      await repo.insert(large);
      for (const group of few) await repo.insert(group);
      for (const r of [...small, ...large, ...few.flat()]) expect(await repo.get(r.id)).toEqual(r);
    });

    it('a large group in several runs of shared fields reads back row for row: household ids with any character or none, batch indexes or none', async () => {
      const repo = new DecisionRepository(async () => sql);
      // ids that the line-per-row parameters must not split or change: newline, carriage return, backslash, quotes, \N, empty, non-ASCII
      const ids = ['x\ny', 'cr\r', 'b\\s', '"q"', '\\N', '', '低保', null];
      const row = (i: number): DecisionRow => {
        const run = Math.floor(i / 60);   // 150 rows: runs of 60, 60 and 30 (another caller, then another policy)
        return {
          id: uuidv7(1_700_000_300_000 + run), at: new Date(1_700_000_300_000 + run).toISOString(), caller_name: `caller-${Math.min(run, 1)}`, caller_role: 'client',
          caller_key: `k${Math.min(run, 1)}`, request_id: run === 2 ? null : `req-${run}`, policy: run === 2 ? 'p2' : 'p1', version: 1 + run, version_hash: 'e'.repeat(64),
          source_hash: 'f'.repeat(64), effective_from: '2024-01-01', as_of: '2024-06-01', household_id: ids[i % ids.length]!,
          household: JSON.stringify({ id: ids[i % ids.length], n: i }), outputs: `{"amount":"${i}.00"}`, batch_index: i % 7 === 3 ? null : i - 60 * run,
        };
      };
      const rows = Array.from({ length: 150 }, (_, i) => row(i));
      await repo.insert(rows);
      for (const r of rows) expect(await repo.get(r.id)).toEqual(r);
      expect((await repo.list({ policy: 'p2', limit: 100 })).map((r) => r.id)).toEqual(rows.slice(120).map((r) => r.id).reverse());
    });

    it('a group mixing batches, callers and policies, sent at once, reads back row for row; a raw newline in a text still stores it', async () => {
      const repo = new DecisionRepository(async () => sql);
      let n = 0;
      const row = (caller: string, policy: string, batchIndex: number | null, household: string): DecisionRow => ({
        id: uuidv7(1_700_000_200_000 + n), at: new Date(1_700_000_200_000 + n++).toISOString(), caller_name: caller, caller_role: 'client', caller_key: `key-${caller}`,
        request_id: `req-${caller}`, policy, version: 3, version_hash: 'c'.repeat(64), source_hash: 'd'.repeat(64), effective_from: '2024-01-01', as_of: '2024-06-01',
        household_id: `h${n}`, household, outputs: `{"n":${n},"s":"\\n \u2028 低保"}`, batch_index: batchIndex,
      });
      // a batch (one run of shared fields), single calls of two callers interleaved, another policy
      const batch = Array.from({ length: 30 }, (_, i) => row('a', 'p1', i, JSON.stringify({ id: `b${i}`, t: 'x"y\\z 😀' })));
      const singles = ['b', 'c', 'b', 'b'].map((c) => [row(c, c === 'c' ? 'p2' : 'p1', null, `{"id":"${c}"}`)]);
      // not canonical JSON (a raw newline between tokens): the whole group goes the other way, intact
      const loose = [row('d', 'p1', null, '{\n  "id": "loose"\n}')];
      await Promise.all([repo.insert(batch), ...singles.map((r) => repo.insert(r))]);
      await repo.insert(loose);
      for (const r of [...batch, ...singles.flat(), ...loose]) expect(await repo.get(r.id)).toEqual(r);
      expect(await repo.list({ household_id: 'h31', limit: 5 })).toEqual([singles[0]![0]]);
      await repo.flushed();
    });
  });
}

describe('uuidv7', () => {
  it('has version 7, the RFC variant, and the time in its first 48 bits', () => {
    // (later than any time used above: the generator never goes back in time)
    const id = uuidv7(0x02ab_cdef_0123);
    expect(id).toMatch(/^02abcdef-0123-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('writes every bit of the time, high bytes included, and hex in lower case', () => {
    expect(uuidv7(0xfedc_ba98_7654)).toMatch(/^fedcba98-7654-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // within one millisecond the counter counts up: each id is above the one before
    const ids = Array.from({ length: 3000 }, () => uuidv7(0xfedc_ba98_7654));
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
    expect(new Set(ids.map((id) => id.slice(-8))).size).toBeGreaterThan(2990);   // 32 random bits at the end
  });

  it('sorts by time across milliseconds', () => {
    const a = uuidv7(0xff00_0000_0000);
    const b = uuidv7(0xff00_0000_0001);
    expect(b.slice(0, 13)).toBe('ff000000-0001');
    expect(a < b).toBe(true);
  });
});

describe('PGlite in a folder (DATA_DIR/sql)', () => {
  it('a new folder starts empty and migrated; what is written is there after reopening; it runs in a worker thread', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { openSqlStore } = await import('../../runtime/sql/open.js');
    const root = mkdtempSync(join(tmpdir(), 'sql-dir-'));
    const dir = join(root, 'sql');
    try {
      const a = await openSqlStore({ dir, thread: true });
      expect((await a.query('SELECT count(*)::int AS n FROM decisions')).rows).toEqual([{ n: 0 }]);
      await a.query('CREATE TABLE kept (s text)');
      await a.query('INSERT INTO kept VALUES ($1)', ['一']);
      await a.close();
      const b = await openSqlStore({ dir, thread: true });
      expect((await b.query('SELECT s FROM kept')).rows).toEqual([{ s: '一' }]);
      expect((await b.query('SELECT count(*)::int AS n FROM schema_migrations')).rows).toEqual([{ n: MIGRATIONS.length }]);
      // in a worker thread: a statement no longer stops this thread's event loop
      let ticks = 0;
      const timer = setInterval(() => { ticks++; }, 10);
      await b.query('SELECT pg_sleep(0.3)');
      clearInterval(timer);
      expect(ticks).toBeGreaterThanOrEqual(10);
      // errors keep PostgreSQL's fields; transactions commit or roll back whole; notifications arrive
      await expect(b.query('INSERT INTO schema_migrations SELECT * FROM schema_migrations LIMIT 1')).rejects.toMatchObject({ code: '23505' });
      // a named (prepared) statement, there too
      expect((await b.query('SELECT s FROM kept WHERE s = $1', ['一'], { name: 'kept_by_s' })).rows).toEqual([{ s: '一' }]);
      expect((await b.query('SELECT s FROM kept WHERE s = $1', ['无'], { name: 'kept_by_s' })).rows).toEqual([]);
      await expect(b.transaction(async (tx) => { await tx.query("INSERT INTO kept VALUES ('二')"); throw new Error('undo'); })).rejects.toThrow('undo');
      expect(await b.transaction(async (tx) => { await tx.query("INSERT INTO kept VALUES ('三')"); return (await tx.query('SELECT count(*)::int AS n FROM kept')).rows; })).toEqual([{ n: 2 }]);
      // a named statement inside a transaction, in the thread
      await b.transaction(async (tx) => { await tx.query('INSERT INTO kept VALUES ($1)', ['四'], { name: 'kept_insert' }); });
      await expect(b.transaction(async (tx) => { await tx.query('INSERT INTO kept VALUES ($1)', ['五'], { name: 'kept_insert' }); throw new Error('undo'); })).rejects.toThrow('undo');
      expect((await b.query('SELECT s FROM kept ORDER BY s')).rows).toEqual([{ s: '一' }, { s: '三' }, { s: '四' }]);
      const heard: (string | null)[] = [];
      const stop = await b.listen('kept_changed', (p) => heard.push(p));
      await b.query("NOTIFY kept_changed, '三'");
      await vi.waitFor(() => expect(heard).toEqual(['三']));
      await stop();
      await b.close();
      await expect(b.query('SELECT 1')).rejects.toThrow(/closed/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('PGlite: work_mem and WAL settings', () => {
  it('is 32 MB, in memory, in a folder and on its own thread, so a batch\'s insert keeps its rows in memory rather than a temp file; commits synchronous, full pages in the WAL', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { openSqlStore } = await import('../../runtime/sql/open.js');
    const dir = mkdtempSync(join(tmpdir(), 'pglite-wm-'));
    try {
      for (const sql of [await openSqlStore({}), await openSqlStore({ dir: join(dir, 'sql') }), await openSqlStore({ dir: join(dir, 'sql'), thread: true })]) {
        expect((await sql.query<{ work_mem: string }>('SHOW work_mem')).rows).toEqual([{ work_mem: '32MB' }]);
        // what a decision's durability against a killed process rests on (runtime/sql/pglite.ts)
        expect((await sql.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows).toEqual([{ synchronous_commit: 'on' }]);
        expect((await sql.query<{ full_page_writes: string }>('SHOW full_page_writes')).rows).toEqual([{ full_page_writes: 'on' }]);
        await sql.close();
      }
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});

describe('PGlite: a prepared statement on a PGlite without the internals it uses', () => {
  it('falls back to query(), outside and inside a transaction, with the same rows', async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const { PglitePrepared } = await import('../../runtime/sql/pglite.js');
    const db = await PGlite.create();
    try {
      await db.query('CREATE TABLE fb (k text, v text)');
      const real = new PglitePrepared(db);
      expect(real.fast).toBe(true);
      // another PGlite version's object: query() and transaction() only
      const bare = { query: db.query.bind(db), transaction: db.transaction.bind(db) } as unknown as typeof db;
      const prepared = new PglitePrepared(bare);
      expect(prepared.fast).toBe(false);
      const insert = 'INSERT INTO fb VALUES ($1, $2) RETURNING k, v';
      expect((await prepared.query('fb_insert', insert, ['a', '一'])).rows).toEqual([{ k: 'a', v: '一' }]);
      await db.transaction(async (tx) => {
        expect((await prepared.inTransaction(tx, 'fb_insert', insert, ['b', null])).rows).toEqual([{ k: 'b', v: null }]);
        expect((await real.inTransaction(tx, 'fb_insert', insert, ['c', '三'])).rows).toEqual([{ k: 'c', v: '三' }]);
      });
      expect((await db.query('SELECT k, v FROM fb ORDER BY k')).rows).toEqual([{ k: 'a', v: '一' }, { k: 'b', v: null }, { k: 'c', v: '三' }]);
    } finally {
      await db.close();
    }
  }, 60_000);
});

describe('PGlite: the Bind message of a prepared statement', () => {
  it('is byte for byte what PGlite\'s own serializer writes (then Describe, Execute, Sync)', async () => {
    const { protocol } = await import('@electric-sql/pglite');
    const { bindExecute } = await import('../../runtime/sql/pglite.js');
    const S = protocol.serialize;
    for (const values of [[], ['a'], ['héllo 𝄞 wörld', null, '', 'x'.repeat(5000)], [null]]) {
      const theirs = Buffer.concat([S.bind({ statement: 'decisions_insert_json', values }), S.describe({ type: 'P' }), S.execute({}), S.sync()]);
      expect(Buffer.from(bindExecute('decisions_insert_json', values)).equals(theirs)).toBe(true);
    }
  });
});
