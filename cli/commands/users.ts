// policy users list | add <name> --role R | disable <name> | enable <name> | passwd <name> | role <name> --role R
// Manages the server's accounts (GET/POST /api/users, PUT /api/users/{name}) as an admin: with an
// admin API key (--key), or signed in as an admin account (--user NAME, password in
// POLICY_PASSWORD). A new password is read from POLICY_NEW_PASSWORD or the first line of stdin,
// never from the command line (other users of the machine can read a process's arguments).
import { CliError, parse, UsageError } from '../args.js';
import { Client, errorLines, type ApiResponse } from '../client.js';
import { HELP } from '../help.js';
import { err, out } from '../output.js';

interface UserRow { name: string; role: string; disabled: boolean; created_at: string; created_by: string }

function fail(res: ApiResponse): number {
  err('policy users:');
  for (const l of errorLines(res)) err(`  ${l}`);
  return 1;
}

async function readStdinLine(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('请通过标准输入或 POLICY_NEW_PASSWORD 给出新密码 / give the new password on stdin or in POLICY_NEW_PASSWORD', 'users');
  let text = '';
  for await (const chunk of process.stdin) { text += String(chunk); if (text.includes('\n')) break; }
  return text.split(/\r?\n/)[0] ?? '';
}

const newPassword = async () => process.env.POLICY_NEW_PASSWORD ?? readStdinLine();

/** Signs in as an account; answers the headers later calls carry (cookie and CSRF header). */
async function signIn(client: Client, user: string): Promise<Record<string, string>> {
  const password = process.env.POLICY_PASSWORD;
  if (!password) throw new UsageError('--user 需要环境变量 POLICY_PASSWORD / --user needs POLICY_PASSWORD in the environment', 'users');
  const res = await client.request('POST', '/api/session', { name: user, password }, { 'X-Studio-Request': 'cli' });
  if (res.status !== 200) throw new CliError(`policy users: ${errorLines(res).join('\n  ')}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { Cookie: cookie, 'X-Studio-Request': 'cli' };
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parse('users', args, { server: { type: 'string' }, key: { type: 'string' }, user: { type: 'string' }, role: { type: 'string' } });
  if (values.help) { out(HELP.users); return 0; }
  const [action, name, ...extra] = positionals;
  const server = values.server ?? process.env.POLICY_SERVER;
  if (!server) throw new UsageError('缺少 --server（或环境变量 POLICY_SERVER）/ --server URL is required (or POLICY_SERVER)', 'users');
  if (extra.length) throw new UsageError(`多余的参数 / unexpected arguments: ${extra.join(' ')}`, 'users');
  const client = new Client(server, values.user ? undefined : values.key ?? process.env.POLICY_API_KEY);
  const needName = () => { if (!name) throw new UsageError(`policy users ${action} <name>`, 'users'); return encodeURIComponent(name); };
  const needRole = () => { if (!values.role) throw new UsageError(`policy users ${action} 需要 --role / needs --role (admin, editor, reviewer, tester, client)`, 'users'); return values.role; };
  if (!['list', 'add', 'disable', 'enable', 'passwd', 'role'].includes(action ?? '')) {
    throw new CliError('policy users: 请给出 list、add、disable、enable、passwd 或 role / give list, add, disable, enable, passwd or role', 2);
  }
  // check the usage before asking for anything
  const path = action === 'list' || action === 'add' ? '/api/users' : `/api/users/${needName()}`;
  const role = action === 'add' || action === 'role' ? needRole() : undefined;
  if (action === 'add') needName();
  const headers = values.user ? await signIn(client, values.user) : {};

  if (action === 'list') {
    const res = await client.request<{ users: UserRow[] }>('GET', path, undefined, headers);
    if (res.status !== 200) return fail(res);
    for (const u of res.body.users) out(`${u.name}\t${u.role}\t${u.disabled ? '已停用 disabled' : '启用 enabled'}\t${u.created_at}\t${u.created_by}`);
    return 0;
  }
  const body = action === 'add' ? { name, role, password: await newPassword() }
    : action === 'passwd' ? { password: await newPassword() }
      : action === 'role' ? { role }
        : { disabled: action === 'disable' };
  const res = await client.request<UserRow>(action === 'add' ? 'POST' : 'PUT', path, body, headers);
  if (res.status !== 200 && res.status !== 201) return fail(res);
  out(`${res.body.name}\t${res.body.role}\t${res.body.disabled ? '已停用 disabled' : '启用 enabled'}`);
  return 0;
}
