// The runtime's one door into the policy language (dsl/index.ts): analysis, compilation with a
// cache (a published version is compiled once), scenario runs, and the household schema.
//
// Two ways in. The *Bounded methods are for work requested over HTTP: the job runs in the
// worker pool (runtime/workers/) within a time and memory budget, and past the budget the
// answer is 422 policy.too_complex. Their results (and refusals) are cached, so the plain
// synchronous methods — which the services call — answer from the cache once a request went
// through the bounded door, and a refused source is not worked on again for a while.
// The plain methods compute on the calling thread otherwise (the CLI, seeding, tests).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, basename } from 'node:path';
import { createHash } from 'node:crypto';
import { compileSource, householdJsonSchema, validateHousehold, analyze, type CompiledPolicy, type Diagnostic } from '../../dsl/index.js';
import { BudgetExceeded, PoolBusy, sharedPool, type JobInput, type JobSuccess, type LanguagePool } from '../workers/pool.js';
import { capDiagnostics, digestOf, summarize, testRun, type CompileResult } from '../workers/jobs.js';
export type { CompileResult };
import type { AnalysisSummary, InfoDigest, TestRun, WireAnalysis } from '../workers/protocol.js';
import { DomainError } from './domain-error.js';

export type ModuleSources = Record<string, string>;
/** Published policies other policies may reference, by id, and a key that changes when any of them does. */
export interface LinkedSources { sources: Record<string, { version: number; source: string }>; key: string }
const NO_LINKS: LinkedSources = { sources: {}, key: '' };
export type { CompiledPolicy, Diagnostic, TestRun, AnalysisSummary, InfoDigest };
export type AnalyzeResult = AnalysisSummary;
export type PolicyInfo = NonNullable<AnalysisSummary['info']>;

/** Every policies/common/*.policy as 'common/<basename>'. */
export function loadModules(policiesDir: string): ModuleSources {
  const modules: ModuleSources = {};
  const dir = join(policiesDir, 'common');
  if (!existsSync(dir)) return modules;
  for (const f of readdirSync(dir).sort()) {
    if (f.endsWith('.policy')) modules[`common/${basename(f, '.policy')}`] = readFileSync(join(dir, f), 'utf8');
  }
  return modules;
}

/** sha256 of a source; the last one is remembered (one request hashes the same source several times). */
let lastText: string | undefined, lastHash = '';
function sha(s: string): string {
  if (s !== lastText) { lastHash = createHash('sha256').update(s).digest('hex'); lastText = s; }
  return lastHash;
}

/** A bounded map: drops the oldest entry past `max`. */
class Lru<V> {
  private map = new Map<string, V>();
  constructor(private max: number) {}
  get(k: string): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) { this.map.delete(k); this.map.set(k, v); }
    return v;
  }
  set(k: string, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
}

const LIMIT_TEXT: Record<BudgetExceeded['limit'], (v: number | null) => { name: string; zh: string; en: string }> = {
  time: (v) => ({ name: 'time_ms', zh: `处理用时超过上限 ${v} 毫秒（CPU 时间）`, en: `processing it exceeded the time limit of ${v} ms (CPU time)` }),
  memory: (v) => ({ name: 'memory_mb', zh: `所需内存超过上限 ${v} MB`, en: `processing it exceeded the memory limit of ${v} MB` }),
  depth: () => ({ name: 'depth', zh: '嵌套或定义链过深，超过调用深度上限', en: 'its nesting or chain of definitions exceeds the depth limit' }),
};

/** 422 policy.too_complex, naming the limit. */
export function tooComplex(e: BudgetExceeded): DomainError {
  const t = LIMIT_TEXT[e.limit](e.value);
  return new DomainError('unprocessable', 'policy.too_complex', `政策过于复杂：${t.zh}`, `The policy is too complex: ${t.en}`,
    [{ path: 'source', message: `${t.name}${e.value === null ? '' : ` = ${e.value}`}` }], { limit: { name: t.name, value: e.value } });
}

