// 动态监测 screen: start a run, watch runs' progress, read each list with its counts by
// programme and county, filter, export, and drill down to a household's explanation (the
// decision replayed) and its registry history.
import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { ErrorState, Empty } from '../shell/states';
import { LISTS, monitorApi, type ListName, type ListRow, type Run, type RunSummary } from './monitorApi';
import './monitor.css';

export default function MonitorScreen() {
  const { t } = useI18n();
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [asOf, setAsOf] = useState(() => new Date().toISOString().slice(0, 8) + '01');
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(() => { monitorApi.runs().then((r) => { setRuns(r); setError(null); }, setError); }, []);
  useEffect(reload, [reload]);
  const start = async () => {
    try { const r = await monitorApi.start(asOf); setSelected(r.id); reload(); } catch (e) { setError(e); }
  };
  return (
    <div className="monitor" data-testid="monitor-screen">
      <h2>{t('monitor.title')}</h2>
      <div className="monitor-start">
        <label>{t('monitor.asOf')} <input type="date" value={asOf} data-testid="monitor-as-of" onChange={(e) => setAsOf(e.target.value)} /></label>
        <button type="button" className="primary" data-testid="monitor-start" onClick={() => { void start(); }}>{t('monitor.start')}</button>
      </div>
      {error !== null && <ErrorState error={error} onRetry={reload} />}
      <table className="monitor-runs" data-testid="monitor-runs">
        <thead><tr><th>{t('monitor.asOf')}</th><th>{t('monitor.status')}</th><th>{t('monitor.progress')}</th></tr></thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} className={r.id === selected ? 'selected' : ''} data-testid="monitor-run-row" onClick={() => setSelected(r.id)}>
              <td>{r.as_of}</td><td>{t(`monitor.status.${r.status}` as 'monitor.status.done')}</td><td>{r.households_done} / {r.households_total}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {runs.length === 0 && error === null && <Empty>{t('monitor.noRuns')}</Empty>}
      {selected && <RunView id={selected} onChange={reload} />}
    </div>
  );
}

function RunView({ id, onChange }: { id: string; onChange(): void }) {
  const { t, lang } = useI18n();
  const [run, setRun] = useState<Run | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [list, setList] = useState<ListName>('newly_eligible');
  const [policy, setPolicy] = useState('');
  const [county, setCounty] = useState('');
  const [rows, setRows] = useState<ListRow[]>([]);
  const [household, setHousehold] = useState<ListRow | null>(null);

  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => monitorApi.run(id).then((r) => {
      if (stop) return;
      setRun(r);
      if (r.status === 'running') timer = setTimeout(poll, 1000); else onChange();
    }, setError);
    void poll();
    return () => { stop = true; if (timer) clearTimeout(timer); };
  }, [id, onChange]);

  const done = run?.status;
  useEffect(() => {
    monitorApi.list(id, list, { policy: policy || undefined, county: county || undefined }).then((r) => setRows(r.rows), setError);
  }, [id, list, policy, county, done]);

  if (error !== null) return <ErrorState error={error} />;
  if (!run) return null;
  const counts = run.lists[list];
  return (
    <section className="monitor-run" data-testid="monitor-run">
      <div className="monitor-progress">
        <progress max={1} value={run.progress.fraction} />
        <span data-testid="monitor-progress">{run.progress.households_done} / {run.progress.households_total}</span>
        <span data-testid="monitor-status">{t(`monitor.status.${run.status}` as 'monitor.status.done')}</span>
        {run.status === 'running' && <button type="button" onClick={() => { void monitorApi.cancel(id).then(setRun, setError); }}>{t('common.cancel')}</button>}
      </div>
      <nav className="monitor-lists">
        {LISTS.map((l) => (
          <button key={l} type="button" data-testid={`monitor-list-${l}`} className={l === list ? 'active' : ''} onClick={() => { setList(l); setHousehold(null); }}>
            {run.lists[l].label[lang]} <b>{run.lists[l].total}</b>
          </button>
        ))}
      </nav>
      <div className="monitor-counts">
        <div><h4>{t('monitor.byPolicy')}</h4>{Object.entries(counts.by_policy).map(([p, n]) => <div key={p}>{p}: <b data-testid={`monitor-count-${p}`}>{n}</b></div>)}</div>
        <div><h4>{t('monitor.byCounty')}</h4>{Object.entries(counts.by_county).map(([c, n]) => <div key={c}>{c || '—'}: <b>{n}</b></div>)}</div>
      </div>
      <div className="monitor-filters">
        <label>{t('monitor.policy')} <select value={policy} data-testid="monitor-filter-policy" onChange={(e) => setPolicy(e.target.value)}>
          <option value="">{t('monitor.all')}</option>{Object.keys(counts.by_policy).map((p) => <option key={p} value={p}>{p}</option>)}
        </select></label>
        <label>{t('monitor.county')} <select value={county} onChange={(e) => setCounty(e.target.value)}>
          <option value="">{t('monitor.all')}</option>{Object.keys(counts.by_county).map((c) => <option key={c} value={c}>{c}</option>)}
        </select></label>
        <button type="button" onClick={() => { void monitorApi.download(id, list, 'csv', { policy: policy || undefined, county: county || undefined }).catch(setError); }}>CSV</button>
        <button type="button" onClick={() => { void monitorApi.download(id, list, 'xlsx', { policy: policy || undefined, county: county || undefined }).catch(setError); }}>XLSX</button>
      </div>
      <table className="monitor-rows" data-testid="monitor-rows">
        <thead><tr><th>{t('monitor.household')}</th><th>{t('monitor.policy')}</th><th>{t('monitor.county')}</th><th>{t('monitor.detail')}</th></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.household_id}/${r.policy}`} data-testid="monitor-row" onClick={() => setHousehold(r)}>
              <td><button type="button" className="link">{r.household_id}</button></td><td>{r.policy}</td><td>{r.county}</td><td><code>{JSON.stringify(r.detail)}</code></td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <Empty>{t('monitor.emptyList')}</Empty>}
      {household && <HouseholdDrill row={household} />}
    </section>
  );
}

function HouseholdDrill({ row }: { row: ListRow }) {
  const { t } = useI18n();
  const [replay, setReplay] = useState<{ identical: boolean; outputs: Record<string, unknown> } | null>(null);
  const [history, setHistory] = useState<{ effective_from: string; seq: number; household: unknown }[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setReplay(null);
    if (row.decision_id) monitorApi.replay(row.decision_id).then(setReplay, setError);
    monitorApi.history(row.household_id).then((h) => setHistory(h.versions), setError);
  }, [row]);
  return (
    <aside className="monitor-drill" data-testid="monitor-drill">
      <h3>{row.household_id} · {row.policy}</h3>
      {error !== null && <ErrorState error={error} />}
      <h4>{t('monitor.explanation')}</h4>
      {replay && <pre data-testid="monitor-replay">{JSON.stringify(replay.outputs, null, 2)}</pre>}
      {replay && <div className="muted small">{replay.identical ? t('monitor.replayIdentical') : t('monitor.replayDiffers')}</div>}
      <h4>{t('monitor.history')}</h4>
      <ul data-testid="monitor-history">{history.map((v) => <li key={v.seq}>{t('monitor.from')} {v.effective_from}: <code>{JSON.stringify(v.household)}</code></li>)}</ul>
    </aside>
  );
}
