// Mounted by studio/src/editor/Workspace.tsx (tab 'impact', route #/p/<id>/impact, label
// t('impact.tab')). Its strings are the `impact.*` keys of the studio's one dictionary
// (studio/src/i18n/dict.ts), read through the shared useT().
//
// The Impact tab (issue 7, "what a draft would do to a whole population, before it is
// published"): choose a baseline (version in force / version N) and a candidate (draft /
// version N), a generated population (preset, households, seed), start a job
// (POST /api/policies/{id}/simulations), follow its progress (GET /api/simulations/{job}),
// cancel it (DELETE), then read the result: households, persons, monthly and yearly cost before
// and after, the 2% purchased-services budget, the changes by kind with a histogram, and a table
// of changed households whose explanation opens on click. Money is shown as the API sends it.
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, type VersionMeta } from '../api/client';
import { ErrorState, Loading } from '../shell/states';
import { presets } from '../../../simulation/generator.js';
import { CostBars, ChangeHistogram, DistributionChart } from './Charts';
import { ChangedTable, changedRows, rowKey, type ChangedRow } from './ChangedTable';
import { Findings } from './Findings';
import { disposeDraftEvaluator } from './draftEval';
import { HouseholdExplain } from './HouseholdExplain';
import { cancelSimulation, getSimulation, startSimulation } from './impactApi';
import { count, groupDigits, signed, signOf, subYuan } from './money';
import { CHANGE_KINDS, type GroupJson, type JobView, type SimulationInput, type SimulationResult, type Totals } from './types';
import type { Lang, MessageKey } from '../i18n/dict';
import { translate, useI18n, useT, type Translate } from '../i18n/i18n';
import './impact.css';

/** The tab's label, for the Workspace's tab bar. */
export function impactTabLabel(lang: Lang): string { return translate(lang, 'impact.tab'); }

export const POLL_MS = 400;
export const SAMPLES = 50;
export const MAX_HOUSEHOLDS = 2_000_000;
const jobKey = (policyId: string) => `studio.impact.job.${policyId}`;

/** The population preset of the policy's place (the first preset otherwise). */
export function defaultPreset(policyId: string): string {
  const names = Object.keys(presets);
  return names.find((n) => policyId === n || policyId.startsWith(`${n}-`)) ?? names[0] ?? 'dawukou';
}

function rememberJob(policyId: string, jobId: string | null) {
  try {
    if (jobId) globalThis.sessionStorage?.setItem(jobKey(policyId), jobId);
    else globalThis.sessionStorage?.removeItem(jobKey(policyId));
  } catch { /* storage unavailable */ }
}
function rememberedJob(policyId: string): string | null {
  try { return globalThis.sessionStorage?.getItem(jobKey(policyId)) ?? null; } catch { return null; }
}

const active = (j: JobView | null) => !!j && (j.status === 'queued' || j.status === 'running');