const busy = (e: PoolBusy) => new DomainError('unavailable', 'language.busy', '检查任务过多，请稍后重试', 'Too many checks in progress; try again shortly',
  [{ path: 'source', message: `queued ${e.queued}` }], { retry_after_s: 1 });

/** The diagnostic that stands for a refused source where a diagnostic list is expected. */
function refusedDiagnostic(e: BudgetExceeded, file?: string): Diagnostic {
  const d = tooComplex(e);
  const at = { line: 1, column: 1, offset: 0 };
  return { range: { start: at, end: at }, severity: 'error', code: d.code, message: { zh: d.zh, en: d.en }, ...(file ? { file } : {}) };
}

const refile = (list: Diagnostic[], file: string | undefined): Diagnostic[] => list.map((d) => {
  const { file: _f, ...rest } = d;
  return file ? { ...rest, file } : rest;
});

/**
 * A cached analysis: the diagnostics (naming `file`; capped, so small) and the header info, as
 * data or as the JSON bytes a worker sent (parsed the first time someone reads it: a listing reads
 * the digest, an answer writes the bytes, so a large policy's info is seldom parsed at all).
 */
interface Known { file?: string; diagnostics: Diagnostic[]; hasErrors: boolean; info?: PolicyInfo; infoJson?: Buffer; digest?: InfoDigest }

const fromSummary = (a: AnalysisSummary, file?: string): Known => ({ file, diagnostics: a.diagnostics, hasErrors: a.hasErrors, info: a.info });
const fromWire = (w: WireAnalysis, file?: string): Known => ({
  file, diagnostics: w.diagnostics, hasErrors: w.hasErrors, digest: w.digest,
  infoJson: w.info ? Buffer.from(w.info.buffer, w.info.byteOffset, w.info.byteLength) : undefined,
});

function infoOf(k: Known): PolicyInfo | undefined {
  if (!k.info && k.infoJson) k.info = JSON.parse(k.infoJson.toString('utf8')) as PolicyInfo;
  return k.info;
}

/** The analysis as the services read it; its info is parsed only when read. */
function view(k: Known, file: string | undefined): AnalysisSummary {
  const a: AnalysisSummary = { diagnostics: k.file === file ? k.diagnostics : refile(k.diagnostics, file), hasErrors: k.hasErrors };
  if (k.info || k.infoJson) Object.defineProperty(a, 'info', { enumerable: true, configurable: true, get: () => infoOf(k) });
  return a;
}

/** How long a refusal is remembered: a time refusal briefly (it may be the machine's load), the
 *  others (memory, depth) longer. */
const REFUSAL_MS = { time: 60_000, memory: 10 * 60_000, depth: 10 * 60_000 } as const;

export class Language {
  readonly modulesHash: string;
  /** sha(source) → analysis, with the file its diagnostics name. */
  private analyses = new Lru<Known>(500);
  private tests = new Lru<TestRun>(100);
  private compiled = new Lru<CompileResult>(200);
  /** sha(source) → the budget it went past (remembered for REFUSAL_MS). */
  private refusals = new Lru<{ e: BudgetExceeded; until: number }>(1000);
  /** sha(source) of sources a worker compiled within the budget. */
  private proven = new Lru<true>(1000);
  private inFlight = new Map<string, Promise<JobSuccess>>();
  /** sha(source) → the job running on it: another job on the same source waits for it first. */
  private busySources = new Map<string, Promise<unknown>>();
  private schemaCache: object | undefined;

  /** What `引用` resolves against (set by the app: the published versions in the store). */
  private linkedSources: () => LinkedSources = () => NO_LINKS;

  constructor(readonly modules: ModuleSources, readonly pool: LanguagePool = sharedPool()) {
    this.modulesHash = sha(JSON.stringify(Object.entries(modules).sort()));
  }

  /** Resolves referenced policies against `fn()` from now on (it should be cheap: memoised per store snapshot). */
  setLinkedSources(fn: () => LinkedSources): void { this.linkedSources = fn; }

