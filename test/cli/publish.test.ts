// publish and eval --server against the real runtime (node dist/runtime/server.js), started on a
// free port with an empty store in a temporary DATA_DIR.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, fixtures, requireBuild, startServer, tempDir, type Server } from './helpers.js';

let open: Server;
let reviewed: Server;
const tmp = tempDir();
const good = `${fixtures}/good/dibao`;
const hh = (name: string) => `${fixtures}/households/${name}`;

beforeAll(async () => {
  requireBuild();
  [open, reviewed] = await Promise.all([
    startServer(),
    startServer({ API_KEYS: 'ed=ed-key-1:editor,rv=rv-key-1:reviewer,cl=cl-key-1:client' }),
  ]);
});
afterAll(async () => {
  await Promise.all([open?.stop(), reviewed?.stop()]);
  rmSync(tmp, { recursive: true, force: true });
});

describe('policy publish + eval --server (open mode)', () => {
  it('creates and publishes a new policy, then evaluates it on the server like locally', async () => {
    const r = await cli(['publish', good, '--server', open.url, '--note', '首次发布']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('created the policy with this draft');
    expect(r.stdout).toContain('已发布 published example-dibao v1, 生效 effective 2022-01-01');
    const versions = await (await fetch(`${open.url}/api/policies/example-dibao/versions`)).json() as { versions: { version: number; note: string }[] };
    expect(versions.versions.map((v) => [v.version, v.note])).toEqual([[1, '首次发布']]);

    const args = ['--policy', 'example-dibao', '--household', hh('urban3.json'), '--as-of', '2024-06-01'];
    const [table, remote, local] = await Promise.all([
      cli(['eval', ...args, '--server', open.url]),
      cli(['eval', ...args, '--server', open.url, '--json']),
      cli(['eval', ...args.map((a) => (a === 'example-dibao' ? `${good}/policy.policy` : a)), '--json']),
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('政策 example-dibao · v1 · 生效 effective 2022-01-01 · 评估日 as of 2024-06-01');
    expect(table.stdout).toMatch(/monthly_amount {2}月保障金额 {4}1085\.00/);
    expect(JSON.parse(remote.stdout)).toMatchObject({ policy: 'example-dibao', version: 1, as_of: '2024-06-01' });
    expect(JSON.parse(remote.stdout).outputs).toEqual(JSON.parse(local.stdout).outputs);
  });

  it('gives the same field-path errors for a bad household as locally, and names unknown policies', async () => {
    const args = ['--household', hh('bad-fields.json'), '--as-of', '2024-06-01'];
    const [remote, local, unknown] = await Promise.all([
      cli(['eval', '--policy', 'example-dibao', ...args, '--server', open.url]),
      cli(['eval', '--policy', `${good}/policy.policy`, ...args]),
      cli(['eval', '--policy', 'no-such-policy', '--household', hh('urban3.json'), '--server', open.url]),
    ]);
    const paths = (s: string) => [...s.matchAll(/^ +- (household\S*):/gm)].map((m) => m[1]).sort();
    expect(remote.code).toBe(1);
    expect(remote.stderr).toContain(`${hh('bad-fields.json')}: 家庭数据无效 / invalid household`);
    expect(paths(remote.stderr)).toEqual(paths(local.stderr));
    expect(paths(remote.stderr)).toHaveLength(3);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('HTTP 404 policy.not_found');
  });

  it('refuses with the server\'s reasons: failing scenarios, policy errors, an unchanged draft, a wrong effective date', async () => {
    const [failing, broken, same] = await Promise.all([
      cli(['publish', `${fixtures}/failing/dibao`, '--server', open.url, '--note', 'x']),
      cli(['publish', `${fixtures}/broken/dibao`, '--server', open.url, '--note', 'x']),
      // runs after the first test published v1 (tests in a file run in order)
      cli(['publish', good, '--server', open.url, '--note', 'again']),
    ]);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain('服务器拒绝发布 / the server refused to publish');
    expect(failing.stderr).toContain('HTTP 422 publish.refused');
    expect(failing.stderr).toContain('scenarios["失败：金额算错"]');
    expect(failing.stderr).toContain('expected "1000.00", got "1050.00"');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('check.unknown-name');
    expect(same.code).toBe(1);
    expect(same.stderr).toContain('identical to v1');
    const date = await cli(['publish', good, '--server', open.url, '--effective', '2021-06-01', '--note', 'x']);
    expect(date.code).toBe(1);
    expect(date.stderr).toMatch(/- effective_from: .*2022-01-01/);
  });

  it('updates an existing policy\'s draft (GET ETag, PUT If-Match) and publishes v2', async () => {
    const dir = join(tmp, 'v2');
    cpSync(good, dir, { recursive: true });
    const file = join(dir, 'policy.policy');
    writeFileSync(file, readFileSync(file, 'utf8').replace('生效 2022-01-01', '生效 2024-01-01').replace('= 650 元/月', '= 700 元/月'));
    writeFileSync(join(dir, 'scenarios.yaml'), readFileSync(join(dir, 'scenarios.yaml'), 'utf8')
      // 700 − 300 = 400 × 3 = 1200
      .replace('expect: { eligible: true, monthly_amount: "1050.00" }', 'expect: { eligible: true, monthly_amount: "1200.00" }')
      // 700 − 1000/3 = 1100/3; × 3 = 1100; child 10% × 1100/3 = 36.666… → 1136.67
      .replace('"981.67"', '"1136.67"'));
    const r = await cli(['publish', dir, '--server', open.url, '--effective', '2024-01-01', '--note', '城市标准提高到 700 元']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('uploaded the draft');
    expect(r.stdout).toContain('published example-dibao v2, 生效 effective 2024-01-01');
    const [v1, v2] = await Promise.all([
      cli(['eval', '--server', open.url, '--policy', 'example-dibao', '--household', hh('urban3.json'), '--as-of', '2023-06-01', '--json']),
      cli(['eval', '--server', open.url, '--policy', 'example-dibao', '--household', hh('urban3.json'), '--as-of', '2024-06-01', '--json']),
    ]);
    expect(JSON.parse(v1.stdout)).toMatchObject({ version: 1, outputs: { monthly_amount: '1085.00' } });
    expect(JSON.parse(v2.stdout)).toMatchObject({ version: 2, outputs: { monthly_amount: '1240.00' } });
  });
});

describe('policy publish (server with keys and review)', () => {
  it('needs a key (401) with a hint, and an editor role (403)', async () => {
    const [none, client] = await Promise.all([
      cli(['publish', good, '--server', reviewed.url]),
      cli(['publish', good, '--server', reviewed.url], { env: { POLICY_API_KEY: 'cl-key-1' } }),
    ]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('HTTP 401 auth.missing_key');
    expect(none.stderr).toContain('--key KEY');
    expect(client.code).toBe(1);
    expect(client.stderr).toContain('HTTP 403 auth.forbidden');
  });

  it('files a publish request when review is required (202) and prints its id', async () => {
    const r = await cli(['publish', good, '--server', reviewed.url, '--key', 'ed-key-1', '--note', '待审核']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const m = /publish request filed: (\S+)/.exec(r.stdout);
    expect(m).not.toBeNull();
    const list = await (await fetch(`${reviewed.url}/api/policies/example-dibao/publish-requests`, { headers: { Authorization: 'Bearer rv-key-1' } })).json() as { requests: { id: string; status: string }[] };
    expect(list.requests).toContainEqual(expect.objectContaining({ id: m![1], status: 'pending' }));
    expect(r.stdout).toContain(`/publish-requests/${m![1]}/approve`);
  });

  it('says the server cannot be reached, and that a publish needs --server', async () => {
    const [down, noServer] = await Promise.all([
      cli(['publish', good, '--server', 'http://127.0.0.1:9', '--key', 'k']),
      cli(['publish', good]),
    ]);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('http://127.0.0.1:9: 无法连接服务器 / cannot reach the server');
    expect(noServer.code).toBe(2);
    expect(noServer.stderr).toContain('--server URL is required');
  });
});
