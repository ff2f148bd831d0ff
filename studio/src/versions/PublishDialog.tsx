// The publish confirmation: before anything is published it shows what the new version changes
// (parameters before → after, the rules diff, the scenario results from the server), proposes a
// note from those changes and an effective date after the latest version's, and refuses a date
// on or before it with the reason (the server refuses it too).
import { useEffect, useId, useRef, useState } from 'react';
import { errorText, api, ApiError, type DiffResult, type PublishResult, type TestRunResult, type VersionMeta } from '../api/client';
import { useI18n } from '../i18n/i18n';
import type { Analysis } from '../language/protocol';
import { ErrorState, Loading } from '../shell/states';
import { parameterChanges, proposeNote, type ParamChange, type ParamLike } from './changeSummary';
import { defaultEffectiveDate, effectiveDateProblem, isFarFuture, todayInChina } from './effectiveDate';
import { LineDiffView, TestSummary } from './LineDiffView';
import { publishBlockers } from './publish';
import { draftImpact, type DraftImpact } from './draftImpact';
import { ImpactFigures } from './ImpactFigures';

interface Props {
  policyId: string;
  analysis: Analysis | null;
  latest: VersionMeta | null;
  /** Saves the draft as it is (the summary is read from the saved draft); false if saving failed. */
  save(): Promise<boolean>;
  /** Sets the header's 生效 and 说明 and saves; false if saving failed. */
  prepareAndSave(effective: string, note: string): Promise<boolean>;
  onDone(r: PublishResult): void;
  onClose(): void;
  /** For tests: today's date (China time). */
  today?: string;
}

interface Summary { changes: ParamChange[]; diff: DiffResult; test: TestRunResult; impact: DraftImpact | null }

