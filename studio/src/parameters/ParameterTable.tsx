// The parameters of the policy as a table: value (editable → edits the source text), unit,
// citation, legal range and the assumed flag. Out-of-range values are refused with the range.
import { useState } from 'react';
import type { ParameterInfo, Range } from '../language/types';
import { useI18n, type Translate } from '../i18n/i18n';
import type { MessageKey } from '../i18n/dict';
import { editParameter, literalText, numericPart } from './paramEdit';

export interface ParameterTableProps {
  source: string;
  parameters: ParameterInfo[] | null;
  /** Applies the edit; returns false when it cannot right now (the text changed since the analysis). */
  onSourceChange(next: string, edit: { param: string; range: Range; literal: string }): boolean | void;
  onJump?(range: Range): void;
  /** A role that cannot change the draft sees the values, not inputs. */
  readOnly?: boolean;
}

export function ParameterTable({ source, parameters, onSourceChange, onJump, readOnly }: ParameterTableProps) {
  const { t } = useI18n();
  if (!parameters) return <div className="empty" data-testid="params-noinfo">{t('param.noInfo')}</div>;
  if (!parameters.length) return <div className="empty" data-testid="params-empty">{t('param.none')}</div>;
  return (
    <table className="param-table" data-testid="param-table">
      <thead>
        <tr>
          <th>{t('param.col.name')}</th><th>{t('param.col.value')}</th><th>{t('param.col.unit')}</th>
          <th>{t('param.col.sources')}</th><th>{t('param.col.range')}</th><th>{t('param.col.assumed')}</th>
        </tr>
      </thead>
      <tbody>
        {parameters.map((p) => <ParamRow key={p.name} p={p} source={source} onSourceChange={onSourceChange} onJump={onJump} readOnly={readOnly} />)}
      </tbody>
    </table>
  );
}

function ParamRow({ p, source, onSourceChange, onJump, readOnly }: { p: ParameterInfo; source: string } & Pick<ParameterTableProps, 'onSourceChange' | 'onJump' | 'readOnly'>) {
  const { t } = useI18n();
  const current = numericPart(literalText(source, p)) ?? numericPart(p.value) ?? p.value;
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shown = draft ?? current;

  function commit() {
    if (draft === null || draft.trim() === current) { setDraft(null); setError(null); return; }
    const r = editParameter(source, p, draft);
    if (!r.ok) {
      setError(r.reason === 'not-number'
        ? t('param.notNumber')
        : t('param.outOfRange', { value: draft.trim(), min: r.min ?? '−∞', max: r.max ?? '+∞' }));
      return;                       // refused: the source is unchanged, the input keeps the typed text
    }
    if (onSourceChange(r.source, { param: p.name, range: p.valueRange, literal: r.literal }) === false) {
      setError(t('param.busy'));
      return;
    }
    setError(null);
    setDraft(null);
  }

  const hasRange = p.min !== null || p.max !== null;
  return (
    <tr data-testid={`param-row-${p.name}`} className={p.assumed ? 'assumed' : undefined}>
      <td>
        {onJump ? <button type="button" className="link" onClick={() => onJump(p.range)} data-testid={`param-jump-${p.name}`}>{p.label ?? p.name}</button> : (p.label ?? p.name)}
        {p.label && p.label !== p.name && <div className="muted small">{p.name}</div>}
      </td>
      <td>
        <input type="text" inputMode="decimal" className={`narrow${error ? ' invalid' : ''}`} data-testid={`param-value-${p.name}`}
          aria-label={p.label ?? p.name} readOnly={readOnly} aria-invalid={!!error} value={shown}
          onChange={(e) => { setDraft(e.target.value); setError(null); }}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') { e.preventDefault(); commit(); }
            if (e.key === 'Escape') { setDraft(null); setError(null); }
          }} />
        {error && <div className="field-error" role="alert" data-testid={`param-error-${p.name}`}>{error}</div>}
      </td>
      <td data-testid={`param-unit-${p.name}`}>{unitText(p.unit || literalText(source, p).replace(/^[\s\d.,%+−-]+/, '').trim(), t)}</td>
      <td className="small">{p.sources.length ? p.sources.map((s, i) => <cite key={i} className="citation">「{s}」</cite>) : <span className="muted">—</span>}</td>
      <td data-testid={`param-range-${p.name}`}>{hasRange ? `[${p.min ?? '−∞'}, ${p.max ?? '+∞'}]` : <span className="muted">{t('param.unbounded')}</span>}</td>
      <td data-testid={`param-assumed-${p.name}`}>{p.assumed ? <span className="badge warn" title={p.assumed}>{t('param.col.assumed')}：{p.assumed}</span> : <span className="muted">—</span>}</td>
    </tr>
  );
}

// the units the language writes (元/月, 个月, 岁) in the current language; any other shown as written
const UNITS: Record<string, MessageKey> = { '元/月': 'unit.yuanPerMonth', '元/年': 'unit.yuanPerYear', '元': 'unit.yuan', '个月': 'unit.months', '月': 'unit.months', '岁': 'unit.years' };
function unitText(unit: string, t: Translate): string {
  const key = UNITS[unit];
  return key ? t(key) : unit;
}
