// The runtime's evaluation service in process, on a fresh lowdb store seeded from policies/ (as
// the server seeds a new DATA_DIR), with linked policies resolved on `asOf`: what the in-process
// benches call (entitlements, the traced-answer profile). close() removes the store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LowdbStore } from '../../runtime/store/lowdb-store.js';
import { seedStore } from '../../runtime/store/seed.js';
import { EvaluationService } from '../../runtime/services/evaluation.js';
import { Language, loadModules } from '../../runtime/services/language.js';
import { PolicyService } from '../../runtime/services/policies.js';
import { linkedSourcesOf } from '../../runtime/services/linked-sources.js';
import { policiesDir } from '../../runtime/paths.js';

export interface SeededEvaluation { evaluation: EvaluationService; lang: Language; store: LowdbStore; close(): Promise<void> }

export async function seededEvaluation(asOf: string, prefix: string): Promise<SeededEvaluation> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const root = policiesDir();
  const lang = new Language(loadModules(root));
  const store = await LowdbStore.open(dir);
  const close = async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); };
  try {
    lang.setLinkedSources(linkedSourcesOf(store, () => asOf));
    await seedStore(store, root, (source, file) => {
      const info = lang.analyze(source, file).info;
      return { id: info?.id ?? null, effective: info?.effective ?? null, note: info?.note ?? null };
    });
    return { evaluation: new EvaluationService(lang, new PolicyService(store, lang, false), () => asOf), lang, store, close };
  } catch (e) {
    await close();
    throw e;
  }
}
