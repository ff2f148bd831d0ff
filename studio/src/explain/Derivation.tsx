// An output's derivation (issue #19): the rule that decided, the formula with the household's
// numbers put in, the result; each name the formula used expands to its own derivation, down to
// the household's figures. Text comes built from the language (dsl/eval/derivation.ts) in both
// languages; citations (依据) jump to where the clause that cites them is written.
import { useState } from 'react';
import type { DerivationNode, Range } from '../language/types';
import { useI18n } from '../i18n/i18n';

const quoted = (s: string, lang: 'zh' | 'en') => (lang === 'zh' ? `「${s}」` : `"${s}" `);

export interface DerivationProps { node: DerivationNode; output: string; onJump?(range: Range): void }

export function Derivation({ node, output, onJump }: DerivationProps) {
  const { t, lang } = useI18n();
  return (
    <section className="derivation" data-testid={`derivation-${output}`} aria-label={t('explain.derivationOf', { name: node.label[lang] })}>
      <ul className="derivation-tree">
        <Step node={node} path={output} onJump={onJump} initiallyOpen top />
      </ul>
    </section>
  );
}

function Step({ node, path, onJump, initiallyOpen, top }: { node: DerivationNode; path: string; onJump?(r: Range): void; initiallyOpen: boolean; top?: boolean }) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState(initiallyOpen);
  const text = node.text[lang] + (node.repeated ? t('explain.seeAbove') : node.truncated ? t('explain.truncated') : '');
  const expandable = node.uses.length > 0;
  const where = node.rule?.range ?? node.range;
  const notes: string[] = [];
  if (node.rule) {
    const c = node.rule.condition;
    notes.push(node.rule.text[lang] + (c ? ` · ${t('explain.when', { formula: c.formula[lang], values: c.values[lang], result: c.result[lang] })}` : ''));
  }
  for (const c of node.conditions ?? []) notes.push(t('explain.if', { formula: c.formula[lang], values: c.values[lang], result: c.result[lang] }));
  return (
    <li className={`derivation-step${top ? ' top' : ''}`} data-testid={`derivation-step-${path}`}>
      {expandable
        ? (
          <button type="button" className="tree-toggle derivation-line" aria-expanded={open} data-testid={`derivation-toggle-${path}`} onClick={() => setOpen(!open)}>
            <span className="chevron" aria-hidden="true">{open ? '▾' : '▸'}</span> <span data-testid={`derivation-text-${path}`}>{text}</span>
          </button>
        )
        : <span className="derivation-line leaf" data-testid={`derivation-text-${path}`}>{text}</span>}
      {(notes.length > 0 || node.sources.length > 0) && (
        <div className="derivation-notes">
          {notes.map((n, i) => <span key={i} className="derivation-note">{n}</span>)}
          {node.sources.length > 0 && (
            <span className="derivation-sources" data-testid={`derivation-sources-${path}`}>
              <span className="muted">{t('explain.sources')}{lang === 'zh' ? '：' : ': '}</span>
              {node.sources.map((s, i) => (onJump && where
                ? <button key={i} type="button" className="link citation" title={t('explain.jumpSource', { source: s })} onClick={() => onJump(where)}>{quoted(s, lang)}</button>
                : <cite key={i} className="citation">{quoted(s, lang)}</cite>))}
            </span>
          )}
        </div>
      )}
      {open && expandable && (
        <ul className="derivation-tree">
          {node.uses.map((u, i) => <Step key={i} node={u} path={`${path}.${u.name}${u.member !== undefined ? `@${u.member}` : ''}`} onJump={onJump} initiallyOpen={false} />)}
        </ul>
      )}
    </li>
  );
}
