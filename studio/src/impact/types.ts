// Shapes of the impact-analysis job API (runtime/routes/simulations.ts, runtime/services/
// simulations.ts) and of its result (simulation/simulate.ts SimulationResult), as the studio
// reads them. Money is decimal yuan text; counts are numbers.

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface SimulationInput {
  /** 'draft', a version, or a publish request's id ('pr-3': its snapshot) */
  candidate: 'draft' | number | string;
  baseline: 'in-force' | number;
  population: { generate: { preset: string; households: number; seed: string | number } };
  as_of?: string;
  samples?: number;
}

export interface Progress { done: number; total: number | null; fraction: number | null; elapsed_ms: number }

export interface JobView {
  id: string;
  policy: string;
  status: JobStatus;
  created_at?: string; created_by?: string;
  started_at?: string | null; finished_at?: string | null;
  request: {
    as_of: string;
    baseline: { version: number; effective_from?: string };
    candidate: { version: number | 'draft'; revision?: number };
    population: { generate?: { preset: string; households: number; seed: string | number }; households?: number };
  };
  progress: Progress;
  result: SimulationResult | null;
  error: { code: string; message: string; message_zh?: string; message_en?: string; details?: { path?: string; message: string }[] } | null;
  deleted?: boolean;
}

export interface Totals {
  eligible_households: number; eligible_persons: number;
  recipient_households: number; recipient_persons: number;
  single_person_units?: number; gradual_exit_households?: number;
  monthly_cost: string; yearly_cost: string; services_budget_2pct: string;
}
export interface TotalsChange {
  recipient_households: number; recipient_persons: number;
  monthly_cost: string; yearly_cost: string; services_budget_2pct: string;
}
export interface GroupJson {
  baseline: { households: number; persons: number; monthly_cost: string };
  candidate: { households: number; persons: number; monthly_cost: string };
  change_monthly: string;
}
export interface ChangeJson { households: number; persons: number; monthly_change: string; average_change: string; largest_change: string }
export interface SampleJson { index: number; id: string | null; line?: number; baseline: string; candidate: string; change?: string }
export type ChangeKind = 'entered' | 'left' | 'gained' | 'lost';
export const CHANGE_KINDS: ChangeKind[] = ['entered', 'left', 'gained', 'lost'];

export interface PolicyRefSummary { label: string | null; policy: string | null; version: number | 'draft' | null; effective_from: string | null; title?: string | null }

export interface SimulationResult {
  as_of: string;
  baseline: PolicyRefSummary;
  candidate: PolicyRefSummary;
  population: { source: string; households: number; persons: number; invalid: number; errors?: { index: number; id: string | null; path: string; message: string }[] };
  totals: { baseline: Totals; candidate: Totals; change?: Partial<TotalsChange> };
  by_area?: Record<string, GroupJson>;
  by_county?: Record<string, GroupJson>;
  by_category?: Record<string, GroupJson>;
  changes: Record<ChangeKind, ChangeJson> & {
    unchanged: number; neither: number;
    histogram: { from: string | null; to: string | null; households: number }[];
  };
  distribution?: { buckets: { from: string; to: string | null; baseline: number; candidate: number }[] };
  samples: Record<ChangeKind, SampleJson[]>;
  run?: { elapsed_ms: number; households_per_second: number; threads: number };
}
