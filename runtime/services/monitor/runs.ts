// Monitoring runs as the API sees them: start (for a date, over the whole registry), watch
// (progress from the moment it is created: the chunks exist before the answer goes out),
// cancel, read a list a page at a time, export a list, and the schedule (MONITOR_CRON).
import type { Writable } from 'node:stream';
import type { Principal } from '../../auth.js';
import { uuidv7 } from '../../sql/uuid7.js';
import type { RegistryRepository } from '../../store/registry.js';
import type { ListRow, RunRepository, RunRow } from '../../store/registry-runs.js';
import { isDate } from '../../../dsl/index.js';
import { DomainError } from '../domain-error.js';
import { explanationUrl, writeCsv, writeXlsx, type ExportRow } from './export.js';
import { LIST_LABELS, LISTS, type ListName } from './lists.js';
import { firesAt, type Schedule } from './schedule.js';
import type { MonitorWorker } from './worker.js';

// 2,000 households per chunk: the main thread (claiming, reading, storing) limits a run, and
// half as many chunks cost it ≈ 12 % less CPU (300,000 households: 15.3–16.3k against
// 13.8–15.3k households/s, docs/performance.md); a chunk is still ≈ 0.2 s of work, far inside
// the lease, and 1M households make 500 chunks for the instances to share.
export const DEFAULT_CHUNK_SIZE = 2000;
export const MAX_LIST_PAGE = 1000;
const SCHEDULER: Principal = { name: 'monitor-schedule', role: 'admin', fingerprint: 'monitor-schedule', open: false };

const runNotFound = (id: string) => new DomainError('not_found', 'monitor.run_not_found', `没有监测批次 ${id}`, `No monitoring run ${id}`, [{ path: 'runId', message: id.slice(0, 80) }]);

export interface ListQuery { policy?: string; county?: string; household_id?: string; limit?: string; cursor?: string }

export class MonitorService {
  private timer: NodeJS.Timeout | undefined;
  private lastFired: string | null = null;

  constructor(private readonly runs: RunRepository, private readonly registry: RegistryRepository, readonly worker: MonitorWorker,
    private readonly opts: { chunkSize?: number; log?: (e: Record<string, unknown>) => void } = {}) {}

  async start(asOf: unknown, caller: Principal) {
    if (typeof asOf !== 'string' || !isDate(asOf)) {
      throw new DomainError('invalid', 'request.invalid', 'as_of 应为真实日期 YYYY-MM-DD', 'as_of must be a real date YYYY-MM-DD', [{ path: 'as_of', message: String(asOf ?? '(missing)').slice(0, 40) }]);
    }
    const id = uuidv7();
    const registrySeq = await this.registry.maxSeq();
    const chunks = await this.registry.boundaries(this.opts.chunkSize ?? DEFAULT_CHUNK_SIZE);
    await this.runs.create({
      id, as_of: asOf, created_at: new Date().toISOString(), started_by: caller.name, caller_role: caller.role, caller_key: caller.fingerprint,
      registry_seq: registrySeq, previous_run: await this.runs.previous(asOf), total: chunks.reduce((a, c) => a + c.size, 0),
    }, chunks);
    void this.worker.kick();
    return this.view(id);
  }

  private async row(id: string): Promise<RunRow> {
    const r = /^[0-9a-f-]{36}$/.test(id) ? await this.runs.get(id) : null;
    if (!r) throw runNotFound(id);
    return r;
  }

  /** The run with its progress, and the counts of every list by programme and county. */
  async view(id: string) {
    const r = await this.row(id);
    const chunks = await this.runs.chunkCounts(id);
    const counts = await this.runs.counts(id);
    const lists = Object.fromEntries(LISTS.map((l) => [l, { label: LIST_LABELS[l], total: 0, by_policy: {} as Record<string, number>, by_county: {} as Record<string, number> }]));
    for (const c of counts) {
      const l = lists[c.list];
      if (!l) continue;
      l.total += c.n;
      l.by_policy[c.policy] = (l.by_policy[c.policy] ?? 0) + c.n;
      const county = c.county ?? '';
      l.by_county[county] = (l.by_county[county] ?? 0) + c.n;
    }
    return {
      id: r.id, as_of: r.as_of, status: r.status, created_at: r.created_at, finished_at: r.finished_at, started_by: r.started_by,
      previous_run: r.previous_run,
      progress: { households_total: r.total, households_done: r.done, chunks_total: chunks.total, chunks_done: chunks.done, chunks_running: chunks.running,
        fraction: r.total === 0 ? 1 : r.done / r.total },
      evaluation_errors: r.errors, lists,
    };
  }

