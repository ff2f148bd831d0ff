// The assumptions an answer rests on (parameters marked 假定, an effective date marked 假定):
// shown with every explanation and every Try-it answer so nobody reads an assumed figure as law.
import type { Assumption } from '../language/types';
import { useI18n } from '../i18n/i18n';

export function Assumptions({ assumptions, testid = 'assumptions' }: { assumptions: Assumption[] | undefined; testid?: string }) {
  const { t } = useI18n();
  if (!assumptions?.length) return null;
  return (
    <div className="notice warn assumptions" data-testid={testid}>
      <strong>{t('explain.assumptions')}</strong>
      <ul>
        {assumptions.map((a, i) => (
          <li key={i} data-testid={`${testid}-item`}>
            <span className="k">{'version' in a ? t('explain.assumedVersion', { date: a.version }) : t('explain.assumedParameter', { name: a.parameter })}</span>：{a.text}
          </li>
        ))}
      </ul>
    </div>
  );
}
