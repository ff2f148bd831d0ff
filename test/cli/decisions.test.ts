// policy decisions show | replay | export against the real runtime (node dist/runtime/server.js)
// with its embedded SQL store: decisions made over HTTP come back as JSON and JSON Lines.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, fixtures, requireBuild, startServer, type Server } from './helpers.js';

let server: Server;
const ids: string[] = [];

beforeAll(async () => {
  requireBuild();
  // the embedded store of this server alone (not a DATABASE_URL other test servers share)
  server = await startServer({ DATABASE_URL: '' });
  expect((await cli(['publish', `${fixtures}/good/dibao`, '--server', server.url, '--note', '首次发布'])).code).toBe(0);
  const household = JSON.parse(readFileSync(`${fixtures}/households/urban3.json`, 'utf8')) as Record<string, unknown>;
  for (const as_of of ['2024-06-01', '2024-07-01']) {
    const r = await fetch(`${server.url}/api/policies/example-dibao/evaluate`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ household, as_of, trace: false }) });
    expect(r.status).toBe(200);
    ids.push(r.headers.get('decision-id')!);
  }
}, 120_000);
afterAll(async () => { await server?.stop(); });

describe('policy decisions', () => {
  it('export writes every decision as one JSON line, newest first', async () => {
    const r = await cli(['decisions', 'export', '--server', server.url]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; as_of: string; policy: string });
    expect(lines.map((l) => [l.id, l.as_of, l.policy])).toEqual([[ids[1], '2024-07-01', 'example-dibao'], [ids[0], '2024-06-01', 'example-dibao']]);
    // decisions made today are not before yesterday
    const none = await cli(['decisions', 'export', '--server', server.url, '--to', '2000-01-01']);
    expect([none.code, none.stdout]).toEqual([0, '']);
  });

  it('show prints the record; replay says identical (exit 0); an unknown id is exit 1 with the server\'s error', async () => {
    const show = await cli(['decisions', 'show', ids[0]!, '--server', server.url]);
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({ id: ids[0], policy: 'example-dibao', version: 1, as_of: '2024-06-01', household: { id: expect.any(String) } });
    const replay = await cli(['decisions', 'replay', ids[0]!, '--server', server.url]);
    expect(replay.code).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ decision_id: ids[0], identical: true });
    const missing = await cli(['decisions', 'show', '0190a000-0000-7000-8000-000000000000', '--server', server.url]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('decision.not_found');
  });

  it('wrong usage is exit 2', async () => {
    expect((await cli(['decisions', 'export'])).code).toBe(2);
    expect((await cli(['decisions', 'frobnicate', '--server', server.url])).code).toBe(2);
    expect((await cli(['decisions', 'show', ids[0]!, '--under', 'current', '--server', server.url])).code).toBe(2);
  });
});
