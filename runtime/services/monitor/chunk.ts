// One chunk's households evaluated under every programme where they live, and what the run
// stores of it: a result per (household, programme) — with outputs, it is the decision, its
// decision_id the id GET /api/decisions/{id} answers — and the list rows. Pure apart from the
// ids: the same function runs on the main thread or in the evaluation thread (eval-thread.ts).
import type { ListRow, ResultRow } from '../../store/registry-runs.js';
import type { RegistryEntry } from '../../store/registry.js';
import { uuidv7 } from '../../sql/uuid7.js';
import { canonicalJson } from '../canonical-json.js';
import type { MonitorEvaluator } from './evaluator.js';
import { listsFor, outcomeOf, type Outcome } from './lists.js';

/** Households evaluated between two yields to the event loop (HTTP stays answered during a run). */
const YIELD_EVERY = 200;

export interface ChunkRun { id: string; as_of: string }
export interface ChunkOutput {
  results: ResultRow[];
  lists: ListRow[];
  /** The programme versions decided under (their hashes are written once per run). */
  versions: { policy: string; version: number }[];
  errors: number;
}

export const previousKey = (householdId: string, policy: string) => `${householdId}\u0000${policy}`;

export async function evaluateChunk(evaluator: MonitorEvaluator, run: ChunkRun, entries: RegistryEntry[], previous: Map<string, Outcome>): Promise<ChunkOutput> {
  const results: ResultRow[] = [];
  const lists: ListRow[] = [];
  const versions = new Map<string, { policy: string; version: number }>();
  let errors = 0;
  const base = { run_id: run.id, decision_id: null, eligible: null, amount_fen: null, gradual_exit_until: null, outputs: null };
  const now = Date.now();
  for (let i = 0; i < entries.length; i++) {
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise<void>((ok) => setImmediate(ok));
    const e = entries[i]!;
    const household = JSON.parse(e.household) as Record<string, unknown>;
    const ev = evaluator.evaluate(household, run.as_of);
    if (!ev.programmes.length) {
      results.push({ ...base, household_id: e.id, policy: '', version: null, county: e.county, household_seq: e.seq, error: 'routing.none: no programme in force where the household lives' });
      continue;
    }
    for (const p of ev.programmes) {
      if (p.error !== undefined) {
        errors++;
        results.push({ ...base, household_id: e.id, policy: p.policy, version: p.version.version, county: e.county, household_seq: e.seq, error: p.error });
        continue;
      }
      versions.set(`${p.policy}\u0000${p.version.version}`, { policy: p.policy, version: p.version.version });
      const decisionId = uuidv7(now);
      const o = outcomeOf(p.outputs!);
      results.push({ run_id: run.id, household_id: e.id, policy: p.policy, version: p.version.version, county: e.county, decision_id: decisionId,
        eligible: o.eligible, amount_fen: o.amount_fen, gradual_exit_until: o.gradual_exit_until, outputs: canonicalJson(p.outputs), error: null, household_seq: e.seq });
      for (const l of listsFor(run.as_of, p.program, household, p.outputs!, previous.get(previousKey(e.id, p.policy)) ?? null)) {
        lists.push({ run_id: run.id, list: l.list, household_id: e.id, policy: p.policy, county: e.county, decision_id: decisionId, detail: JSON.stringify(l.detail) });
      }
    }
  }
  return { results, lists, versions: [...versions.values()], errors };
}