export function ImpactTab({ policyId }: { policyId: string }) {
  const { t, lang } = useI18n();
  const [versions, setVersions] = useState<VersionMeta[] | null>(null);
  const [baseline, setBaseline] = useState<string>('in-force');
  const [candidate, setCandidate] = useState<string>('draft');
  const [preset, setPreset] = useState(() => defaultPreset(policyId));
  const [households, setHouseholds] = useState('10000');
  const [seed, setSeed] = useState('1');
  const [asOf, setAsOf] = useState('');
  const [job, setJob] = useState<JobView | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [lost, setLost] = useState(false);
  const [retry, setRetry] = useState(0);
  const [selected, setSelected] = useState<ChangedRow | null>(null);
  const policyRef = useRef(policyId);
  policyRef.current = policyId;

  // versions for the baseline / candidate choices
  useEffect(() => {
    let live = true;
    api.versions(policyId).then((v) => { if (live) setVersions([...v].sort((a, b) => b.version - a.version)); }, () => { if (live) setVersions([]); });
    return () => { live = false; };
  }, [policyId]);

  // resume the last job of this policy (jobs live in the server's memory)
  useEffect(() => {
    const id = rememberedJob(policyId);
    if (!id) return;
    let live = true;
    getSimulation(id).then((j) => { if (live && j.policy === policyId) setJob(j); }, () => { rememberJob(policyId, null); });
    return () => { live = false; };
  }, [policyId]);

  useEffect(() => () => disposeDraftEvaluator(), []);

  // poll while queued / running
  useEffect(() => {
    if (!job || !active(job)) return;
    let live = true;
    const timer = setTimeout(() => {
      getSimulation(job.id).then((j) => { if (live) setJob(j); }, (e: unknown) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 404) { setLost(true); setJob(null); rememberJob(policyRef.current, null); }
        else setRetry((n) => n + 1);   // transient: poll again
      });
    }, POLL_MS);
    return () => { live = false; clearTimeout(timer); };
  }, [job, retry]);

  const hh = Number(households);
  const hhValid = /^\d+$/.test(households.trim()) && hh >= 1 && hh <= MAX_HOUSEHOLDS;
  const seedValue: string | number = /^\d{1,10}$/.test(seed.trim()) && Number(seed) <= 0xffffffff ? Number(seed) : seed.trim();

  async function run() {
    const input: SimulationInput = {
      baseline: /^[1-9]\d*$/.test(baseline) ? Number(baseline) : 'in-force',
      candidate: /^[1-9]\d*$/.test(candidate) ? Number(candidate) : 'draft',
      population: { generate: { preset, households: hh, seed: seedValue === '' ? 1 : seedValue } },
      samples: SAMPLES,
      ...(asOf ? { as_of: asOf } : {}),
    };
    setStarting(true); setError(null); setLost(false); setSelected(null); setJob(null);
    try {
      const j = await startSimulation(policyId, input);
      setJob(j);
      rememberJob(policyId, j.id);
    } catch (e) {
      setError(e);
    } finally {
      setStarting(false);
    }
  }

  async function cancel() {
    if (!job) return;
    try { setJob(await cancelSimulation(job.id)); } catch (e) { setError(e); }
  }

  const running = active(job);
  const result = job?.status === 'done' ? job.result : null;

  return (
    <div className="impact" data-testid="impact-tab" data-status={starting ? 'starting' : job?.status ?? 'idle'} data-job={job?.id ?? ''}>
      <div>
        <h3>{t('impact.title')}</h3>
        <div className="muted small">{t('impact.intro')}</div>
      </div>

      <form className="impact-form" data-testid="impact-form" onSubmit={(e) => { e.preventDefault(); if (!running && !starting && hhValid) void run(); }}>
        <label className="field">
          <span className="field-label">{t('impact.baseline')}</span>
          <select data-testid="impact-baseline" value={baseline} onChange={(e) => setBaseline(e.target.value)} disabled={running}>
            <option value="in-force">{t('impact.baseline.inForce')}</option>
            {(versions ?? []).map((v) => <option key={v.version} value={String(v.version)}>{t('impact.version', { n: v.version })} · {v.effective_from}</option>)}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('impact.candidate')}</span>
          <select data-testid="impact-candidate" value={candidate} onChange={(e) => setCandidate(e.target.value)} disabled={running}>
            <option value="draft">{t('impact.candidate.draft')}</option>
            {(versions ?? []).map((v) => <option key={v.version} value={String(v.version)}>{t('impact.version', { n: v.version })} · {v.effective_from}</option>)}
          </select>
        </label>
        <fieldset disabled={running}>
          <legend>{t('impact.population')}</legend>
          <label className="field">
            <span className="field-label">{t('impact.preset')}</span>
            <select data-testid="impact-preset" value={preset} onChange={(e) => setPreset(e.target.value)}>
              {Object.values(presets).map((p) => <option key={p.name} value={p.name} title={lang === 'zh' ? p.descriptionZh : p.description} data-calibrated={p.calibration ? 'yes' : 'no'}>{lang === 'zh' ? p.label : p.labelEn} ({p.name}) · {p.calibration ? t('impact.preset.calibrated', { what: p.calibration[lang] }) : t('impact.preset.uncalibrated')}</option>)}
            </select>
          </label>
          <label className="field">
            <span className="field-label">{t('impact.households')}</span>
            <input type="number" min={1} max={MAX_HOUSEHOLDS} step={1} data-testid="impact-households" className={hhValid ? '' : 'invalid'}
              value={households} onChange={(e) => setHouseholds(e.target.value)} />
          </label>
          <label className="field">
            <span className="field-label">{t('impact.seed')}</span>
            <input className="narrow" data-testid="impact-seed" value={seed} onChange={(e) => setSeed(e.target.value)} />
          </label>
        </fieldset>
        <label className="field">
          <span className="field-label">{t('impact.asOf')} <span className="muted">({t('impact.asOf.hint')})</span></span>
          <input type="date" data-testid="impact-as-of" value={asOf} onChange={(e) => setAsOf(e.target.value)} disabled={running} />
        </label>
        <button type="submit" className="primary" data-testid="impact-run" disabled={running || starting || !hhValid}>{starting ? t('impact.starting') : t('impact.run')}</button>
        {running && <button type="button" data-testid="impact-cancel" onClick={() => void cancel()}>{t('impact.cancel')}</button>}
      </form>

      {error != null && <ErrorState error={error} />}
      {lost && <div className="notice warn" data-testid="impact-lost">{t('impact.lost')}</div>}
      {job && <JobStatusLine job={job} t={t} />}
      {job?.status === 'failed' && job.error && (
        <div className="state error" data-testid="impact-failed" role="alert">
          <strong>{t('impact.failed')}</strong>
          <div>{(lang === 'zh' ? job.error.message_zh : job.error.message_en) ?? job.error.message}</div>
          {!!job.error.details?.length && <ul>{job.error.details.map((d, i) => <li key={i}>{d.path ? `${d.path}: ` : ''}{d.message}</li>)}</ul>}
        </div>
      )}
      {job?.status === 'cancelled' && <div className="notice" data-testid="impact-cancelled">{t('impact.cancelled')}</div>}
      {job?.status === 'done' && !result && <Loading />}
      {job && result && <Results policyId={policyId} job={job} result={result} selected={selected} onSelect={setSelected} />}
    </div>
  );
}

