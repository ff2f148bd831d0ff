// The grid editor of a decision table. It reads the tables from the policy text through the
// language worker ('tables'), and writes every edit back by splicing the printed table into the
// text; the workspace passes the result through the formatter, so the saved text is canonical.
// The checker's diagnostics of the table (gaps, overlaps, unreachable rows) are listed under it.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import type { LanguageClient } from '../language/client';
import type { Analysis } from '../language/protocol';
import type { Diagnostic, Range } from '../language/types';
import type { GridCell, GridRow, GridTable } from '../../../dsl/index.js';
import { CellEditor } from './CellEditor';
import { CommitInput } from './CommitInput';
import { spliceTable } from './printTable';
import './table.css';

interface Props {
  client: LanguageClient;
  /** The policy text now (the Monaco model). */
  source(): string;
  /** Where the cursor is, so the grid opens on the table the officer is in. */
  cursorOffset(): number | null;
  analysis: Analysis | null;
  /** Writes the edited text (formatted by the workspace); resolves to the text now in the editor. */
  onApply(next: string): Promise<string>;
  onJump(r: Range): void;
  onClose(): void;
  readOnly: boolean;
}

const within = (r: Range, outer: Range) => outer.start.offset <= r.start.offset && r.end.offset <= outer.end.offset;

export function TableGrid({ client, source, cursorOffset, analysis, onApply, onJump, onClose, readOnly }: Props) {
  const { t } = useI18n();
  const [state, setState] = useState<{ text: string; tables: GridTable[]; index: number } | null>(null);
  const busy = useRef(false);

  const load = useCallback(async (text: string, at: number | null, keep: number | null) => {
    const tables = await client.request<GridTable[]>('tables', { text });
    const found = at == null ? -1 : tables.findIndex((x) => x.range.start.offset <= at && at <= x.range.end.offset);
    setState({ text, tables, index: found >= 0 ? found : Math.min(keep ?? 0, Math.max(0, tables.length - 1)) });
  }, [client]);

  useEffect(() => { void load(source(), cursorOffset(), null); }, []); // eslint-disable-line react-hooks/exhaustive-deps
  // typed in the editor meanwhile: read the tables again from the analysed text
  useEffect(() => {
    if (analysis && state && !busy.current && analysis.source !== state.text && analysis.source === source()) void load(analysis.source, null, state.index);
  }, [analysis]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!state) return <div className="table-grid" data-testid="table-grid">{t('grid.checking')}</div>;
  const table = state.tables[state.index];

  async function edit(change: (t: GridTable) => GridTable) {
    if (!state || !table || busy.current) return;
    busy.current = true;
    try {
      const next = await onApply(spliceTable(state.text, change(table)));
      await load(next, null, state.index);
    } finally { busy.current = false; }
  }
  const setRow = (i: number, f: (r: GridRow) => GridRow) => edit((x) => ({ ...x, rows: x.rows.map((r, k) => (k === i ? f(r) : r)) }));
  const move = (i: number, d: number) => edit((x) => {
    const rows = [...x.rows];
    [rows[i], rows[i + d]] = [rows[i + d]!, rows[i]!];
    return { ...x, rows };
  });
  const addRow = () => edit((x) => ({
    ...x, rows: [...x.rows, { name: null, defaultName: '', cells: x.columns.map((): GridCell => ({ kind: 'any' })), result: x.rows[x.rows.length - 1]?.result ?? '0', sources: x.lang === 'zh' ? '「」' : '""', range: x.range }],
  }));

  return (
    <section className="table-grid" data-testid="table-grid" aria-label={table ? t('grid.title', { owner: table.owner }) : t('grid.open')}>
      <div className="toolbar">
        <select aria-label={t('grid.pick')} data-testid="grid-pick" value={state.index} onChange={(e) => setState({ ...state, index: Number(e.target.value) })}>
          {state.tables.map((x, i) => <option key={i} value={i}>{t('grid.title', { owner: x.owner })}</option>)}
        </select>
        {table && (
          <select aria-label={t('grid.policy')} data-testid="grid-policy" value={table.policy} disabled={readOnly}
            onChange={(e) => void edit((x) => ({ ...x, policy: e.target.value as GridTable['policy'] }))}>
            {(['unique', 'first', 'sum'] as const).map((p) => <option key={p} value={p}>{t(`grid.policy.${p}`)}</option>)}
          </select>
        )}
        <button type="button" aria-label={t('grid.close')} data-testid="grid-close" onClick={onClose}>×</button>
      </div>
      {!table ? <p className="muted" data-testid="grid-none">{t('grid.none')}</p> : (<>
        <GridRows table={table} readOnly={readOnly} diagnostics={tableDiagnostics(analysis, state.text, table)} onRow={setRow} onMove={move}
          onRemove={(i) => void edit((x) => ({ ...x, rows: x.rows.filter((_, k) => k !== i) }))} />
        {!readOnly && <button type="button" aria-label={t('grid.add')} data-testid="grid-add" onClick={() => void addRow()}>+ {t('grid.add')}</button>}
        <GridProblems analysis={analysis} text={state.text} table={table} onJump={onJump} />
      </>)}
    </section>
  );
}

