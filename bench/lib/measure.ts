// Timing of one engine over the household set: warm-up, calibrated repetitions, medians.
import type { Engine, Sink } from '../engines/types.js';
import { newSink } from '../engines/types.js';
import type { HouseholdJson } from './households.js';
import { reference, type Exact } from './reference.js';
import { median, now } from './system.js';

export interface Options { warmupMs: number; runs: number; minRunMs: number }
export const DEFAULTS: Options = { warmupMs: 1500, runs: 7, minRunMs: 400 };

export interface EngineResult {
  name: string; note: string;
  /** Median over runs of evaluations per second of wall-clock time. */
  evalsPerSec: number; runsPerSec: number[];
  /** Median over runs of evaluations per second of this process's CPU time (user + system, all its threads):
   *  the steadier figure when other processes share the core. */
  evalsPerCpuSec: number; runsPerCpuSec: number[];
  disagreeAmount: number; disagreeEligible: number; disagree: number; checked: number; examples: string[];
}

export function references(hs: HouseholdJson[], asOf: string): Exact[] {
  return hs.map((h) => reference(h, asOf));
}

/** Compares a sink with the exact reference: households whose amount (in the cent) or eligibility differ. */
export function crossCheck(engine: Engine, hs: HouseholdJson[], sink: Sink, refs: Exact[]) {
  let amount = 0, eligible = 0, any = 0;
  const examples: string[] = [];
  for (let i = 0; i < refs.length; i++) {
    const fen = engine.fen(sink.amount[i]);
    const el = sink.eligible[i] === 1;
    const badA = fen !== refs[i]!.fen, badE = el !== refs[i]!.eligible;
    if (badA) amount++;
    if (badE) eligible++;
    if (badA || badE) {
      any++;
      if (examples.length < 3) examples.push(`${hs[i]!.id}: got ${el} ${fen} fen, exact ${refs[i]!.eligible} ${refs[i]!.fen} fen`);
    }
  }
  return { disagreeAmount: amount, disagreeEligible: eligible, disagree: any, checked: refs.length, examples };
}

export async function measure(engine: Engine, hs: HouseholdJson[], asOf: string, refs: Exact[], opt: Options = DEFAULTS): Promise<EngineResult> {
  const prepared = hs.map((h) => engine.prepare(h, asOf));
  const sink = newSink(prepared.length);
  // warm-up, and calibrate how many passes over the set make one run last ≥ minRunMs
  let passes = 0;
  const t0 = now();
  while (now() - t0 < opt.warmupMs || passes < 2) { await engine.runAll(prepared, sink); passes++; }
  const perPass = (now() - t0) / passes;
  const reps = Math.max(1, Math.ceil(opt.minRunMs / perPass));
  const rates: number[] = [], cpuRates: number[] = [];
  for (let r = 0; r < opt.runs; r++) {
    const t = now(), c = process.cpuUsage();
    for (let k = 0; k < reps; k++) await engine.runAll(prepared, sink);
    const wall = (now() - t) / 1000, cu = process.cpuUsage(c);
    rates.push((reps * prepared.length) / wall);
    cpuRates.push((reps * prepared.length) / ((cu.user + cu.system) / 1e6));
  }
  const check = crossCheck(engine, hs, sink, refs);
  return { name: engine.name, note: engine.note, evalsPerSec: median(rates), runsPerSec: rates, evalsPerCpuSec: median(cpuRates), runsPerCpuSec: cpuRates, ...check };
}