function JobStatusLine({ job, t }: { job: JobView; t: Translate }) {
  const p = job.progress;
  const total = p.total ?? 0;
  const fraction = p.fraction ?? (total ? p.done / total : null);
  const percent = fraction === null ? null : Math.floor(fraction * 100);
  return (
    <div className="impact-progress" data-testid="impact-status" data-status={job.status}>
      <span className={`badge ${job.status === 'done' ? 'ok' : job.status === 'failed' ? 'bad' : job.status === 'cancelled' ? 'warn' : ''}`}>{t(`impact.status.${job.status}`)}</span>
      {(job.status === 'queued' || job.status === 'running') && (
        <progress data-testid="impact-progress" max={100} value={percent ?? undefined} data-fraction={fraction ?? ''} data-done={p.done} />
      )}
      <span className="muted" data-testid="impact-progress-text">
        {t('impact.progress', { done: count(p.done), total: p.total === null ? '?' : count(p.total) })}
        {percent !== null ? ` · ${percent}%` : ''}
      </span>
    </div>
  );
}

function policyLabel(t: Translate, job: JobView, which: 'baseline' | 'candidate'): string {
  if (which === 'baseline') return t('impact.label.version', { n: job.request.baseline.version });
  const c = job.request.candidate;
  return c.version === 'draft' ? t('impact.label.draft', { rev: String(c.revision ?? '?') }) : t('impact.label.version', { n: c.version });
}

/** A money cell: the API's text, digits grouped; the exact text in data-value. */
function Money({ value, testid, change }: { value: string; testid?: string; change?: boolean }) {
  const s = signOf(value);
  return <dd data-testid={testid} data-value={value} className={change ? (s > 0 ? 'up' : s < 0 ? 'down' : '') : ''}>{change ? signed(value) : groupDigits(value)}</dd>;
}
function Count({ value, testid, change }: { value: number; testid?: string; change?: boolean }) {
  return <dd data-testid={testid} data-value={value} className={change ? (value > 0 ? 'up' : value < 0 ? 'down' : '') : ''}>{change && value > 0 ? '+' : ''}{count(value)}</dd>;
}

const GROUP_LABELS: Record<string, MessageKey> = {
  urban: 'impact.area.urban', rural: 'impact.area.rural',
  elderly: 'impact.cat.elderly', child: 'impact.cat.child', disabled: 'impact.cat.disabled', ill: 'impact.cat.ill',
};

