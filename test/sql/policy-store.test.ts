// The policy store on SQL (what holds all state with DATABASE_URL), against every SQL mode:
// it keeps what the lowdb store keeps, and several instances on one database stay consistent
// through the database (the row lock, compare-and-set and constraints), not process memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../runtime/store/hash.js';
import { SqlPolicyStore } from '../../runtime/store/sql-store.js';
import { StoreError, type PolicyRecord, type VersionRecord } from '../../runtime/store/types.js';
import type { SqlStore } from '../../runtime/sql/types.js';
import { SQL_MODES } from './modes.js';

function policy(id: string): PolicyRecord {
  return {
    id, created_at: '2024-01-01T00:00:00.000Z', created_by: 't', retired: null,
    draft: { source: 'x', scenarios: '', revision: 1, updated_at: '2024-01-01T00:00:00.000Z', updated_by: 't' },
    versions: [], publish_requests: [],
  };
}
function version(n: number, source = `src ${n}`): VersionRecord {
  return { version: n, effective_from: '2024-01-01', note: 'n', source, scenarios: 'sc', hash: contentHash(source, 'sc'),
           author: 't', approved_by: null, published_at: '2024-01-02T00:00:00.000Z', draft_revision: null, supersedes: null };
}
const who = { who: 'x', role: 'admin', policy: 'p', revision: null, version: null, details: {} };
const until = async (ok: () => boolean, ms = 1000) => {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  return ok();
};

