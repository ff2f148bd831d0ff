// Impact-analysis jobs (issue 7): POST creates a job that evaluates a population under a
// baseline and a candidate version of one policy; GET polls its status, progress and result;
// DELETE cancels it (or forgets a finished one). Jobs run one at a time (each uses every core
// through worker threads); the others wait in a queue. Jobs and results live in memory only:
// they are lost on restart, and only the newest MAX_JOBS finished jobs are kept.
// A job belongs to the key that started it: only that key (and admins) can see, read or cancel
// it. The queue is capped per key and in total (QueueFullError → 429). A draft candidate is
// compiled first in a worker thread with a time and memory budget (see draft-check.ts).
import { randomUUID } from 'node:crypto';
import type { ErrorDetail } from './domain-error.js';
import { isDate } from '../../dsl/index.js';
import { DomainError } from './domain-error.js';
import type { EvaluationService } from './evaluation.js';
import type { Language } from './language.js';
import type { PolicyService } from './policies.js';
import { linkedSourcesOn } from './linked-sources.js';
import { checkPairInWorker, DRAFT_CHECK_BUDGET, type CheckBudget } from './draft-check.js';
import {
  defaultThreads, defaultWorkerScript, presetNames, runSimulation, SimulationError, SimulationPool,
  type LinkedSources, type PolicyRef, type PopulationSpec, type Progress, type RunOptions, type SimulationRequest, type SimulationResult,
} from '../../simulation/index.js';

export const MAX_JOBS = 50;
export const MAX_GENERATED_HOUSEHOLDS = 2_000_000;
export const MAX_INLINE_HOUSEHOLDS = 100_000;
/** Queued or running jobs one key may have at once. */
export const MAX_ACTIVE_PER_CALLER = 2;
/** Queued or running jobs of all keys together. */
export const MAX_ACTIVE_TOTAL = 8;
/** Seconds a caller refused for a full queue is told to wait (Retry-After). */
export const QUEUE_RETRY_AFTER_S = 30;

/** Who asks: jobs belong to a key (by fingerprint); admins see every job. */
export interface JobCaller { name: string; role: string; fingerprint: string }

