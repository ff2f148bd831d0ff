// Setup facts every benchmark prints, and the small statistics the benchmarks share.
import { cpus, totalmem, loadavg } from 'node:os';
import { readFileSync } from 'node:fs';

export function cpuModel(): string {
  try {
    const m = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1]!.trim();
  } catch { /* not Linux */ }
  return cpus()[0]?.model ?? 'unknown';
}

/** The CPUs this process may run on (taskset pins the benchmark to one core). */
export function allowedCpus(): string {
  try {
    const m = /Cpus_allowed_list:\s*(.+)/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return m[1]!.trim();
  } catch { /* not Linux */ }
  return 'all';
}

export function setupLine(extra: Record<string, string | number> = {}): string {
  const parts: Record<string, string | number> = {
    node: process.version, cpu: cpuModel(), cores: cpus().length, 'pinned to cpu': allowedCpus(),
    'load avg (1 min)': loadavg()[0]!.toFixed(2),
    'memory GB': Math.round(totalmem() / 2 ** 30), ...extra,
  };
  return Object.entries(parts).map(([k, v]) => `${k}: ${v}`).join(' | ');
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
};
export const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};

export const now = (): number => Number(process.hrtime.bigint()) / 1e6;   // ms

export function fmtRate(x: number): string {
  if (!Number.isFinite(x)) return '—';
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} M/s`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)} k/s`;
  return `${x.toFixed(0)} /s`;
}

export function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const w = head.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0))));
  const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - [...s].reduce((k, ch) => k + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0)));
  const line = (r: string[]) => '| ' + r.map((c, i) => pad(c, w[i]!)).join(' | ') + ' |';
  return [line(cells[0]!), '|' + w.map((n) => '-'.repeat(n + 2)).join('|') + '|', ...cells.slice(1).map(line)].join('\n');
}
