// Issue 17: 一门受理 throughput, in process on one core. N generated Dawukou households (the
// simulation generator's dawukou preset, the monitor bench's registry) through the runtime's own
// entitlements service: routed to 大武口区, every programme in force there evaluated in link
// order, totals, JSON-shaped answers; nothing recorded (the recording cost is issue 15's row).
// Checked: no household errors, every household routed, and each programme's outputs equal to
// evaluating that programme alone (POST /evaluate's path, its references evaluated again), so a
// shortcut in the one-window path cannot go unnoticed.
// Two rates: the answers as objects (entitlementsBatch, what the monitor and the CLI read), and
// the answers as the bytes POST /api/entitlements/batch sends (entitlementsBatchBytes: a dry
// run's JSON text, written without the objects; the route adds only its head and error_count).
// The bytes are checked too: each batch's equal to JSON.stringify of the objects' answer, and
// their outputs, read back, equal to each programme alone.
//   node dist/bench/entitlements.js [--households N] [--runs N]
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { entitlementsBatch, entitlementsBatchBytes, MAX_ENTITLEMENTS_BATCH, type BatchItem, type EntitlementsAnswer } from '../runtime/services/entitlements.js';
import type { EvaluationService } from '../runtime/services/evaluation.js';
import { seededEvaluation } from './lib/seeded-evaluation.js';
import { generatePopulation } from '../simulation/generator.js';
import { fmtRate, median, setupLine } from './lib/system.js';

const AS_OF = '2024-07-01';
const TARGET = 300_000;

export interface EntitlementsBenchResult {
  households: number; elsewhere: number; programmes: number; householdsPerCpuSec: number; householdsPerSec: number;
  errors: number; disagree: number; runs: number; targetMet: boolean;
  /** Households per CPU-second to the answer's bytes (the HTTP batch's dry run), and its checks. */
  bytesPerCpuSec: number; bytesPerAnswer: number; bytesDiffer: number; bytesDisagree: number;
}

const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

export async function runEntitlementsBench(n = 10_000, runs = 5): Promise<EntitlementsBenchResult> {
  const seeded = await seededEvaluation(AS_OF, 'bench-entitlements-');
  const { evaluation } = seeded;
  try {
    const households = [...generatePopulation({ preset: 'dawukou', households: n, seed: 17, asOf: AS_OF })];
    const all = async (): Promise<BatchItem[]> => {
      const out: BatchItem[] = [];
      for (let i = 0; i < households.length; i += MAX_ENTITLEMENTS_BATCH) {
        out.push(...(await entitlementsBatch(households.slice(i, i + MAX_ENTITLEMENTS_BATCH), AS_OF, { evaluation, trace: false, bounded: false })).results);
      }
      return out;
    };
    let results = await all();   // warm-up: compiles every programme once
    const cpu: number[] = [], wall: number[] = [];
    for (let r = 0; r < runs; r++) {
      const c0 = cpuMs(), w0 = performance.now();
      results = await all();
      cpu.push(cpuMs() - c0); wall.push(performance.now() - w0);
    }
    const answers = results.filter((x): x is EntitlementsAnswer => 'programmes' in x);
    const errors = results.length - answers.length + answers.filter((a) => a.programmes.some((p) => p.error)).length;
    const elsewhere = answers.filter((a) => !a.routed).length;
    const programmes = Math.max(...answers.map((a) => a.programmes.length));
    const disagree = await crossCheck(evaluation, households, answers);
    results = []; answers.length = 0;   // not kept while the bytes are measured
    // the answers' bytes, checked first: each batch's the text of the objects' answer, and read
    // back, right by the same check; then measured, each batch's bytes let go as the route does
    // (each batch's buffer released once read, as the route releases it once sent)
    const batchBytes = (i: number) => entitlementsBatchBytes(households.slice(i, i + MAX_ENTITLEMENTS_BATCH), AS_OF, { evaluation, trace: false, bounded: false });
    let bytesDiffer = 0, size = 0;
    const readBack: EntitlementsAnswer[] = [];
    for (let i = 0; i < households.length; i += MAX_ENTITLEMENTS_BATCH) {
      const answer = await batchBytes(i);
      const text = answer.results.toString('utf8');
      answer.release();
      const objects = (await entitlementsBatch(households.slice(i, i + MAX_ENTITLEMENTS_BATCH), AS_OF, { evaluation, trace: false, bounded: false })).results;
      if (text !== JSON.stringify(objects)) bytesDiffer++;
      size += Buffer.byteLength(text);
      for (const x of JSON.parse(text) as BatchItem[]) if ('programmes' in x) readBack.push(x);
    }
    const bytesDisagree = await crossCheck(evaluation, households, readBack);
    readBack.length = 0;
    const cpuBytes: number[] = [];
    for (let r = 0; r < runs; r++) {
      const c0 = cpuMs();
      for (let i = 0; i < households.length; i += MAX_ENTITLEMENTS_BATCH) (await batchBytes(i)).release();
      cpuBytes.push(cpuMs() - c0);
    }
    const perCpu = n / (median(cpu) / 1000), perWall = n / (median(wall) / 1000);
    return { households: n, elsewhere, programmes, householdsPerCpuSec: perCpu, householdsPerSec: perWall, errors, disagree, runs,
      targetMet: perCpu >= TARGET && errors === 0 && disagree === 0,
      bytesPerCpuSec: n / (median(cpuBytes) / 1000), bytesPerAnswer: size / n, bytesDiffer, bytesDisagree };
  } finally {
    await seeded.close();
  }
}

/** Households whose one-window outputs differ from each programme evaluated on its own. */
async function crossCheck(evaluation: EvaluationService, households: unknown[], answers: EntitlementsAnswer[]): Promise<number> {
  let disagree = 0;
  for (let i = 0; i < answers.length; i++) {
    const a = answers[i]!;
    for (const p of a.programmes) {
      const alone = evaluation.evaluate(p.policy, { household: households[i], as_of: a.as_of, version: p.version, trace: false });
      if (JSON.stringify(alone.outputs) !== JSON.stringify(p.outputs)) { disagree++; break; }
    }
  }
  return disagree;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { households: { type: 'string', default: '10000' }, runs: { type: 'string', default: '5' } } });
  console.log(`# 一门受理 / entitlements throughput (issue 17)\n${setupLine()}`);
  runEntitlementsBench(Number(values.households), Number(values.runs)).then((r) => {
    console.log(`${r.households} Dawukou households (${r.elsewhere} with hukou in another province: not handled here) × ${r.programmes} programmes, median of ${r.runs}: `
      + `${fmtRate(r.householdsPerCpuSec)} households per CPU-second (${fmtRate(r.householdsPerSec)} wall); ${r.errors} errors, ${r.disagree} disagreeing with each programme alone; `
      + `target ≥ ${fmtRate(TARGET)}: ${r.targetMet ? 'met' : 'MISSED'}`);
    console.log(`as the HTTP batch's answer bytes (dry run, ${Math.round(r.bytesPerAnswer)} bytes per answer): ${fmtRate(r.bytesPerCpuSec)} households per CPU-second; `
      + `${r.bytesDiffer} batches differing from JSON.stringify of the objects, ${r.bytesDisagree} households read back disagreeing with each programme alone`);
  }, (e) => { console.error(e); process.exit(1); });
}
