// One chunk's households evaluated under every programme where they live, and what the run
// stores of it, packed as the store writes it (runtime/store/monitor-results.ts): a row per
// household — each programme with outputs is a decision, its id the household's decision base
// with the programme's number, the id GET /api/decisions/{id} answers — and the list rows. Built
// as texts here (in the evaluation thread when there is one), so the main thread only passes
// them on: no object per (household, programme) crosses threads or is stringified there.
// Pure apart from the ids: the same function runs on the main thread or in the evaluation thread.
import type { PreviousResult } from '../../store/registry-runs.js';
import type { PackedEntries } from '../../store/registry.js';
import { blockOf, DecisionBases, decisionId, outcomeLine, parseOutcomes, RS, sharedLine, type PackedResults } from '../../store/monitor-results.js';
import type { MonitorEvaluator } from './evaluator.js';
import { listsFor, outcomeOf, type Outcome } from './lists.js';
import { OutputsJson } from './outputs-json.js';

/** Households evaluated between two yields to the event loop (HTTP stays answered during a run). */
const YIELD_EVERY = 200;

export interface ChunkRun { id: string; as_of: string }
export interface ChunkOutput {
  results: PackedResults;
  /** The programme versions decided under (their hashes are written once per run). */
  versions: { policy: string; version: number }[];
  errors: number;
}

/** The previous run's outcomes by household, then policy. */
export function previousOf(rows: PreviousResult[]): Map<string, Map<string, Outcome>> {
  const m = new Map<string, Map<string, Outcome>>();
  for (const r of rows) m.set(r.household_id, new Map(parseOutcomes(r.outcomes).map((o) => [o.policy, o])));
  return m;
}

export async function evaluateChunk(evaluator: MonitorEvaluator, run: ChunkRun, packed: PackedEntries, previousRows: PreviousResult[]): Promise<ChunkOutput> {
  const previous = previousOf(previousRows);
  const meta = JSON.parse(packed.meta) as [string, number | string, string | null][];
  const bodies = meta.length ? packed.households.split(RS) : [];
  const households: { h: string; c: string | null; s: number; b: string }[] = [];
  const outcomes: string[] = [];
  const outputs: string[] = [];
  const lists: { l: string; h: string; p: string; c: string | null; i: string; d: Record<string, unknown> }[] = [];
  // policy → versions decided under (no key text made per household and programme)
  const versions = new Map<string, Set<number>>();
  let errors = 0;
  const ids = new DecisionBases();
  const json = new OutputsJson();
  // the chunk's distinct outputs, stored once (monitor-results.ts): text → its line `#n`, for the
  // block of the bases being made (a new block, after 65,536 households, starts a new map)
  let shared = new Map<string, string>();
  let block = '';
  const sharedTexts: string[] = [];
  const sharedBlocks: string[] = [];
  for (let n = 0; n < meta.length; n++) {
    if (n % YIELD_EVERY === YIELD_EVERY - 1) await new Promise<void>((ok) => setImmediate(ok));
    const [id, seq, county] = meta[n]!;
    const e = { id, seq: Number(seq), county };
    const household = JSON.parse(bodies[n]!) as Record<string, unknown>;
    const ev = evaluator.evaluate(household, run.as_of);
    const base = ids.next();
    if (blockOf(base) !== block) { block = blockOf(base); shared = new Map(); }
    households.push({ h: e.id, c: e.county, s: e.seq, b: base });
    if (!ev.programmes.length) {
      outcomes.push(outcomeLine('', null, null, null, null, 'routing.none: no programme in force where the household lives'));
      outputs.push('');
      continue;
    }
    let lines = '';
    let texts = '';
    const before = previous.get(e.id);
    for (let i = 0; i < ev.programmes.length; i++) {
      const p = ev.programmes[i]!;
      const sep = i ? '\n' : '';
      if (p.error !== undefined) {
        errors++;
        lines += sep + outcomeLine(p.policy, p.version, null, null, null, p.error);
        texts += sep;
        continue;
      }
      let vs = versions.get(p.policy);
      if (!vs) versions.set(p.policy, vs = new Set());
      vs.add(p.version);
      const o = outcomeOf(p.outputs!);
      lines += sep + outcomeLine(p.policy, p.version, o.eligible, o.amount_fen, o.gradual_exit_until, null);
      const text = json.text(p.policy, p.outputs!);
      let line = shared.get(text);
      if (line === undefined) {
        sharedTexts.push(text);
        sharedBlocks.push(block);
        shared.set(text, line = sharedLine(sharedTexts.length));
      }
      texts += sep + line;
      const on = listsFor(run.as_of, p.program, household, p.outputs!, before?.get(p.policy) ?? null, o);
      if (!on.length) continue;
      // the decision id only for a household on a list (most are on none)
      const id = decisionId(base, i + 1);
      for (const l of on) lists.push({ l: l.list, h: e.id, p: p.policy, c: e.county, i: id, d: l.detail });
    }
    outcomes.push(lines);
    outputs.push(texts);
  }
  return {
    results: {
      rows: households.length, households: JSON.stringify(households), outcomes: outcomes.join(RS), outputs: outputs.join(RS), lists: JSON.stringify(lists),
      ...(sharedTexts.length ? { shared: { texts: sharedTexts.join(RS), blocks: sharedBlocks.join(RS) } } : {}),
    },
    versions: [...versions].flatMap(([policy, vs]) => [...vs].map((version) => ({ policy, version }))), errors,
  };
}
