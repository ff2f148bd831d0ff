// Worker thread entry (compiled to dist/simulation/worker.js), one of a SimulationPool's warm
// workers (pool.ts). Loads once ('loaded'); per run: 'init' brings the two policy versions —
// compiled here once and kept (the few newest pairs) for the next run on the same sources —
// then the ranges (generated populations) or batches (files, inline lists) to fold, and
// 'finish', answered with the run's aggregate state. See workers.ts.
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { PopulationGenerator, type GenerateOptions } from './generator.js';
import { parseJsonLine, type PopulationItem } from './loader.js';
import { compilePair, policySummary, Simulator, SimulationError, toWire, type CompiledPair, type PairSummary, type SimulationConfig } from './simulate.js';

export type ToWorker =
  /** `run` numbers the run: every answer carries it, so a cancelled run's late answers are told apart. */
  | { t: 'init'; run: number; config: SimulationConfig; generate?: GenerateOptions }
  | { t: 'range'; start: number; end: number }
  | { t: 'lines'; base: number; texts: string[]; lines: number[] }
  | { t: 'items'; base: number; items: PopulationItem[] }
  | { t: 'finish' };
export type FromWorker =
  /** The modules are loaded: the worker waits for a run. */
  | { t: 'loaded' }
  /** Compiled: what the result says of each policy (the main thread compiles nothing). */
  | { t: 'ready'; run: number; summaries: PairSummary }
  | { t: 'done'; run: number; n: number }
  | { t: 'state'; run: number; state: unknown }
  | { t: 'fatal'; run: number; text: { zh: string; en: string }; details: { path: string; message: string }[] };

/** Compiled pairs kept between runs (a studio user re-runs the same draft; each pair is a few MB at most). */
const KEEP_PAIRS = 4;

const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);
const fatal = (e: unknown) => post(e instanceof SimulationError
  ? { t: 'fatal', run, text: e.text, details: e.details }
  : { t: 'fatal', run, text: { zh: `模拟失败：${(e as Error)?.message ?? String(e)}`, en: `the simulation failed: ${(e as Error)?.message ?? String(e)}` }, details: [] });

const pairs = new Map<string, CompiledPair>();

/** The pair of this config: compiled once per distinct sources (a failed compile is not kept). */
function pairOf(c: SimulationConfig): CompiledPair {
  const key = createHash('sha256').update(JSON.stringify([c.baseline.source, c.baseline.file, c.candidate.source, c.candidate.file, c.modules, c.linked ?? null])).digest('hex');
  let pair = pairs.get(key);
  if (pair) pairs.delete(key);         // re-inserted below: the newest last
  else pair = compilePair(c);
  pairs.set(key, pair);
  while (pairs.size > KEEP_PAIRS) pairs.delete(pairs.keys().next().value!);
  return pair;
}

let run = 0;
let sim: Simulator | undefined;
let gen: PopulationGenerator | undefined;

port.on('message', (m: ToWorker) => {
  try {
    switch (m.t) {
      case 'init': {
        sim = undefined; gen = undefined; run = m.run;
        const pair = pairOf(m.config);
        sim = new Simulator(pair, m.config);
        if (m.generate) gen = new PopulationGenerator(m.generate);
        post({ t: 'ready', run, summaries: { baseline: policySummary(m.config.baseline, pair.baseline), candidate: policySummary(m.config.candidate, pair.candidate) } });
        break;
      }
      case 'range':
        if (!sim) return;
        for (let i = m.start; i < m.end; i++) sim.add(gen!.household(i), i);
        post({ t: 'done', run, n: m.end - m.start });
        break;
      case 'lines':
        if (!sim) return;
        for (let k = 0; k < m.texts.length; k++) sim.addItem(parseJsonLine(m.texts[k]!, m.lines[k]), m.base + k);
        post({ t: 'done', run, n: m.texts.length });
        break;
      case 'items':
        if (!sim) return;
        for (let k = 0; k < m.items.length; k++) sim.addItem(m.items[k]!, m.base + k);
        post({ t: 'done', run, n: m.items.length });
        break;
      case 'finish':
        if (!sim) return;
        post({ t: 'state', run, state: toWire(sim.state) });
        sim = undefined; gen = undefined;
        break;
    }
  } catch (e) {
    fatal(e);
  }
});
post({ t: 'loaded' });
