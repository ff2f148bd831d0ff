// The embedded store's decision journal (runtime/store/decision-journal.ts) and the repository
// that writes through it (runtime/store/decisions.ts): a record's framing read back, a torn or
// damaged last record ignored, rows left by an earlier process stored at the next start without
// duplicates, every read seeing what was journaled; and the insert that skips stored ids, on
// every SQL mode (the statement of each group size).
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlStore } from '../../runtime/sql/types.js';
import { uuidv7 } from '../../runtime/sql/uuid7.js';
import { decisionInsert } from '../../runtime/store/decision-insert.js';
import { DecisionJournal, readRecords, ROTATE_BYTES } from '../../runtime/store/decision-journal.js';
import { DecisionRepository, type DecisionRow } from '../../runtime/store/decisions.js';
import { tempDir } from '../runtime/helpers.js';
import { SQL_MODES } from './modes.js';

let seq = 0;
const row = (over: Partial<DecisionRow> = {}): DecisionRow => ({
  id: uuidv7(1_700_000_500_000 + seq), at: new Date(1_700_000_500_000 + seq++).toISOString(), caller_name: 'c 低保', caller_role: 'client', caller_key: 'k1',
  request_id: null, policy: 'p', version: 2, version_hash: 'a'.repeat(64), source_hash: 'b'.repeat(64), effective_from: '2023-01-01', as_of: '2024-06-01',
  household_id: 'h\n1', household: '{"id":"h\\n1","note":"q\\"\\\\"}', outputs: '{"monthly_amount":"1.00"}', batch_index: null, ...over,
});

/** A record framed by hand: length (u32 LE), CRC-32 of the payload (u32 LE), the payload. */
function frame(payload: string): Buffer {
  const body = Buffer.from(payload, 'utf8');
  const head = Buffer.alloc(8);
  head.writeUInt32LE(body.length, 0);
  head.writeUInt32LE(crc32(body), 4);
  return Buffer.concat([head, body]);
}

const files = (dir: string) => readdirSync(dir).sort();

describe('decision journal records', () => {
  it('reads whole records in order, and stops at a torn or damaged one', () => {
    const a = row(), b = row(), c = row();
    const two = frame(JSON.stringify([a, b]));
    const one = frame(JSON.stringify([c]));
    expect(readRecords(Buffer.concat([two, one]))).toEqual([a, b, c]);
    // the last record cut short anywhere (a write the kill stopped): the ones before it only
    for (const cut of [1, 7, 8, 9, one.length - 1]) expect(readRecords(Buffer.concat([two, one.subarray(0, cut)]))).toEqual([a, b]);
    // a changed byte in the payload: the checksum fails, that record and what follows are not read
    const damaged = Buffer.from(one);
    damaged[12] ^= 1;
    expect(readRecords(Buffer.concat([two, damaged, frame(JSON.stringify([a]))]))).toEqual([a, b]);
    expect(readRecords(Buffer.alloc(0))).toEqual([]);
  });

  it('appends records another process reads back; a rotated file is deleted once committed', () => {
    const dir = tempDir('journal-');
    const first = DecisionJournal.open(dir);
    expect(first.rows).toEqual([]);
    const a = row(), b = row(), c = row();
    first.journal.append([a]);
    first.journal.append([b, c]);
    expect(files(dir)).toEqual(['1.log']);
    // exactly the hand-framed bytes: one record per append
    expect(readFileSync(join(dir, '1.log'))).toEqual(Buffer.concat([frame(JSON.stringify([a])), frame(JSON.stringify([b, c]))]));
    // a second opening (the process killed without closing): the rows, and appends go to a new file
    const second = DecisionJournal.open(dir);
    expect(second.rows).toEqual([a, b, c]);
    expect(files(dir)).toEqual(['1.log', '2.log']);
    const d = row();
    second.journal.append([d]);
    // below ROTATE_BYTES a move keeps the file (its rows are skipped as stored at a start-up); told to, it starts another
    expect(second.journal.rotate()).toBe(1);
    expect(files(dir)).toEqual(['1.log', '2.log']);
    const upTo = second.journal.rotate(true);
    expect(upTo).toBe(2);
    expect(files(dir)).toEqual(['1.log', '2.log', '3.log']);
    second.journal.committed(upTo);
    expect(files(dir)).toEqual(['3.log']);
    expect(statSync(join(dir, '3.log')).size).toBe(0);
    // nothing appended since: rotating again starts no file
    expect(second.journal.rotate(true)).toBe(0);
    expect(files(dir)).toEqual(['3.log']);
    // a record that fills ROTATE_BYTES: the next move starts a new file
    second.journal.append([row({ household: JSON.stringify({ pad: 'x'.repeat(ROTATE_BYTES) }) })]);
    expect(second.journal.rotate()).toBe(3);
    expect(files(dir)).toEqual(['3.log', '4.log']);
    second.journal.close();
    first.journal.close();
  });
});

