// The live test-case panel beside the editor: each scenario with a pass/fail badge, expected
// vs actual for failures, and the explanation (trace tree) of the selected one.
import type { Analysis } from '../language/protocol';
import type { Range, TraceEntry } from '../language/types';
import { useI18n } from '../i18n/i18n';
import { TraceTree } from '../explain/TraceTree';
import type { Accept } from './acceptResults';
import { formatOutput, outputLabel } from './formatValue';

export function summaryOf(a: Analysis | null): { passed: number; total: number; failed: number; notRun: boolean } {
  if (!a) return { passed: 0, total: 0, failed: 0, notRun: true };
  if (!a.report) return { passed: 0, total: a.scenarios.length, failed: 0, notRun: a.scenarios.length > 0 };
  return { passed: a.report.passed, failed: a.report.failed, total: a.report.passed + a.report.failed, notRun: false };
}

export function SummaryBar({ analysis, pending }: { analysis: Analysis | null; pending: boolean }) {
  const { lang, t } = useI18n();
  const s = summaryOf(analysis);
  const errors = analysis?.diagnostics.filter((d) => d.severity === 'error').length ?? 0;
  const warnings = analysis?.diagnostics.filter((d) => d.severity === 'warning').length ?? 0;
  const cls = !analysis ? 'pending' : errors || s.failed || (s.notRun && s.total) ? 'bad' : 'good';
  return (
    <div className={`summary-bar ${cls}`} data-testid="summary-bar" data-pending={pending ? 'true' : 'false'}
      data-passed={s.passed} data-failed={s.failed} data-total={s.total} data-errors={errors} aria-live="polite">
      <span className="summary-tests" data-testid="summary-tests">
        {analysis ? (s.notRun && s.total ? `${t('scen.notRun')} (0/${s.total})` : t('scen.summary', { passed: s.passed, total: s.total })) : t('scen.running')}
      </span>
      <span className={`summary-diags${errors ? ' has-errors' : ''}`} data-testid="summary-errors" title={analysis?.diagnostics.map((d) => `L${d.range.start.line}: ${d.message[lang]}`).join('\n')}>
        {errors ? t('editor.errors', { n: errors }) : t('editor.noProblems')}{warnings ? ` · ${t('editor.warnings', { n: warnings })}` : ''}
      </span>
      {pending && <span className="muted small" data-testid="analysis-pending">{t('scen.running')}</span>}
    </div>
  );
}

interface PanelProps {
  analysis: Analysis | null;
  selected: number | null;
  onSelect(i: number | null): void;
  /** Absent for a role that cannot change the draft: no new/edit buttons. */
  onNew?(): void;
  onEdit?(i: number): void;
  /** Makes the failing scenarios' expected values what the draft now computes (absent: read-only). */
  onAccept?(accepts: Accept[]): void;
  onJump(range: Range): void;
  onJumpScenario(range: Range): void;
  trace: TraceEntry[] | null;
}

