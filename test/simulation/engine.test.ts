// The generator's determinism, the worker-thread path (same result as in-thread), progress,
// cancellation, and the loader's errors (field paths as the API reports them, plus file lines).
import { existsSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import {
  defaultWorkerScript, generatePopulation, PopulationGenerator, readCsv, readJsonLines, runSimulation, LoaderError,
  FLAT_HEADER, toFlatCsvRows, type SimulationRequest, type PopulationItem,
} from '../../simulation/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const fx = (f: string) => join(here, 'fixtures', f);
const modules = { 'common/household': readFileSync(join(root, 'policies', 'common', 'household.policy'), 'utf8') };
const baseline = { source: readFileSync(fx('baseline.policy'), 'utf8') };
const candidate = { source: readFileSync(fx('candidate.policy'), 'utf8') };
const req = (population: SimulationRequest['population']): SimulationRequest => ({ baseline, candidate, modules, asOf: '2024-06-01', population });
const tmp = mkdtempSync(join(tmpdir(), 'sim-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function collect(it: AsyncIterable<PopulationItem>) { const out: PopulationItem[] = []; for await (const x of it) out.push(x); return out; }
/** The result without its run timings (which differ between runs). */
const stable = (r: Awaited<ReturnType<typeof runSimulation>>) => ({ ...r, run: undefined, population: { ...r.population, source: undefined } });

describe('generator', () => {
  it('same seed → identical households; different seed → different', () => {
    const a = [...generatePopulation({ preset: 'zhongwei', seed: 42, households: 300, asOf: '2024-06-01' })];
    const b = [...generatePopulation({ preset: 'zhongwei', seed: 42, households: 300, asOf: '2024-06-01' })];
    const c = [...generatePopulation({ preset: 'zhongwei', seed: 43, households: 300, asOf: '2024-06-01' })];
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
    // household i does not depend on where generation started (workers generate ranges)
    const g = new PopulationGenerator({ preset: 'zhongwei', seed: 42, asOf: '2024-06-01' });
    expect(g.household(250)).toEqual(a[250]);
    // a seed given as digits is that number
    expect(new PopulationGenerator({ preset: 'zhongwei', seed: '42', asOf: '2024-06-01' }).household(7)).toEqual(a[7]);
  });

  it('households are valid in the contract shape, with a realistic mix', async () => {
    const hs = [...generatePopulation({ preset: 'zhongwei', seed: 1, households: 2000, asOf: '2024-06-01' })];
    const r = await runSimulation(req({ households: hs }), { threads: 1 });
    expect(r.population.invalid).toBe(0);
    const areas = new Set(hs.map((h) => h['area']));
    expect(areas).toEqual(new Set(['urban', 'rural']));
    const members = hs.flatMap((h) => h.members);
    expect(members.some((m) => (m['disability_level'] as number) > 0)).toBe(true);
    expect(members.some((m) => m['serious_illness'] === true)).toBe(true);
    expect(hs.some((h) => (h['dibao'] as { enrolled?: boolean } | undefined)?.enrolled)).toBe(true);
    const x = [...generatePopulation({ preset: 'xpcc', seed: 1, households: 50 })];
    expect(x.every((h) => typeof h['distance_to_hq_km'] === 'number')).toBe(true);
  });

  const zw = join(root, 'policies', 'zhongwei-dibao', 'v1', 'policy.policy');
  it.skipIf(!existsSync(zw))('zhongwei preset lands near the published figures (a tenth of the population)', async () => {
    // 003: 87,400 dibao persons and 373.61 million 元 a year for the city; the preset is calibrated
    // for 170,000 households, so 17,000 households should give about a tenth of each.
    const source = readFileSync(zw, 'utf8');
    const r = await runSimulation({ baseline: { source }, candidate: { source }, modules, asOf: '2022-12-31',
      population: { generate: { preset: 'zhongwei', households: 17_000, seed: 1 } } }, { threads: 1 });
    expect(r.population.invalid).toBe(0);
    const persons = r.totals.baseline.recipient_persons;
    const yearly = Number(r.totals.baseline.yearly_cost);
    expect(Math.abs(persons - 8_740) / 8_740).toBeLessThan(0.05);
    expect(Math.abs(yearly - 37_361_000) / 37_361_000).toBeLessThan(0.05);
  });

  it('unknown preset is refused', () => {
    expect(() => new PopulationGenerator({ preset: 'nowhere', seed: 1 })).toThrow(/unknown preset/);
  });
});

describe('loader', () => {
  it('JSON Lines: bad JSON is an error item with its line; blank lines are skipped', async () => {
    const f = join(tmp, 'bad.jsonl');
    writeFileSync(f, '{"id":"a","area":"urban","members":[{"id":"m","birth_date":"1990-01-01"}]}\n\n{oops\n');
    const items = await collect(readJsonLines(f));
    expect(items).toHaveLength(2);
    expect(items[1]).toMatchObject({ line: 3, error: { path: 'household' } });
    // a byte-order mark, CRLF line ends and no final newline
    const g = join(tmp, 'crlf.jsonl');
    writeFileSync(g, '\uFEFF{"id":"a"}\r\n\r\n{"id":"b"}');
    expect(await collect(readJsonLines(g))).toEqual([{ household: { id: 'a' }, line: 1 }, { household: { id: 'b' }, line: 3 }]);
  });

  it('CSV: quoted cells, household_json layout, disagreeing household columns, unknown columns', async () => {
    const f = join(tmp, 'json.csv');
    writeFileSync(f, 'household_json\n"{""id"":""q"",""area"":""rural"",""members"":[{""id"":""m"",""birth_date"":""1990-01-01""}]}"\n');
    const a = await collect(readCsv(f));
    expect(a).toEqual([{ household: { id: 'q', area: 'rural', members: [{ id: 'm', birth_date: '1990-01-01' }] }, line: 2 }]);

    const g = join(tmp, 'conflict.csv');
    writeFileSync(g, 'household_id,area,member_id,birth_date\nh,urban,a,1990-01-01\nh,rural,b,1991-01-01\n');
    const b = await collect(readCsv(g));
    expect(b[0]).toMatchObject({ line: 2, id: 'h', error: { path: 'household.area' } });

    // quoted commas, quotes and newlines, read whole and one character at a time (chunk edges)
    const tricky = 'household_id,area,county,member_id,birth_date\r\nh,urban,"大武口区, ""北""\n片",a,1990-01-01\r\nh,urban,"大武口区, ""北""\n片",b,""\n';
    const whole = await collect(readCsv(Readable.from([tricky])));
    const bytes = await collect(readCsv(Readable.from([...tricky])));
    expect(whole).toEqual([{ household: { id: 'h', area: 'urban', county: '大武口区, "北"\n片', members: [{ id: 'a', birth_date: '1990-01-01' }, { id: 'b' }] }, line: 2, memberLines: [2, 4] }]);
    expect(bytes).toEqual(whole);

    const u = join(tmp, 'unknown.csv');
    writeFileSync(u, 'household_id,colour\nh,red\n');
    await expect(collect(readCsv(u))).rejects.toThrow(LoaderError);
  });

  it('flat CSV export round-trips through the loader and the simulation', async () => {
    const hs = [...generatePopulation({ preset: 'dawukou', seed: 5, households: 200, asOf: '2024-06-01' })];
    const f = join(tmp, 'pop.csv');
    writeFileSync(f, [FLAT_HEADER, ...hs.flatMap((h) => toFlatCsvRows(h))].join('\n') + '\n');
    const fromCsv = await runSimulation(req({ file: f }), { threads: 1 });
    const fromList = await runSimulation(req({ households: hs }), { threads: 1 });
    expect(fromCsv.population.invalid).toBe(0);
    expect(fromCsv.totals).toEqual(fromList.totals);
    expect(fromCsv.by_category).toEqual(fromList.by_category);
  });
});

describe('runs', () => {
  it('reports progress and can be cancelled (in this thread)', async () => {
    const ac = new AbortController();
    const seen: number[] = [];
    const run = runSimulation(req({ generate: { preset: 'dawukou', households: 200_000, seed: 1 } }), {
      threads: 1, signal: ac.signal, onProgress: (p) => { seen.push(p.done); if (p.done >= 2048) ac.abort(); },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen.length).toBeGreaterThan(0);
  });

  const worker = defaultWorkerScript();
  it.skipIf(!worker)('worker threads give exactly the in-thread result (generated, JSON Lines, CSV)', async () => {
    const gen = req({ generate: { preset: 'zhongwei', households: 3000, seed: 9 } });
    const one = await runSimulation(gen, { threads: 1 });
    const seen: { done: number; total: number | null }[] = [];
    const two = await runSimulation(gen, { threads: 2, minForWorkers: 0, chunk: 500, onProgress: (p) => seen.push(p) });
    expect(two.run.threads).toBe(2);
    expect(seen[seen.length - 1]).toMatchObject({ done: 3000, total: 3000, fraction: 1 });
    expect(stable(two)).toEqual(stable(one));
    for (const file of ['hand.jsonl', 'hand.csv']) {
      const a = await runSimulation(req({ file: fx(file) }), { threads: 1 });
      const b = await runSimulation(req({ file: fx(file) }), { threads: 2, minForWorkers: 0, chunk: 3 });
      expect(b.run.threads).toBe(2);
      expect(stable(b)).toEqual(stable(a));
    }
  });

  it.skipIf(!worker)('worker runs can be cancelled', async () => {
    const ac = new AbortController();
    const run = runSimulation(req({ generate: { preset: 'dawukou', households: 2_000_000, seed: 1 } }), {
      threads: 2, signal: ac.signal, onProgress: (p) => { if (p.done > 0) ac.abort(); },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a policy that does not compile is refused before any work, in each language apart', async () => {
    await expect(runSimulation({ ...req({ households: [] }), candidate: { source: '政策 x「x」\n输出 = ' } })).rejects.toMatchObject({
      name: 'SimulationError',
      text: { zh: '草稿政策无法编译', en: 'the candidate policy does not compile' },
      message: '草稿政策无法编译 / the candidate policy does not compile',
    });
  });

  it('worker script resolution', () => {
    const w = defaultWorkerScript();
    if (w) expect(existsSync(w)).toBe(true);
  });
});
