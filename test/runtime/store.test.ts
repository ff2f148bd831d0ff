// The lowdb store: atomic writes, serialised mutations, immutable published versions,
// append-only audit log, refusing a corrupt file.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE, LOCK_FILE, LowdbStore } from '../../runtime/store/lowdb-store.js';
import { contentHash } from '../../runtime/store/hash.js';
import type { DbData, PolicyRecord } from '../../runtime/store/types.js';

const dirs: string[] = [];
function dir() { const d = mkdtempSync(join(tmpdir(), 'store-')); dirs.push(d); return d; }
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

function policy(id: string): PolicyRecord {
  return {
    id, created_at: '2024-01-01T00:00:00Z', created_by: 't', retired: null,
    draft: { source: 'x', scenarios: '', revision: 1, updated_at: '', updated_by: 't' },
    versions: [], publish_requests: [],
  };
}
function version(n: number, source = `src ${n}`) {
  return { version: n, effective_from: '2024-01-01', note: 'n', source, scenarios: '', hash: contentHash(source, ''),
           author: 't', approved_by: null, published_at: '', draft_revision: null };
}
const onDisk = (d: string) => JSON.parse(readFileSync(join(d, DB_FILE), 'utf8')) as DbData;

describe('LowdbStore', () => {
  it('creates an empty file on first open and reports it fresh; reopening keeps the data', async () => {
    const d = dir();
    const s = await LowdbStore.open(d);
    expect(s.fresh).toBe(true);
    expect(onDisk(d).policies).toEqual({});
    await s.mutate((data, audit) => { data.policies.p = policy('p'); audit({ who: 'x', role: 'admin', action: 'policy.create', policy: 'p', revision: 1, version: null, details: {} }); });
    await s.close();
    const s2 = await LowdbStore.open(d);
    expect(s2.fresh).toBe(false);
    expect(s2.data.policies.p!.id).toBe('p');
    expect(s2.data.audit).toHaveLength(1);
    expect(s2.data.audit[0]!.seq).toBe(1);
  });

  it('writes through a temp file and rename: no temp file is left and the file is always complete JSON', async () => {
    const d = dir();
    const s = await LowdbStore.open(d);
    const writes = Array.from({ length: 30 }, (_, i) => s.mutate((data) => { data.policies[`p${i}`] = policy(`p${i}`); }));
    // While writes are in flight, the file on disk always parses.
    for (let i = 0; i < 30; i++) { expect(() => onDisk(d)).not.toThrow(); await new Promise((r) => setImmediate(r)); }
    await Promise.all(writes);
    expect(readdirSync(d).sort()).toEqual([LOCK_FILE, DB_FILE].sort());
    expect(Object.keys(onDisk(d).policies)).toHaveLength(30);
  });

  it('serialises concurrent read-modify-write mutations (no lost update)', async () => {
    const s = await LowdbStore.open(dir());
    await s.mutate((data) => { data.policies.c = policy('c'); });
    await Promise.all(Array.from({ length: 100 }, () => s.mutate((data) => { data.policies.c!.draft.revision += 1; })));
    expect(s.data.policies.c!.draft.revision).toBe(101);
  });

  it('a failing mutation changes nothing, and later mutations still run', async () => {
    const d = dir();
    const s = await LowdbStore.open(d);
    await s.mutate((data) => { data.policies.a = policy('a'); });
    const before = readFileSync(join(d, DB_FILE), 'utf8');
    await expect(s.mutate((data) => { data.policies.b = policy('b'); throw new Error('boom'); })).rejects.toThrow('boom');
    expect(s.data.policies.b).toBeUndefined();
    expect(readFileSync(join(d, DB_FILE), 'utf8')).toBe(before);
    await s.mutate((data) => { data.policies.c = policy('c'); });
    expect(Object.keys(s.data.policies).sort()).toEqual(['a', 'c']);
  });

  it('refuses to change, remove or renumber a published version, or to store a wrong hash', async () => {
    const s = await LowdbStore.open(dir());
    await s.mutate((data) => { data.policies.p = { ...policy('p'), versions: [version(1)] }; });
    await expect(s.mutate((data) => { data.policies.p!.versions[0]!.source = 'changed'; })).rejects.toMatchObject({ code: 'store.immutable' });
    await expect(s.mutate((data) => { data.policies.p!.versions[0]!.note = 'other'; })).rejects.toMatchObject({ code: 'store.immutable' });
    await expect(s.mutate((data) => { data.policies.p!.versions.pop(); })).rejects.toMatchObject({ code: 'store.immutable' });
    await expect(s.mutate((data) => { delete data.policies.p; })).rejects.toMatchObject({ code: 'store.immutable' });
    await expect(s.mutate((data) => { data.policies.p!.versions.push(version(3)); })).rejects.toMatchObject({ code: 'store.invalid' });
    await expect(s.mutate((data) => { data.policies.p!.versions.push({ ...version(2), hash: 'f'.repeat(64) }); })).rejects.toMatchObject({ code: 'store.invalid' });
    expect(s.data.policies.p!.versions).toHaveLength(1);
    expect(s.data.policies.p!.versions[0]!.source).toBe('src 1');
    await s.mutate((data) => { data.policies.p!.versions.push(version(2)); });
    expect(s.data.policies.p!.versions.map((v) => v.version)).toEqual([1, 2]);
  });

  it('hands out a frozen state: callers cannot mutate it in place', async () => {
    const s = await LowdbStore.open(dir());
    await s.mutate((data) => { data.policies.p = { ...policy('p'), versions: [version(1)] }; });
    expect(() => { (s.data.policies.p!.versions[0] as { note: string }).note = 'x'; }).toThrow(TypeError);
    expect(s.data.policies.p!.versions[0]!.note).toBe('n');
  });

  it('keeps the audit log append-only', async () => {
    const s = await LowdbStore.open(dir());
    await s.mutate((_d, audit) => { audit({ who: 'a', role: 'admin', action: 'x', policy: null, revision: null, version: null, details: {} }); });
    await expect(s.mutate((data) => { data.audit.pop(); })).rejects.toThrow();
    await expect(s.mutate((data) => { (data as { audit: unknown[] }).audit = []; })).rejects.toMatchObject({ code: 'store.immutable' });
    await s.mutate((_d, audit) => { audit({ who: 'b', role: 'admin', action: 'y', policy: null, revision: null, version: null, details: {} }); });
    expect(s.data.audit.map((e) => [e.seq, e.action])).toEqual([[1, 'x'], [2, 'y']]);
  });

  it('refuses to open a corrupt file instead of overwriting it, and removes a leftover temp file', async () => {
    const d = dir();
    writeFileSync(join(d, DB_FILE), '{"format":1,"policies":{', 'utf8');
    await expect(LowdbStore.open(d)).rejects.toMatchObject({ code: 'store.corrupt' });
    expect(readFileSync(join(d, DB_FILE), 'utf8')).toBe('{"format":1,"policies":{');

    const d2 = dir();
    const s = await LowdbStore.open(d2);
    await s.mutate((data) => { data.policies.a = policy('a'); });
    await s.close();
    writeFileSync(join(d2, `.${DB_FILE}.tmp`), '{"half', 'utf8'); // a crash mid-write
    const s2 = await LowdbStore.open(d2);
    expect(s2.data.policies.a).toBeDefined();
    expect(existsSync(join(d2, `.${DB_FILE}.tmp`))).toBe(false);
  });

  it('refuses mutations after close', async () => {
    const s = await LowdbStore.open(dir());
    await s.close();
    await expect(s.mutate(() => undefined)).rejects.toMatchObject({ code: 'store.closed' });
  });

  it('one process per data folder: a second open is refused until the first closes; a dead owner\'s lock is taken over', async () => {
    const d = dir();
    const a = await LowdbStore.open(d);
    await expect(LowdbStore.open(d)).rejects.toMatchObject({ code: 'store.locked' });
    await a.close();
    const b = await LowdbStore.open(d);
    await b.close();
    writeFileSync(join(d, LOCK_FILE), '999999999'); // a pid that does not exist (a killed server)
    const c = await LowdbStore.open(d);
    expect(JSON.parse(readFileSync(join(d, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    await c.close();
    expect(existsSync(join(d, LOCK_FILE))).toBe(false);
  });
});
