#!/usr/bin/env node
// The README's test command: builds what the browser and CLI tests need, runs every vitest
// suite (unit, component, HTTP, CLI, browser), and ends with one plain line
// "N passed, N failed" counting all of them together.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';

const results = '.test-results';
mkdirSync(results, { recursive: true });

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

let passed = 0;
let failed = 0;

/**
 * The SQL modes of this run: the embedded store (PGlite) always; a PostgreSQL server as well
 * when DATABASE_URL is set, or when one answers on 127.0.0.1:5432 — then in a fresh database
 * made for this run (and dropped after it), so the store tests run against both.
 */
async function postgres() {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, drop: async () => undefined };
  let pg;
  try { pg = (await import('pg')).default; } catch { return null; }
  const admin = 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `studio_test_${Date.now().toString(36)}_${process.pid}`;
  const run = async (sql) => {
    const c = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 2000 });
    await c.connect();
    try { await c.query(sql); } finally { await c.end(); }
  };
  try { await run(`CREATE DATABASE ${name}`); } catch { return null; }
  return { url: `postgres://postgres@127.0.0.1:5432/${name}`, drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined) };
}

if (run('npm', ['run', '--silent', 'build']) !== 0) {
  console.error('build failed');
  failed += 1;
} else {
  const server = await postgres();
  console.log(server
    ? `SQL store tests: embedded (PGlite) and PostgreSQL server (${server.url.replace(/\/\/[^@/]*@/, '//')})`
    : 'SQL store tests: embedded (PGlite) only — no PostgreSQL at 127.0.0.1:5432 and no DATABASE_URL');
  const env = server ? { DATABASE_URL: server.url } : {};
  const filters = process.argv.slice(2);
  // Two phases on a 2-core machine. Most files wait on child processes, servers and SQL, so
  // two at once halve the wall time. The files below measure CPU budgets (a policy cut off
  // after 250 ms of CPU, a server that must answer while a worker spins) or drive Chromium
  // with step timeouts: a second file competing for the same cores would make them flaky,
  // so they run afterwards, one at a time. With filters given, one run as asked.
  const serial = ['test/e2e/', 'test/security/bounded-', 'test/security/dsl-b1-ratio', 'test/security/dsl-b2-doubling', 'test/security/jobs-b12', 'test/runtime/fuzz'];
  const phases = filters.length > 0
    ? [{ name: 'vitest', args: filters }]
    : [
      { name: 'vitest-parallel', args: ['--maxWorkers=2', ...serial.map((f) => `--exclude=${f}*`), ...serial.map((f) => `--exclude=${f}**`)] },
      { name: 'vitest-serial', args: ['--maxWorkers=1', ...serial] },
    ];
  let status = 0;
  for (const phase of phases) {
    const jsonFile = `${results}/${phase.name}.json`;
    rmSync(jsonFile, { force: true });
    console.log(`\n$ vitest run ${phase.args.join(' ')}`);
    const st = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${jsonFile}`, ...phase.args], env);
    if (st !== 0) status = st;
    if (!existsSync(jsonFile)) { failed += 1; continue; }
    const report = JSON.parse(readFileSync(jsonFile, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += (report.numFailedTests ?? 0) + (report.numRuntimeErrorTests ?? 0);
    // A suite that fails to load has no test results; count it so it cannot hide.
    for (const suite of report.testResults ?? []) {
      if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) failed += 1;
    }
  }
  await server?.drop();
  if (status !== 0 && failed === 0) failed += 1;

  // Testers run the shipped suites through the CLI, as their own CI would: one check.
  console.log('\n$ policy test policies/ --reporter junit --output .test-results/policies-junit.xml');
  const cli = run('node', ['dist/cli/main.js', 'test', 'policies/', '--reporter', 'junit', '--output', `${results}/policies-junit.xml`], { NO_COLOR: '1' });
  if (cli === 0) passed += 1; else failed += 1;
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