/** The diagnostics of the analysed text that fall inside the table (none while the text is being analysed). */
function tableDiagnostics(analysis: Analysis | null, text: string, table: GridTable): Diagnostic[] | null {
  if (!analysis || analysis.source !== text) return null;
  return analysis.diagnostics.filter((d) => within(d.range, table.range));
}

interface RowsProps { table: GridTable; readOnly: boolean; diagnostics: Diagnostic[] | null; onRow(i: number, f: (r: GridRow) => GridRow): void; onMove(i: number, d: number): void; onRemove(i: number): void }

function GridRows({ table, readOnly, diagnostics, onRow, onMove, onRemove }: RowsProps) {
  const { t } = useI18n();
  // a row is marked when a diagnostic points at it (an overlap, an unreachable row); a gap points at the whole table
  const marked = (r: GridRow) => diagnostics?.find((d) => within(d.range, r.range))?.severity;
  return (
    <table className="grid">
      <thead>
        <tr>
          <th>{t('grid.row')}</th>
          {table.columns.map((c, k) => <th key={k}><code>{c}</code></th>)}
          <th>{t('grid.value')}</th><th>{t('grid.source')}</th><th>{t('grid.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {table.rows.map((r, i) => {
          const args = { n: i + 1 };
          const mark = marked(r);
          return (
            <tr key={i} data-testid={`grid-row-${i}`} className={mark ? `grid-marked ${mark}` : undefined} data-marked={mark ?? undefined}>
              <td><CommitInput label={t('grid.rowName', args)} testId={`grid-name-${i}`} value={r.name ?? ''} readOnly={readOnly} size={10} onCommit={(v) => onRow(i, (x) => ({ ...x, name: v.trim() || null }))} /></td>
              {r.cells.map((c, k) => (
                <td key={k}><CellEditor cell={c} row={i} col={table.columns[k] ?? ''} testId={`grid-cell-${i}-${k}`} readOnly={readOnly}
                  onChange={(cell) => onRow(i, (x) => ({ ...x, cells: x.cells.map((y, j) => (j === k ? cell : y)) }))} /></td>
              ))}
              <td><CommitInput label={t('grid.valueOf', args)} testId={`grid-result-${i}`} value={r.result} readOnly={readOnly} size={12} onCommit={(v) => onRow(i, (x) => ({ ...x, result: v }))} /></td>
              <td><CommitInput label={t('grid.sourceOf', args)} testId={`grid-sources-${i}`} value={r.sources} readOnly={readOnly} size={18} onCommit={(v) => onRow(i, (x) => ({ ...x, sources: v }))} /></td>
              <td className="grid-actions">
                <button type="button" aria-label={t('grid.up', args)} data-testid={`grid-up-${i}`} disabled={readOnly || i === 0} onClick={() => onMove(i, -1)}>↑</button>
                <button type="button" aria-label={t('grid.down', args)} data-testid={`grid-down-${i}`} disabled={readOnly || i === table.rows.length - 1} onClick={() => onMove(i, 1)}>↓</button>
                <button type="button" aria-label={t('grid.remove', args)} data-testid={`grid-remove-${i}`} disabled={readOnly || table.rows.length === 1} onClick={() => onRemove(i)}>✕</button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function GridProblems({ analysis, text, table, onJump }: { analysis: Analysis | null; text: string; table: GridTable; onJump(r: Range): void }) {
  const { lang, t } = useI18n();
  const diags = tableDiagnostics(analysis, text, table);
  const unparsed = analysis && analysis.source === text ? analysis.diagnostics.filter((d) => d.code.startsWith('syntax.')) : [];
  return (
    <div className="grid-problems" data-testid="grid-problems" aria-label={t('grid.problems')} aria-live="polite">
      <strong>{t('grid.problems')}</strong>{' '}
      {diags == null ? <span className="muted">{t('grid.checking')}</span> : !diags.length && !unparsed.length ? <span className="muted" data-testid="grid-no-problems">{t('grid.noProblems')}</span> : (
        <ul>
          {unparsed.length > 0 && <li className="diag error">{t('grid.unreadable')} {unparsed[0]!.message[lang]}</li>}
          {diags.map((d, i) => (
            <li key={i} className={`diag ${d.severity}`} data-testid={`grid-diag-${i}`} data-code={d.code}>
              <button type="button" className="link" onClick={() => onJump(d.range)}>L{d.range.start.line}</button>{' '}
              <span>{d.message[lang] || d.message.zh}</span> <span className="muted small">{d.code}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
