// What a monitoring run asks of the rules: one household on one date → the jurisdiction it is
// routed to and every programme in force there, with outputs. The one-window entitlements
// service (issue 14) answers exactly this; until it lands, INTERIM below stands in for it.
import type { EvaluationService } from '../evaluation.js';
import type { Language } from '../language.js';
import type { PolicyService } from '../policies.js';
import type { VersionRecord } from '../../store/types.js';
import { DomainError } from '../domain-error.js';

export interface ProgrammeResult {
  policy: string;
  /** 项目 (e.g. 最低生活保障): which administrative status the programme is compared with. */
  program: string;
  version: VersionRecord;
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

interface InForce { id: string; program: string; jurisdiction: string; version: VersionRecord }

// ── INTERIM (lead: replace with runtime/services/entitlements.ts at merge) ──────────────────
// Every published, unretired policy in force on the date whose 辖区 ends with the household's
// county (e.g. 「宁夏回族自治区石嘴山市大武口区」 for county 大武口区), in id order. No linking
// between policies and no hukou routing: that is what entitlements adds.
export class InterimEvaluator implements MonitorEvaluator {
  private byDate = new Map<string, InForce[]>();

  constructor(private readonly policies: PolicyService, private readonly evaluation: EvaluationService, private readonly lang: Language) {}

  private inForce(asOf: string): InForce[] {
    let list = this.byDate.get(asOf);
    if (!list) {
      list = [];
      for (const p of Object.values(this.policies.store.data.policies).sort((a, b) => a.id.localeCompare(b.id))) {
        if (p.retired || !p.versions.length) continue;
        let version: VersionRecord;
        try { version = this.evaluation.resolve(p.id, asOf).version; } catch (e) { if (e instanceof DomainError) continue; throw e; }
        const info = this.lang.digest(version.source);
        list.push({ id: p.id, program: info?.program ?? '', jurisdiction: info?.jurisdiction ?? '', version });
      }
      if (this.byDate.size > 64) this.byDate.clear();
      this.byDate.set(asOf, list);
    }
    return list;
  }

  async prepare(asOf: string): Promise<void> {
    this.byDate.delete(asOf);   // a run sees the policies published up to its start
    for (const p of this.inForce(asOf)) await this.evaluation.whenCompiled(p.id, { as_of: asOf }, () => undefined);
  }

  evaluate(household: unknown, asOf: string): Evaluated {
    const county = household && typeof household === 'object' ? (household as { county?: unknown }).county : undefined;
    if (typeof county !== 'string' || county === '') return { jurisdiction: null, programmes: [] };
    const here = this.inForce(asOf).filter((p) => p.jurisdiction.endsWith(county));
    if (!here.length) return { jurisdiction: null, programmes: [] };
    return {
      jurisdiction: here[0]!.jurisdiction,
      programmes: here.map((p) => {
        try {
          const { answer } = this.evaluation.evaluateVersion(p.id, { household, as_of: asOf, trace: false });
          return { policy: p.id, program: p.program, version: p.version, outputs: answer.outputs as Record<string, unknown> };
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          return { policy: p.id, program: p.program, version: p.version, error: `${e.code}: ${e.en}` };
        }
      }),
    };
  }
}
