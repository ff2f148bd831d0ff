// A line diff from the runtime ({op, text, from_line, to_line}) shown as its changed lines with
// one line of context around each change: what a reviewer or a publisher needs to read.
import type { LineDiff } from '../api/client';
import { useI18n } from '../i18n/i18n';

type Line = LineDiff['lines'][number];
export type Shown = { gap: true } | (Line & { gap?: false });

/** The changed lines plus `context` equal lines around each, with a gap marker where lines are left out. */
export function changedLines(lines: Line[], context = 1): Shown[] {
  const keep = new Array<boolean>(lines.length).fill(false);
  lines.forEach((l, i) => {
    if (l.op === 'equal') return;
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) keep[j] = true;
  });
  const out: Shown[] = [];
  lines.forEach((l, i) => {
    if (keep[i]) out.push(l);
    else if (out.length && !('gap' in out[out.length - 1]! && out[out.length - 1]!.gap)) out.push({ gap: true });
  });
  if (out.length && 'gap' in out[out.length - 1]! && out[out.length - 1]!.gap) out.pop();
  return out;
}

export function LineDiffView({ diff, testid }: { diff: LineDiff; testid: string }) {
  const { t } = useI18n();
  const shown = changedLines(diff.lines);
  if (!shown.length) return <p className="muted small" data-testid={testid}>{t('ver.diff.none')}</p>;
  return (
    <div className="line-diff" data-testid={testid} data-added={diff.added} data-removed={diff.removed}>
      <div className="muted small">{t('ver.diff.counts', { a: diff.added, r: diff.removed })}</div>
      <pre>
        {shown.map((l, i) => l.gap ? <div key={i} className="diff-gap">⋯</div> : (
          <div key={i} className={`diff-line ${l.op}`} data-op={l.op}>
            <span className="diff-no">{l.op === 'add' ? '' : l.from_line ?? ''}</span>
            <span className="diff-no">{l.op === 'remove' ? '' : l.to_line ?? ''}</span>
            <span className="diff-sign" aria-hidden="true">{l.op === 'add' ? '+' : l.op === 'remove' ? '−' : ' '}</span>
            <span className="diff-text">{l.text}</span>
          </div>
        ))}
      </pre>
    </div>
  );
}

/** Scenario results of a run: n/m passed, and the failing ones by name. */
export function TestSummary({ run, testid }: { run: { passed: number; failed: number; results: { name: string; ok: boolean }[] }; testid: string }) {
  const { t } = useI18n();
  const failing = run.results.filter((r) => !r.ok);
  return (
    <div data-testid={testid} data-passed={run.passed} data-failed={run.failed}>
      <span className={`badge ${run.failed ? 'warn' : 'ok'}`}>{t('scen.summary', { passed: run.passed, total: run.passed + run.failed })}</span>
      {failing.length > 0 && <ul className="small">{failing.map((r, i) => <li key={i}>{t('ver.tests.failing', { name: r.name })}</li>)}</ul>}
    </div>
  );
}
