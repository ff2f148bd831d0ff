// What every Store does with a mutation, whatever it commits to: run it on a private copy of
// the committed state, number its audit entries, and check the invariants (published versions
// and the audit log are append-only and unchanged) before anything is written.
import { contentHash } from './hash.js';
import { StoreError, type AuditEntry, type AuditInput, type DbData, type Mutation } from './types.js';

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

/** Throws when `next` changes anything published or audited in `prev`. */
export function checkInvariants(prev: DbData, next: DbData): void {
  for (const [id, old] of Object.entries(prev.policies)) {
    const cur = next.policies[id];
    if (!cur) throw new StoreError('store.immutable', `policy ${id} cannot be deleted`);
    if (cur.versions.length < old.versions.length) throw new StoreError('store.immutable', `published versions of ${id} cannot be removed`);
    old.versions.forEach((v, i) => {
      const n = cur.versions[i]!;
      if (n !== v && JSON.stringify(n) !== JSON.stringify(v)) {
        throw new StoreError('store.immutable', `published version ${id} v${v.version} cannot be changed`);
      }
    });
  }
  for (const [id, p] of Object.entries(next.policies)) {
    if (p.id !== id) throw new StoreError('store.invalid', `policy key ${id} does not match its id ${p.id}`);
    const known = prev.policies[id]?.versions.length ?? 0;
    p.versions.forEach((v, i) => {
      if (i < known) return;
      if (v.version !== i + 1) throw new StoreError('store.invalid', `version numbers of ${id} must be 1, 2, …`);
      if (v.hash !== contentHash(v.source, v.scenarios)) throw new StoreError('store.invalid', `hash of ${id} v${v.version} does not match its content`);
    });
  }
  if (next.audit.length < prev.audit.length || (prev.audit.length > 0 && next.audit[prev.audit.length - 1] !== prev.audit[prev.audit.length - 1])) {
    throw new StoreError('store.immutable', 'the audit log is append-only');
  }
}

export interface Applied<T> { result: T; next: DbData; added: AuditEntry[] }

/** Runs `fn` on a copy of `prev` (the audit log is shared, not copied: it may only grow). */
export function applyMutation<T>(prev: DbData, fn: Mutation<T>): Applied<T> {
  const working: DbData = { ...structuredClone({ ...prev, audit: [] }), audit: prev.audit };
  const added: AuditEntry[] = [];
  let seq = prev.counters.audit;
  const audit = (entry: AuditInput): AuditEntry => {
    const e: AuditEntry = { ...entry, at: entry.at ?? new Date().toISOString(), seq: ++seq };
    added.push(e);
    return e;
  };
  const result = fn(working, audit);
  if (working.audit !== prev.audit) throw new StoreError('store.immutable', 'the audit log is append-only');
  const next: DbData = { ...working, audit: added.length ? prev.audit.concat(added) : prev.audit,
                         counters: { ...working.counters, audit: seq } };
  checkInvariants(prev, next);
  return { result, next, added };
}

/** Freezes a committed state (what is already frozen, the unchanged audit prefix, is skipped). */
export function freezeCommitted(next: DbData): DbData {
  for (const p of Object.values(next.policies)) deepFreeze(p);
  for (let i = next.audit.length - 1; i >= 0 && !Object.isFrozen(next.audit[i]); i--) deepFreeze(next.audit[i]);
  Object.freeze(next.audit); Object.freeze(next.counters); Object.freeze(next.policies); Object.freeze(next);
  return next;
}
