// What a policy's `引用` resolves against when a draft is checked, a version published or
// compiled: each published policy's version in force today (else its latest), memoised per store
// snapshot (every commit replaces the snapshot, so a new version is seen at once).
import { createHash } from 'node:crypto';
import type { Store, VersionRecord } from '../store/types.js';
import type { LinkedSources } from './language.js';

export function linkedSourcesOf(store: Store, today: () => string): () => LinkedSources {
  let snapshot: unknown, day = '', memo: LinkedSources = { sources: {}, key: '' };
  return () => {
    const date = today();
    if (store.data === snapshot && date === day) return memo;
    snapshot = store.data; day = date;
    const sources: LinkedSources['sources'] = {};
    const ids: string[] = [];
    for (const [id, v] of versionsInForce(store, date, true)) {
      sources[id] = { version: v.version, source: v.source };
      ids.push(`${id}@${v.hash}`);
    }
    const key = ids.length ? createHash('sha256').update(ids.sort().join('\n')).digest('hex').slice(0, 16) : '';
    memo = { sources, key };
    return memo;
  };
}

/** Each published policy's version in force on `date` (or, with `latest`, its latest when none is
 *  yet: what a draft is checked against); retired policies have none. */
export function versionsInForce(store: Store, date: string, latest = false): [string, VersionRecord][] {
  const out: [string, VersionRecord][] = [];
  for (const p of Object.values(store.data.policies)) {
    if (p.retired || !p.versions.length) continue;
    let inForce: VersionRecord | undefined;
    for (const x of p.versions) if (x.effective_from <= date) inForce = x;
    const v = inForce ?? (latest ? p.versions[p.versions.length - 1]! : undefined);
    if (v) out.push([p.id, v]);
  }
  return out;
}

/** The sources `引用` resolves against in an impact simulation on `date`: the versions in force then. */
export function linkedSourcesOn(store: Store, date: string): Record<string, { version: number; source: string }> {
  return Object.fromEntries(versionsInForce(store, date).map(([id, v]) => [id, { version: v.version, source: v.source }]));
}
