// policy monitor against a real server (the built CLI and runtime, as the other CLI tests run
// them): import a file, run, list and export. Households as in dawukou-lists.test.ts: two
// 40-year-olds in 大武口区 with income 1000 and not enrolled → newly eligible at 300.00.
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, requireBuild, root, startServer, tempDir, type Server } from '../cli/helpers.js';
import { KEYS, jsonl } from './helpers.js';

const hh = (id: string, income: number) => ({ id, area: 'urban', county: '大武口区', members: [{ id: 'a', birth_date: '1984-01-01', income_monthly: income }, { id: 'b', birth_date: '1984-01-01' }] });

let server: Server;
let dir: string;
beforeAll(async () => {
  requireBuild();
  dir = tempDir('monitor-cli-');
  // only what these households need (seeding all thirteen programmes takes longer than the server's start-up wait)
  for (const p of ['common', 'dawukou-dibao']) cpSync(join(root, 'policies', p), join(dir, 'policies', p), { recursive: true });
  server = await startServer({ API_KEYS: KEYS, POLICIES_DIR: join(dir, 'policies'), DATABASE_URL: '' }, { timeoutMs: 100_000 });
}, 120_000);
afterAll(async () => { await server.stop(); });

const monitor = (...args: string[]) => cli(['monitor', ...args, '--server', server.url, '--key', 'editor-key']);

describe('policy monitor', () => {
  it('imports, runs, lists and exports', async () => {
    const file = join(dir, 'registry.jsonl');
    writeFileSync(file, jsonl([hh('K1', 1000), hh('K2', 2000), hh('K3', 1000)]));
    const imported = await monitor('import', file, '--effective-from', '2024-01-01');
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toContain('imported 3 households (3 new, 0 updated)');
    expect(imported.code).toBe(0);

    const ran = await monitor('run', '--as-of', '2024-07-01', '--wait');
    expect(ran.code).toBe(0);
    const last = ran.stdout.trim().split('\n').pop()!;
    expect(last).toMatch(/^[0-9a-f-]{36} {2}2024-07-01 {2}done {2}3\/3$/);
    const id = last.split(' ')[0]!;

    const listed = await monitor('list', id, 'newly_eligible', '--policy', 'dawukou-dibao');
    expect(listed.code).toBe(0);
    expect(listed.stdout.trim().split('\n').map((l) => JSON.parse(l)).map((r: { household_id: string; detail: unknown }) => [r.household_id, r.detail]))
      .toEqual([['K1', { amount: '300.00' }], ['K3', { amount: '300.00' }]]);

    const xlsx = join(dir, 'new.xlsx');
    const exported = await monitor('export', id, 'newly_eligible', '--policy', 'dawukou-dibao', '--format', 'xlsx', '--out', xlsx);
    expect(exported.code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx);
    const sheet = book.getWorksheet('newly_eligible')!;
    expect([2, 3].map((i) => sheet.getRow(i).getCell(1).value)).toEqual(['K1', 'K3']);
    expect(sheet.rowCount).toBe(3);
  }, 120_000);

  it('a bad file is refused with its line and field, exit 1', async () => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, jsonl([hh('B1', 1000), { ...hh('B2', 1000), area: 'city' }]));
    const r = await monitor('import', file, '--effective-from', '2024-01-01');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('registry.import_invalid');
    expect(r.stderr).toContain('line 2: household.area');
  });

  it('names a missing option (exit 2)', async () => {
    const r = await monitor('run');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--as-of');
  });
});
