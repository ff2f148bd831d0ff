// The low-code test-case form: a household built from the schema, the evaluation date, the
// expected outputs ("fill from current result" runs the policy in the browser), save → YAML.
import { errorText } from '../api/client';
import { useEffect, useMemo, useState } from 'react';
import type { EvalResult, Json, OutputInfo } from '../language/types';
import { useI18n } from '../i18n/i18n';
import { ObjectFields } from './HouseholdFields';
import { newHousehold, pruneDefaults, type FieldSpec } from './schemaForm';
import { emptyExpectKey, expectFromText, expectKind, expectToText } from './expectText';
import type { ScenarioInput } from '../scenarios/yamlSuite';

type Obj = Record<string, Json>;

export interface ScenarioFormProps {
  fields: FieldSpec[];
  outputs: OutputInfo[];
  initial?: ScenarioInput | null;
  defaultAsOf?: string;
  onEvaluate(household: Obj, asOf: string): Promise<EvalResult>;
  /** Absent for a role that cannot change the draft: the form evaluates, it does not save. */
  onSave?(s: ScenarioInput): void;
  onCancel?(): void;
}

export function ScenarioForm({ fields, outputs, initial, defaultAsOf, onEvaluate, onSave, onCancel }: ScenarioFormProps) {
  const { lang, t } = useI18n();
  const [name, setName] = useState(initial?.name ?? '');
  const [asOf, setAsOf] = useState(initial?.as_of ?? defaultAsOf ?? new Date().toISOString().slice(0, 10));
  const [household, setHousehold] = useState<Obj>(() => (initial?.household as Obj) ?? newHousehold(fields));
  // the values the expected fields were filled with (the scenario's, or the current result's):
  // a field whose text was not edited saves its value as it was, type and all
  const [expectGiven, setExpectGiven] = useState<Record<string, Json>>(() => ({ ...(initial?.expect ?? {}) }));
  const [expectText, setExpectText] = useState<Record<string, string>>(() => Object.fromEntries(Object.entries(initial?.expect ?? {}).map(([k, v]) => [k, expectToText(outputOf(k), v)])));
  const [checked, setChecked] = useState<Record<string, boolean>>(() => Object.fromEntries(Object.keys(initial?.expect ?? {}).map((k) => [k, true])));
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [showJson, setShowJson] = useState(false);

  useEffect(() => {
    if (!initial && Object.keys(household).length === 0 && fields.length) setHousehold(newHousehold(fields));
  }, [fields]); // eslint-disable-line react-hooks/exhaustive-deps

  function outputOf(k: string): OutputInfo {
    return outputs.find((o) => o.name === k) ?? { name: k, label: null, labelEn: null, type: 'text', perMember: false };
  }

  const pruned = useMemo(() => pruneDefaults(fields, household), [fields, household]);

  async function fill() {
    setBusy(true);
    setErrors([]);
    try {
      const r = await onEvaluate(pruned, asOf);
      if (!r.ok) { setErrors(r.errors.map((e) => `${e.path}: ${e.message[lang]}`)); return; }
      const text: Record<string, string> = {};
      const check: Record<string, boolean> = {};
      for (const o of outputs) {
        if (o.name in r.outputs) { text[o.name] = expectToText(o, r.outputs[o.name]); check[o.name] = true; }
      }
      for (const [k, v] of Object.entries(r.outputs)) if (!(k in text)) { text[k] = expectToText(outputOf(k), v); check[k] = true; }
      setExpectGiven({ ...r.outputs });
      setExpectText(text);
      setChecked(check);
    } catch (e) {
      setErrors([errorText(e, lang)]);
    } finally {
      setBusy(false);
    }
  }

  function save() {
    const errs: string[] = [];
    if (!name.trim()) errs.push(t('hh.nameRequired'));
    const expect: Record<string, Json> = {};
    for (const [k, on] of Object.entries(checked)) {
      if (!on) continue;
      const o = outputOf(k);
      const text = expectText[k] ?? '';
      if (k in expectGiven && text === expectToText(o, expectGiven[k])) { expect[k] = expectGiven[k]!; continue; }
      try { expect[k] = expectFromText(o, text); } catch { errs.push(t('hh.badExpect', { name: k })); }
    }
    setErrors(errs);
    if (errs.length) return;
    // an untouched household is saved as written (pruning would drop its explicit zeros and defaults)
    const saved = initial && household === initial.household ? initial.household : pruned;
    onSave?.({ name: name.trim(), as_of: asOf, household: saved, expect, ...(initial?.decided_by ? { decided_by: initial.decided_by } : {}) });
  }

  const outputRows = outputs.length ? outputs : Object.keys(expectText).map((k) => ({ name: k, label: null, labelEn: null, type: 'text', perMember: false }));

  if (!fields.length) return <div className="empty" data-testid="household-form-empty">{t('hh.noSchema')}</div>;

  return (
    <form className="scenario-form" data-testid="household-form" onSubmit={(e) => { e.preventDefault(); save(); }}>
      <div className="field-grid">
        <label className="field">
          <span className="field-label">{t('hh.name')}<span className="req">*</span></span>
          <input type="text" data-testid="scenario-name" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">{t('hh.asOf')}</span>
          <input type="date" data-testid="scenario-as-of" value={asOf} onChange={(e) => setAsOf(e.target.value)} />
        </label>
      </div>
      <fieldset className="field-group">
        <legend>{t('hh.household')}</legend>
        <ObjectFields fields={fields} value={household} onChange={setHousehold} testid="hh" />
      </fieldset>
      <fieldset className="field-group" data-testid="expect-section">
        <legend>{t('hh.expect')}</legend>
        <table className="expect-table">
          <tbody>
            {outputRows.map((o) => (
              <tr key={o.name} data-testid={`expect-row-${o.name}`}>
                <td>
                  <input type="checkbox" aria-label={t('hh.expect.check')} data-testid={`expect-check-${o.name}`} checked={!!checked[o.name]}
                    onChange={(e) => setChecked({ ...checked, [o.name]: e.target.checked })} />
                </td>
                <td title={o.name}>{lang === 'zh' && o.label ? o.label : o.name}</td>
                <td>
                  {expectKind(o) === 'bool'
                    ? <select data-testid={`expect-${o.name}`} aria-label={t('a11y.expected', { name: lang === 'zh' && o.label ? o.label : o.name })} value={expectText[o.name] ?? ''}
                        onChange={(e) => { setExpectText({ ...expectText, [o.name]: e.target.value }); setChecked({ ...checked, [o.name]: e.target.value !== '' }); }}>
                        <option value="" />
                        <option value="true">{t('common.yes')}</option>
                        <option value="false">{t('common.no')}</option>
                      </select>
                    : <input type="text" data-testid={`expect-${o.name}`} aria-label={t('a11y.expected', { name: lang === 'zh' && o.label ? o.label : o.name })} value={expectText[o.name] ?? ''}
                        placeholder={checked[o.name] ? t(emptyExpectKey(o)) : undefined}
                        onChange={(e) => { setExpectText({ ...expectText, [o.name]: e.target.value }); setChecked({ ...checked, [o.name]: e.target.value !== '' }); }} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </fieldset>
      {errors.length > 0 && (
        <ul className="form-errors" data-testid="form-errors">{errors.map((e, i) => <li key={i}>{e}</li>)}</ul>
      )}
      <div className="form-actions">
        <button type="button" data-testid="fill-expected" disabled={busy} onClick={fill}>{t('hh.fillExpected')}</button>
        {onSave && <button type="submit" className="primary" data-testid="save-scenario">{t('hh.saveScenario')}</button>}
        {onCancel && <button type="button" onClick={onCancel} data-testid="cancel-scenario">{t('common.cancel')}</button>}
        <button type="button" className="link" onClick={() => setShowJson(!showJson)} data-testid="toggle-json">{t('hh.json')}</button>
      </div>
      {showJson && <pre className="json" data-testid="household-json">{JSON.stringify(pruned, null, 2)}</pre>}
    </form>
  );
}
