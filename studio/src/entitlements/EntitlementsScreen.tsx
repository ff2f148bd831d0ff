// 一门受理: one household form, every programme of the county that handles it with its amount
// and 是/否, the total, each result's explanation one click away, and a printable decision
// summary (what is granted, under which version, citing the articles).
import { useMemo, useState } from 'react';
import { api, type RawResponse } from '../api/client';
import { useI18n } from '../i18n/i18n';
import type { Json, TraceEntry } from '../language/types';
import { ObjectFields } from '../household/HouseholdFields';
import { householdFields, newHousehold, pruneDefaults, type FieldSpec } from '../household/schemaForm';
import { TraceTree } from '../explain/TraceTree';
import { useAsync } from '../shell/useAsync';
import { Loading } from '../shell/states';
import { DecisionSummary } from './DecisionSummary';
import { LinkedBecause } from './LinkedBecause';
import { placeFields, readFields, type Answer } from './answer';
import './entitlements.css';

type Obj = Record<string, Json>;

export default function EntitlementsScreen() {
  const { t } = useI18n();
  const schema = useAsync(() => api.householdSchema(), []);
  const programmes = useAsync(() => api.programmes(), []);
  const fields = useMemo(() => (schema.data ? householdFields(schema.data).filter((f) => !placeFields.includes(f.name)) : []), [schema.data]);
  const [household, setHousehold] = useState<Obj | null>(null);
  const [place, setPlace] = useState({ residence: '', hukou: '', hukouProvince: '', permit: false });
  const [asOf, setAsOf] = useState(new Date().toISOString().slice(0, 10));
  const [onlyRead, setOnlyRead] = useState(true);
  const [busy, setBusy] = useState(false);
  const [response, setResponse] = useState<RawResponse | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  if (schema.loading && !schema.data) return <Loading />;
  const hh = household ?? newHousehold(fields);
  const answer = response && response.status < 300 ? (response.body as Answer) : null;
  const read = answer ? readFields(answer) : null;
  const shown: FieldSpec[] = onlyRead && read ? fields.filter((f) => f.name === 'members' || f.name === 'id' || read.household.has(f.name))
    .map((f) => (f.name === 'members' ? { ...f, fields: f.fields.filter((m) => m.name === 'id' || m.name === 'birth_date' || read.member.has(m.name)) } : f)) : fields;

  function body() {
    const out: Obj = { ...pruneDefaults(fields, hh) };
    const code = (s: string) => /^\d{6}$/.test(s.trim());
    if (place.residence.trim()) out[code(place.residence) ? 'residence_code' : 'county'] = place.residence.trim();
    if (place.hukou.trim()) out[code(place.hukou) ? 'hukou_code' : 'hukou_county'] = place.hukou.trim();
    if (place.hukouProvince.trim()) out.hukou_province = place.hukouProvince.trim();
    if (place.permit) out.residence_permit = true;
    return { household: out, as_of: asOf, trace: true };
  }

  async function run() {
    setBusy(true);
    try { setResponse(await api.entitlements(body())); setOpen(null); } finally { setBusy(false); }
  }

  const places = [...new Set((programmes.data?.programmes ?? []).map((p) => p.jurisdiction.name).filter((n): n is string => !!n))];
  const error = response && response.status >= 300 ? (response.body as { error?: { message?: string; details?: { path: string; message: string }[] } }).error : null;

  return (
    <section className="screen entitlements" data-testid="entitlements-screen">
      <h2 className="no-print">{t('ent.title')}</h2>
      <div className="ent-layout no-print">
        <div className="ent-form">
          <div className="field-grid">
            <label className="field"><span className="field-label">{t('ent.residence')}</span>
              <input list="ent-places" data-testid="ent-residence" value={place.residence} onChange={(e) => setPlace({ ...place, residence: e.target.value })} /></label>
            <label className="field"><span className="field-label">{t('ent.hukou')}</span>
              <input list="ent-places" data-testid="ent-hukou" value={place.hukou} onChange={(e) => setPlace({ ...place, hukou: e.target.value })} /></label>
            <label className="field"><span className="field-label">{t('ent.hukouProvince')}</span>
              <input data-testid="ent-hukou-province" value={place.hukouProvince} onChange={(e) => setPlace({ ...place, hukouProvince: e.target.value })} /></label>
            <label className="field"><span className="field-label">{t('ent.permit')}</span>
              <input type="checkbox" data-testid="ent-permit" checked={place.permit} onChange={(e) => setPlace({ ...place, permit: e.target.checked })} /></label>
            <label className="field"><span className="field-label">{t('ent.asOf')}</span>
              <input type="date" data-testid="ent-as-of" value={asOf} onChange={(e) => setAsOf(e.target.value)} /></label>
          </div>
          <datalist id="ent-places">{places.map((p) => <option key={p} value={p} />)}</datalist>
          {read && <label className="muted small"><input type="checkbox" data-testid="ent-only-read" checked={onlyRead} onChange={(e) => setOnlyRead(e.target.checked)} /> {t('ent.readOnly')}</label>}
          <ObjectFields fields={shown} value={hh} onChange={setHousehold} testid="ent-hh" />
          <div className="form-actions">
            <button type="button" className="primary" data-testid="ent-run" disabled={busy} onClick={run}>{t('ent.run')}</button>
          </div>
        </div>
        <div className="ent-result" data-testid="ent-result">
          {error && <div className="notice error" data-testid="ent-error">{error.message}{error.details?.map((d) => <div key={d.path}><code>{d.path}</code>: {d.message}</div>)}</div>}
          {answer && <Programmes answer={answer} open={open} setOpen={setOpen} />}
        </div>
      </div>
      {answer && answer.jurisdiction && <DecisionSummary answer={answer} />}
    </section>
  );
}

