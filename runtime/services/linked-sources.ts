// What a policy's `引用` resolves against when a draft is checked, a version published or
// compiled: each published policy's version in force today (else its latest), memoised per store
// snapshot (every commit replaces the snapshot, so a new version is seen at once).
import { createHash } from 'node:crypto';
import type { Store } from '../store/types.js';
import type { LinkedSources } from './language.js';

export function linkedSourcesOf(store: Store, today: () => string): () => LinkedSources {
  let snapshot: unknown, day = '', memo: LinkedSources = { sources: {}, key: '' };
  return () => {
    const date = today();
    if (store.data === snapshot && date === day) return memo;
    snapshot = store.data; day = date;
    const sources: LinkedSources['sources'] = {};
    const ids: string[] = [];
    for (const p of Object.values(store.data.policies)) {
      if (p.retired || !p.versions.length) continue;
      let inForce: typeof p.versions[number] | undefined;
      for (const x of p.versions) if (x.effective_from <= date) inForce = x;
      const v = inForce ?? p.versions[p.versions.length - 1]!;
      sources[p.id] = { version: v.version, source: v.source };
      ids.push(`${p.id}@${v.hash}`);
    }
    const key = ids.length ? createHash('sha256').update(ids.sort().join('\n')).digest('hex').slice(0, 16) : '';
    memo = { sources, key };
    return memo;
  };
}
