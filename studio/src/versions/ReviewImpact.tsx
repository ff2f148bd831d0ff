// The review screen's impact: the reviewer costs exactly the request's snapshot (a simulation
// with candidate = the request id, against its base version) on the policy's generated
// population, and sees the same figures the publish confirmation shows.
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { defaultPreset, POLL_MS } from '../impact/ImpactTab';
import { getSimulation, startSimulation } from '../impact/impactApi';
import type { JobView } from '../impact/types';
import { ErrorState } from '../shell/states';
import { impactOf } from './draftImpact';
import { ImpactFigures } from './ImpactFigures';

export const REVIEW_HOUSEHOLDS = 10_000;

export function ReviewImpact({ policyId, requestId, baseVersion }: { policyId: string; requestId: string; baseVersion: number | null }) {
  const { t } = useI18n();
  const [job, setJob] = useState<JobView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const preset = defaultPreset(policyId);

  useEffect(() => {
    if (!job || job.status === 'done' || job.status === 'failed' || job.status === 'cancelled') return;
    const timer = setTimeout(() => { getSimulation(job.id).then(setJob, setError); }, POLL_MS);
    return () => clearTimeout(timer);
  }, [job]);

  async function run() {
    setError(null);
    try {
      setJob(await startSimulation(policyId, {
        candidate: requestId, baseline: baseVersion ?? 'in-force', samples: 0,
        population: { generate: { preset, households: REVIEW_HOUSEHOLDS, seed: 1 } },
      }));
    } catch (e) { setError(e); }
  }

  const figures = job ? impactOf(job) : null;
  return (
    <div data-testid="review-impact" data-status={job?.status ?? 'idle'}>
      {figures ? <ImpactFigures impact={figures} testid="review-impact-figures" /> : (
        <button type="button" data-testid="review-impact-run" disabled={!!job && job.status !== 'failed'} onClick={run}>
          {job && job.status !== 'failed' ? t('review.impactRunning', { pct: Math.round((job.progress?.fraction ?? 0) * 100) }) : t('review.impactRun', { n: REVIEW_HOUSEHOLDS, preset })}
        </button>
      )}
      {job?.status === 'failed' && job.error && <div className="notice error" role="alert">{job.error.message}</div>}
      {error != null && <ErrorState error={error} />}
    </div>
  );
}
