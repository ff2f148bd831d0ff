// policy simulate (cli/commands/simulate.ts), called in-process: the readable report, --json,
// folders of versions, --export, and usage errors.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import YAML from 'yaml';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../cli/commands/simulate.js';
import { UsageError, CliError } from '../../cli/args.js';

const here = dirname(fileURLToPath(import.meta.url));
const fx = (f: string) => join(here, 'fixtures', f);
const tmp = mkdtempSync(join(tmpdir(), 'sim-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => { vi.restoreAllMocks(); });

async function capture(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation(((s: string | Uint8Array) => { stdout += String(s); return true; }) as typeof process.stdout.write);
  const code = await run(args);
  vi.restoreAllMocks();
  return { code, stdout };
}

const hand = ['--baseline', fx('baseline.policy'), '--candidate', fx('candidate.policy'), '--as-of', '2024-06-01', '--threads', '1'];

describe('policy simulate', () => {
  it('prints a readable report (hand-computed figures of test/simulation/aggregate.test.ts)', async () => {
    const r = await capture([...hand, '--population', fx('hand.csv')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('影响分析 / Impact analysis · 评估日 as of 2024-06-01');
    expect(r.stdout).toMatch(/月支出 monthly cost \(元\)\s+2,890\.00\s+2,604\.00\s+-286\.00/);
    expect(r.stdout).toMatch(/年支出 yearly cost \(元\)\s+34,680\.00\s+31,248\.00\s+-3,432\.00/);
    expect(r.stdout).toMatch(/新纳入 enter\s+2\s+3\s+\+157\.50/);
    expect(r.stdout).toContain('line 18 H8: household.members[1].birth_date');
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('--json gives the result object', async () => {
    const r = await capture([...hand, '--population', fx('hand.jsonl'), '--json']);
    const j = JSON.parse(r.stdout);
    expect(j.totals.candidate.monthly_cost).toBe('2604.00');
    expect(j.population.errors[0]).toMatchObject({ line: 8, id: 'H8' });
  });

  it('a folder of versions: baseline = the version in force on --as-of, candidate = the latest; --export round-trips', async () => {
    const out = join(tmp, 'pop.jsonl');
    const gen = await capture(['--baseline', 'policies/dawukou-dibao', '--candidate', 'dawukou-dibao', '--generate', 'dawukou', '--households', '400', '--seed', '3',
      '--as-of', '2021-06-01', '--export', out, '--json', '--threads', '1']);
    const a = JSON.parse(gen.stdout);
    expect(a.baseline).toMatchObject({ policy: 'dawukou-dibao', version: 1 });
    expect(a.candidate).toMatchObject({ policy: 'dawukou-dibao', version: 2 });
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(400);
    const file = await capture(['--baseline', 'policies/dawukou-dibao', '--candidate', 'dawukou-dibao', '--population', out, '--as-of', '2021-06-01', '--json', '--threads', '1']);
    const b = JSON.parse(file.stdout);
    expect(b.totals).toEqual(a.totals);
    expect(b.changes).toEqual(a.changes);
  });

  it('a policy that reads another (引用): the referenced dibao in the folder, in force on --as-of, decided per household', async () => {
    // the Dawukou one-window households (policies/one-window.yaml): dibao for ow-01 and ow-04, not for
    // ow-02 and ow-03; m1 has a level-1 disability in each. v1 (living 100, nursing 80):
    // 180 + 80 + 80 + 180 = 520.00; v2 (110, 120): 230 + 120 + 120 + 230 = 700.00
    const pop = join(tmp, 'ow.jsonl');
    const hs = (YAML.parse(readFileSync('policies/one-window.yaml', 'utf8')) as { household: Record<string, unknown> }[]).map((e) => e.household).filter((h) => h['county'] === '大武口区');
    writeFileSync(pop, hs.map((h) => JSON.stringify(h)).join('\n') + '\n');
    const r = await capture(['--baseline', 'policies/dawukou-disability-subsidies/v1/policy.policy', '--candidate', 'dawukou-disability-subsidies', '--population', pop, '--as-of', '2024-06-01', '--json', '--threads', '1']);
    const j = JSON.parse(r.stdout);
    expect(j.population).toMatchObject({ households: 4, invalid: 0 });
    expect(j.totals.baseline.monthly_cost).toBe('520.00');
    expect(j.totals.candidate.monthly_cost).toBe('700.00');
    expect(j.samples.gained.map((s: { id: string; change: string }) => [s.id, s.change])).toEqual([['ow-01', '50.00'], ['ow-02', '40.00'], ['ow-03', '40.00'], ['ow-04', '50.00']]);
  });

  it('usage errors and missing files', async () => {
    await expect(run(['--baseline', 'x'])).rejects.toThrow(UsageError);
    await expect(run([...hand, '--population', 'a.jsonl', '--generate', 'zhongwei'])).rejects.toThrow(/either/);
    await expect(run([...hand, '--generate', 'mars'])).rejects.toThrow(/zhongwei/);
    await expect(run([...hand, '--population', join(tmp, 'missing.jsonl')])).rejects.toThrow(CliError);
    await expect(run(['--baseline', 'policies/dawukou-dibao', '--candidate', fx('candidate.policy'), '--generate', 'dawukou', '--as-of', '2010-01-01'])).rejects.toThrow(/no version is in force/);
  });
});
