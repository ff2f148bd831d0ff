// A publish request as a reviewer reads it: exactly its snapshot (never the current draft) — the
// diff against the version it follows and its scenario results — with approve (naming the
// snapshot's hash) and reject, each with a note. A role that may not decide sees the status only.
import { useEffect, useId, useState } from 'react';
import { errorText, api, ApiError, type Me, type PublishRequestReview } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { mayDecide } from '../shell/roles';
import { ErrorState, Loading } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { LineDiffView, TestSummary } from './LineDiffView';
import { ReviewImpact } from './ReviewImpact';

interface Props {
  policyId: string;
  requestId: string;
  me: Me | null;
  onDecided(r: { kind: 'approved'; version: number } | { kind: 'rejected'; id: string }): void;
  onClose(): void;
}

export function ReviewPanel({ policyId, requestId, me, onDecided, onClose }: Props) {
  const { lang, t } = useI18n();
  const titleId = useId();
  const req = useAsync(() => api.publishRequest(policyId, requestId), [policyId, requestId]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; details: string[] } | null>(null);

  useEffect(() => {
    const on = (e: KeyboardEvent) => { if (e.key === 'Escape' && !busy) onClose(); };
    window.addEventListener('keydown', on);
    return () => window.removeEventListener('keydown', on);
  }, [busy, onClose]);

  async function decide(how: 'approve' | 'reject', r: PublishRequestReview) {
    setBusy(true);
    setError(null);
    try {
      if (how === 'approve') onDecided({ kind: 'approved', version: await api.approve(policyId, r.id, r.hash, note.trim() || undefined) });
      else { await api.reject(policyId, r.id, note.trim()); onDecided({ kind: 'rejected', id: r.id }); }
    } catch (e) {
      const details = e instanceof ApiError ? e.details.map((d) => `${d.path ? d.path + ': ' : ''}${d.message}`) : [];
      setError({ text: errorText(e, lang), details });
    } finally {
      setBusy(false);
    }
  }

  const r = req.data;
  return (
    <div className="modal-backdrop">
      <div className="modal review-panel" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid="review-panel">
        <h3 id={titleId}>{t('review.title', { id: requestId })}</h3>
        {req.error ? <ErrorState error={req.error} onRetry={req.reload} /> : !r ? <Loading /> : (
          <>
            <dl className="review-facts" data-testid="review-facts">
              <dt>{t('review.status')}</dt><dd data-testid="review-status" data-status={r.status}>{t(`review.status.${r.status}`)}</dd>
              <dt>{t('review.requestedBy')}</dt><dd>{r.requested_by ?? '—'}{r.requested_at ? ` · ${r.requested_at.replace('T', ' ').slice(0, 16)}` : ''}</dd>
              <dt>{t('ver.publish.effective')}</dt><dd data-testid="review-effective">{r.effective_from}</dd>
              <dt>{t('ver.publish.note')}</dt><dd data-testid="review-note-text">{r.note}</dd>
              <dt>{t('review.base')}</dt><dd>{r.base ? t('review.baseVersion', { n: r.base.version, date: r.base.effective_from }) : t('review.noBase')}</dd>
              <dt>{t('ver.hash')}</dt><dd title={r.hash}><code data-testid="review-hash">{r.hash.slice(0, 12)}</code></dd>
              {r.decided_by && <><dt>{t('review.decidedBy')}</dt><dd>{r.decided_by}{r.decision_note ? ` · ${r.decision_note}` : ''}</dd></>}
            </dl>
            <section>
              <h4>{t('review.diff', { base: r.base ? t('ver.version', { n: r.base.version }) : '—' })}</h4>
              <LineDiffView diff={r.diff.source} testid="review-diff" />
              {(r.diff.scenarios.added > 0 || r.diff.scenarios.removed > 0) && (
                <details>
                  <summary>{t('ver.confirm.scenarioDiff', { a: r.diff.scenarios.added, r: r.diff.scenarios.removed })}</summary>
                  <LineDiffView diff={r.diff.scenarios} testid="review-scenario-diff" />
                </details>
              )}
            </section>
            <section>
              <h4>{t('ver.confirm.tests')}</h4>
              <TestSummary run={r.test} testid="review-tests" />
            </section>
            <section>
              <h4>{t('ver.confirm.impact')}</h4>
              <ReviewImpact policyId={policyId} requestId={r.id} baseVersion={r.base?.version ?? null} />
            </section>
            {r.status === 'pending' && (mayDecide(me, r.requested_by) ? (
              <>
                <label className="field">
                  <span className="field-label">{t('review.note')}</span>
                  <textarea data-testid="review-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
                </label>
                <div className="modal-actions">
                  <button type="button" className="primary" data-testid="review-approve" disabled={busy} onClick={() => decide('approve', r)}>{t('review.approve')}</button>
                  <button type="button" className="danger" data-testid="review-reject" disabled={busy} onClick={() => decide('reject', r)}>{t('review.reject')}</button>
                </div>
              </>
            ) : <p className="muted" data-testid="review-waiting">{me && me.role !== 'admin' && me.role !== 'reviewer' ? t('review.waiting') : t('review.ownRequest')}</p>)}
            {error && (
              <div className="notice error" role="alert" data-testid="review-error">
                {error.text}
                {error.details.length > 0 && <ul>{error.details.map((d, i) => <li key={i}>{d}</li>)}</ul>}
              </div>
            )}
          </>
        )}
        <div className="modal-actions">
          <button type="button" data-testid="review-close" autoFocus disabled={busy} onClick={onClose}>{t('common.close')}</button>
        </div>
      </div>
    </div>
  );
}