for (const mode of SQL_MODES) {
  describe(`the insert that skips stored ids (${mode.name})`, () => {
    let sql: SqlStore;
    beforeAll(async () => { sql = await mode.open(); });
    afterAll(async () => { await sql.close(); });

    it('each statement (a VALUES list, one JSON array, the split lines) leaves stored rows as they are and adds the new ones', async () => {
      const repo = new DecisionRepository(async () => sql);
      for (const n of [1, 50, 150]) {
        const stored = Array.from({ length: n }, () => row({ policy: `skip-${n}` }));
        await repo.insert(stored);
        const again = stored.map((r) => ({ ...r, outputs: '{"changed":true}' }));
        const fresh = row({ policy: `skip-${n}` });
        const { text, name, params } = decisionInsert([...again, fresh], true);
        await sql.query(text, params, { name });
        const list = await repo.list({ policy: `skip-${n}`, limit: 1000 });
        expect(list.length).toBe(n + 1);
        expect(list.filter((r) => r.outputs === '{"changed":true}')).toEqual([]);
        expect(await repo.get(fresh.id)).toEqual(fresh);
      }
    });
  });
}

describe('decisions written through the journal (embedded)', () => {
  let sql: SqlStore;
  beforeAll(async () => { sql = await SQL_MODES[0]!.open(); });
  afterAll(async () => { await sql.close(); });

  it('a lone decision is journaled, read back at once by id and in lists, then moved into the table', async () => {
    const dir = tempDir('journal-repo-');
    const repo = new DecisionRepository(async () => sql, () => undefined, dir);
    const r = row({ policy: 'lone' });
    await repo.insert([r]);
    // in the journal before any read (one record), not yet moved: its file holds exactly that record
    const before = files(dir).filter((f) => statSync(join(dir, f)).size > 0);
    expect(before.length).toBe(1);
    expect(readFileSync(join(dir, before[0]!))).toEqual(frame(JSON.stringify([r])));
    expect(await repo.get(r.id)).toEqual(r);
    expect(await repo.list({ policy: 'lone', limit: 10 })).toEqual([r]);
    // read: moved into the table (its record stays in the file, below ROTATE_BYTES: skipped as stored at a start-up)
    const { rows } = await sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM decisions WHERE policy = 'lone'`);
    expect(rows[0]!.n).toBe('1');
  });

  it('a group of fewer than 100 rows is journaled; from 100 rows (a batch) it goes to the table directly', async () => {
    const dir = tempDir('journal-repo-');
    const repo = new DecisionRepository(async () => sql, () => undefined, dir);
    await repo.insert(Array.from({ length: 99 }, () => row({ policy: 'journaled-99' })));
    expect(files(dir).filter((f) => statSync(join(dir, f)).size > 0).length).toBe(1);
    await repo.insert(Array.from({ length: 100 }, () => row({ policy: 'direct' })));
    const count = async (policy: string) => (await sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM decisions WHERE policy = $1`, [policy])).rows[0]!.n;
    expect(await count('direct')).toBe('100');
    expect(await count('journaled-99')).toBe('0');   // 99 ≥ 16 rows: a busy journal, not moved for up to 100 ms
    await repo.flushed();
    expect(await count('journaled-99')).toBe('99');
  });

  it('a busy journal (rows faster than 1.5 a ms) is moved at 512 rows at once, or within 100 ms of its oldest row, in statements of equal size without skipping', async () => {
    const dir = tempDir('journal-repo-');
    const statements: string[] = [];
    const counted: SqlStore = { ...sql, query: (text, params, opts) => { if (opts?.name) statements.push(opts.name); return sql.query(text, params, opts); } };
    const repo = new DecisionRepository(async () => counted, () => undefined, dir);
    const count = async (policy: string) => Number((await sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM decisions WHERE policy = $1`, [policy])).rows[0]!.n);
    // 90 rows at once: past the 10 ms a quiet journal waits, not yet moved (while its rate is ≥ 1.5 a ms: up to 60 ms); moved by 100 ms
    const t = performance.now();
    await repo.insert(Array.from({ length: 90 }, () => row({ policy: 'busy-90' })));
    await new Promise((ok) => setTimeout(ok, 30));
    if (performance.now() - t < 60) expect(await count('busy-90')).toBe(0);
    for (let i = 0; i < 500 && (await count('busy-90')) < 90; i++) await new Promise((ok) => setTimeout(ok, 10));
    expect(await count('busy-90')).toBe(90);
    expect(statements).toEqual(['decisions_insert_json']);
    // 6 × 99 = 594 rows: at 512 moved at once, as two statements of 297 (the split lines), ids of this process not looked up
    statements.length = 0;
    for (let g = 0; g < 6; g++) await repo.insert(Array.from({ length: 99 }, () => row({ policy: 'busy-594' })));
    for (let i = 0; i < 500 && (await count('busy-594')) < 594; i++) await new Promise((ok) => setImmediate(ok));
    expect(await count('busy-594')).toBe(594);
    expect(statements).toEqual(['decisions_insert_lines', 'decisions_insert_lines']);
  });

  it('a move that failed is tried again a second later, skipping stored ids, and stores every row once', async () => {
    const dir = tempDir('journal-repo-');
    const statements: string[] = [];
    let fail = true;
    const failing: SqlStore = { ...sql, query: (text, params, opts) => {
      if (opts?.name) statements.push(opts.name);
      if (opts?.name?.startsWith('decisions_insert') && fail) { fail = false; return Promise.reject(new Error('store down')); }
      return sql.query(text, params, opts);
    } };
    const logged: Record<string, unknown>[] = [];
    const repo = new DecisionRepository(async () => failing, (e) => logged.push(e), dir);
    const rows = [row({ policy: 'retry' }), row({ policy: 'retry' })];
    await repo.insert(rows);   // journaled: answered
    for (let i = 0; i < 500 && !statements.length; i++) await new Promise((ok) => setTimeout(ok, 5));
    expect(logged.map((e) => e.msg)).toEqual(['journaled decision records not stored']);
    for (let i = 0; i < 500 && statements.length < 2; i++) await new Promise((ok) => setTimeout(ok, 10));
    expect(statements).toEqual(['decisions_insert_values_2', 'decisions_insert_values_2_skip']);
    expect(await repo.list({ policy: 'retry', limit: 10 })).toEqual([...rows].reverse());
  });

  it('rows an earlier process left in the journal are stored at the next start, once, a torn record ignored', async () => {
    const dir = tempDir('journal-repo-');
    const moved = row({ policy: 'left' });
    const kept = [row({ policy: 'left' }), row({ policy: 'left' })];
    // the earlier process: `moved` committed to the table but its file not yet deleted, `kept`
    // only journaled, and a last record cut short (its decision never answered)
    await new DecisionRepository(async () => sql).insert([moved]);
    const torn = frame(JSON.stringify([row({ policy: 'left' })]));
    writeFileSync(join(dir, '4.log'), Buffer.concat([frame(JSON.stringify([moved])), frame(JSON.stringify(kept)), torn.subarray(0, torn.length - 3)]));
    const repo = new DecisionRepository(async () => sql, () => undefined, dir);
    const list = await repo.list({ policy: 'left', limit: 10 });
    expect(list).toEqual([moved, ...kept].sort((x, y) => (x.id < y.id ? 1 : -1)));
    expect(existsSync(join(dir, '4.log'))).toBe(false);
    // opened once more: nothing left to store, nothing doubled
    const third = new DecisionRepository(async () => sql, () => undefined, dir);
    await third.flushed();
    expect((await third.list({ policy: 'left', limit: 10 })).length).toBe(3);
  });

  it('flushed() moves everything journaled (shutdown)', async () => {
    const dir = tempDir('journal-repo-');
    const repo = new DecisionRepository(async () => sql, () => undefined, dir);
    const rows = Array.from({ length: 5 }, () => row({ policy: 'flush' }));
    for (const r of rows) await repo.insert([r]);
    await repo.flushed();
    expect(files(dir).filter((f) => statSync(join(dir, f)).size > 0)).toEqual([]);
    const { rows: n } = await sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM decisions WHERE policy = 'flush'`);
    expect(n[0]!.n).toBe('5');
  });
});
