// Try it: evaluate a household through the real HTTP API against a chosen version (or the
// version in force on a date); shows the response and the equivalent curl command.
import { useEffect, useImperativeHandle, useState, forwardRef } from 'react';
import { errorText, api, type EvaluateRequest, type RawResponse } from '../api/client';
import { useI18n } from '../i18n/i18n';
import type { Json, ScenarioSummary } from '../language/types';
import { ObjectFields } from '../household/HouseholdFields';
import { newHousehold, pruneDefaults, type FieldSpec } from '../household/schemaForm';
import { showValue, TraceTree } from '../explain/TraceTree';
import type { Assumption, TraceEntry } from '../language/types';
import { Assumptions } from '../explain/Assumptions';
import { useAsync } from '../shell/useAsync';

type Obj = Record<string, Json>;

export interface TryItHandle { run(): void }

interface Props { policyId: string; fields: FieldSpec[]; scenarios: ScenarioSummary[]; active: boolean }

export const TryIt = forwardRef<TryItHandle, Props>(function TryIt({ policyId, fields, scenarios, active }, ref) {
  const { lang, t } = useI18n();
  const versions = useAsync(() => api.versions(policyId), [policyId]);
  const [version, setVersion] = useState<string>('');
  const [asOf, setAsOf] = useState(new Date().toISOString().slice(0, 10));
  const [household, setHousehold] = useState<Obj>(() => newHousehold(fields));
  const [jsonMode, setJsonMode] = useState(false);
  const [jsonText, setJsonText] = useState('');
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [response, setResponse] = useState<RawResponse | null>(null);
  const [networkError, setNetworkError] = useState<string | null>(null);

  useEffect(() => { if (active) versions.reload(); }, [active]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => { if (fields.length && Object.keys(household).length === 0) setHousehold(newHousehold(fields)); }, [fields]); // eslint-disable-line react-hooks/exhaustive-deps

  function body(): EvaluateRequest | null {
    let hh: Json = pruneDefaults(fields, household);
    if (jsonMode) {
      try { hh = JSON.parse(jsonText) as Json; setJsonError(null); } catch (e) { setJsonError(t('try.badJson', { message: e instanceof Error ? e.message : String(e) })); return null; }
    }
    const req: EvaluateRequest = { household: hh, as_of: asOf };
    if (version) req.version = Number(version);
    return req;
  }

  async function run() {
    const req = body();
    if (!req) return;
    setBusy(true);
    setNetworkError(null);
    try { setResponse(await api.evaluate(policyId, req)); } catch (e) { setNetworkError(errorText(e, lang)); setResponse(null); } finally { setBusy(false); }
  }

  useImperativeHandle(ref, () => ({ run: () => { void run(); } }));

  const req = (() => { try { return jsonMode ? { household: JSON.parse(jsonText) as Json, as_of: asOf, ...(version ? { version: Number(version) } : {}) } : { household: pruneDefaults(fields, household), as_of: asOf, ...(version ? { version: Number(version) } : {}) }; } catch { return null; } })();
  const list = [...(versions.data ?? [])].sort((a, b) => b.version - a.version);
  const outputs = response && response.status < 300 ? ((response.body as { outputs?: Record<string, Json> }).outputs ?? {}) : null;
  const assumptions = response && response.status < 300 ? (response.body as { assumptions?: Assumption[] }).assumptions : undefined;

  return (
    <section className="screen tryit" data-testid="tryit-screen">
      <div className="tryit-layout">
        <div className="tryit-form">
          <div className="toolbar">
            <label>{t('try.version')}{' '}
              <select data-testid="tryit-version" value={version} onChange={(e) => setVersion(e.target.value)}>
                <option value="">{t('try.byDate')}</option>
                {list.map((v) => <option key={v.version} value={v.version}>{t('ver.version', { n: v.version })} · {t('ver.effective', { date: v.effective_from })}</option>)}
              </select>
            </label>
            <label>{t('try.asOf')} <input type="date" data-testid="tryit-as-of" value={asOf} onChange={(e) => setAsOf(e.target.value)} /></label>
            {scenarios.length > 0 && (
              <select data-testid="tryit-from-scenario" aria-label={t('try.fromScenario')} value="" onChange={(e) => {
                const s = scenarios[Number(e.target.value)];
                if (!s) return;
                setHousehold((s.household ?? {}) as Obj);
                setJsonText(JSON.stringify(s.household, null, 2));
                if (s.as_of) setAsOf(s.as_of);
              }}>
                <option value="">{t('try.fromScenario')}</option>
                {scenarios.map((s, i) => <option key={i} value={i}>{s.name}</option>)}
              </select>
            )}
            <button type="button" className="link" data-testid="tryit-json-toggle" onClick={() => {
              if (!jsonMode) setJsonText(JSON.stringify(pruneDefaults(fields, household), null, 2));
              else { try { setHousehold(JSON.parse(jsonText) as Obj); } catch { /* keep form */ } }
              setJsonMode(!jsonMode);
            }}>{jsonMode ? t('try.useForm') : t('try.editJson')}</button>
          </div>
          {versions.data && list.length === 0 && <div className="notice warn" data-testid="tryit-no-versions">{t('try.noVersions')}</div>}
          {jsonMode
            ? <textarea className="json-input" data-testid="tryit-json" rows={18} value={jsonText} onChange={(e) => setJsonText(e.target.value)} />
            : <ObjectFields fields={fields} value={household} onChange={setHousehold} testid="tryit-hh" />}
          {jsonError && <div className="field-error">{jsonError}</div>}
          <div className="form-actions">
            <button type="button" className="primary" data-testid="tryit-run" disabled={busy} onClick={run}>{t('try.run')}</button>
          </div>
          <h4>{t('try.curl')}</h4>
          <pre className="curl" data-testid="tryit-curl">{req ? api.curlEvaluate(policyId, req) : ''}</pre>
        </div>
        <div className="tryit-result" data-testid="tryit-result">
          <h4>{t('try.response')} {response && <span className={`badge ${response.status < 300 ? 'ok' : 'bad'}`} data-testid="tryit-status">{t('try.status', { status: response.status })}</span>}</h4>
          {networkError && <div className="notice error">{networkError}</div>}
          {outputs && (
            <table className="data-table" data-testid="tryit-outputs">
              <thead><tr><th>{t('try.outputs')}</th><th /></tr></thead>
              <tbody>{Object.entries(outputs).map(([k, v]) => <tr key={k} data-testid={`tryit-output-${k}`}><td>{k}</td><td><code>{showValue(v)}</code></td></tr>)}</tbody>
            </table>
          )}
          {outputs && <Assumptions assumptions={assumptions} testid="tryit-assumptions" />}
          {response && response.status < 300 && Array.isArray((response.body as { trace?: unknown }).trace) && (
            <details className="tryit-trace" data-testid="tryit-trace">
              <summary>{t('explain.title', { name: t('try.response') })}</summary>
              <TraceTree trace={(response.body as { trace: TraceEntry[] }).trace} expanded={[]} />
            </details>
          )}
          {response && <pre className="json" data-testid="tryit-response">{typeof response.body === 'string' ? response.body : JSON.stringify(response.body, null, 2)}</pre>}
        </div>
      </div>
    </section>
  );
});
