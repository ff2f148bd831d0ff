// The explanation of one evaluation: per output, the rule/exception that decided it, its
// citations, the values and household data used. Clicking a rule jumps to it in the editor.
import { useState } from 'react';
import type { Assumption, Json, Range, TraceEntry } from '../language/types';
import { Assumptions } from './Assumptions';
import { Derivation } from './Derivation';
import { useI18n } from '../i18n/i18n';

export function showValue(v: Json): string {
  if (v === null) return '—';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

export interface TraceTreeProps {
  trace: TraceEntry[];
  title?: string;
  onJump?(range: Range): void;
  /** outputs whose entry should start expanded (e.g. failing ones) */
  expanded?: string[];
  /** the assumed parameters and effective date the answer rests on, shown above the tree */
  assumptions?: Assumption[];
}

export function TraceTree({ trace, title, onJump, expanded, assumptions }: TraceTreeProps) {
  const { t } = useI18n();
  if (!trace.length) return <div className="empty" data-testid="trace-empty">{t('explain.noTrace')}</div>;
  return (
    <div className="trace-tree" data-testid="trace-tree">
      {title && <h3>{title}</h3>}
      <Assumptions assumptions={assumptions} testid="trace-assumptions" />
      <ul className="tree">
        {trace.map((e) => <TraceNode key={e.output} entry={e} onJump={onJump} initiallyOpen={expanded ? expanded.includes(e.output) : trace.length <= 3} />)}
      </ul>
    </div>
  );
}

function TraceNode({ entry: e, onJump, initiallyOpen }: { entry: TraceEntry; onJump?(r: Range): void; initiallyOpen: boolean }) {
  const { lang, t } = useI18n();
  const [open, setOpen] = useState(initiallyOpen);
  const kind = t(`explain.kind.${e.decided_by.kind}` as 'explain.kind.rule');
  const ruleName = e.decided_by.name ?? kind;
  const values = <ValueLists entry={e} />;
  return (
    <li className="tree-node" data-testid={`trace-output-${e.output}`}>
      <button type="button" className="tree-toggle" aria-expanded={open} data-testid={`trace-toggle-${e.output}`} onClick={() => setOpen(!open)}>
        <span className="chevron">{open ? '▾' : '▸'}</span>
        <span className="out-name" title={e.output}>{lang === 'zh' && e.label ? e.label : e.output}</span>
        {e.label && lang === 'zh' && <span className="muted"> {e.output}</span>}
        <span className="eq"> = </span>
        <code className="value" data-testid={`trace-value-${e.output}`}>{showValue(e.value)}</code>
      </button>
      {open && (
        <ul className="tree-children">
          <li className="decided">
            <span className={`kind-badge kind-${e.decided_by.kind}`}>{kind}</span>{' '}
            {onJump
              ? <button type="button" className="link" data-testid={`trace-jump-${e.output}`} title={t('explain.jump')}
                  onClick={() => onJump(e.decided_by.range)}>{t('explain.decidedBy', { kind, name: ruleName })} ↗</button>
              : <span data-testid={`trace-rule-${e.output}`}>{t('explain.decidedBy', { kind, name: ruleName })}</span>}
            <span className="muted"> (L{e.decided_by.range.start.line})</span>
          </li>
          {e.decided_by.sources.length > 0 && (
            <li className="sources" data-testid={`trace-sources-${e.output}`}>
              <span className="muted">{t('explain.sources')}：</span>
              {e.decided_by.sources.map((s, i) => <cite key={i} className="citation">「{s}」</cite>)}
            </li>
          )}
          {e.derivation && <li><Derivation node={e.derivation} output={e.output} onJump={onJump} /></li>}
          {e.derivation ? <li><details><summary className="muted">{t('explain.allValues')}</summary><ul className="tree-children">{values}</ul></details></li> : values}
        </ul>
      )}
    </li>
  );
}

/** Every value and household field an output read (the flat lists the derivation is built beside). */
function ValueLists({ entry: e }: { entry: TraceEntry }) {
  const { t } = useI18n();
  return (
    <>
          {e.definitions.length > 0 && (
            <li>
              <span className="muted">{t('explain.definitions')}</span>
              <ul className="kv" data-testid={`trace-defs-${e.output}`}>
                {e.definitions.map((d, i) => (
                  <li key={i}><span className="k">{d.name}</span>{d.member && <span className="muted"> [{t('explain.member', { id: d.member })}]</span>} = <code>{showValue(d.value)}</code></li>
                ))}
              </ul>
            </li>
          )}
          {e.inputs.length > 0 && (
            <li>
              <span className="muted">{t('explain.inputs')}</span>
              <ul className="kv" data-testid={`trace-inputs-${e.output}`}>
                {e.inputs.map((d, i) => <li key={i}><span className="k">{d.path}</span> = <code>{showValue(d.value)}</code></li>)}
              </ul>
            </li>
          )}
    </>
  );
}
