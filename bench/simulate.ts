// npm run bench:simulate — impact-analysis throughput and memory: a generated dawukou
// population evaluated under dawukou-dibao v1 (baseline) and v2 (candidate), at 100k and 1M
// households, each size in a fresh child process so that its peak RSS is its own.
// Target (issue 7): 1M households in under 10 s on 2 cores; memory flat between 100k and 1M.
//   node dist/bench/simulate.js [--sizes 100000,1000000] [--file] [--threads N]
//   --file also streams the same population from a JSON Lines file (written to a temp folder).
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePopulation, runSimulation, type PopulationSpec } from '../simulation/index.js';
import { repoRoot } from '../base/repo-root.js';
import { setupLine } from './lib/system.js';

const AS_OF = '2024-06-01';
const SEED = 2024;

interface One { households: number; input: string; wall_s: number; per_s: number; cpu_s: number; per_cpu_s: number; peak_rss_mb: number; threads: number; recipients: string; load: number }

function policies(): { baseline: string; candidate: string; modules: Record<string, string>; name: string } {
  const root = repoRoot();
  const modules = { 'common/household': readFileSync(join(root, 'policies', 'common', 'household.policy'), 'utf8') };
  const v1 = join(root, 'policies', 'dawukou-dibao', 'v1', 'policy.policy');
  const v2 = join(root, 'policies', 'dawukou-dibao', 'v2', 'policy.policy');
  if (existsSync(v1) && existsSync(v2)) return { baseline: readFileSync(v1, 'utf8'), candidate: readFileSync(v2, 'utf8'), modules, name: 'dawukou-dibao v1 → v2' };
  const ex = readFileSync(join(root, 'examples', 'dibao', 'policy.policy'), 'utf8');
  return { baseline: ex, candidate: ex, modules, name: 'examples/dibao (dawukou-dibao not found)' };
}

/** One measured run in this process (the child). */
async function one(n: number, file: string | undefined, threads: number | undefined): Promise<One> {
  const p = policies();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 25);
  const population: PopulationSpec = file ? { file } : { generate: { preset: 'dawukou', households: n, seed: SEED } };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await runSimulation({ baseline: { source: p.baseline, label: 'v1' }, candidate: { source: p.candidate, label: 'v2' }, modules: p.modules, asOf: AS_OF, population },
    threads ? { threads } : {});
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  return {
    households: r.population.households, input: file ? 'JSON Lines file' : 'generated', wall_s: wall, per_s: r.population.households / wall,
    cpu_s: cpuS, per_cpu_s: r.population.households / cpuS, peak_rss_mb: peak / 2 ** 20, threads: r.run.threads,
    recipients: `${r.totals.baseline.recipient_households} → ${r.totals.candidate.recipient_households}`, load: loadavg()[0]!,
  };
}

function writeJsonl(n: number, file: string): void {
  const fd = openSync(file, 'w');
  let buf: string[] = [];
  for (const h of generatePopulation({ preset: 'dawukou', seed: SEED, households: n, asOf: AS_OF })) {
    buf.push(JSON.stringify(h));
    if (buf.length >= 5000) { writeSync(fd, buf.join('\n') + '\n'); buf = []; }
  }
  if (buf.length) writeSync(fd, buf.join('\n') + '\n');
  closeSync(fd);
}

const k = (x: number) => (x >= 1e6 ? `${(x / 1e6).toFixed(x % 1e6 ? 1 : 0)}M` : `${Math.round(x / 1e3)}k`);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const threads = opt('--threads') ? Number(opt('--threads')) : undefined;
  if (args[0] === '--one') {
    const r = await one(Number(args[1]), opt('--input'), threads);
    process.stdout.write(JSON.stringify(r) + '\n');
    return;
  }
  const sizes = (opt('--sizes') ?? '100000,1000000').split(',').map(Number).filter((x) => x > 0);
  const withFile = args.includes('--file');
  const self = fileURLToPath(import.meta.url);
  console.log(`simulate benchmark: ${policies().name}, preset dawukou, seed ${SEED}, as of ${AS_OF}`);
  console.log(setupLine());
  const rows: One[] = [];
  const tmp = withFile ? mkdtempSync(join(tmpdir(), 'bench-sim-')) : undefined;
  try {
    for (const n of sizes) {
      const cases: (string | undefined)[] = [undefined];
      if (tmp) { const f = join(tmp, `pop-${n}.jsonl`); writeJsonl(n, f); cases.push(f); }
      for (const input of cases) {
        const child = spawnSync(process.execPath, [self, '--one', String(n), ...(input ? ['--input', input] : []), ...(threads ? ['--threads', String(threads)] : [])], { encoding: 'utf8', maxBuffer: 1 << 20 });
        if (child.status !== 0) { console.error(child.stderr); process.exitCode = 1; continue; }
        rows.push(JSON.parse(child.stdout.trim().split('\n').pop()!) as One);
      }
    }
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
  const head = ['households', 'input', 'threads', 'wall s', 'households/s', 'CPU s', 'households/CPU-s', 'peak RSS MB', 'recipients v1 → v2', 'load'];
  const body = rows.map((r) => [k(r.households), r.input, String(r.threads), r.wall_s.toFixed(2), Math.round(r.per_s).toLocaleString('en'), r.cpu_s.toFixed(2),
    Math.round(r.per_cpu_s).toLocaleString('en'), r.peak_rss_mb.toFixed(0), r.recipients, r.load.toFixed(1)]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  console.log('');
  console.log(head.map((h, i) => h.padEnd(w[i]!)).join('  '));
  for (const b of body) console.log(b.map((c, i) => c.padEnd(w[i]!)).join('  '));
  const gen = rows.filter((r) => r.input === 'generated');
  const big = gen.find((r) => r.households >= 1_000_000), small = gen.find((r) => r.households < 1_000_000);
  if (big) {
    // CPU-bound: with both cores free the wall time is about the CPU time over the cores used.
    const ideal = big.cpu_s / Math.max(1, big.threads);
    console.log(`\n1M households: ${big.wall_s.toFixed(1)} s wall (target < 10 s on 2 cores: ${big.wall_s < 10 ? 'met' : 'NOT met'}); `
      + `${big.cpu_s.toFixed(1)} CPU-s → ≈ ${ideal.toFixed(1)} s on ${big.threads} idle cores (load avg during the run: ${big.load.toFixed(1)})`);
  }
  if (big && small) console.log(`memory: peak RSS ${small.peak_rss_mb.toFixed(0)} MB at ${k(small.households)} vs ${big.peak_rss_mb.toFixed(0)} MB at ${k(big.households)} (×${(big.peak_rss_mb / small.peak_rss_mb).toFixed(2)} for ×${(big.households / small.households).toFixed(0)} households)`);
}

void main();