function Programmes({ answer, open, setOpen }: { answer: Answer; open: string | null; setOpen(p: string | null): void }) {
  const { t, lang } = useI18n();
  const j = answer.jurisdiction;
  return (
    <div>
      {j && <p data-testid="ent-routed">{t('ent.routed', { name: lang === 'zh' ? j.full_name : j.name_en, code: j.code, basis: lang === 'zh' ? j.basis.zh : j.basis.en, source: j.basis.source })}</p>}
      {answer.reason && <div className="notice warn" data-testid="ent-reason">{lang === 'zh' ? answer.reason.message_zh : answer.reason.message_en}</div>}
      {answer.programmes.length > 0 && (
        <table className="data-table" data-testid="ent-programmes">
          <thead><tr><th>{t('ent.programme')}</th><th>{t('ent.version')}</th><th>{t('ent.granted')}</th><th>{t('ent.amount')}</th><th>{t('ent.uses')}</th><th /></tr></thead>
          <tbody>
            {answer.programmes.map((p) => [
              <tr key={p.policy} data-testid={`ent-row-${p.policy}`}>
                <td>{p.title} <span className="muted small">{p.policy}</span></td>
                <td>v{p.version}</td>
                <td><span className={`badge ${p.granted ? 'ok' : 'muted'}`} data-testid={`ent-granted-${p.policy}`}>{p.granted ? t('common.yes') : t('common.no')}</span></td>
                <td data-testid={`ent-amount-${p.policy}`}>{typeof p.outputs.monthly_amount === 'string' ? t('ent.perMonth', { amount: p.outputs.monthly_amount }) : typeof p.outputs.amount === 'string' ? t('ent.once', { amount: p.outputs.amount }) : ''}</td>
                <td className="small">{Object.entries(p.uses).map(([id, u]) => `${id} v${u.version}`).join(', ')}</td>
                <td><button type="button" className="link" data-testid={`ent-explain-${p.policy}`} onClick={() => setOpen(open === p.policy ? null : p.policy)}>{t('ent.explain')}</button></td>
              </tr>,
              open === p.policy && <tr key={`${p.policy}-trace`}><td colSpan={6}><LinkedBecause policy={p.policy} trace={(p.trace ?? []) as TraceEntry[]} /><TraceTree trace={(p.trace ?? []) as TraceEntry[]} assumptions={p.assumptions} expanded={['eligible', 'monthly_amount', 'amount']} /></td></tr>,
            ])}
          </tbody>
        </table>
      )}
      <p className="ent-total" data-testid="ent-total">{t('ent.total', { monthly: answer.totals.monthly_cash, yearly: answer.totals.yearly_cash })}</p>
      {answer.totals.services.length > 0 && <p data-testid="ent-services">{t('ent.services', { list: answer.totals.services.map((s) => s.title).join('、') })}</p>}
    </div>
  );
}