/** The queue is full for this caller (or for everyone): the route answers 429 with Retry-After. */
export class QueueFullError extends DomainError {
  constructor(readonly scope: 'caller' | 'total', readonly limit: number, readonly retryAfter: number) {
    super('unavailable', 'simulation.queue_full',
      scope === 'caller' ? `您已有 ${limit} 个排队或运行中的模拟任务，请等其完成或取消后再试` : `模拟队列已满（共 ${limit} 个任务），请稍后再试`,
      scope === 'caller' ? `You already have ${limit} queued or running simulation jobs; wait for one to finish or cancel one` : `The simulation queue is full (${limit} jobs); try again later`,
      [{ path: 'population', message: `${scope === 'caller' ? 'per-caller' : 'total'} limit ${limit} active jobs` }],
      { limit, scope, retry_after: retryAfter });
  }
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** A publish request named as the candidate: its snapshot is simulated (what a reviewer would approve). */
const REQUEST_ID = /^pr-[1-9]\d{0,8}$/;

export interface SimulationInput {
  candidate?: 'draft' | number | string;
  baseline?: 'in-force' | number;
  population: { generate: { preset: string; households: number; seed?: string | number } } | { households: unknown[] };
  as_of?: string;
  samples?: number;
}

interface Job {
  id: string;
  policy: string;
  status: JobStatus;
  created_at: string; created_by: string;
  owner: string;                // fingerprint of the key that started it
  started_at: string | null; finished_at: string | null;
  request: { as_of: string; baseline: { version: number; effective_from: string }; candidate: CandidateInfo; population: Record<string, unknown> };
  progress: Progress;
  result: SimulationResult | null;
  /** message joins both languages (as every error of the API); message_zh and message_en apart. */
  error: { code: string; message: string; message_zh: string; message_en: string; details: ErrorDetail[] } | null;
  run: SimulationRequest;
  abort: AbortController;
}

export type JobView = Omit<Job, 'run' | 'abort' | 'owner'>;

/** The candidate of a job: a version, the draft (at a revision), or a publish request's snapshot (version null). */
type CandidateInfo = { version: number | 'draft'; revision?: number } | { version: null; request: string; hash: string };

const invalid = (details: ErrorDetail[]) => new DomainError('invalid', 'request.invalid', '请求内容不符合要求', 'The request is invalid', details);

/** Checks the body by hand (the paths name each bad field, as everywhere in the API). */
export function checkInput(body: unknown): SimulationInput {
  const d: ErrorDetail[] = [];
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid([{ path: '(body)', message: '应为对象 / must be an object' }]);
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) if (!['candidate', 'baseline', 'population', 'as_of', 'samples'].includes(k)) d.push({ path: k, message: '未知字段 / unknown field' });
  const posInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1;
  if (b.candidate !== undefined && b.candidate !== 'draft' && !posInt(b.candidate) && !(typeof b.candidate === 'string' && REQUEST_ID.test(b.candidate))) {
    d.push({ path: 'candidate', message: '应为 "draft"、版本号或发布申请编号（如 "pr-3"） / must be "draft", a version number or a publish request id such as "pr-3"' });
  }
  if (b.baseline !== undefined && b.baseline !== 'in-force' && !posInt(b.baseline)) d.push({ path: 'baseline', message: '应为 "in-force" 或版本号 / must be "in-force" or a version number' });
  if (b.as_of !== undefined && !isDate(b.as_of)) d.push({ path: 'as_of', message: '应为有效日期 YYYY-MM-DD / must be a real date YYYY-MM-DD' });
  if (b.samples !== undefined && !(typeof b.samples === 'number' && Number.isInteger(b.samples) && b.samples >= 0 && b.samples <= 100)) d.push({ path: 'samples', message: '应为 0–100 的整数 / must be a whole number from 0 to 100' });
  const p = b.population as Record<string, unknown> | undefined;
  if (p === undefined) d.push({ path: 'population', message: '缺少必填字段 / is required' });
  else if (p === null || typeof p !== 'object' || Array.isArray(p)) d.push({ path: 'population', message: '应为对象 / must be an object' });
  else {
    const keys = Object.keys(p);
    if (keys.length !== 1 || !['generate', 'households'].includes(keys[0]!)) {
      d.push({ path: 'population', message: '应为 {"generate": {...}} 或 {"households": [...]} / must be {"generate": {...}} or {"households": [...]}' });
    } else if ('generate' in p) {
      const g = p.generate as Record<string, unknown> | null;
      if (g === null || typeof g !== 'object' || Array.isArray(g)) d.push({ path: 'population.generate', message: '应为对象 / must be an object' });
      else {
        for (const k of Object.keys(g)) if (!['preset', 'households', 'seed'].includes(k)) d.push({ path: `population.generate.${k}`, message: '未知字段 / unknown field' });
        if (typeof g.preset !== 'string' || !presetNames().includes(g.preset)) d.push({ path: 'population.generate.preset', message: `应为以下之一 / must be one of: ${presetNames().join(', ')}` });
        if (!posInt(g.households) || (g.households as number) > MAX_GENERATED_HOUSEHOLDS) d.push({ path: 'population.generate.households', message: `应为 1–${MAX_GENERATED_HOUSEHOLDS} 的整数 / must be a whole number from 1 to ${MAX_GENERATED_HOUSEHOLDS}` });
        if (g.seed !== undefined && !(typeof g.seed === 'string' && g.seed.length <= 100) && !(typeof g.seed === 'number' && Number.isInteger(g.seed) && g.seed >= 0 && g.seed <= 0xffffffff)) {
          d.push({ path: 'population.generate.seed', message: '应为字符串或 0–4294967295 的整数 / must be a string or a whole number 0–4294967295' });
        }
      }
    } else {
      const list = p.households;
      if (!Array.isArray(list)) d.push({ path: 'population.households', message: '应为数组 / must be an array' });
      else if (list.length === 0) d.push({ path: 'population.households', message: '至少一户 / needs at least one household' });
      else if (list.length > MAX_INLINE_HOUSEHOLDS) {
        throw new DomainError('too_large', 'simulation.too_large', `一次最多 ${MAX_INLINE_HOUSEHOLDS} 户（收到 ${list.length} 户）`, `At most ${MAX_INLINE_HOUSEHOLDS} households inline (got ${list.length}); use population.generate or the CLI with a file`, [{ path: 'population.households', message: `maxItems ${MAX_INLINE_HOUSEHOLDS}` }]);
      }
    }
  }
  if (d.length) throw invalid(d);
  return b as unknown as SimulationInput;
}

