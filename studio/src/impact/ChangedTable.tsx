// The changed households the simulation kept as samples (entered, left, gained, lost), in
// population order: id, kind, amount before and after, change. A row opens its explanation.
import { useT } from '../i18n/i18n';
import { groupDigits, signed, signOf, subYuan } from './money';
import { CHANGE_KINDS, type ChangeKind, type SampleJson, type SimulationResult } from './types';

export interface ChangedRow { kind: ChangeKind; sample: SampleJson; change: string }

export function changedRows(result: SimulationResult): ChangedRow[] {
  const rows: ChangedRow[] = [];
  for (const kind of CHANGE_KINDS) {
    for (const s of result.samples?.[kind] ?? []) {
      rows.push({ kind, sample: s, change: s.change ?? subYuan(s.candidate, s.baseline) ?? '' });
    }
  }
  return rows.sort((a, b) => a.sample.index - b.sample.index);
}

export const rowKey = (r: ChangedRow) => r.sample.id ?? `#${r.sample.index + 1}`;

export function ChangedTable({ rows, selected, onSelect }: { rows: ChangedRow[]; selected: string | null; onSelect(r: ChangedRow): void }) {
  const t = useT();
  if (!rows.length) return <div className="state empty" data-testid="impact-changed-empty">{t('impact.table.empty')}</div>;
  return (
    <table className="data-table impact-changed-table" data-testid="impact-changed-table">
      <thead>
        <tr>
          <th>{t('impact.col.id')}</th>
          <th>{t('impact.col.kind')}</th>
          <th className="num">{t('impact.col.before')}</th>
          <th className="num">{t('impact.col.after')}</th>
          <th className="num">{t('impact.col.change')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const key = rowKey(r);
          const sign = signOf(r.change);
          return (
            <tr key={`${r.kind}-${r.sample.index}`} className={`impact-row${selected === key ? ' selected' : ''}`} data-testid={`impact-changed-row-${key}`}
              data-kind={r.kind} data-index={r.sample.index} onClick={() => onSelect(r)} aria-selected={selected === key}>
              <td><button type="button" className="link" data-testid={`impact-explain-${key}`} onClick={(e) => { e.stopPropagation(); onSelect(r); }}>{key}</button></td>
              <td><span className={`badge ${r.kind === 'entered' || r.kind === 'gained' ? 'ok' : 'bad'}`}>{t(`impact.kind.${r.kind}`)}</span></td>
              <td className="num" data-testid="impact-row-before" data-value={r.sample.baseline}>{groupDigits(r.sample.baseline)}</td>
              <td className="num" data-testid="impact-row-after" data-value={r.sample.candidate}>{groupDigits(r.sample.candidate)}</td>
              <td className={`num ${sign > 0 ? 'up' : sign < 0 ? 'down' : ''}`} data-testid="impact-row-change" data-value={r.change}>{signed(r.change)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
