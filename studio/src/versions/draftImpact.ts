// The impact figures the publish confirmation can show: those of the newest finished simulation
// this key ran on exactly the saved draft (same revision). None when there is no such run: the
// confirmation never starts one (the impact tab does).
import { api, type ApiClient } from '../api/client';
import type { JobView } from '../impact/types';

export interface DraftImpact {
  job: string; households: number; baselineVersion: number;
  monthly: { baseline: string; candidate: string; change: string | null };
  recipients: { baseline: number; candidate: number };
  lost: number; left: number; gained: number; entered: number;
}

/** The newest done job on `policyId`'s draft at `revision` (null when none). */
export function pickJob(jobs: JobView[], policyId: string, revision: number | string): JobView | null {
  const fits = jobs.filter((j) => j.policy === policyId && j.status === 'done'
    && j.request.candidate.version === 'draft' && String(j.request.candidate.revision) === String(revision));
  fits.sort((a, b) => String(b.finished_at ?? '').localeCompare(String(a.finished_at ?? '')));
  return fits[0] ?? null;
}

export async function draftImpact(policyId: string, revision: number | string, client: ApiClient = api): Promise<DraftImpact | null> {
  const list = await client.raw('GET', '/api/simulations');
  if (list.status >= 400) return null;       // a role without simulations: nothing to show
  const job = pickJob((list.body as { jobs?: JobView[] }).jobs ?? [], policyId, revision);
  if (!job) return null;
  const full = await client.raw('GET', `/api/simulations/${encodeURIComponent(job.id)}`);
  return full.status < 400 ? impactOf(full.body as JobView) : null;
}

/** The figures of a finished job (null while it has no result). */
export function impactOf(job: JobView): DraftImpact | null {
  const r = job.result;
  if (!r) return null;
  return {
    job: job.id, households: r.population.households, baselineVersion: job.request.baseline.version,
    monthly: { baseline: r.totals.baseline.monthly_cost, candidate: r.totals.candidate.monthly_cost, change: r.totals.change?.monthly_cost ?? null },
    recipients: { baseline: r.totals.baseline.recipient_households, candidate: r.totals.candidate.recipient_households },
    lost: r.changes.lost.households, left: r.changes.left.households, gained: r.changes.gained.households, entered: r.changes.entered.households,
  };
}
