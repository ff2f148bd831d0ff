// Drill-down into one changed household: the household is regenerated in the browser from the
// population's (preset, seed, index) — the generator is deterministic, so it is the household
// the simulation evaluated — then evaluated under the baseline and the candidate and explained
// with the shared TraceTree. Published versions go through POST /api/policies/{id}/evaluate
// (pinned version, the job's as_of); the draft is evaluated in a language worker (draftEval.ts).
import { useEffect, useRef, useState } from 'react';
import { api, toApiError } from '../api/client';
import { TraceTree, showValue } from '../explain/TraceTree';
import type { Assumption, Json, TraceEntry } from '../language/types';
import { ErrorState, Loading } from '../shell/states';
import { PopulationGenerator } from '../../../simulation/generator.js';
import { DraftNotCompilable, evaluateDraft } from './draftEval';
import { useI18n, useT } from '../i18n/i18n';
import type { Lang } from '../i18n/dict';
import { groupDigits, signed } from './money';
import type { ChangeKind, JobView, SampleJson } from './types';

export interface Explained { outputs: Record<string, Json>; trace: TraceEntry[]; assumptions?: Assumption[] }
export interface ExplainSide { title: string; state: { loading: true } | { error: unknown } | { value: Explained } }

/** The household the simulation evaluated at `index` of a generated population. */
export function regenerate(job: JobView, index: number): Record<string, unknown> | null {
  const g = job.request.population.generate;
  if (!g) return null;
  return new PopulationGenerator({ preset: g.preset, seed: g.seed, asOf: job.request.as_of }).household(index);
}

async function viaApi(policyId: string, household: unknown, asOf: string, version: number): Promise<Explained> {
  const res = await api.evaluate(policyId, { household, as_of: asOf, version });
  if (res.status >= 400) throw toApiError(res);
  const body = res.body as { outputs?: Record<string, Json>; trace?: TraceEntry[]; assumptions?: Assumption[] };
  return { outputs: body.outputs ?? {}, trace: Array.isArray(body.trace) ? body.trace : [], assumptions: body.assumptions };
}

async function viaDraft(policyId: string, household: unknown, asOf: string, lang: Lang): Promise<Explained & { revision: number | string }> {
  const draft = await api.getDraft(policyId);
  const r = await evaluateDraft(draft.source, household, asOf);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message[lang]}`).join('; '));
  return { outputs: r.outputs, trace: r.trace ?? [], assumptions: r.assumptions, revision: draft.revision };
}

export function HouseholdExplain({ policyId, job, sample, kind, onClose }: {
  policyId: string; job: JobView; sample: SampleJson; kind: ChangeKind; onClose(): void;
}) {
  const t = useT();
  const { lang } = useI18n();
  const [household, setHousehold] = useState<Record<string, unknown> | null>(null);
  const [base, setBase] = useState<ExplainSide['state']>({ loading: true });
  const [cand, setCand] = useState<ExplainSide['state']>({ loading: true });
  const [draftRevision, setDraftRevision] = useState<number | string | null>(null);
  const asOf = job.request.as_of;
  const cv = job.request.candidate.version;
  const box = useRef<HTMLElement>(null);
  useEffect(() => { box.current?.scrollIntoView?.({ block: 'nearest' }); }, [sample.index]);

  useEffect(() => {
    let live = true;
    setBase({ loading: true }); setCand({ loading: true }); setDraftRevision(null);
    let h: Record<string, unknown> | null = null;
    try { h = regenerate(job, sample.index); } catch (e) { setBase({ error: e }); setCand({ error: e }); }
    setHousehold(h);
    if (!h) {
      if (!job.request.population.generate) { const e = new Error(t('impact.explain.notGenerated')); setBase({ error: e }); setCand({ error: e }); }
      return;
    }
    viaApi(policyId, h, asOf, job.request.baseline.version).then((v) => { if (live) setBase({ value: v }); }, (e) => { if (live) setBase({ error: e }); });
    const c = typeof cv === 'number'
      ? viaApi(policyId, h, asOf, cv)
      : viaDraft(policyId, h, asOf, lang).then((v) => { if (live) setDraftRevision(v.revision); return v; });
    c.then((v) => { if (live) setCand({ value: v }); }, (e) => {
      if (live) setCand({ error: e instanceof DraftNotCompilable ? new Error(t('impact.explain.draftErrors')) : e });
    });
    return () => { live = false; };
  }, [policyId, job, sample.index, asOf, cv, t]);

  const id = sample.id ?? (household?.id as string | undefined) ?? `#${sample.index + 1}`;
  const baseTitle = `${t('impact.baseline')} · ${t('impact.label.version', { n: job.request.baseline.version })}`;
  const candTitle = `${t('impact.candidate')} · ${typeof cv === 'number' ? t('impact.label.version', { n: cv }) : t('impact.label.draft', { rev: String(job.request.candidate.revision ?? '?') })}`;
  const staleDraft = typeof cv !== 'number' && draftRevision !== null && job.request.candidate.revision !== undefined && String(draftRevision) !== String(job.request.candidate.revision);

  return (
    <section ref={box} className="impact-explain" data-testid="impact-explain" data-household={id}>
      <div className="panel-header">
        <h3>{t('impact.explain.title', { id })}</h3>
        <span className={`badge ${kind === 'entered' || kind === 'gained' ? 'ok' : 'bad'}`}>{t(`impact.kind.${kind}`)}</span>
        <span className="muted">{groupDigits(sample.baseline)} → {groupDigits(sample.candidate)} ({signed(sample.change ?? '')})</span>
        <button type="button" data-testid="impact-explain-close" onClick={onClose}>×</button>
      </div>
      {staleDraft && <div className="notice warn" data-testid="impact-explain-stale">{t('impact.explain.draftChanged', { now: String(draftRevision), then: String(job.request.candidate.revision) })}</div>}
      <div className="impact-explain-cols">
        <ExplainColumn testid="impact-explain-baseline" title={baseTitle} state={base} />
        <ExplainColumn testid="impact-explain-candidate" title={candTitle} state={cand} />
      </div>
      {household && (
        <details className="impact-household" data-testid="impact-explain-household">
          <summary>{t('impact.explain.household')}</summary>
          <pre className="json">{JSON.stringify(household, null, 2)}</pre>
        </details>
      )}
    </section>
  );
}

function ExplainColumn({ testid, title, state }: { testid: string; title: string; state: ExplainSide['state'] }) {
  const t = useT();
  return (
    <div className="impact-explain-col" data-testid={testid}>
      <h4>{title}</h4>
      {'loading' in state ? <Loading label={t('impact.explain.loading')} />
        : 'error' in state ? <ErrorState error={state.error} />
        : (
          <>
            <div data-testid={`${testid}-amount`}>{t('impact.explain.amount')}：<code>{showValue(state.value.outputs.monthly_amount ?? null)}</code></div>
            <TraceTree trace={state.value.trace} expanded={['monthly_amount']} assumptions={state.value.assumptions} />
          </>
        )}
    </div>
  );
}
