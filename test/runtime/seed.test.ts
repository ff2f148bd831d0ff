// Seeding on first start: every policies/<id>/v<N>/ becomes version N as shipped (effective date
// and note from the header), the draft is the latest version; a store that exists is not re-seeded.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policiesDir } from '../../runtime/paths.js';
import { loadModules } from '../../runtime/services/language.js';
import { openStore } from '../../runtime/server.js';
import { contentHash } from '../../runtime/store/hash.js';
import { LowdbStore } from '../../runtime/store/lowdb-store.js';
import { FIXTURE_POLICIES, modules, tempDir } from './helpers.js';

describe('seeding', () => {
  it('publishes each fixture version as shipped and sets the draft to the latest', async () => {
    const dir = tempDir();
    const { store, seeded } = await openStore(dir, FIXTURE_POLICIES, modules);
    expect(seeded).toEqual({ policies: ['fx-dibao', 'fx-elderly'], versions: 3, warnings: [] });
    const p = store.data.policies['fx-dibao']!;
    expect(p.versions.map((v) => [v.version, v.effective_from, v.note])).toEqual([
      [1, '2022-01-01', '初始版本：城市 600 元/月'],
      [2, '2023-01-01', '城市标准提高到 650 元/月'],
    ]);
    const v2 = readFileSync(join(FIXTURE_POLICIES, 'fx-dibao/v2/policy.policy'), 'utf8');
    const s2 = readFileSync(join(FIXTURE_POLICIES, 'fx-dibao/v2/scenarios.yaml'), 'utf8');
    expect(p.versions[1]!.source).toBe(v2);
    expect(p.versions[1]!.hash).toBe(contentHash(v2, s2));
    expect(p.draft).toMatchObject({ source: v2, scenarios: s2, revision: 1 });
    expect(store.data.audit.map((e) => `${e.action} ${e.policy}`)).toEqual(['seed fx-dibao', 'seed fx-elderly']);
    expect(store.data.seeded_at).not.toBeNull();
    await store.close();

    // Second start: the data is kept, nothing is seeded again.
    const again = await openStore(dir, FIXTURE_POLICIES, modules);
    expect(again.seeded).toBeUndefined();
    expect(again.store.data.audit).toHaveLength(2);
    await again.store.close();
  });

  it('does not seed into a data folder that already has a store', async () => {
    const dir = tempDir();
    const s = await LowdbStore.open(dir);
    await s.close();
    const { store, seeded } = await openStore(dir, FIXTURE_POLICIES, modules);
    expect(seeded).toBeUndefined();
    expect(store.data.policies).toEqual({});
  });

  it('loads every directory under policies/ (the shipped policies)', async () => {
    const root = policiesDir({});
    const ids = readdirSync(root).filter((d) => d !== 'common' && !d.startsWith('.') && statSync(join(root, d)).isDirectory()).sort();
    expect(ids.length).toBeGreaterThan(0);
    const { store, seeded } = await openStore(tempDir(), root, loadModules(root));
    expect(seeded!.warnings).toEqual([]);
    expect(Object.keys(store.data.policies).sort()).toEqual(ids);
    for (const id of ids) {
      const vdirs = readdirSync(join(root, id)).filter((d) => /^v\d+$/.test(d)).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
      const p = store.data.policies[id]!;
      expect(p.versions.map((v) => `v${v.version}`), id).toEqual(vdirs);
      for (const v of p.versions) {
        const src = readFileSync(join(root, id, `v${v.version}`, 'policy.policy'), 'utf8');
        expect(v.source).toBe(src);
        expect(src).toMatch(new RegExp(`(生效|effective)\\s+${v.effective_from}`));
      }
      expect(p.draft.source).toBe(p.versions[p.versions.length - 1]!.source);
    }
    await store.close();
  });
});