export interface SimulationServiceOptions {
  /** Options for runSimulation (threads, worker script); tests pass { threads: 1 }. */
  run?: RunOptions;
  maxJobs?: number;
  maxActivePerCaller?: number;
  maxActiveTotal?: number;
  /** Budget for compiling a draft candidate in a worker before the job is queued. */
  draftCheck?: CheckBudget;
  /** Runs a job (tests may pass one that waits for its abort signal). */
  runner?: typeof runSimulation;
  now?: () => Date;
}

export class SimulationService {
  private jobs = new Map<string, Job>();
  private queue: Job[] = [];
  private running: Job | undefined;
  private pool: SimulationPool | undefined;

  constructor(readonly lang: Language, readonly policies: PolicyService, readonly evaluation: EvaluationService, readonly opts: SimulationServiceOptions = {}) {}

  /** The warm simulation workers (none without the built worker script, or with a test's runner). */
  private workers(): SimulationPool | undefined {
    if (this.pool) return this.pool;
    if (this.opts.runner || this.opts.run?.pool) return this.opts.run?.pool;
    const script = this.opts.run?.workerScript === undefined ? defaultWorkerScript() : this.opts.run.workerScript;
    if (!script) return undefined;
    return (this.pool = new SimulationPool(script, Math.max(1, this.opts.run?.threads ?? defaultThreads())));
  }

  /** Starts the simulation workers now (the server at start-up), so that the first job does not
   *  wait seconds for threads to load: they are kept warm from job to job. */
  warm(): void { this.workers()?.warm(); }

  /** Stops the workers (server shutdown); a running job fails. */
  async close(): Promise<void> { await this.pool?.close(); }

  private now(): string { return (this.opts.now?.() ?? new Date()).toISOString(); }