  /** The options every analysis and compilation gets: the modules and, when any, the published policies to link. */
  private options(file: string | undefined) {
    const { sources } = this.linkedSources();
    const opts: { file?: string; modules: ModuleSources; linked?: (id: string) => { version: number; source: string } | undefined; linkedIds?: string[] } = { file, modules: this.modules };
    const ids = Object.keys(sources);
    if (ids.length) { opts.linked = (id) => (Object.hasOwn(sources, id) ? sources[id] : undefined); opts.linkedIds = ids; }
    return opts;
  }

  /** A job's inputs, with the linkable sources when there are any. */
  private jobInput(input: JobInput): JobInput {
    const { sources } = this.linkedSources();
    return Object.keys(sources).length ? { ...input, linked: sources } : input;
  }

  /** A cache key for a source's analysis: its hash, and the linked set it was checked against. */
  private keyOf(h: string): string {
    const k = this.linkedSources().key;
    return k ? `${h}|${k}` : h;
  }

  analyze(source: string, file?: string): AnalysisSummary {
    return view(this.known(source, file), file);
  }

  /** What a listing shows of the policy's header (undefined: no header, or refused). */
  digest(source: string): InfoDigest | undefined {
    const k = this.known(source, undefined);
    if (!k.digest && infoOf(k)) k.digest = digestOf(k.info!);
    return k.digest;
  }

  /** The header info as JSON bytes (null: none), for an answer to write as they are. */
  infoJson(source: string, file?: string): Buffer | null {
    const k = this.known(source, file);
    if (!k.infoJson && k.info) k.infoJson = Buffer.from(JSON.stringify(k.info), 'utf8');
    return k.infoJson ?? null;
  }

  /** The cached analysis, or one made here on the calling thread (the CLI, seeding: no budget). */
  private known(source: string, file: string | undefined): Known {
    const h = sha(source);
    const refused = this.refused(h);
    if (refused) return { file, diagnostics: [refusedDiagnostic(refused, file)], hasErrors: true };
    const known = this.analyses.get(this.keyOf(h));
    if (known) return known;
    const k = fromSummary(summarize(analyze(source, this.options(file)), file), file);
    this.analyses.set(this.keyOf(h), k);
    return k;
  }

  /** Compiles once per distinct source (a published version is immutable, so its hash is its key). */
  compile(source: string, file?: string): CompileResult {
    const h = sha(source);
    const refused = this.refused(h);
    if (refused) return { diagnostics: [refusedDiagnostic(refused, file)] };
    const key = `${file ?? ''}|${this.keyOf(h)}`;
    let r = this.compiled.get(key);
    if (!r) {
      try {
        r = compileSource(source, this.options(file));
      } catch (e) {
        // this thread's stack is smaller than a worker's: a source the worker compiled can still overflow here
        if (!(e instanceof RangeError && /call stack/i.test(e.message))) throw e;
        const depth = new BudgetExceeded('depth', null);
        this.refusals.set(h, { e: depth, until: Date.now() + REFUSAL_MS.depth });
        return { diagnostics: [refusedDiagnostic(depth, file)] };
      }
      this.compiled.set(key, r);
    }
    return r;
  }

  /** Compiles the policy and runs its scenario suite. */
  test(source: string, scenarios: string, file = 'policy.policy'): TestRun {
    const key = `${file}|${this.keyOf(sha(source))}|${sha(scenarios)}`;
    const known = this.tests.get(key);
    if (known) return known;
    const refused = this.refused(sha(source));
    if (refused) return { ok: false, compiled: false, diagnostics: [refusedDiagnostic(refused, file)], scenario_diagnostics: [], passed: 0, failed: 0, results: [] };
    const run = testRun(this.compile(source, file), scenarios);
    return { ...run, diagnostics: capDiagnostics(run.diagnostics, file), scenario_diagnostics: capDiagnostics(run.scenario_diagnostics) };
  }

