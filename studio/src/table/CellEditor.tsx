// One cell of the grid: any (—), values (城市 / 1 或 2) or an interval edited as two bounds, each
// with its inclusivity chosen explicitly (以上/超过 below, 不满/以下 above), shown as [80, 90).
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import type { GridBound, GridCell } from '../../../dsl/index.js';
import { intervalText } from './printTable';
import { CommitInput } from './CommitInput';

interface Props { cell: GridCell; row: number; col: string; testId: string; readOnly: boolean; onChange(c: GridCell): void }

/** A cell that would print as — or lose a bound (a kind chosen, a boundary word picked, no value typed yet) stays here until its value is typed. */
const unfinished = (c: GridCell) =>
  (c.kind === 'values' && !c.text.trim()) || (c.kind === 'bounds' && ((!c.lower && !c.upper) || [c.lower, c.upper].some((b) => b && !b.value.trim())));

export function CellEditor({ cell: written, row, col, testId, readOnly, onChange: write }: Props) {
  const { t } = useI18n();
  const [pending, setPending] = useState<GridCell | null>(null);
  useEffect(() => setPending(null), [written]);
  const cell = pending ?? written;
  const onChange = (c: GridCell) => { if (unfinished(c)) setPending(c); else { setPending(null); write(c); } };
  const args = { n: row + 1, col };
  const setKind = (k: GridCell['kind']) => onChange(k === 'any' ? { kind: 'any' } : k === 'values' ? { kind: 'values', text: '' } : { kind: 'bounds', lower: null, upper: null });
  return (
    <div className="grid-cell">
      <select aria-label={t('grid.kind', args)} data-testid={`${testId}-kind`} value={cell.kind} disabled={readOnly} onChange={(e) => setKind(e.target.value as GridCell['kind'])}>
        <option value="any">{t('grid.kind.any')}</option>
        <option value="values">{t('grid.kind.values')}</option>
        <option value="bounds">{t('grid.kind.bounds')}</option>
      </select>
      {cell.kind === 'values' && (
        <CommitInput label={t('grid.values', args)} testId={`${testId}-values`} value={cell.text} readOnly={readOnly} onCommit={(text) => onChange({ kind: 'values', text })} />
      )}
      {cell.kind === 'bounds' && <BoundsEditor cell={cell} args={args} testId={testId} readOnly={readOnly} onChange={onChange} />}
    </div>
  );
}

type Bounds = Extract<GridCell, { kind: 'bounds' }>;

function BoundsEditor({ cell, args, testId, readOnly, onChange }: { cell: Bounds; args: { n: number; col: string }; testId: string; readOnly: boolean; onChange(c: GridCell): void }) {
  const { t } = useI18n();
  // the inclusivity select also says "no bound"; a bound without a value is kept until one is typed
  const inclOf = (b: GridBound | null) => (b ? (b.inclusive ? 'in' : 'ex') : 'none');
  const withIncl = (b: GridBound | null, v: string): GridBound | null => (v === 'none' ? null : { value: b?.value ?? '', inclusive: v === 'in' });
  const withValue = (b: GridBound | null, value: string): GridBound | null => (value.trim() ? { value: value.trim(), inclusive: b?.inclusive ?? true } : null);
  const set = (lower: GridBound | null, upper: GridBound | null) => onChange({ kind: 'bounds', lower, upper });
  return (
    <span className="grid-bounds">
      <CommitInput label={t('grid.lower', args)} testId={`${testId}-lower`} value={cell.lower?.value ?? ''} readOnly={readOnly} size={6}
        onCommit={(v) => set(withValue(cell.lower, v), cell.upper)} />
      <select aria-label={t('grid.lowerIncl', args)} data-testid={`${testId}-lower-incl`} value={inclOf(cell.lower)} disabled={readOnly}
        onChange={(e) => set(withIncl(cell.lower, e.target.value), cell.upper)}>
        <option value="none">{t('grid.noLower')}</option>
        <option value="in">{t('grid.from')}</option>
        <option value="ex">{t('grid.above')}</option>
      </select>
      <CommitInput label={t('grid.upper', args)} testId={`${testId}-upper`} value={cell.upper?.value ?? ''} readOnly={readOnly} size={6}
        onCommit={(v) => set(cell.lower, withValue(cell.upper, v))} />
      <select aria-label={t('grid.upperIncl', args)} data-testid={`${testId}-upper-incl`} value={inclOf(cell.upper)} disabled={readOnly}
        onChange={(e) => set(cell.lower, withIncl(cell.upper, e.target.value))}>
        <option value="none">{t('grid.noUpper')}</option>
        <option value="ex">{t('grid.below')}</option>
        <option value="in">{t('grid.to')}</option>
      </select>
      <code className="grid-interval" data-testid={`${testId}-interval`}>{intervalText(cell.lower, cell.upper)}</code>
    </span>
  );
}
