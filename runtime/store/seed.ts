// First start: load every policy shipped under policies/<id>/v<N>/ (policy.policy + scenarios.yaml)
// into an empty store, each version published as shipped (effective_from and note from the
// header), and the draft set to the latest version. One mutation: all or nothing.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { contentHash } from './hash.js';
import type { PolicyRecord, Store, VersionRecord } from './types.js';

export interface HeaderReader { (source: string, file: string): { id?: string | null; effective: string | null; note: string | null } }

export interface SeedResult { policies: string[]; versions: number; warnings: string[] }

const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');

/** The policy folders under policiesDir (everything but common/ and dot-folders). */
export function shippedPolicyIds(policiesDir: string): string[] {
  if (!existsSync(policiesDir)) return [];
  return readdirSync(policiesDir)
    .filter((d) => d !== 'common' && !d.startsWith('.') && statSync(join(policiesDir, d)).isDirectory())
    .sort();
}

export async function seedStore(store: Store, policiesDir: string, readHeader: HeaderReader, now = new Date()): Promise<SeedResult> {
  const result: SeedResult = { policies: [], versions: 0, warnings: [] };
  const at = now.toISOString();
  const records: PolicyRecord[] = [];
  for (const id of shippedPolicyIds(policiesDir)) {
    const dir = join(policiesDir, id);
    const vdirs = readdirSync(dir)
      .map((d) => ({ d, m: /^v(\d+)$/.exec(d) }))
      .filter((x) => x.m && statSync(join(dir, x.d)).isDirectory())
      .map((x) => ({ d: x.d, n: Number(x.m![1]) }))
      .sort((a, b) => a.n - b.n);
    const versions: VersionRecord[] = [];
    for (const { d, n } of vdirs) {
      const file = join(dir, d, 'policy.policy');
      if (!existsSync(file)) { result.warnings.push(`${id}/${d}: no policy.policy`); continue; }
      const source = read(file);
      const scenarios = read(join(dir, d, 'scenarios.yaml'));
      const header = readHeader(source, `${id}/${d}/policy.policy`);
      if (!header.effective) { result.warnings.push(`${id}/${d}: no 生效 date in the header; not published`); continue; }
      if (header.id && header.id !== id) result.warnings.push(`${id}/${d}: header id ${header.id} differs from the folder name`);
      if (n !== versions.length + 1) result.warnings.push(`${id}/${d}: published as version ${versions.length + 1}`);
      versions.push({
        version: versions.length + 1, effective_from: header.effective, note: header.note ?? '',
        source, scenarios, hash: contentHash(source, scenarios), author: 'seed', approved_by: null,
        published_at: at, draft_revision: null,
      });
    }
    const latest = versions[versions.length - 1];
    let draft: { source: string; scenarios: string } | undefined = latest;
    if (!draft && existsSync(join(dir, 'policy.policy'))) {
      draft = { source: read(join(dir, 'policy.policy')), scenarios: read(join(dir, 'scenarios.yaml')) };
    }
    if (!draft) { result.warnings.push(`${id}: no versions found`); continue; }
    records.push({
      id, created_at: at, created_by: 'seed', retired: null,
      draft: { source: draft.source, scenarios: draft.scenarios, revision: 1, updated_at: at, updated_by: 'seed' },
      versions, publish_requests: [],
    });
    result.policies.push(id);
    result.versions += versions.length;
  }
  await store.mutate((data, audit) => {
    for (const r of records) {
      if (data.policies[r.id]) continue;
      data.policies[r.id] = r;
      audit({ who: 'seed', role: 'system', action: 'seed', policy: r.id, revision: 1, version: r.versions.length || null,
              details: { versions: r.versions.map((v) => ({ version: v.version, effective_from: v.effective_from, hash: v.hash })) } });
    }
    data.seeded_at = at;
  });
  return result;
}