  /** Checks the request, resolves both versions, and queues the job (202). */
  async create(policyId: string, body: unknown, caller: JobCaller): Promise<JobView> {
    const input = checkInput(body);
    this.admit(caller);
    const asOf = input.as_of ?? this.evaluation.today();
    const policy = this.policies.policy(policyId);
    const base = this.evaluation.resolve(policyId, asOf, input.baseline === undefined || input.baseline === 'in-force' ? undefined : input.baseline).version;
    const baseline: PolicyRef = { source: base.source, file: `${policyId}/v${base.version}/policy.policy`, label: `${policyId} v${base.version}`, policy: policyId, version: base.version, effective_from: base.effective_from };
    let candidate: PolicyRef;
    let candidateInfo: CandidateInfo;
    if (typeof input.candidate === 'string' && input.candidate !== 'draft') {
      const r = this.policies.requestSnapshot(policyId, input.candidate);
      candidate = { source: r.source, file: `${policyId}/${r.id}/policy.policy`, label: `${policyId} 发布申请 publish request ${r.id}`, policy: policyId, version: null, effective_from: r.effective_from };
      candidateInfo = { version: null, request: r.id, hash: r.hash };
    } else if (input.candidate === undefined || input.candidate === 'draft') {
      candidate = { source: policy.draft.source, file: `${policyId}/draft/policy.policy`, label: `${policyId} 草稿 draft r${policy.draft.revision}`, policy: policyId, version: 'draft', effective_from: null };
      candidateInfo = { version: 'draft', revision: policy.draft.revision };
    } else {
      const v = this.evaluation.resolve(policyId, asOf, input.candidate as number).version;
      candidate = { source: v.source, file: `${policyId}/v${v.version}/policy.policy`, label: `${policyId} v${v.version}`, policy: policyId, version: v.version, effective_from: v.effective_from };
      candidateInfo = { version: v.version };
    }
    // A draft (or a request's snapshot) is unpublished, untrusted work: compile it in a worker
    // with a budget, never first on this thread.
    // The worker's check covers compiling and the monthly_amount output, so only published
    // versions (compiled once and cached) are checked here.
    // what 引用 reads in the run: the published versions in force on the simulation date
    const linked = linkedSourcesOn(this.policies.store, asOf);
    const unpublished = candidateInfo.version === 'draft' || candidateInfo.version === null;
    if (unpublished) await this.checkDraft(baseline, candidate, linked);
    const here = unpublished ? [['baseline', baseline] as const] : [['baseline', baseline], ['candidate', candidate]] as const;
    for (const [which, ref] of here) {
      // a published version is compiled once (cached, shared with evaluation), after a worker
      // showed it compiles within the budget (a version stored before the budget existed may not)
      await this.lang.proveCompiles(ref.source, ref.file);
      const c = this.lang.compile(ref.source, ref.file);
      if (!c.compiled) {
        throw new DomainError('unprocessable', 'simulation.not_compilable', `${which === 'baseline' ? '基线' : '候选'}版本无法编译`, `The ${which} does not compile`,
          c.diagnostics.filter((x) => x.severity === 'error').slice(0, 20).map((x) => ({ path: `${which}:${x.range.start.line}:${x.range.start.column}`, message: `${x.code}: ${x.message.zh} / ${x.message.en}` })));
      }
      if (!c.compiled.info.outputs.some((o) => o.name === 'monthly_amount' && !o.perMember)) {
        throw new DomainError('unprocessable', 'simulation.no_amount', `${which === 'baseline' ? '基线' : '候选'}版本没有 monthly_amount 输出，无法计算费用`, `The ${which} has no monthly_amount output to cost`, [{ path: which, message: 'monthly_amount' }]);
      }
    }
    const pop = input.population;
    const population: PopulationSpec = 'generate' in pop
      ? { generate: { preset: pop.generate.preset, households: pop.generate.households, seed: pop.generate.seed ?? 1 } }
      : { households: pop.households };
    const job: Job = {
      id: randomUUID(), policy: policyId, status: 'queued', created_at: this.now(), created_by: caller.name, owner: caller.fingerprint, started_at: null, finished_at: null,
      request: {
        as_of: asOf, baseline: { version: base.version, effective_from: base.effective_from }, candidate: candidateInfo,
        population: 'generate' in population ? { generate: population.generate } : { households: population.households.length },
      },
      progress: { done: 0, total: 'generate' in population ? population.generate.households : population.households.length, fraction: 0, elapsed_ms: 0 },
      result: null, error: null,
      run: { baseline, candidate, modules: this.lang.modules, linked, asOf, population, ...(input.samples !== undefined ? { sampleSize: input.samples } : {}) },
      abort: new AbortController(),
    };
    this.admit(caller);   // again: other jobs may have been queued while the draft was checked
    this.jobs.set(job.id, job);
    this.queue.push(job);
    this.evict();
    this.pump();
    return view(job);
  }

  /** Refuses a new job when the caller, or everyone together, has too many queued or running. */
  private admit(caller: JobCaller): void {
    const active = [...this.jobs.values()].filter((j) => j.status === 'queued' || j.status === 'running');
    const perCaller = this.opts.maxActivePerCaller ?? MAX_ACTIVE_PER_CALLER;
    const total = this.opts.maxActiveTotal ?? MAX_ACTIVE_TOTAL;
    if (active.filter((j) => j.owner === caller.fingerprint).length >= perCaller) throw new QueueFullError('caller', perCaller, QUEUE_RETRY_AFTER_S);
    if (active.length >= total) throw new QueueFullError('total', total, QUEUE_RETRY_AFTER_S);
  }

  private async checkDraft(baseline: PolicyRef, candidate: PolicyRef, linked: LinkedSources): Promise<void> {
    const r = await checkPairInWorker({ baseline, candidate, modules: this.lang.modules, linked }, this.opts.draftCheck ?? DRAFT_CHECK_BUDGET);
    if (r.ok) return;
    if (r.reason === 'budget') {
      throw new DomainError('unprocessable', 'policy.too_complex', `草稿编译超出预算（${r.limit}），无法模拟`, `Compiling the draft exceeded its budget (${r.limit}); it cannot be simulated`,
        [{ path: 'candidate', message: r.limit }]);
    }
    const noAmount = r.details.some((d) => d.message === 'monthly_amount output required');
    throw new DomainError('unprocessable', noAmount ? 'simulation.no_amount' : 'simulation.not_compilable',
      noAmount ? '草稿没有 monthly_amount 输出，无法计算费用' : '候选版本无法编译', noAmount ? 'The draft has no monthly_amount output to cost' : 'The candidate does not compile',
      r.details);
  }

