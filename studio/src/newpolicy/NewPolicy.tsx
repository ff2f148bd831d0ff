// "新建政策": a template (cash top-up, allowance by table, service entitlement), the policy's id,
// title, jurisdiction and effective date; creates the draft with a starter scenario over
// POST /api/policies and opens it in the editor.
import { useState } from 'react';
import { errorText, api, toApiError, type RawResponse } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../shell/router';
import { useSession } from '../shell/session';
import { mayEdit } from '../shell/roles';
import './newpolicy.css';
import { policyFromTemplate, templateKinds, type TemplateKind } from './templates';

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function NewPolicyButton() {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const { me } = useSession();
  if (!mayEdit(me)) return null;
  return (<>
    <button type="button" data-testid="new-policy" aria-label={t('newp.open')} onClick={() => setOpen(true)}>+ {t('newp.open')}</button>
    {open && <NewPolicyForm onClose={() => setOpen(false)} />}
  </>);
}

function NewPolicyForm({ onClose }: { onClose(): void }) {
  const { lang, t } = useI18n();
  const [kind, setKind] = useState<TemplateKind>('topup');
  const [form, setForm] = useState({ id: '', title: '', jurisdiction: '', effective: new Date().toISOString().slice(0, 10) });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = (k: keyof typeof form, type = 'text') => (
    <label>{t(k === 'title' ? 'newp.title.field' : `newp.${k}`)}
      <input type={type} aria-label={t(k === 'title' ? 'newp.title.field' : `newp.${k}`)} data-testid={`newp-${k}`} value={form[k]} required onChange={(e) => setForm({ ...form, [k]: e.target.value })} />
    </label>
  );
  async function create() {
    if (!ID.test(form.id)) { setError(t('newp.badId')); return; }
    if (!form.title.trim() || !form.jurisdiction.trim() || !/^\d{4}-\d{2}-\d{2}$/.test(form.effective)) { setError(t('newp.missing')); return; }
    setBusy(true);
    setError(null);
    const made = policyFromTemplate(kind, { ...form, title: form.title.trim(), jurisdiction: form.jurisdiction.trim() });
    let res: RawResponse;
    try { res = await api.raw('POST', '/api/policies', { id: form.id, ...made }); } catch (e) { setBusy(false); setError(errorText(e, lang)); return; }
    setBusy(false);
    if (res.status === 201) { onClose(); navigate({ screen: 'policy', id: form.id, tab: 'editor' }); return; }
    setError(toApiError(res).text(lang));
  }
  return (
    <div className="dialog new-policy" role="dialog" aria-label={t('newp.title')} data-testid="new-policy-dialog">
      <h3>{t('newp.title')}</h3>
      <fieldset>
        <legend>{t('newp.template')}</legend>
        {templateKinds.map((k) => (
          <label key={k}><input type="radio" name="newp-template" value={k} aria-label={t(`newp.template.${k}`)} data-testid={`newp-template-${k}`} checked={kind === k} onChange={() => setKind(k)} /> {t(`newp.template.${k}`)}</label>
        ))}
      </fieldset>
      {field('id')}{field('title')}{field('jurisdiction')}{field('effective', 'date')}
      {error && <p className="notice error" role="alert" data-testid="newp-error">{error}</p>}
      <div className="toolbar">
        <button type="button" data-testid="newp-create" aria-label={t('newp.create')} disabled={busy} onClick={() => void create()}>{t('newp.create')}</button>
        <button type="button" data-testid="newp-cancel" aria-label={t('common.cancel')} onClick={onClose}>{t('common.cancel')}</button>
      </div>
    </div>
  );
}
