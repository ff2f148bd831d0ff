// Issue 21: a simulation job started by the server compiles its two policies in the simulation
// workers only (RunOptions.workersOnly), never on the calling thread — a draft is untrusted work
// and compiling it here would stall the event loop. Needs the built worker (npm run build).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => ({ compilePair: 0 }));
vi.mock('../../simulation/simulate.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../simulation/simulate.js')>();
  return { ...real, compilePair: (...a: Parameters<typeof real.compilePair>) => { calls.compilePair++; return real.compilePair(...a); } };
});

const { defaultWorkerScript, runSimulation } = await import('../../simulation/workers.js');

const here = dirname(fileURLToPath(import.meta.url));
const fx = (f: string) => readFileSync(join(here, 'fixtures', f), 'utf8');
const modules = { 'common/household': readFileSync(join(here, '..', '..', 'policies', 'common', 'household.policy'), 'utf8') };
const req = { baseline: { source: fx('baseline.policy') }, candidate: { source: fx('candidate.policy') }, modules, asOf: '2024-06-01',
  population: { generate: { preset: 'zhongwei', households: 50, seed: 3 } } };

describe('runSimulation({ workersOnly })', () => {
  it('a small population (which would run in this thread) runs in one worker; nothing is compiled here', async () => {
    expect(defaultWorkerScript(), 'run npm run build first: the worker script is dist/simulation/worker.js').not.toBeNull();
    calls.compilePair = 0;
    const r = await runSimulation(req, { workersOnly: true });
    expect(calls.compilePair).toBe(0);
    expect(r.run.threads).toBe(1);
    expect(r.population.households).toBe(50);
    // what the result says of each policy comes from the worker's compilation
    const here1 = await runSimulation(req, { threads: 1 });
    expect(calls.compilePair).toBe(1);   // the control: without workersOnly this thread compiles
    expect(r.baseline).toEqual(here1.baseline);
    expect(r.candidate).toEqual(here1.candidate);
    expect(r.totals).toEqual(here1.totals);
  });

  it('a candidate that does not compile fails the run with the worker\'s SimulationError', async () => {
    calls.compilePair = 0;
    // the two languages cross the thread apart (the studio shows the one it speaks)
    await expect(runSimulation({ ...req, candidate: { source: '政策 x「x」\n输出 = ' } }, { workersOnly: true })).rejects.toMatchObject({
      name: 'SimulationError', text: { zh: '草稿政策无法编译', en: 'the candidate policy does not compile' },
    });
    expect(calls.compilePair).toBe(0);
  });
});