  async list(limit = 50) {
    return { runs: (await this.runs.list(limit)).map((r) => ({ id: r.id, as_of: r.as_of, status: r.status, created_at: r.created_at, finished_at: r.finished_at, started_by: r.started_by, households_total: r.total, households_done: r.done })) };
  }

  async cancel(id: string) {
    const r = await this.row(id);
    if (!(await this.runs.cancel(id))) {
      throw new DomainError('conflict', 'monitor.not_running', `监测批次 ${id} 已${r.status === 'done' ? '完成' : '结束'}，不能取消`, `Run ${id} is ${r.status}; only a running run can be cancelled`, [{ path: 'runId', message: r.status }]);
    }
    return this.view(id);
  }

  private listName(list: string): ListName {
    if ((LISTS as readonly string[]).includes(list)) return list as ListName;
    throw new DomainError('not_found', 'monitor.list_not_found', `没有名单 ${list}`, `No list ${list} (lists: ${LISTS.join(', ')})`, [{ path: 'list', message: list.slice(0, 40) }]);
  }

  private static cursor(text: string | undefined): { household_id: string; policy: string } | undefined {
    if (text === undefined) return undefined;
    try {
      const [household_id, policy] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as [string, string];
      if (typeof household_id === 'string' && typeof policy === 'string') return { household_id, policy };
    } catch { /* answered below */ }
    throw new DomainError('invalid', 'request.invalid', 'cursor 无效', 'cursor is not one this API gave', [{ path: 'cursor', message: text.slice(0, 40) }]);
  }

  private static rowView(r: ListRow) {
    return { household_id: r.household_id, policy: r.policy, county: r.county, decision_id: r.decision_id, explanation: explanationUrl(r.decision_id), detail: JSON.parse(r.detail) as Record<string, unknown> };
  }

  async page(id: string, list: string, q: ListQuery) {
    await this.row(id);
    const name = this.listName(list);
    const limit = q.limit === undefined ? 100 : Number(q.limit);
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST_PAGE) {
      throw new DomainError('invalid', 'request.invalid', `limit 应为 1–${MAX_LIST_PAGE}`, `limit must be 1–${MAX_LIST_PAGE}`, [{ path: 'limit', message: String(q.limit).slice(0, 20) }]);
    }
    const rows = await this.runs.listRows(id, name, { policy: q.policy, county: q.county, household_id: q.household_id, after: MonitorService.cursor(q.cursor), limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      run_id: id, list: name, label: LIST_LABELS[name], rows: page.map(MonitorService.rowView),
      next_cursor: rows.length > limit && last ? Buffer.from(JSON.stringify([last.household_id, last.policy])).toString('base64url') : null,
    };
  }

  /** Checks the run and list before anything is written (a 404 is still a JSON answer). */
  async checkExport(id: string, list: string): Promise<ListName> {
    await this.row(id);
    return this.listName(list);
  }

  async export(id: string, list: ListName, format: 'csv' | 'xlsx', q: Pick<ListQuery, 'policy' | 'county'>, out: Writable): Promise<void> {
    const runs = this.runs;
    async function* pages(): AsyncGenerator<ExportRow[]> {
      let after: { household_id: string; policy: string } | undefined;
      for (;;) {
        const rows = await runs.listRows(id, list, { policy: q.policy, county: q.county, after, limit: MAX_LIST_PAGE });
        if (!rows.length) return;
        yield rows.map((r) => ({ household_id: r.household_id, county: r.county, policy: r.policy, decision_id: r.decision_id, detail: JSON.parse(r.detail) as Record<string, unknown> }));
        const last = rows[rows.length - 1]!;
        after = { household_id: last.household_id, policy: last.policy };
      }
    }
    if (format === 'csv') await writeCsv(out, pages());
    else await writeXlsx(out, list, pages());
  }

  /** Starts a run for today (China time) when the schedule's minute comes; once per date across instances. */
  schedule(s: Schedule, now: () => Date = () => new Date()): void {
    this.timer = setInterval(() => {
      const date = firesAt(s, now());
      if (!date || date === this.lastFired) return;
      this.lastFired = date;
      this.start(date, SCHEDULER).then(
        (r) => this.opts.log?.({ msg: 'scheduled monitoring run started', run: r.id, as_of: date }),
        // another instance started it first (the unique index on scheduled dates): nothing to do
        (e: unknown) => this.opts.log?.({ level: 'info', msg: 'scheduled monitoring run not started here', as_of: date, error: e instanceof Error ? e.message.slice(0, 200) : String(e) }));
    }, 20_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.worker.stop();
  }
}

