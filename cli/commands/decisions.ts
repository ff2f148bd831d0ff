// policy decisions show <id> | replay <id> [--under current] | export [--from D] [--to D] [--policy P] [--household H]
// Reads decision records from a server (GET /api/decisions…). export writes JSON Lines, one
// record a line, newest first, following the server's pages (cursor) to the end.
import { CliError, parse, UsageError } from '../args.js';
import { Client, errorLines, type ApiResponse } from '../client.js';
import { HELP } from '../help.js';
import { err, out } from '../output.js';

const PAGE = 1000;

function fail(res: ApiResponse): number {
  err('policy decisions:');
  for (const l of errorLines(res)) err(`  ${l}`);
  return 1;
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parse('decisions', args, {
    server: { type: 'string' }, key: { type: 'string' }, under: { type: 'string' },
    from: { type: 'string' }, to: { type: 'string' }, policy: { type: 'string' }, household: { type: 'string' },
  });
  if (values.help) { out(HELP.decisions); return 0; }
  const [action, id, ...extra] = positionals;
  const server = values.server ?? process.env.POLICY_SERVER;
  if (!server) throw new UsageError('缺少 --server（或环境变量 POLICY_SERVER）/ --server URL is required (or POLICY_SERVER)', 'decisions');
  if (extra.length) throw new UsageError(`多余的参数 / unexpected arguments: ${extra.join(' ')}`, 'decisions');
  const client = new Client(server, values.key ?? process.env.POLICY_API_KEY);

  if (action === 'show' || action === 'replay') {
    if (!id) throw new UsageError(`policy decisions ${action} <decision id>`, 'decisions');
    if (values.under !== undefined && (action !== 'replay' || values.under !== 'current')) throw new UsageError('--under current 仅用于 replay / --under current is for replay only', 'decisions');
    const path = `/api/decisions/${encodeURIComponent(id)}${action === 'replay' ? `/replay${values.under ? '?under=current' : ''}` : ''}`;
    const res = await client.request<Record<string, unknown>>(action === 'show' ? 'GET' : 'POST', path);
    if (res.status !== 200) return fail(res);
    out(JSON.stringify(res.body, null, 2));
    // a same-version replay that differs is a defect: say so by the exit code
    return action === 'replay' && res.body.identical === false ? 1 : 0;
  }
  if (action === 'export') {
    if (id) throw new UsageError(`多余的参数 / unexpected argument: ${id}`, 'decisions');
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (values.from) q.set('from', values.from);
    if (values.to) q.set('to', values.to);
    if (values.policy) q.set('policy', values.policy);
    if (values.household) q.set('household_id', values.household);
    for (;;) {
      const res = await client.request<{ decisions: unknown[]; next_cursor: string | null }>('GET', `/api/decisions?${q}`);
      if (res.status !== 200) return fail(res);
      if (res.body.decisions.length) out(res.body.decisions.map((d) => JSON.stringify(d)).join('\n'));
      if (!res.body.next_cursor) return 0;
      q.set('cursor', res.body.next_cursor);
    }
  }
  throw new CliError(`policy decisions: 请给出 show、replay 或 export / give show, replay or export`, 2);
}
