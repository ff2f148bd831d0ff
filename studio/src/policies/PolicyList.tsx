// Policy list: program, jurisdiction, latest version + effective date, draft status, assumed
// parameter count; search and filters.
import { useEffect, useMemo, useState } from 'react';
import { api, type PolicySummary } from '../api/client';
import { useT } from '../i18n/i18n';
import { href } from '../shell/router';
import { Empty, ErrorState, Loading } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { NewPolicyButton } from '../newpolicy/NewPolicy';
import { prefetchWorkspace } from '../editor/load';

export function filterPolicies(list: PolicySummary[], q: string, program: string, status: string): PolicySummary[] {
  const needle = q.trim().toLowerCase();
  return list.filter((p) => {
    if (program && p.program !== program) return false;
    if (status === 'draft' && !p.draft_changed) return false;
    if (status === 'assumed' && !(p.assumed_count > 0)) return false;
    if (status === 'retired' && !p.retired) return false;
    if (!needle) return true;
    return [p.id, p.title, p.jurisdiction, p.program].some((s) => (s ?? '').toLowerCase().includes(needle));
  });
}

export function PolicyList() {
  const t = useT();
  const { data, error, loading, reload } = useAsync(() => api.listPolicies(), []);
  const [q, setQ] = useState('');
  const [program, setProgram] = useState('');
  const [status, setStatus] = useState('');
  const programs = useMemo(() => [...new Set((data ?? []).map((p) => p.program).filter(Boolean))].sort(), [data]);
  const shown = useMemo(() => filterPolicies(data ?? [], q, program, status), [data, q, program, status]);
  useEffect(() => { if (data) prefetchWorkspace(); }, [data]);

  return (
    <section className="screen policy-list" data-testid="policy-list-screen">
      <header className="screen-header">
        <h2>{t('list.title')}</h2>
        <div className="toolbar">
          <NewPolicyButton />
          <input type="search" data-testid="policy-search" aria-label={t('list.search')} placeholder={t('list.search')} value={q} onChange={(e) => setQ(e.target.value)} />
          <select data-testid="policy-filter-program" aria-label={t('a11y.program')} value={program} onChange={(e) => setProgram(e.target.value)}>
            <option value="">{t('list.filterProgram')}</option>
            {programs.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
          <select data-testid="policy-filter-status" aria-label={t('a11y.status')} value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t('list.filterStatus')}</option>
            <option value="draft">{t('list.status.draftChanged')}</option>
            <option value="assumed">{t('list.status.hasAssumed')}</option>
            <option value="retired">{t('list.status.retired')}</option>
          </select>
          {data && <span className="muted" data-testid="policy-count">{t('list.count', { n: shown.length })}</span>}
        </div>
      </header>
      {loading && !data ? <Loading /> : error ? <ErrorState error={error} onRetry={reload} /> : !data?.length ? <Empty testid="policy-list-empty">{t('list.empty')}</Empty> : !shown.length ? <Empty testid="policy-list-nomatch">{t('list.noMatch')}</Empty> : (
        <table className="data-table" data-testid="policy-table">
          <thead>
            <tr>
              <th>{t('list.col.title')}</th><th>{t('list.col.program')}</th><th>{t('list.col.jurisdiction')}</th>
              <th>{t('list.col.version')}</th><th>{t('list.col.effective')}</th><th>{t('list.col.draft')}</th><th>{t('list.col.assumed')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((p) => (
              <tr key={p.id} data-testid={`policy-row-${p.id}`} className={p.retired ? 'retired' : undefined}>
                <td>
                  <a href={href({ screen: 'policy', id: p.id, tab: 'editor' })} data-testid={`policy-link-${p.id}`}>{p.title || p.id}</a>
                  <div className="muted small">{p.id}{p.retired ? ` · ${t('list.status.retired')}` : ''}</div>
                </td>
                <td>{p.program}</td>
                <td>{p.jurisdiction}</td>
                <td>{p.latest_version != null ? `v${p.latest_version}` : <span className="muted">{t('list.unpublished')}</span>}</td>
                <td>{p.latest_effective_from ?? '—'}</td>
                <td>{p.draft_changed ? <span className="badge warn">{t('list.draft.changed')}</span> : <span className="muted">{t('list.draft.clean')}</span>}</td>
                <td>{p.assumed_count > 0 ? <span className="badge warn" data-testid={`policy-assumed-${p.id}`}>{p.assumed_count}</span> : <span className="muted">0</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
