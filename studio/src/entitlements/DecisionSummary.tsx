// The printable decision summary an officer hands to the applicant: what is granted, under which
// version, citing the articles, and the decision records. Printing shows only this (entitlements.css).
import { useI18n } from '../i18n/i18n';
import { citations, type Answer } from './answer';

export function DecisionSummary({ answer }: { answer: Answer }) {
  const { t, lang } = useI18n();
  const granted = answer.programmes.filter((p) => p.granted);
  const j = answer.jurisdiction!;
  return (
    <section className="decision-summary" data-testid="ent-summary">
      <div className="no-print"><button type="button" data-testid="ent-print" onClick={() => window.print()}>{t('ent.print')}</button></div>
      <h3>{t('ent.summary')}</h3>
      <p>{t('ent.summaryFor', { id: answer.household_id ?? '—', date: answer.as_of, place: lang === 'zh' ? `${j.full_name}（${j.code}）` : `${j.name_en} (${j.code})` })}</p>
      <p className="small">{lang === 'zh' ? `${j.basis.zh}［${j.basis.source}］` : `${j.basis.en} [${j.basis.source}]`}</p>
      <h4>{t('ent.grantedList')}</h4>
      {granted.length === 0 ? <p>{t('ent.noneGranted')}</p> : (
        <ol>
          {granted.map((p) => (
            <li key={p.policy} data-testid={`ent-summary-${p.policy}`}>
              <strong>{p.title}</strong>
              {typeof p.outputs.monthly_amount === 'string' && <> — {t('ent.perMonth', { amount: p.outputs.monthly_amount })}</>}
              {typeof p.outputs.amount === 'string' && <> — {t('ent.once', { amount: p.outputs.amount })}</>}
              <div className="small">{t('ent.underVersion', { policy: p.policy, version: p.version, date: p.effective_from })}</div>
              <div className="small">{t('ent.cites', { list: citations(p).join('；') })}</div>
              {p.decision_id && <div className="small muted">{t('ent.decisionId', { id: p.decision_id })}</div>}
            </li>
          ))}
        </ol>
      )}
      <p><strong>{t('ent.total', { monthly: answer.totals.monthly_cash, yearly: answer.totals.yearly_cash })}</strong></p>
    </section>
  );
}
