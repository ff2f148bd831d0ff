// policy monitor import <file> --effective-from D | run --as-of D [--wait] | status [<run>] |
//                list <run> <list> [--policy P] [--county C] | export <run> <list> --format csv|xlsx --out FILE
// Dynamic monitoring on a server (docs/monitoring.md): the file is streamed to the server as it
// is read, and an export is written to its file as it arrives.
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CliError, oneOf, parse, UsageError } from '../args.js';
import { Client, errorLines, type ApiResponse } from '../client.js';
import { formatOf } from '../../simulation/loader.js';
import { HELP } from '../help.js';
import { err, out } from '../output.js';

const LISTS = ['newly_eligible', 'no_longer_eligible', 'amount_changed', 'exit_within_30', 'exit_within_60', 'flags'] as const;

function fail(res: ApiResponse): number {
  err('policy monitor:');
  for (const l of errorLines(res)) err(`  ${l}`);
  return 1;
}

/** A request whose body or answer is a stream (fetch directly: Client speaks JSON only). */
async function raw(client: Client, key: string | undefined, method: string, path: string, init: { body?: Readable; type?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (key) headers.Authorization = `Bearer ${key}`;
  if (init.type) headers['Content-Type'] = init.type;
  try {
    return await fetch(`${client.base}${path}`, { method, headers, body: init.body ? (Readable.toWeb(init.body) as ReadableStream) : undefined, duplex: 'half' } as RequestInit);
  } catch (e) {
    throw new CliError(`${client.base}: 无法连接服务器 / cannot reach the server (${(e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name})`);
  }
}

async function asApi(res: Response): Promise<ApiResponse> {
  const text = await res.text();
  let body: unknown;
  try { body = text ? JSON.parse(text) : undefined; } catch { body = { error: { message: text.slice(0, 200) } }; }
  return { status: res.status, headers: res.headers, body };
}

function progressLine(r: { id: string; as_of: string; status: string; progress: { households_done: number; households_total: number } }): string {
  return `${r.id}  ${r.as_of}  ${r.status}  ${r.progress.households_done}/${r.progress.households_total}`;
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parse('monitor', args, {
    server: { type: 'string' }, key: { type: 'string' }, 'effective-from': { type: 'string' }, 'as-of': { type: 'string' }, wait: { type: 'boolean' },
    format: { type: 'string' }, out: { type: 'string' }, policy: { type: 'string' }, county: { type: 'string' },
  });
  if (values.help) { out(HELP.monitor); return 0; }
  const [action, ...rest] = positionals;
  const server = values.server ?? process.env.POLICY_SERVER;
  if (!server) throw new UsageError('缺少 --server（或环境变量 POLICY_SERVER）/ --server URL is required (or POLICY_SERVER)', 'monitor');
  const key = values.key ?? process.env.POLICY_API_KEY;
  const client = new Client(server, key);
  const filters = () => { const q = new URLSearchParams(); if (values.policy) q.set('policy', values.policy); if (values.county) q.set('county', values.county); return q; };

  switch (action) {
    case 'import': {
      const [file] = rest;
      if (!file || rest.length > 1) throw new UsageError('policy monitor import <file.jsonl|file.csv> --effective-from YYYY-MM-DD', 'monitor');
      if (!values['effective-from']) throw new UsageError('缺少 --effective-from / --effective-from YYYY-MM-DD is required', 'monitor');
      const type = formatOf(file) === 'csv' ? 'text/csv' : 'application/x-ndjson';
      const res = await asApi(await raw(client, key, 'POST', `/api/registry/import?effective_from=${encodeURIComponent(values['effective-from'])}`, { body: createReadStream(file), type }));
      if (res.status !== 200) return fail(res);
      const b = res.body as { households: number; created: number; updated: number };
      out(`导入 ${b.households} 户（新增 ${b.created}，更新 ${b.updated}）/ imported ${b.households} households (${b.created} new, ${b.updated} updated)`);
      return 0;
    }
    case 'run': {
      if (!values['as-of']) throw new UsageError('缺少 --as-of / --as-of YYYY-MM-DD is required', 'monitor');
      const res = await client.request<Parameters<typeof progressLine>[0]>('POST', '/api/monitor/runs', { as_of: values['as-of'] });
      if (res.status !== 202) return fail(res);
      let r = res.body;
      out(progressLine(r));
      while (values.wait && r.status === 'running') {
        await new Promise((ok) => setTimeout(ok, 500));
        const again = await client.request<typeof r>('GET', `/api/monitor/runs/${r.id}`);
        if (again.status !== 200) return fail(again);
        r = again.body;
        err(progressLine(r));
      }
      if (values.wait) out(progressLine(r));
      return r.status === 'running' || r.status === 'done' ? 0 : 1;
    }
    case 'status': {
      const [id] = rest;
      const res = await client.request<Record<string, unknown>>('GET', id ? `/api/monitor/runs/${encodeURIComponent(id)}` : '/api/monitor/runs');
      if (res.status !== 200) return fail(res);
      out(JSON.stringify(res.body, null, 2));
      return 0;
    }
    case 'list': {
      const [id, list] = rest;
      if (!id || !list) throw new UsageError(`policy monitor list <run> <${LISTS.join('|')}>`, 'monitor');
      const q = filters();
      q.set('limit', '1000');
      for (;;) {
        const res = await client.request<{ rows: unknown[]; next_cursor: string | null }>('GET', `/api/monitor/runs/${encodeURIComponent(id)}/lists/${encodeURIComponent(list)}?${q}`);
        if (res.status !== 200) return fail(res);
        if (res.body.rows.length) out(res.body.rows.map((r) => JSON.stringify(r)).join('\n'));
        if (!res.body.next_cursor) return 0;
        q.set('cursor', res.body.next_cursor);
      }
    }
    case 'export': {
      const [id, list] = rest;
      if (!id || !list) throw new UsageError(`policy monitor export <run> <${LISTS.join('|')}> --format csv|xlsx --out FILE`, 'monitor');
      const format = oneOf('monitor', 'format', values.format, ['csv', 'xlsx'] as const, 'csv');
      if (!values.out) throw new UsageError('缺少 --out / --out FILE is required', 'monitor');
      const q = filters();
      q.set('format', format);
      const res = await raw(client, key, 'GET', `/api/monitor/runs/${encodeURIComponent(id)}/lists/${encodeURIComponent(list)}/export?${q}`);
      if (res.status !== 200) return fail(await asApi(res));
      await pipeline(Readable.fromWeb(res.body! as import('node:stream/web').ReadableStream), createWriteStream(values.out));
      err(`已写入 / written: ${values.out}`);
      return 0;
    }
    default:
      throw new CliError('policy monitor: 请给出 import、run、status、list 或 export / give import, run, status, list or export', 2);
  }
}
