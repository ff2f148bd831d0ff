// Impact-analysis jobs (issue 7): POST creates a job that evaluates a population under a
// baseline and a candidate version of one policy; GET polls its status, progress and result;
// DELETE cancels it (or forgets a finished one). Jobs run one at a time (each uses every core
// through worker threads); the others wait in a queue. Jobs and results live in memory only:
// they are lost on restart, and only the newest MAX_JOBS finished jobs are kept.
import { randomUUID } from 'node:crypto';
import type { ErrorDetail } from '../errors.js';
import { isDate } from '../validate.js';
import { DomainError } from './domain-error.js';
import type { EvaluationService } from './evaluation.js';
import type { Language } from './language.js';
import type { PolicyService } from './policies.js';
import {
  presetNames, runSimulation, SimulationError,
  type PolicyRef, type PopulationSpec, type Progress, type RunOptions, type SimulationRequest, type SimulationResult,
} from '../../simulation/index.js';

export const MAX_JOBS = 50;
export const MAX_GENERATED_HOUSEHOLDS = 2_000_000;
export const MAX_INLINE_HOUSEHOLDS = 100_000;

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface SimulationInput {
  candidate?: 'draft' | number;
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
  started_at: string | null; finished_at: string | null;
  request: { as_of: string; baseline: { version: number; effective_from: string }; candidate: { version: number | 'draft'; revision?: number }; population: Record<string, unknown> };
  progress: Progress;
  result: SimulationResult | null;
  error: { code: string; message: string; details: ErrorDetail[] } | null;
  run: SimulationRequest;
  abort: AbortController;
}

export type JobView = Omit<Job, 'run' | 'abort'>;

const invalid = (details: ErrorDetail[]) => new DomainError('invalid', 'request.invalid', '请求内容不符合要求', 'The request is invalid', details);

/** Checks the body by hand (the paths name each bad field, as everywhere in the API). */
export function checkInput(body: unknown): SimulationInput {
  const d: ErrorDetail[] = [];
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid([{ path: '(body)', message: '应为对象 / must be an object' }]);
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) if (!['candidate', 'baseline', 'population', 'as_of', 'samples'].includes(k)) d.push({ path: k, message: '未知字段 / unknown field' });
  const posInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1;
  if (b.candidate !== undefined && b.candidate !== 'draft' && !posInt(b.candidate)) d.push({ path: 'candidate', message: '应为 "draft" 或版本号 / must be "draft" or a version number' });
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
  now?: () => Date;
}

export class SimulationService {
  private jobs = new Map<string, Job>();
  private queue: Job[] = [];
  private running: Job | undefined;

  constructor(readonly lang: Language, readonly policies: PolicyService, readonly evaluation: EvaluationService, readonly opts: SimulationServiceOptions = {}) {}

  private now(): string { return (this.opts.now?.() ?? new Date()).toISOString(); }

  /** Checks the request, resolves both versions, and queues the job (202). */
  create(policyId: string, body: unknown, caller: { name: string }): JobView {
    const input = checkInput(body);
    const asOf = input.as_of ?? this.evaluation.today();
    const policy = this.policies.policy(policyId);
    const base = this.evaluation.resolve(policyId, asOf, input.baseline === undefined || input.baseline === 'in-force' ? undefined : input.baseline).version;
    const baseline: PolicyRef = { source: base.source, file: `${policyId}/v${base.version}/policy.policy`, label: `${policyId} v${base.version}`, policy: policyId, version: base.version, effective_from: base.effective_from };
    let candidate: PolicyRef;
    let candidateInfo: Job['request']['candidate'];
    if (input.candidate === undefined || input.candidate === 'draft') {
      candidate = { source: policy.draft.source, file: `${policyId}/draft/policy.policy`, label: `${policyId} 草稿 draft r${policy.draft.revision}`, policy: policyId, version: 'draft', effective_from: null };
      candidateInfo = { version: 'draft', revision: policy.draft.revision };
    } else {
      const v = this.evaluation.resolve(policyId, asOf, input.candidate).version;
      candidate = { source: v.source, file: `${policyId}/v${v.version}/policy.policy`, label: `${policyId} v${v.version}`, policy: policyId, version: v.version, effective_from: v.effective_from };
      candidateInfo = { version: v.version };
    }
    for (const [which, ref] of [['baseline', baseline], ['candidate', candidate]] as const) {
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
      id: randomUUID(), policy: policyId, status: 'queued', created_at: this.now(), created_by: caller.name, started_at: null, finished_at: null,
      request: {
        as_of: asOf, baseline: { version: base.version, effective_from: base.effective_from }, candidate: candidateInfo,
        population: 'generate' in population ? { generate: population.generate } : { households: population.households.length },
      },
      progress: { done: 0, total: 'generate' in population ? population.generate.households : population.households.length, fraction: 0, elapsed_ms: 0 },
      result: null, error: null,
      run: { baseline, candidate, modules: this.lang.modules, asOf, population, ...(input.samples !== undefined ? { sampleSize: input.samples } : {}) },
      abort: new AbortController(),
    };
    this.jobs.set(job.id, job);
    this.queue.push(job);
    this.evict();
    this.pump();
    return view(job);
  }

  get(id: string): JobView {
    return view(this.job(id));
  }

  list(): Omit<JobView, 'result'>[] {
    return [...this.jobs.values()].reverse().map((j) => { const { result: _r, ...rest } = view(j); return rest; });
  }

  /** Cancels a queued or running job; a finished job is forgotten. */
  cancel(id: string): JobView & { deleted?: boolean } {
    const job = this.job(id);
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
    if (!j) throw new DomainError('not_found', 'simulation.not_found', `没有这个模拟任务：${id}`, `No such simulation job: ${id} (jobs are kept in memory and lost on restart)`, [{ path: 'jobId', message: id }]);
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
    void runSimulation(job.run, { ...this.opts.run, signal: job.abort.signal, onProgress: (p) => { job.progress = p; } }).then(
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
          job.error = e instanceof SimulationError
            ? { code: 'simulation.failed', message: e.message, details: e.details }
            : { code: 'simulation.failed', message: `模拟失败 / the simulation failed: ${(e as Error)?.message ?? String(e)}`, details: [] };
          this.finish(job, 'failed');
        }
      },
    ).finally(() => {
      this.running = undefined;
      this.pump();
    });
  }
}

function view(j: Job): JobView {
  const { run: _run, abort: _abort, ...rest } = j;
  return { ...rest, progress: { ...j.progress } };
}
