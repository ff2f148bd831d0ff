// The findings above the detailed tables: winners and losers, a benefit-cliff warning with the
// flagged households (each opens its explanation, baseline and candidate side by side), and the
// CSV export of the result.
import { useT } from '../i18n/i18n';
import type { ChangedRow } from './ChangedTable';
import { cliffs, resultCsv, winnersLosers } from './findings';
import { count, groupDigits, signed } from './money';
import type { SimulationResult } from './types';

function download(name: string, text: string) {
  // a BOM so that spreadsheet programs read the Chinese labels as UTF-8
  const url = URL.createObjectURL(new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url; a.download = name;
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function Findings({ result, jobId, onSelect }: { result: SimulationResult; jobId: string; onSelect(r: ChangedRow): void }) {
  const t = useT();
  const wl = winnersLosers(result);
  const cl = cliffs(result);
  return (
    <section className="impact-findings" data-testid="impact-findings">
      <h3>{t('impact.findings.title')}</h3>
      <dl className="impact-wl">
        <dt>{t('impact.winners')}</dt>
        <dd data-testid="impact-winners" data-households={wl.winners.households}>{t('impact.wl.line', { n: count(wl.winners.households), p: count(wl.winners.persons), m: signed(wl.winners.monthly) })}</dd>
        <dt>{t('impact.losers')}</dt>
        <dd data-testid="impact-losers" data-households={wl.losers.households}>{t('impact.wl.line', { n: count(wl.losers.households), p: count(wl.losers.persons), m: signed(wl.losers.monthly) })}</dd>
      </dl>
      {cl && (
        <div className="impact-cliffs" role="alert" data-testid="impact-cliffs" data-households={cl.households}>
          <strong>{t('impact.cliff.title')}</strong>
          <p>{t('impact.cliff.text', { n: count(cl.households), max: groupDigits(cl.largestLoss) })}</p>
          <ul>
            {cl.samples.map((c) => (
              <li key={`${c.kind}-${c.sample.index}`}>
                <button type="button" className="link" data-testid="impact-cliff-row" onClick={() => onSelect({ kind: c.kind, sample: c.sample, change: c.change })}>
                  {c.sample.id ?? `#${c.sample.index + 1}`}: {groupDigits(c.sample.baseline)} → {groupDigits(c.sample.candidate)} ({signed(c.change)} {t('impact.perMonth')})
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <button type="button" data-testid="impact-export-csv"
        onClick={() => download(`impact-${jobId}.csv`, resultCsv(result, { section: (k) => t(`impact.csv.${k}` as 'impact.csv.totals') }))}>
        {t('impact.exportCsv')}
      </button>
    </section>
  );
}
