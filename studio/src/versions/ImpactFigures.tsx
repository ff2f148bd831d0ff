// The impact figures of one simulation (cost, recipients, households worse off), as the publish
// confirmation and the review screen show them.
import { useI18n } from '../i18n/i18n';
import { groupDigits, signed } from '../impact/money';
import type { DraftImpact } from './draftImpact';

export function ImpactFigures({ impact, testid }: { impact: DraftImpact; testid: string }) {
  const { t } = useI18n();
  return (
    <ul className="small" data-testid={testid}>
      <li>{t('ver.confirm.impactRun', { job: impact.job, n: impact.households, v: impact.baselineVersion })}</li>
      <li>{t('ver.confirm.impactCost', { before: groupDigits(impact.monthly.baseline), after: groupDigits(impact.monthly.candidate), change: signed(impact.monthly.change ?? '0.00') })}</li>
      <li>{t('ver.confirm.impactRecipients', { before: impact.recipients.baseline, after: impact.recipients.candidate })}</li>
      <li className={impact.lost + impact.left > 0 ? 'warn-text' : undefined}>{t('ver.confirm.impactWorse', { lost: impact.lost, left: impact.left })}</li>
    </ul>
  );
}
