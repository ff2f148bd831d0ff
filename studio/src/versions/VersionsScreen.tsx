// Versions: the timeline of published versions, a diff between any two (or draft vs latest),
// publishing through a confirmation that summarises the change (blocked with reasons while
// there are errors or failing scenarios), and the publish requests a reviewer opens to decide.
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, SETTINGS_CHANGED, type PublishRequestRecord, type PublishResult, type VersionMeta } from '../api/client';
import { translate, useI18n } from '../i18n/i18n';
import { monaco } from '../language/monaco';
import type { Analysis } from '../language/protocol';
import { Empty, ErrorState, Loading } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { mayDecide, mayPublish } from '../shell/roles';
import { draftBlockers } from './publish';
import { PublishDialog } from './PublishDialog';
import { ReviewPanel } from './ReviewPanel';

interface Props {
  policyId: string;
  analysis: Analysis | null;
  draft(): { source: string; scenarios: string };
  /** Saves the draft as it is; resolves false if saving failed. */
  save(): Promise<boolean>;
  /** Sets the header's effective date and note (if needed) and saves; resolves false if saving failed. */
  prepareAndSave(effective: string, note: string): Promise<boolean>;
  onPublished(): void;
  active: boolean;
  /** The header of a version's source (from the language worker): marks versions whose effective date is assumed. */
  headerOf?(source: string): Promise<{ effective: string | null; effectiveAssumed?: string | null } | null>;
}

type Side = 'draft' | number;
type DiffFile = 'source' | 'scenarios';