/** Households and monthly cost by area (urban / rural) and by member category, before and after. */
function GroupTable({ result }: { result: SimulationResult }) {
  const t = useT();
  const groups: [string, GroupJson][] = [...Object.entries(result.by_area ?? {}), ...Object.entries(result.by_category ?? {})];
  if (!groups.length) return null;
  return (
    <section>
      <h3>{t('impact.groups.title')}</h3>
      <table className="data-table" data-testid="impact-groups">
        <thead>
          <tr>
            <th>{t('impact.group.col')}</th>
            <th className="num">{t('impact.group.hhBefore')}</th><th className="num">{t('impact.group.hhAfter')}</th>
            <th className="num">{t('impact.group.costBefore')}</th><th className="num">{t('impact.group.costAfter')}</th>
            <th className="num">{t('impact.cost.change')}</th>
          </tr>
        </thead>
        <tbody>
          {groups.map(([key, g]) => {
            const change = g.change_monthly ?? subYuan(g.candidate.monthly_cost, g.baseline.monthly_cost) ?? '';
            const s = signOf(change);
            return (
              <tr key={key} data-testid={`impact-group-${key}`}>
                <td>{GROUP_LABELS[key] ? t(GROUP_LABELS[key]!) : key || '—'}</td>
                <td className="num">{count(g.baseline.households)}</td>
                <td className="num">{count(g.candidate.households)}</td>
                <td className="num" data-value={g.baseline.monthly_cost}>{groupDigits(g.baseline.monthly_cost)}</td>
                <td className="num" data-value={g.candidate.monthly_cost}>{groupDigits(g.candidate.monthly_cost)}</td>
                <td className={`num ${s > 0 ? 'up' : s < 0 ? 'down' : ''}`} data-value={change}>{signed(change)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="muted small">{t('impact.groups.note')}</div>
    </section>
  );
}

function Results({ policyId, job, result, selected, onSelect }: {
  policyId: string; job: JobView; result: SimulationResult; selected: ChangedRow | null; onSelect(r: ChangedRow | null): void;
}) {
  const t = useT();
  const B: Totals = result.totals.baseline, C: Totals = result.totals.candidate;
  const ch = result.totals.change ?? {};
  // the API sends the changes; the exact fen difference is only a fallback
  const diff = (k: 'monthly_cost' | 'yearly_cost' | 'services_budget_2pct') => ch[k] ?? subYuan(C[k], B[k]) ?? '';
  const rows = useMemo(() => changedRows(result), [result]);
  const seconds = result.run ? (result.run.elapsed_ms / 1000).toFixed(1) : '?';
  return (
    <div className="impact-results" data-testid="impact-results">
      <div className="title-row">
        <h3 data-testid="impact-compare">{t('impact.compare', { baseline: `${t('impact.baseline')} ${policyLabel(t, job, 'baseline')}`, candidate: `${t('impact.candidate')} ${policyLabel(t, job, 'candidate')}` })}</h3>
        <span className="muted" data-testid="impact-summary">
          {t('impact.summary', { households: count(result.population.households), persons: count(result.population.persons), asOf: result.as_of, seconds })}
        </span>
        {result.population.invalid > 0 && <span className="badge warn" data-testid="impact-invalid">{t('impact.invalidHouseholds', { n: count(result.population.invalid) })}</span>}
      </div>

      <div className="impact-cards">
        <section className="impact-card" data-testid="impact-cost">
          <h4>{t('impact.cost.yearly')}（{t('impact.yuan')}）</h4>
          <dl className="big">
            <dt>{t('impact.cost.before')}</dt><Money value={B.yearly_cost} testid="impact-cost-before" />
            <dt>{t('impact.cost.after')}</dt><Money value={C.yearly_cost} testid="impact-cost-after" />
            <dt>{t('impact.cost.change')}</dt><Money value={diff('yearly_cost')} testid="impact-cost-change" change />
          </dl>
          <CostBars before={B.yearly_cost} after={C.yearly_cost} change={diff('yearly_cost')} />
        </section>
        <section className="impact-card" data-testid="impact-monthly">
          <h4>{t('impact.cost.monthly')}（{t('impact.yuan')}）</h4>
          <dl>
            <dt>{t('impact.cost.before')}</dt><Money value={B.monthly_cost} testid="impact-monthly-before" />
            <dt>{t('impact.cost.after')}</dt><Money value={C.monthly_cost} testid="impact-monthly-after" />
            <dt>{t('impact.cost.change')}</dt><Money value={diff('monthly_cost')} testid="impact-monthly-change" change />
          </dl>
          <h4>{t('impact.services')}</h4>
          <dl data-testid="impact-services">
            <dt>{t('impact.cost.before')}</dt><Money value={B.services_budget_2pct} testid="impact-services-before" />
            <dt>{t('impact.cost.after')}</dt><Money value={C.services_budget_2pct} testid="impact-services-after" />
            <dt>{t('impact.cost.change')}</dt><Money value={diff('services_budget_2pct')} testid="impact-services-change" change />
          </dl>
        </section>
        <section className="impact-card" data-testid="impact-recipients">
          <h4>{t('impact.recipients')} / {t('impact.persons')}</h4>
          <dl>
            <dt>{t('impact.recipients')} · {t('impact.cost.before')}</dt><Count value={B.recipient_households} testid="impact-households-before" />
            <dt>{t('impact.recipients')} · {t('impact.cost.after')}</dt><Count value={C.recipient_households} testid="impact-households-after" />
            <dt>{t('impact.cost.change')}</dt><Count value={ch.recipient_households ?? C.recipient_households - B.recipient_households} testid="impact-households-change" change />
            <dt>{t('impact.persons')} · {t('impact.cost.before')}</dt><Count value={B.recipient_persons} testid="impact-persons-before" />
            <dt>{t('impact.persons')} · {t('impact.cost.after')}</dt><Count value={C.recipient_persons} testid="impact-persons-after" />
            <dt>{t('impact.cost.change')}</dt><Count value={ch.recipient_persons ?? C.recipient_persons - B.recipient_persons} testid="impact-persons-change" change />
            <dt>{t('impact.eligible')}</dt><dd data-testid="impact-eligible">{count(B.eligible_households)} → {count(C.eligible_households)}</dd>
          </dl>
        </section>
      </div>

      <Findings result={result} jobId={job.id} onSelect={onSelect} />

      <section>
        <h3>{t('impact.changes.title')}</h3>
        <table className="data-table" data-testid="impact-changes-summary">
          <thead>
            <tr>
              <th>{t('impact.col.kind')}</th><th className="num">{t('impact.col.households')}</th><th className="num">{t('impact.col.persons')}</th>
              <th className="num">{t('impact.col.monthlyChange')}</th><th className="num">{t('impact.col.average')}</th><th className="num">{t('impact.col.largest')}</th>
            </tr>
          </thead>
          <tbody>
            {CHANGE_KINDS.map((k) => {
              const c = result.changes[k];
              return (
                <tr key={k} data-testid={`impact-kind-${k}`} data-households={c.households}>
                  <td>{t(`impact.kind.${k}`)}</td>
                  <td className="num">{count(c.households)}</td>
                  <td className="num">{count(c.persons)}</td>
                  <td className="num" data-value={c.monthly_change}>{signed(c.monthly_change)}</td>
                  <td className="num">{signed(c.average_change)}</td>
                  <td className="num">{groupDigits(c.largest_change)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <div className="muted small" data-testid="impact-unchanged">{t('impact.unchanged', { n: count(result.changes.unchanged), m: count(result.changes.neither) })}</div>
      </section>

      <GroupTable result={result} />

      <div className="impact-charts">
        <section className="impact-chart-box">
          <h4>{t('impact.histogram.title')}</h4>
          <ChangeHistogram buckets={result.changes.histogram ?? []} />
        </section>
        {result.distribution && (
          <section className="impact-chart-box">
            <h4>{t('impact.distribution.title')}</h4>
            <DistributionChart buckets={result.distribution.buckets} />
          </section>
        )}
      </div>

      <div className="impact-drill">
        <section className="impact-table-col">
          <h3>{t('impact.table.title')}</h3>
          <div className="muted small">{t('impact.table.note', { n: SAMPLES })}</div>
          <ChangedTable rows={rows} selected={selected ? rowKey(selected) : null} onSelect={onSelect} />
        </section>
        {selected && (
          <HouseholdExplain key={`${job.id}-${selected.kind}-${selected.sample.index}`} policyId={policyId} job={job}
            sample={{ ...selected.sample, change: selected.change }} kind={selected.kind} onClose={() => onSelect(null)} />
        )}
      </div>
    </div>
  );
}