for (const mode of SQL_MODES) {
  describe(`SQL policy store (${mode.name})`, () => {
    let sql: SqlStore;
    let a: SqlPolicyStore;
    let b: SqlPolicyStore;
    beforeAll(async () => {
      sql = await mode.open();
      a = await SqlPolicyStore.open(sql);
      b = await SqlPolicyStore.open(sql);
    });
    afterAll(async () => { await a.close(); await b.close(); await sql.close(); });

    it('starts fresh, and keeps a mutation: policy, versions, audit numbered from 1', async () => {
      expect(a.fresh).toBe(true);
      await a.mutate((data, audit) => {
        data.policies.p = { ...policy('p'), versions: [version(1, '源 “一” 😀\r\n')] };
        data.seeded_at = '2024-01-01T00:00:00.000Z';
        audit({ ...who, action: 'policy.create', details: { z: 1, a: [2] } });
      });
      const fresh = await SqlPolicyStore.open(sql);
      try {
        expect(fresh.fresh).toBe(false);
        expect(fresh.data.policies.p).toEqual({ ...policy('p'), versions: [version(1, '源 “一” 😀\r\n')] });
        expect(fresh.data.audit).toHaveLength(1);
        expect(fresh.data.audit[0]).toMatchObject({ seq: 1, action: 'policy.create', details: { z: 1, a: [2] } });
        expect(JSON.stringify(fresh.data.audit[0]!.details)).toBe('{"z":1,"a":[2]}');   // key order kept (json, not jsonb)
        expect(fresh.data.counters.audit).toBe(1);
        expect(Object.isFrozen(fresh.data.policies.p!.versions[0])).toBe(true);
      } finally { await fresh.close(); }
    });

    it('another instance sees a commit within 1 s (NOTIFY), without writing anything itself', async () => {
      await b.reload();
      const v1 = b.data.policies.p!.versions[0];
      await a.mutate((data) => { data.policies.p!.draft.scenarios = 'from a'; data.policies.p!.draft.revision += 1; });
      expect(await until(() => b.data.policies.p?.draft.scenarios === 'from a')).toBe(true);
      expect(b.data.policies.p!.draft.revision).toBe(2);
      // the published version it already held is the same object (what is cached by it stays valid)
      expect(b.data.policies.p!.versions[0]).toBe(v1);
    });

    it('a mutation on a stale instance runs on the committed state (If-Match across instances)', async () => {
      await b.reload();
      const rev = b.data.policies.p!.draft.revision;
      await a.mutate((data) => { data.policies.p!.draft.revision += 1; });
      // b may not have heard yet: its mutation still sees revision rev + 1, so a save "from rev" is refused
      const save = b.mutate((data) => {
        if (data.policies.p!.draft.revision !== rev) throw new StoreError('draft.stale', `revision is ${data.policies.p!.draft.revision}`);
        data.policies.p!.draft.revision += 1;
      });
      await expect(save).rejects.toThrow(`revision is ${rev + 1}`);
    });

    it('two concurrent publishes of the next version on two instances: exactly one commits', async () => {
      await a.reload(); await b.reload();
      const n = a.data.policies.p!.versions.length;
      const publish = (s: SqlPolicyStore, src: string) => s.mutate((data) => {
        const cur = data.policies.p!;
        if (cur.versions.length !== n) throw new StoreError('publish.concurrent', 'published meanwhile');
        cur.versions.push(version(n + 1, src));
      });
      const results = await Promise.allSettled([publish(a, 'from a'), publish(b, 'from b')]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rows = (await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM policy_versions WHERE policy = 'p'")).rows;
      expect(rows[0]!.n).toBe(n + 1);
    });

    it('the database refuses a second v(n), a changed version or audit entry, and a self-approval', async () => {
      await expect(sql.query(`INSERT INTO policy_versions (policy, version, effective_from, note, source, scenarios, hash, author, published_at)
        VALUES ('p', 1, '2024-01-01', 'n', 's', 's', 'h', 'a', 'x')`)).rejects.toThrow(/duplicate key|unique/);
      await expect(sql.query("UPDATE policy_versions SET note = 'changed' WHERE policy = 'p'")).rejects.toThrow(/append-only/);
      await expect(sql.query('DELETE FROM audit')).rejects.toThrow(/append-only/);
      await a.reload();
      const request = {
        id: 'pr-1', status: 'pending' as const, source: 's', scenarios: '', hash: 'h', draft_revision: 1, base_version: 0,
        effective_from: '2024-01-01', note: 'n', requested_by: 'ed', requested_by_key: 'key-ed', requested_at: 'x',
        decided_by: null, decided_at: null, decision_note: null, version: null,
      };
      await a.mutate((data) => { data.policies.q = { ...policy('q'), publish_requests: [request] }; });
      // a mutation that approves with the requester's own key: the four_eyes constraint refuses it whole
      const self = a.mutate((data) => {
        Object.assign(data.policies.q!.publish_requests[0]!, { status: 'approved', decided_by: 'ed', decided_by_key: 'key-ed' });
        data.policies.q!.draft.revision += 1;
      });
      await expect(self).rejects.toMatchObject({ code: 'store.conflict' });
      expect(a.data.policies.q!.publish_requests[0]!.status).toBe('pending');
      expect(a.data.policies.q!.draft.revision).toBe(1);
      const stored = (await sql.query<{ status: string; draft_revision: number }>(
        "SELECT r.status, p.draft_revision FROM publish_requests r JOIN policies p ON p.id = r.policy WHERE r.id = 'pr-1'")).rows;
      expect(stored).toEqual([{ status: 'pending', draft_revision: 1 }]);
    });

    it('refuses what lowdb refuses: changing a published version, rewriting the audit log', async () => {
      await expect(a.mutate((data) => { data.policies.p!.versions[0]!.note = 'changed'; })).rejects.toMatchObject({ code: 'store.immutable' });
      await expect(a.mutate((data) => { data.audit = []; })).rejects.toMatchObject({ code: 'store.immutable' });
    });

    it('audit sequence numbers stay gap-free across instances', async () => {
      await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).mutate((_d, audit) => { audit({ ...who, action: `t${i}` }); })));
      await a.reload();
      const seqs = a.data.audit.map((e) => e.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      expect(a.data.counters.audit).toBe(seqs.length);
    });
  });
}
