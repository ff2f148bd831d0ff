// Impact analysis of a policy that reads another's results (引用): the disability subsidies
// (dawukou-disability-subsidies v2) read the dibao decided for the same household on the same
// date (dawukou-dibao, the version in force on the simulation date). The simulation compiles and
// evaluates the referenced policy through the language's link machinery; its per-household
// amounts must be those of evaluating each household with its links.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileSource, money } from '../../dsl/index.js';
import { defaultWorkerScript, generatePopulation, runSimulation, type LinkedSources, type SimulationRequest } from '../../simulation/index.js';
import { effectiveOf, ids, inForce, linkedFor, linkOptions, modules, root } from '../policies/shipped.js';

const AS_OF = '2024-06-01';
const file = join(root, 'dawukou-disability-subsidies', 'v2', 'policy.policy');
const source = readFileSync(file, 'utf8');
// the draft: living subsidy 110 → 150 元/月 (nursing subsidy unchanged)
const draft = source.replace('参数 生活补贴标准「困难残疾人生活补贴（月）」 = 110 元/月', '参数 生活补贴标准「困难残疾人生活补贴（月）」 = 150 元/月');

/** The shipped versions in force on `date`, as the runtime gives them (published, in force). */
function linkedOn(date: string): LinkedSources {
  const out: LinkedSources = {};
  for (const id of ids) {
    const v = inForce(id, date);
    if (v && effectiveOf(v.dir) <= date) out[id] = { version: v.n, source: readFileSync(join(v.dir, 'policy.policy'), 'utf8') };
  }
  return out;
}

const req = (population: SimulationRequest['population'], sampleSize = 20): SimulationRequest => ({
  baseline: { source, file: 'dawukou-disability-subsidies/v2/policy.policy' },
  candidate: { source: draft, file: 'dawukou-disability-subsidies/draft/policy.policy' },
  modules, linked: linkedOn(AS_OF), asOf: AS_OF, population, sampleSize,
});

interface Entry { household: Record<string, unknown>; as_of: string }
const oneWindow = (YAML.parse(readFileSync(join(root, 'one-window.yaml'), 'utf8')) as Entry[])
  .filter((e) => e.household['county'] === '大武口区').map((e) => e.household);

describe('impact of a policy that reads another (引用)', () => {
  it('the one-window Dawukou households (ow-01…ow-04): amounts by hand, the dibao decided per household', async () => {
    // by hand (policies/one-window.yaml): dibao for ow-01 (per capita 500) and ow-04 (649.99…), not
    // for ow-02 (800) and ow-03 (exactly 650); m1 has a level-1 disability in each.
    // baseline: ow-01 110 + 120, ow-02 0 + 120, ow-03 0 + 120, ow-04 110 + 120 = 700.00
    // draft:    ow-01 150 + 120, ow-02 120,     ow-03 120,     ow-04 150 + 120 = 780.00
    expect(oneWindow.map((h) => h['id'])).toEqual(['ow-01', 'ow-02', 'ow-03', 'ow-04']);
    const r = await runSimulation(req({ households: oneWindow }), { threads: 1 });
    expect(r.population).toMatchObject({ households: 4, invalid: 0, errors: [] });
    expect(r.totals.baseline).toMatchObject({ recipient_households: 4, monthly_cost: '700.00' });
    expect(r.totals.candidate).toMatchObject({ recipient_households: 4, monthly_cost: '780.00' });
    expect(r.totals.change.monthly_cost).toBe('80.00');
    expect(r.samples.gained.map((s) => [s.id, s.baseline, s.candidate])).toEqual([['ow-01', '230.00', '270.00'], ['ow-04', '230.00', '270.00']]);
    expect(r.changes).toMatchObject({ unchanged: 2, entered: { households: 0 }, left: { households: 0 }, lost: { households: 0 } });
  });

  it('a generated Dawukou population: each household as evaluated with its links, in this thread and in workers', async () => {
    const households = [...generatePopulation({ preset: 'dawukou', seed: 14, households: 400, asOf: AS_OF })];
    // each household evaluated on its own: the dibao in force decided first, then the subsidies with it
    const compile = (s: string) => compileSource(s, { file, modules, ...linkOptions(AS_OF) }).compiled!;
    const [b, c] = [compile(source), compile(draft)];
    const amount = (p: typeof b, h: unknown) => {
      const r = p.evaluate(h, AS_OF, { linked: linkedFor(p, h, AS_OF) });
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return r.outputs['monthly_amount'] as string;
    };
    let base = 0, cand = 0;
    const changed: [string, string, string][] = [];
    for (const h of households) {
      const x = amount(b, h), y = amount(c, h);
      base += money.yuanToFen(x)!; cand += money.yuanToFen(y)!;
      if (x !== y) changed.push([h['id'] as string, x, y]);
    }
    expect(changed.length).toBeGreaterThan(0);   // the population has disabled members of dibao families
    expect(changed.length).toBeLessThanOrEqual(100);

    const inThread = await runSimulation(req({ households }, 100), { threads: 1 });
    const script = defaultWorkerScript();
    const inWorkers = script ? await runSimulation(req({ generate: { preset: 'dawukou', households: 400, seed: 14 } }, 100), { threads: 2, minForWorkers: 0, chunk: 100, workersOnly: true }) : inThread;
    for (const r of [inThread, inWorkers]) {
      expect(r.population.invalid).toBe(0);
      expect(r.totals.baseline.monthly_cost).toBe(money.fenToYuan(base));
      expect(r.totals.candidate.monthly_cost).toBe(money.fenToYuan(cand));
      const samples = [...r.samples.gained, ...r.samples.lost, ...r.samples.entered, ...r.samples.left].sort((p, q) => p.index - q.index);
      expect(samples.map((s) => [s.id, s.baseline, s.candidate])).toEqual(changed);
    }
  });

  it('without the referenced policy in force on the date, the policy does not compile: a clear error, not a crash', async () => {
    const { 'dawukou-dibao': _dibao, ...others } = linkedOn(AS_OF);
    const r = await runSimulation({ ...req({ households: oneWindow.slice(0, 1) }), linked: others }, { threads: 1 }).catch((e: Error) => e);
    // the checker cannot resolve 引用 dawukou-dibao: the policy does not compile (a clear error, not a crash)
    expect(r).toBeInstanceOf(Error);
    expect((r as Error).message).toContain('无法编译');
  });
});
