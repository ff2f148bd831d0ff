// The Problems panel under the editor: every diagnostic (the language caps each code itself),
// in a panel the officer can resize by dragging or with the arrow keys on its top edge (a
// separator, as in VS Code); the height is remembered.
import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useI18n } from '../i18n/i18n';
import type { Analysis } from '../language/protocol';
import type { Range } from '../language/types';

const MIN = 48, MAX = 600, STEP = 24, DEFAULT = 120;
const storageKey = 'studio.problemsHeight';
const clamp = (h: number) => Math.max(MIN, Math.min(MAX, Math.round(h)));

function initialHeight(): number {
  try { const v = Number(globalThis.localStorage?.getItem(storageKey)); if (v) return clamp(v); } catch { /* storage unavailable */ }
  return DEFAULT;
}

export function Problems({ analysis, onJump }: { analysis: Analysis | null; onJump(r: Range): void }) {
  const { lang, t } = useI18n();
  const diags = analysis?.diagnostics ?? [];
  const [height, setHeightState] = useState(initialHeight);
  const drag = useRef<{ y: number; h: number } | null>(null);
  const setHeight = (h: number) => {
    const c = clamp(h);
    setHeightState(c);
    try { globalThis.localStorage?.setItem(storageKey, String(c)); } catch { /* ignore */ }
  };
  const onKey = (e: KeyboardEvent) => {
    const by = { ArrowUp: STEP, ArrowDown: -STEP, PageUp: 5 * STEP, PageDown: -5 * STEP } as Record<string, number>;
    if (e.key in by) { e.preventDefault(); setHeight(height + by[e.key]!); }
    else if (e.key === 'Home') { e.preventDefault(); setHeight(MAX); }
    else if (e.key === 'End') { e.preventDefault(); setHeight(MIN); }
  };
  const onDown = (e: PointerEvent<HTMLDivElement>) => { drag.current = { y: e.clientY, h: height }; e.currentTarget.setPointerCapture(e.pointerId); };
  const onMove = (e: PointerEvent) => { if (drag.current) setHeight(drag.current.h + drag.current.y - e.clientY); };
  const onUp = () => { drag.current = null; };
  const errors = diags.filter((d) => d.severity === 'error').length;
  return (
    <>
      <div className="problems-splitter" role="separator" aria-orientation="horizontal" tabIndex={0} data-testid="problems-splitter"
        aria-label={t('editor.problemsResize')} aria-valuemin={MIN} aria-valuemax={MAX} aria-valuenow={height}
        onKeyDown={onKey} onPointerDown={onDown} onPointerMove={onMove} onPointerUp={onUp} onPointerCancel={onUp} />
      <section className="problems" data-testid="problems" style={{ height }} aria-label={t('editor.diagnostics')}>
        <strong>{t('editor.diagnostics')}</strong>{' '}
        {!diags.length ? <span className="muted">{t('editor.noProblems')}</span> : (<>
          <span className="muted small" data-testid="problems-count">{t('editor.problemsCount', { errors, total: diags.length })}</span>
          <ul>
            {diags.map((d, i) => (
              <li key={i} className={`diag ${d.severity}`} data-testid={`problem-${i}`}>
                <button type="button" className="link" onClick={() => onJump(d.range)}>L{d.range.start.line}:{d.range.start.column}</button>{' '}
                <span>{d.message[lang] || d.message.zh}</span> <span className="muted small">{d.code}</span>
              </li>
            ))}
          </ul>
        </>)}
      </section>
    </>
  );
}
