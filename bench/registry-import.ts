// Issue 16: a registry of 100,000 generated households imported over HTTP and with the CLI, into
// the real built server (embedded store, its own data folder). The households are the simulation
// generator's dawukou preset, written once as JSON Lines; the HTTP import streams the file as the
// request body, the CLI import (`policy monitor import`, a child process) streams it again under a
// later date, so every id gets a second dated version. Checked: both answers count every household
// (created, then updated), and one household's history holds both versions.
//   node dist/bench/registry-import.js [--households N]
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { generatePopulation } from '../simulation/generator.js';
import { startServer } from './lib/studio-server.js';
import { repoRoot } from '../base/repo-root.js';
import { now, setupLine } from './lib/system.js';

const KEY = 'bench-admin-key';

async function writeHouseholds(file: string, n: number): Promise<void> {
  const out = createWriteStream(file);
  for (const h of generatePopulation({ preset: 'dawukou', households: n, seed: 16, asOf: '2024-07-01' })) {
    if (!out.write(JSON.stringify(h) + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  out.end();
  await finished(out);
}

async function main() {
  const { values } = parseArgs({ options: { households: { type: 'string', default: '100000' } } });
  const n = Number(values.households);
  console.log(`# Registry import over HTTP and the CLI (issue 16)\n${setupLine({ households: n })}`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-registry-'));
  const file = join(dir, 'households.jsonl');
  const server = await startServer({ API_KEYS: `bench=${KEY}:admin` }, { root: repoRoot() });
  try {
    let t = now();
    await writeHouseholds(file, n);
    console.log(`generated ${n} households, ${(statSync(file).size / 1e6).toFixed(1)} MB of JSON Lines, in ${((now() - t) / 1000).toFixed(1)} s`);

    t = now();
    const res = await fetch(`${server.url}/api/registry/import?effective_from=2024-01-01`, {
      method: 'POST', headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/x-ndjson' },
      body: Readable.toWeb(createReadStream(file)) as ReadableStream, duplex: 'half',
    } as RequestInit & { duplex: 'half' });
    const http = await res.json() as { households?: number; created?: number; updated?: number };
    const httpMs = now() - t;
    const httpOk = res.status === 200 && http.households === n && http.created === n;
    console.log(`HTTP import: ${res.status}, ${http.households} households (${http.created} new) in ${(httpMs / 1000).toFixed(1)} s = ${Math.round(n / (httpMs / 1000))} households/s: ${httpOk ? 'ok' : 'FAILED ' + JSON.stringify(http).slice(0, 300)}`);

    t = now();
    const cli = spawnSync(process.execPath, [join(repoRoot(), 'dist/cli/main.js'), 'monitor', 'import', file, '--effective-from', '2024-03-01', '--server', server.url, '--key', KEY], { encoding: 'utf8' });
    const cliMs = now() - t;
    const cliOk = cli.status === 0 && cli.stdout.includes(`imported ${n} households (0 new, ${n} updated)`);
    console.log(`CLI import (policy monitor import): exit ${cli.status}, in ${(cliMs / 1000).toFixed(1)} s = ${Math.round(n / (cliMs / 1000))} households/s: ${cliOk ? 'ok' : 'FAILED ' + (cli.stdout + cli.stderr).slice(0, 300)}`);

    const last = `DWK${String(n).padStart(7, '0')}`;
    const hist = await (await fetch(`${server.url}/api/registry/households/${last}`, { headers: { Authorization: `Bearer ${KEY}` } })).json() as { versions?: { effective_from: string }[] };
    const dates = (hist.versions ?? []).map((v) => v.effective_from).join(', ');
    const histOk = dates === '2024-01-01, 2024-03-01';
    console.log(`history of ${last}: ${dates}: ${histOk ? 'ok' : 'FAILED ' + JSON.stringify(hist).slice(0, 300)}`);
    if (!(httpOk && cliOk && histOk)) process.exitCode = 1;
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