  /** analyze() off the event loop, within the budget (422 policy.too_complex past it). */
  async analyzeBounded(source: string, file?: string): Promise<AnalysisSummary> {
    const h = sha(source);
    const ak = this.keyOf(h);
    const known = this.analyses.get(ak);
    if (known && !this.refused(h)) return view(known, file);
    const r = await this.job(ak, this.jobInput({ kind: 'analyze', source, file, modules: this.modules }));
    const k = this.analyses.get(ak) ?? fromWire(r.analysis, file);   // (a job shared by two callers: one entry)
    this.analyses.set(ak, k);
    return view(k, file);
  }

  /** test() off the event loop, within the budget; the answer is cached for test(). */
  async testBounded(source: string, scenarios: string, file = 'policy.policy'): Promise<TestRun> {
    const h = sha(source);
    const ak = this.keyOf(h);
    const key = `${file}|${ak}|${sha(scenarios)}`;
    const known = this.tests.get(key);
    if (known) return known;
    const r = await this.job(key, this.jobInput({ kind: 'test', source, scenarios, file, modules: this.modules }));
    if (!this.analyses.get(ak)) this.analyses.set(ak, fromWire(r.analysis, file));
    if (r.compiled) this.proven.set(h, true);
    this.tests.set(key, r.test!);
    return r.test!;
  }

  /**
   * Shows in a worker, within the budget, that the source compiles (422 policy.too_complex past
   * it). Compiled functions cannot cross threads, so the caller then compiles with compile():
   * proven sources only, so the main thread never takes on a source that would stall it.
   */
  async proveCompiles(source: string, file?: string): Promise<void> {
    const h = sha(source);
    const ak = this.keyOf(h);
    if (this.proven.get(h) || this.compiled.get(`${file ?? ''}|${ak}`)) return;
    const r = await this.job(`${ak}|compile`, this.jobInput({ kind: 'compile', source, file, modules: this.modules }));
    if (!this.analyses.get(ak)) this.analyses.set(ak, fromWire(r.analysis, file));
    if (r.compiled) this.proven.set(h, true);
  }

  private refused(h: string): BudgetExceeded | undefined {
    const r = this.refusals.get(h);
    return r && r.until > Date.now() ? r.e : undefined;
  }

  /**
   * Analyses the sources in the worker, one after another, in the background: after a restart
   * the first listing of policies then reads cached analyses instead of analysing on the event
   * loop. A source past the budget is remembered as refused, like any other.
   */
  async prefetch(sources: string[]): Promise<void> {
    for (const source of sources) {
      try { await this.analyzeBounded(source); } catch { /* refused or busy: the listing shows it */ }
    }
  }

  /**
   * Runs a job in the pool (one at a time per key), remembering a source that went past the
   * budget. Jobs on one source run one after another: a check and a save of the same hostile
   * text do not each wait out the budget; the second is answered by the refusal of the first.
   */
  private async job(key: string, input: JobInput): Promise<JobSuccess> {
    const h = sha(input.source);
    let p = this.inFlight.get(key);
    if (!p) {
      const before = this.busySources.get(h);
      if (before) await before.catch(() => undefined);
      const refused = this.refused(h);
      if (refused) throw tooComplex(refused);
      p = this.inFlight.get(key);   // another caller may have started it while this one waited
      if (!p) {
        const started = this.pool.run(input).finally(() => {
          this.inFlight.delete(key);
          if (this.busySources.get(h) === started) this.busySources.delete(h);
        });
        p = started;
        this.inFlight.set(key, started);
        this.busySources.set(h, started);
      }
    }
    try {
      return await p;
    } catch (e) {
      if (e instanceof BudgetExceeded) { this.refusals.set(h, { e, until: Date.now() + REFUSAL_MS[e.limit] }); throw tooComplex(e); }
      if (e instanceof PoolBusy) throw busy(e);
      throw e;
    }
  }

  householdSchema(): object {
    return (this.schemaCache ??= householdJsonSchema(this.modules));
  }

  validateHousehold(json: unknown): { ok: boolean; errors: { path: string; message: { zh: string; en: string } }[] } {
    return validateHousehold(this.modules, json);
  }
}
