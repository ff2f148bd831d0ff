// What a monitoring run asks of the rules: one household on one date → the jurisdiction it is
// routed to and every programme in force there, with outputs: the one-window entitlements
// service (issue 14) answers exactly this.
import type { EvaluationService } from '../evaluation.js';
import { decide, prepare, programmesIn } from '../entitlements.js';

export interface ProgrammeResult {
  policy: string;
  /** 项目 (e.g. 最低生活保障): which administrative status the programme is compared with. */
  program: string;
  /** The version decided under (the one in force on the date). */
  version: number;
  outputs?: Record<string, unknown>;
  /** The household could not be evaluated under this programme (code: message). */
  error?: string;
}

export interface Evaluated { jurisdiction: string | null; programmes: ProgrammeResult[] }

export interface MonitorEvaluator {
  /** Compiles what the date needs before the first household (async: compilation is proven in a worker). */
  prepare(asOf: string): Promise<void>;
  evaluate(household: unknown, asOf: string): Evaluated;
}

/**
 * The one-window entitlements (runtime/services/entitlements.ts) as a monitoring run needs them:
 * the household routed by residence and hukou to its county, then every programme in force there
 * and in its parents, referenced programmes first (a disability subsidy reads the dibao decided in
 * the same evaluation). A household that cannot be routed gets no programme (the run counts it).
 */
export class EntitlementsEvaluator implements MonitorEvaluator {
  /**
   * The programmes in force by county for the date being run: looked up once per county, not
   * once per household (the lookup reads every published version's analysis). Renewed by
   * prepare(), i.e. once per run on each instance.
   */
  private inForce = new Map<string, ReturnType<typeof programmesIn>>();
  private inForceDate = '';

  constructor(private readonly evaluation: EvaluationService) {}

  async prepare(asOf: string): Promise<void> {
    await prepare(this.evaluation, asOf);
    this.reset(asOf);
  }

  /** Forgets the programmes looked up (a new run: the published policies may have changed). */
  reset(asOf: string): void {
    this.inForce.clear();
    this.inForceDate = asOf;
  }

  private readonly programmes: typeof programmesIn = (evaluation, at, asOf) => {
    if (asOf !== this.inForceDate) { this.inForce.clear(); this.inForceDate = asOf; }
    const key = at?.code ?? '';
    let list = this.inForce.get(key);
    if (!list) { list = programmesIn(evaluation, at, asOf); this.inForce.set(key, list); }
    return list;
  };

  evaluate(household: unknown, asOf: string): Evaluated {
    const d = decide(this.evaluation, household, asOf, false, this.programmes);
    if (!d.ok) return { jurisdiction: null, programmes: [] };
    // each answer names the version it was decided under (d.decided, built when read, is not needed)
    return {
      jurisdiction: d.answer.jurisdiction?.full_name ?? null,
      programmes: d.answer.programmes.map((r): ProgrammeResult => (r.error
        ? { policy: r.policy, program: r.program, version: r.version, error: `${r.error.code}: ${r.error.message_en}` }
        : { policy: r.policy, program: r.program, version: r.version, outputs: r.outputs })),
    };
  }
}
