// The entitlements and programmes curl examples of docs/api.md run as printed, against the
// shipped policies (test/runtime/crash.test.ts runs the earlier blocks by position; these are
// found by the endpoint they call).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../runtime/app.js';
import { openStore } from '../../runtime/server.js';
import { loadModules } from '../../runtime/services/language.js';
import type { LowdbStore } from '../../runtime/store/lowdb-store.js';
import { tempDir } from './helpers.js';

const ROOT = join(import.meta.dirname, '../..');
/** How many programmes policies/ ships (every folder but common/). */
const SHIPPED = readdirSync(join(ROOT, 'policies'), { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'common').length;
const blocks = [...readFileSync(join(ROOT, 'docs/api.md'), 'utf8').matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
const printed = (path: string) => {
  const found = blocks.filter((b) => b.includes(path));
  expect(found, path).toHaveLength(1);
  return found[0]!;
};

let server: Server, url: string, store: LowdbStore;
beforeAll(async () => {
  const modules = loadModules(join(ROOT, 'policies'));
  ({ store } = await openStore(tempDir('ent-docs-'), join(ROOT, 'policies'), modules));
  const app = createApp({ store, modules, log: () => undefined, studioDir: null });   // local open mode: API_KEY may stay empty
  await new Promise<void>((ok) => { server = app.listen(0, '127.0.0.1', () => ok()); });
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}, 60_000);
afterAll(async () => { await new Promise((ok) => server.close(ok)); await store.close(); });

/** Runs a block asynchronously (the server is in this process: a synchronous spawn would block it). */
function run(script: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((ok) => {
    const child = spawn('bash', ['-eo', 'pipefail', '-c', script.replaceAll('http://127.0.0.1:3000', url)], { cwd: tempDir('ent-docs-cwd-'), env: { PATH: process.env.PATH, API_KEY: '' } });
    let out = '', err = '';
    child.stdout.on('data', (d: Buffer) => { out += d; });
    child.stderr.on('data', (d: Buffer) => { err += d; });
    child.on('close', (code) => ok({ code, out, err }));
  });
}

describe('docs/api.md: entitlements examples', () => {
  it('POST /api/entitlements as printed: Hongsibu by the pilot, 720.00 a month', async () => {
    const r = await run(printed('/api/entitlements \\'));
    expect(r.code, r.out + r.err).toBe(0);
    const a = JSON.parse(r.out);
    // rural 5520 ÷ 12 = 460; per capita 200 ÷ 2 = 100; (460 − 100) × 2 = 720.00; × 12 = 8640.00
    expect(a).toMatchObject({ household_id: 'hsb-1', routed: true, recorded: true,
      jurisdiction: { code: '640303', name: '红寺堡区', basis: { rule: 'hongsibu_residence_pilot', source: '000 第1条' } },
      totals: { monthly_cash: '720.00', yearly_cash: '8640.00', one_off_cash: '0.00' } });
    expect(a.programmes.map((p: { policy: string }) => p.policy).sort()).toEqual(['hongsibu-dibao', 'hongsibu-services']);
  }, 60_000);

  it('POST /api/entitlements/batch as JSON Lines as printed: ow-01 decided on its line, a broken line, the trailer', async () => {
    const r = await run(printed('/api/entitlements/batch?as_of'));
    expect(r.code, r.out + r.err).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toEqual({ as_of: '2024-06-01', recorded: true });
    // policies/one-window.yaml ow-01: dibao 480.00 + subsidies 230.00 (m1 has a capable supporter: no 特困) = 710.00; × 12 = 8520.00
    expect(lines[1]).toMatchObject({ line: 1, household_id: 'ow-01', totals: { monthly_cash: '710.00', yearly_cash: '8520.00' } });
    expect(lines[1].programmes.find((p: { policy: string }) => p.policy === 'dawukou-disability-subsidies').outputs.monthly_amount).toBe('230.00');
    expect(lines[2]).toMatchObject({ line: 2, household_id: null, error: { code: 'line.invalid_json', message_zh: '第 2 行：不是合法的 JSON' } });
    expect(lines[3]).toEqual({ done: true, lines: 2, results: 2, error_count: 1 });
  }, 60_000);

  it('GET /api/programmes as printed', async () => {
    const r = await run(printed('/api/programmes'));
    expect(r.code, r.out + r.err).toBe(0);
    const a = JSON.parse(r.out);
    expect(a.as_of).toBe('2024-06-01');
    expect(a.programmes).toHaveLength(SHIPPED);
    expect(a.programmes.find((p: { policy: string }) => p.policy === 'hongsibu-dibao')).toMatchObject({ jurisdiction: { code: '640303' }, in_force: 1 });
  }, 30_000);
});