export function VersionsScreen({ policyId, analysis, draft, save, prepareAndSave, onPublished, active, headerOf }: Props) {
  const { t } = useI18n();
  const versions = useAsync(() => api.versions(policyId), [policyId]);
  const requests = useAsync(() => api.publishRequests(policyId).catch(() => [] as PublishRequestRecord[]), [policyId]);
  const list = useMemo(() => [...(versions.data ?? [])].sort((a, b) => b.version - a.version), [versions.data]);
  const latest = list[0];
  const assumedDates = useAssumedDates(policyId, list, headerOf);
  const [left, setLeft] = useState<Side | null>(null);
  const [right, setRight] = useState<Side>('draft');
  const [diffFile, setDiffFile] = useState<DiffFile>('source');
  const me = useAsync(() => api.me().catch(() => null), []);
  const [confirming, setConfirming] = useState(false);
  const [reviewing, setReviewing] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error' | 'review'; text: string } | null>(null);

  useEffect(() => { if (active) { versions.reload(); requests.reload(); } }, [active]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => { if (left === null && latest) setLeft(latest.version); }, [latest, left]);
  // another key is another person: the previous one's messages and open dialogs are not theirs
  useEffect(() => {
    const on = () => { setMessage(null); setConfirming(false); setReviewing(null); };
    window.addEventListener(SETTINGS_CHANGED, on);
    return () => window.removeEventListener(SETTINGS_CHANGED, on);
  }, []);

  const blockers = draftBlockers(analysis);
  const all = [...(requests.data ?? [])].reverse();
  const pending = all.filter((r) => r.status === 'pending');
  const decided = all.filter((r) => r.status !== 'pending').slice(0, 3);
  const canPublish = mayPublish(me.data ?? null);

  function published(r: PublishResult) {
    setConfirming(false);
    if (r.kind === 'published') {
      setMessage({ kind: 'ok', text: t('ver.publish.done', { n: r.version }) });
      setLeft(r.version);
      onPublished();
    } else {
      setMessage({ kind: 'review', text: t('ver.publish.review', { id: r.requestId }) });
    }
    versions.reload();
    requests.reload();
  }

  function decided_(r: { kind: 'approved'; version: number } | { kind: 'rejected'; id: string }) {
    setReviewing(null);
    if (r.kind === 'approved') {
      setMessage({ kind: 'ok', text: t('ver.publish.approved', { n: r.version }) });
      setLeft(r.version);
      onPublished();
    } else {
      setMessage({ kind: 'review', text: t('review.rejected', { id: r.id }) });
    }
    versions.reload();
    requests.reload();
  }

  return (
    <section className="screen versions" data-testid="versions-screen">
      <div className="versions-layout">
        <div className="timeline-col">
          <h3>{t('ver.title')}</h3>
          {versions.loading && !versions.data ? <Loading /> : versions.error ? <ErrorState error={versions.error} onRetry={versions.reload} /> : !list.length ? <Empty testid="versions-empty">{t('ver.none')}</Empty> : (
            <ol className="timeline" data-testid="version-timeline">
              {list.map((v) => <TimelineItem key={v.version} v={v} assumed={assumedDates.get(v.version) ?? null} onCompare={() => { setLeft(v.version); setRight('draft'); }} />)}
            </ol>
          )}
          <div className="publish-box" data-testid="publish-dialog">
            <h3>{t('ver.publish')}</h3>
            {canPublish ? (
              <>
                {blockers.length > 0 && (
                  <div className="notice warn" data-testid="publish-blockers">
                    {t('ver.publish.blocked')}
                    <ul>{blockers.map((b, i) => <li key={i}>{t(b.key, b.args)}</li>)}</ul>
                  </div>
                )}
                <button type="button" className="primary" data-testid="publish-open" disabled={blockers.length > 0 || pending.length > 0 || !versions.data /* the default date needs the latest version */}
                  onClick={() => { setMessage(null); setConfirming(true); }}>{t('ver.publish.open')}</button>
                {pending.length > 0 && <p className="muted small">{t('ver.publish.onePending')}</p>}
              </>
            ) : <p className="muted small" data-testid="publish-not-allowed">{t('ver.publish.notAllowed', { role: me.data ? t(`role.${me.data.role}`) : '' })}</p>}
            {message && !confirming && (
              <div className={`notice ${message.kind === 'error' ? 'error' : message.kind === 'ok' ? 'ok' : 'warn'}`} data-testid="publish-message" role="status">
                {message.text}
              </div>
            )}
            {(pending.length > 0 || decided.length > 0) && (
              <div className="review-box" data-testid="publish-requests">
                <h4>{t('review.requests')}</h4>
                <ul data-testid="pending-requests">
                  {[...pending, ...decided].map((r) => (
                    <li key={r.id} className="pending-request" data-testid={`request-${r.id}`} data-status={r.status}>
                      <span><strong>{r.id}</strong> · <span className={`badge ${r.status === 'pending' ? 'warn' : r.status === 'approved' ? 'ok' : ''}`}>{t(`review.status.${r.status}`)}</span> · {r.effective_from} · {r.note}</span>
                      <button type="button" className="link" data-testid={`open-request-${r.id}`} onClick={() => setReviewing(r.id)}>
                        {r.status === 'pending' && mayDecide(me.data ?? null, r.requested_by) ? t('review.open') : t('review.view')}
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </div>
        </div>
        <div className="diff-col">
          <div className="toolbar">
            <strong>{t('ver.diff')}</strong>
            <label>{t('ver.diffLeft')} <SideSelect testid="diff-left" value={left} list={list} onChange={setLeft} /></label>
            <label>{t('ver.diffRight')} <SideSelect testid="diff-right" value={right} list={list} onChange={(v) => setRight(v ?? 'draft')} /></label>
            <select data-testid="diff-file" aria-label={t('a11y.diffFile')} value={diffFile} onChange={(e) => setDiffFile(e.target.value as DiffFile)}>
              <option value="source">{t('editor.file.policy')}</option>
              <option value="scenarios">{t('editor.file.scenarios')}</option>
            </select>
          </div>
          {active && <DiffView policyId={policyId} left={left} right={right} file={diffFile} draft={draft} />}
        </div>
      </div>
      {confirming && <PublishDialog policyId={policyId} analysis={analysis} latest={latest ?? null} save={save} prepareAndSave={prepareAndSave}
        onDone={published} onClose={() => setConfirming(false)} />}
      {reviewing && <ReviewPanel policyId={policyId} requestId={reviewing} me={me.data ?? null} onDecided={decided_} onClose={() => setReviewing(null)} />}
    </section>
  );
}

/** For each published version whose header marks its effective date 假定 (and which was published
 *  on that date), the reason given; read from the versions' sources through the language worker. */
function useAssumedDates(policyId: string, list: VersionMeta[], headerOf: Props['headerOf']): Map<number, string> {
  const [marks, setMarks] = useState<Map<number, string>>(new Map());
  const key = list.map((v) => `${v.version}:${v.hash}`).join(',');
  useEffect(() => {
    if (!headerOf || !list.length) return;
    let cancelled = false;
    void Promise.all(list.map(async (v) => {
      const h = await headerOf((await api.version(policyId, v.version)).source).catch(() => null);
      return h?.effectiveAssumed && h.effective === v.effective_from ? [v.version, h.effectiveAssumed] as const : null;
    })).then((found) => { if (!cancelled) setMarks(new Map(found.filter((x) => x !== null))); }, () => {});
    return () => { cancelled = true; };
  }, [policyId, key, headerOf]); // eslint-disable-line react-hooks/exhaustive-deps
  return marks;
}

function TimelineItem({ v, assumed, onCompare }: { v: VersionMeta; assumed: string | null; onCompare(): void }) {
  const { t } = useI18n();
  return (
    <li className="timeline-item" data-testid={`version-${v.version}`}>
      <div className="timeline-head">
        <strong>{t('ver.version', { n: v.version })}</strong>
        <span className="badge">{t('ver.effective', { date: v.effective_from })}</span>
        {assumed && <span className="badge warn" data-testid={`version-${v.version}-assumed`} title={assumed}>{t('ver.effectiveAssumed')}</span>}
      </div>
      {assumed && <div className="muted small" data-testid={`version-${v.version}-assumed-text`}>{t('ver.effectiveAssumed')}：{assumed}</div>}
      {v.note && <div className="version-note">{v.note}</div>}
      <div className="muted small">
        {v.author && <span>{t('ver.author')}: {v.author} · </span>}
        {v.published_at && <span>{t('ver.publishedAt')}: {v.published_at.replace('T', ' ').slice(0, 16)} · </span>}
        <span title={v.hash}>{t('ver.hash')}: <code>{v.hash.slice(0, 12)}</code></span>
      </div>
      <button type="button" className="link" data-testid={`compare-${v.version}`} onClick={onCompare}>{t('ver.diff')} ↔ {t('ver.draft')}</button>
    </li>
  );
}

function SideSelect({ value, list, onChange, testid }: { value: Side | null; list: VersionMeta[]; onChange(v: Side | null): void; testid: string }) {
  const { t } = useI18n();
  return (
    <select data-testid={testid} value={value === null ? '' : String(value)} onChange={(e) => onChange(e.target.value === 'draft' ? 'draft' : e.target.value === '' ? null : Number(e.target.value))}>
      <option value="">—</option>
      <option value="draft">{t('ver.draft')}</option>
      {list.map((v) => <option key={v.version} value={v.version}>{t('ver.version', { n: v.version })} ({v.effective_from})</option>)}
    </select>
  );
}

function DiffView({ policyId, left, right, file, draft }: { policyId: string; left: Side | null; right: Side; file: DiffFile; draft(): { source: string; scenarios: string } }) {
  const { lang } = useI18n();
  const host = useRef<HTMLDivElement>(null);
  const diff = useRef<monaco.editor.IStandaloneDiffEditor | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const d = monaco.editor.createDiffEditor(host.current!, {
      automaticLayout: true, readOnly: true, renderSideBySide: true, minimap: { enabled: false },
      originalEditable: false, theme: 'policy-light', wordWrap: 'on', 'semanticHighlighting.enabled': true,
    } as monaco.editor.IStandaloneDiffEditorConstructionOptions);
    diff.current = d;
    return () => {
      const m = d.getModel();
      d.dispose();
      m?.original.dispose();
      m?.modified.dispose();
      diff.current = null;
    };
  }, []);

  // each side's hidden input needs a name (the diff editor's own aria options do not reach it)
  useEffect(() => {
    diff.current?.getOriginalEditor().updateOptions({ ariaLabel: translate(lang, 'a11y.diffOriginal') });
    diff.current?.getModifiedEditor().updateOptions({ ariaLabel: translate(lang, 'a11y.diffModified') });
  }, [lang]);

  useEffect(() => {
    let cancelled = false;
    const load = async (s: Side | null) => (s === null ? '' : s === 'draft' ? draft()[file] : (await api.version(policyId, s))[file] ?? '');
    const language = file === 'source' ? 'policy' : 'yaml';
    Promise.all([load(left), load(right)]).then(([a, b]) => {
      if (cancelled || !diff.current) return;
      const old = diff.current.getModel();
      diff.current.setModel({ original: monaco.editor.createModel(a, language), modified: monaco.editor.createModel(b, language) });
      old?.original.dispose();
      old?.modified.dispose();
      setError(null);
    }, (e) => { if (!cancelled) setError(e); });
    return () => { cancelled = true; };
  }, [policyId, left, right, file]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <>
      {error != null && <ErrorState error={error} />}
      <div className="diff-host" ref={host} data-testid="diff-editor" />
    </>
  );
}