export function ScenarioPanel({ analysis, selected, onSelect, onNew, onEdit, onAccept, onJump, onJumpScenario, trace }: PanelProps) {
  const { lang, t } = useI18n();
  const scenarios = analysis?.scenarios ?? [];
  const results = analysis?.report?.results ?? [];
  const byName = new Map(results.map((r, i) => [r.name + '\u0000' + i, r]));
  const resultAt = (i: number) => results[i] && results[i]!.name === scenarios[i]?.name ? results[i] : byName.get((scenarios[i]?.name ?? '') + '\u0000' + i);
  const outputInfo = (name: string) => analysis?.info?.outputs.find((o) => o.name === name);
  const sel = selected != null ? scenarios[selected] : null;
  const selResult = selected != null ? resultAt(selected) : undefined;
  // a failure that is only different values (no error, no wrong deciding rule) can be accepted
  const acceptable = (i: number): Accept | null => {
    const r = resultAt(i);
    if (!r || r.ok || r.error || r.decided_by?.some((d) => !d.ok)) return null;
    const outputs = r.outputs.filter((o) => !o.ok && o.actual !== undefined).map((o) => ({ name: o.name, expected: o.expected, actual: o.actual }));
    return outputs.length && outputs.length === r.outputs.filter((o) => !o.ok).length ? { index: i, outputs } : null;
  };
  const allAccepts = onAccept && !analysis?.hasErrors ? scenarios.map((_, i) => acceptable(i)).filter((a): a is Accept => a !== null) : [];

  return (
    <aside className={`scenario-panel${sel ? ' with-explanation' : ''}`} data-testid="scenario-panel">
      <header className="panel-header">
        <h3>{t('scen.title')}</h3>
        {onNew && <button type="button" data-testid="new-scenario" onClick={onNew}>+ {t('scen.new')}</button>}
        {allAccepts.length > 0 && <button type="button" data-testid="accept-all" onClick={() => onAccept!(allAccepts)}>{t('accept.all', { n: allAccepts.length })}</button>}
      </header>
      {analysis && analysis.scenarioDiagnostics.length > 0 && (
        <div className="notice warn" data-testid="scenario-yaml-errors">
          {t('scen.yamlErrors', { n: analysis.scenarioDiagnostics.length })}
          <ul>{analysis.scenarioDiagnostics.slice(0, 5).map((d, i) => <li key={i}>L{d.range.start.line}: {d.message[lang]}</li>)}</ul>
        </div>
      )}
      {analysis && analysis.hasErrors && scenarios.length > 0 && <div className="notice" data-testid="scenarios-not-run">{t('scen.notRun')}</div>}
      {scenarios.length === 0 ? <div className="empty" data-testid="scenarios-empty">{analysis ? t('scen.none') : t('common.loading')}</div> : (
        <ul className="scenario-list" data-testid="scenario-list" data-count={scenarios.length}>
          {scenarios.map((s, i) => {
            const r = resultAt(i);
            const state = r ? (r.ok ? 'pass' : 'fail') : 'none';
            return (
              <li key={i} className={`scenario ${state}${selected === i ? ' selected' : ''}`} data-testid={`scenario-${i}`} data-state={state}>
                <button type="button" className="scenario-head" data-testid={`scenario-select-${i}`} onClick={() => onSelect(selected === i ? null : i)}>
                  <span className={`badge ${state === 'pass' ? 'ok' : state === 'fail' ? 'bad' : ''}`} data-testid={`scenario-badge-${i}`}>
                    {state === 'pass' ? `✓ ${t('scen.pass')}` : state === 'fail' ? `✗ ${t('scen.fail')}` : '—'}
                  </span>
                  <span className="scenario-name">{s.name}</span>
                  <span className="muted small">{s.as_of}</span>
                </button>
                {r && !r.ok && (
                  <div className="failure" data-testid={`scenario-failure-${i}`}>
                    {r.error && <div className="field-error">{r.error[lang]}</div>}
                    {r.outputs.some((o) => !o.ok) && (
                      <table className="compare">
                        <caption className="visually-hidden">{t('accept.change')}</caption>
                        <thead><tr><th>{t('scen.output')}</th><th>{t('scen.expected')}</th><th>{t('scen.actual')}</th></tr></thead>
                        <tbody>
                          {r.outputs.filter((o) => !o.ok).map((o) => (
                            <tr key={o.name} data-testid={`scenario-diff-${i}-${o.name}`}>
                              <td title={o.name}>{outputLabel(outputInfo(o.name), o.name, lang)}</td>
                              <td className="expected">{formatOutput(o.expected, outputInfo(o.name)?.type, lang)} →</td>
                              <td className="actual">{formatOutput(o.actual, outputInfo(o.name)?.type, lang)}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    )}
                    {allAccepts.some((a) => a.index === i) && (
                      <button type="button" data-testid={`accept-${i}`} onClick={() => onAccept!([allAccepts.find((a) => a.index === i)!])}>{t('accept.one')}</button>
                    )}
                    {r.decided_by?.filter((d) => !d.ok).map((d) => (
                      <div key={d.output} className="small">{t('scen.decidedBy')} {outputLabel(outputInfo(d.output), d.output, lang)}: {t('scen.expected')} {d.expected}, {t('scen.actual')} {d.actual ?? '—'}</div>
                    ))}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <section className="explanation" data-testid="explanation">
        {sel ? (
          <>
            <div className="panel-header">
              <h3>{t('explain.title', { name: sel.name })}</h3>
              <div>
                {onEdit && <button type="button" className="link" data-testid="scenario-edit" onClick={() => onEdit(selected!)}>{t('scen.edit')}</button>}
                <button type="button" className="link" data-testid="scenario-goto" onClick={() => onJumpScenario(sel.range)}>YAML ↗</button>
              </div>
            </div>
            {trace ? <TraceTree trace={trace} onJump={onJump} assumptions={analysis?.assumptions} expanded={selResult && !selResult.ok ? selResult.outputs.filter((o) => !o.ok).map((o) => o.name) : trace.map((e) => e.output)} />
              : <div className="muted">{analysis?.hasErrors ? t('scen.notRun') : t('common.loading')}</div>}
          </>
        ) : <div className="empty muted" data-testid="explain-empty">{t('explain.empty')}</div>}
      </section>
    </aside>
  );
}