  /** A job the caller may see: its own, or any for an admin. Others' jobs are "not found" (their existence is not revealed). */
  private visible(id: string, caller: JobCaller): Job {
    const j = this.job(id);
    if (caller.role !== 'admin' && j.owner !== caller.fingerprint) throw notFound(id);
    return j;
  }

  get(id: string, caller: JobCaller): JobView {
    return view(this.visible(id, caller));
  }

  list(caller: JobCaller): Omit<JobView, 'result'>[] {
    return [...this.jobs.values()].reverse()
      .filter((j) => caller.role === 'admin' || j.owner === caller.fingerprint)
      .map((j) => { const { result: _r, ...rest } = view(j); return rest; });
  }

  /** Cancels a queued or running job; a finished job is forgotten. */
  cancel(id: string, caller: JobCaller): JobView & { deleted?: boolean } {
    const job = this.visible(id, caller);
    if (job.status === 'queued' || job.status === 'running') {
      job.abort.abort();
      this.queue = this.queue.filter((j) => j !== job);
      this.finish(job, 'cancelled');     // a running job's workers stop at once (terminated)
      return view(job);
    }
    this.jobs.delete(id);
    return { ...view(job), deleted: true };
  }

  /** Waits for a job to finish (tests, graceful shutdown). */
  async settle(id: string, timeoutMs = 60_000): Promise<JobView> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const j = this.job(id);
      if (j.status !== 'queued' && j.status !== 'running') return view(j);
      if (Date.now() > end) return view(j);
      await new Promise((ok) => setTimeout(ok, 20));
    }
  }

  private job(id: string): Job {
    const j = this.jobs.get(id);
    if (!j) throw notFound(id);
    return j;
  }

  private finish(job: Job, status: JobStatus): void {
    job.status = status;
    job.finished_at = this.now();
    (job as { run: SimulationRequest | null }).run = null;   // drop the population (inline households can be large)
  }

  private evict(): void {
    const max = this.opts.maxJobs ?? MAX_JOBS;
    if (this.jobs.size <= max) return;
    for (const [id, j] of this.jobs) {
      if (this.jobs.size <= max) break;
      if (j.status !== 'queued' && j.status !== 'running') this.jobs.delete(id);
    }
  }

  private pump(): void {
    if (this.running) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = job;
    job.status = 'running';
    job.started_at = this.now();
    // the pair is compiled in the simulation workers only: never on the event loop
    const pool = this.workers();
    void (this.opts.runner ?? runSimulation)(job.run, { workersOnly: true, ...this.opts.run, ...(pool ? { pool } : {}), signal: job.abort.signal, onProgress: (p) => { job.progress = p; } }).then(
      (result) => {
        if (job.status !== 'running') return;
        job.result = result;
        job.progress = { done: result.population.households + result.population.invalid, total: job.progress.total, fraction: 1, elapsed_ms: result.run.elapsed_ms };
        this.finish(job, 'done');
      },
      (e: unknown) => {
        if (job.status !== 'running') return;
        if ((e as Error)?.name === 'AbortError') this.finish(job, 'cancelled');
        else {
          const text = e instanceof SimulationError ? e.text
            : { zh: `模拟失败：${(e as Error)?.message ?? String(e)}`, en: `the simulation failed: ${(e as Error)?.message ?? String(e)}` };
          job.error = { code: 'simulation.failed', message: `${text.zh} / ${text.en}`, message_zh: text.zh, message_en: text.en, details: e instanceof SimulationError ? e.details : [] };
          this.finish(job, 'failed');
        }
      },
    ).finally(() => {
      this.running = undefined;
      this.pump();
    });
  }
}

const notFound = (id: string) => new DomainError('not_found', 'simulation.not_found', `没有这个模拟任务：${id}`,
  `No such simulation job: ${id} (jobs are kept in memory and lost on restart; you see only your own)`, [{ path: 'jobId', message: id }]);

function view(j: Job): JobView {
  const { run: _run, abort: _abort, owner: _owner, ...rest } = j;
  return { ...rest, progress: { ...j.progress } };
}
