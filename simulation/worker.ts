// Worker thread entry (compiled to dist/simulation/worker.js): compiles the two policy
// versions once, then folds the ranges (generated populations) or batches (files, inline lists)
// the main thread sends, and answers 'finish' with its aggregate state. See workers.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { PopulationGenerator, type GenerateOptions } from './generator.js';
import { parseJsonLine, type PopulationItem } from './loader.js';
import { compilePair, policySummary, Simulator, SimulationError, toWire, type PairSummary, type SimulationConfig } from './simulate.js';

export type ToWorker =
  | { t: 'range'; start: number; end: number }
  | { t: 'lines'; base: number; texts: string[]; lines: number[] }
  | { t: 'items'; base: number; items: PopulationItem[] }
  | { t: 'finish' };
export type FromWorker =
  /** Compiled: what the result says of each policy (the main thread compiles nothing). */
  | { t: 'ready'; summaries: PairSummary }
  | { t: 'done'; n: number }
  | { t: 'state'; state: unknown }
  | { t: 'fatal'; text: { zh: string; en: string }; details: { path: string; message: string }[] };

interface Init { config: SimulationConfig; generate?: GenerateOptions }

const port = parentPort!;
const init = workerData as Init;
const post = (m: FromWorker) => port.postMessage(m);
const fatal = (e: unknown) => post(e instanceof SimulationError
  ? { t: 'fatal', text: e.text, details: e.details }
  : { t: 'fatal', text: { zh: `模拟失败：${(e as Error)?.message ?? String(e)}`, en: `the simulation failed: ${(e as Error)?.message ?? String(e)}` }, details: [] });

let sim: Simulator | undefined;
let gen: PopulationGenerator | undefined;
try {
  const pair = compilePair(init.config);
  sim = new Simulator(pair, init.config);
  if (init.generate) gen = new PopulationGenerator(init.generate);
  post({ t: 'ready', summaries: { baseline: policySummary(init.config.baseline, pair.baseline), candidate: policySummary(init.config.candidate, pair.candidate) } });
} catch (e) {
  fatal(e);
}

port.on('message', (m: ToWorker) => {
  if (!sim) return;
  try {
    switch (m.t) {
      case 'range':
        for (let i = m.start; i < m.end; i++) sim.add(gen!.household(i), i);
        post({ t: 'done', n: m.end - m.start });
        break;
      case 'lines':
        for (let k = 0; k < m.texts.length; k++) sim.addItem(parseJsonLine(m.texts[k]!, m.lines[k]), m.base + k);
        post({ t: 'done', n: m.texts.length });
        break;
      case 'items':
        for (let k = 0; k < m.items.length; k++) sim.addItem(m.items[k]!, m.base + k);
        post({ t: 'done', n: m.items.length });
        break;
      case 'finish':
        post({ t: 'state', state: toWire(sim.state) });
        break;
    }
  } catch (e) {
    fatal(e);
  }
});