export function PublishDialog({ policyId, analysis, latest, save, prepareAndSave, onDone, onClose, today }: Props) {
  const { lang, t } = useI18n();
  const titleId = useId();
  const day = today ?? todayInChina();
  const [summary, setSummary] = useState<Summary | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [effective, setEffective] = useState(() => defaultEffectiveDate(day, latest?.effective_from ?? null));
  const [note, setNote] = useState('');
  const noteTouched = useRef(false);
  const [farFuture, setFarFuture] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; details: string[] } | null>(null);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      if (!(await save())) throw new Error(t('draft.error', { message: '' }));
      const [policy, diff, test, draft] = await Promise.all([api.getPolicy(policyId), api.diff(policyId), api.draftTest(policyId), api.getDraft(policyId)]);
      const impact = await draftImpact(policyId, draft.revision).catch(() => null);
      const before = ((policy.info as { parameters?: ParamLike[] } | null)?.parameters) ?? [];
      const after = analysis?.info?.parameters ?? [];
      const changes = latest ? parameterChanges(before, after, lang) : [];
      return { changes, diff, test, impact };
    })().then((s) => {
      if (cancelled) return;
      setSummary(s);
      if (!noteTouched.current) setNote(proposeNote(s.changes, { source: s.diff.source, scenarios: s.diff.scenarios }, lang));
    }, (e) => { if (!cancelled) setLoadError(e); });
    return () => { cancelled = true; };
  }, [policyId]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const on = (e: KeyboardEvent) => { if (e.key === 'Escape' && !busy) onClose(); };
    window.addEventListener('keydown', on);
    return () => window.removeEventListener('keydown', on);
  }, [busy, onClose]);

  const dateProblem = effectiveDateProblem(effective, latest);
  const far = !dateProblem && isFarFuture(effective, day);
  const blockers = publishBlockers(analysis, { effective, note });
  const ready = summary !== null && !dateProblem && (!far || farFuture) && blockers.length === 0 && !busy;

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      if (!(await prepareAndSave(effective, note))) throw new Error(t('draft.error', { message: '' }));
      onDone(await api.publish(policyId, { effective_from: effective, note, ...(far ? { confirm_far_future: true } : {}) }));
    } catch (e) {
      const details = e instanceof ApiError ? e.details.map((d) => `${d.path ? d.path + ': ' : ''}${d.message}`) : [];
      setError({ text: `${t('ver.publish.rejected')}: ${errorText(e, lang)}`, details });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="modal-backdrop">
      <div className="modal publish-confirm" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid="publish-confirm">
        <h3 id={titleId}>{t('ver.confirm.title', { n: (latest?.version ?? 0) + 1 })}</h3>
        {loadError != null ? <ErrorState error={loadError} /> : !summary ? <Loading /> : (
          <>
            <section>
              <h4>{t('ver.confirm.params', { base: latest ? t('ver.version', { n: latest.version }) : '—' })}</h4>
              {summary.changes.length === 0 ? <p className="muted small" data-testid="publish-params-none">{t('ver.confirm.paramsNone')}</p> : (
                <table className="param-changes" data-testid="publish-params">
                  <thead><tr><th>{t('param.col.name')}</th><th>{t('ver.confirm.before')}</th><th></th><th>{t('ver.confirm.after')}</th></tr></thead>
                  <tbody>
                    {summary.changes.map((c) => (
                      <tr key={c.name} data-testid={`publish-param-${c.name}`}>
                        <td>{c.label}</td><td>{c.before ?? '—'}</td><td aria-hidden="true">→</td><td><strong>{c.after ?? '—'}</strong></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
            <section>
              <h4>{t('ver.confirm.rules')}</h4>
              <LineDiffView diff={summary.diff.source} testid="publish-diff" />
              {(summary.diff.scenarios.added > 0 || summary.diff.scenarios.removed > 0) && (
                <details>
                  <summary>{t('ver.confirm.scenarioDiff', { a: summary.diff.scenarios.added, r: summary.diff.scenarios.removed })}</summary>
                  <LineDiffView diff={summary.diff.scenarios} testid="publish-scenario-diff" />
                </details>
              )}
            </section>
            <section>
              <h4>{t('ver.confirm.tests')}</h4>
              <TestSummary run={summary.test} testid="publish-tests" />
            </section>
            <section>
              <h4>{t('ver.confirm.impact')}</h4>
              {!summary.impact ? <p className="muted small" data-testid="publish-impact-none">{t('ver.confirm.impactNone')}</p> : (
                <ImpactFigures impact={summary.impact} testid="publish-impact" />
              )}
            </section>
          </>
        )}
        <label className="field">
          <span className="field-label">{t('ver.publish.effective')}</span>
          <input type="date" data-testid="publish-effective" autoFocus value={effective} aria-invalid={dateProblem ? true : undefined}
            onChange={(e) => { setEffective(e.target.value); setFarFuture(false); }} />
          {latest && <span className="muted small">{t('ver.date.hint', { n: latest.version, date: latest.effective_from })}</span>}
        </label>
        {dateProblem && <div className="notice error" role="alert" data-testid="publish-date-error">{t(dateProblem.key, dateProblem.args)}</div>}
        {far && (
          <label className="notice warn">
            <input type="checkbox" data-testid="publish-far-future" checked={farFuture} onChange={(e) => setFarFuture(e.target.checked)} />{' '}
            {t('ver.date.farFuture', { date: effective })}
          </label>
        )}
        <label className="field">
          <span className="field-label">{t('ver.publish.note')}</span>
          <textarea data-testid="publish-note" rows={2} value={note} onChange={(e) => { noteTouched.current = true; setNote(e.target.value); }} />
          <span className="muted small">{t('ver.confirm.noteHint')}</span>
        </label>
        {blockers.length > 0 && (
          <div className="notice warn" data-testid="publish-blockers">
            {t('ver.publish.blocked')}
            <ul>{blockers.map((b, i) => <li key={i}>{t(b.key, b.args)}</li>)}</ul>
          </div>
        )}
        {error && (
          <div className="notice error" data-testid="publish-message" role="alert">
            {error.text}
            {error.details.length > 0 && <ul>{error.details.map((d, i) => <li key={i}>{d}</li>)}</ul>}
          </div>
        )}
        <div className="modal-actions">
          <button type="button" className="primary" data-testid="publish-submit" disabled={!ready} onClick={confirm}>{t('ver.confirm.submit')}</button>
          <button type="button" data-testid="publish-cancel" disabled={busy} onClick={onClose}>{t('common.cancel')}</button>
        </div>
      </div>
    </div>
  );
}
