// The decisions of other programmes a result rests on (引用), as the trace gives them: each
// referenced output once, with the rule or output that decided it there and its articles
// ("dawukou-dibao.household_eligible = 是（输出 household_eligible，国家规定…）"). The trace tree
// shows this policy's own steps; this list is where the explanation crosses the policy boundary.
import { useI18n } from '../i18n/i18n';
import type { TraceEntry } from '../language/types';

export function LinkedBecause({ policy, trace }: { policy: string; trace: TraceEntry[] }) {
  const { t, lang } = useI18n();
  const seen = new Map<string, string>();
  for (const e of trace) for (const l of e.linked ?? []) {
    const key = `${l.policy}.${l.output}`;
    if (!seen.has(key)) seen.set(key, lang === 'zh' ? l.because.zh : l.because.en);
  }
  if (!seen.size) return null;
  return (
    <div className="ent-linked" data-testid={`ent-linked-${policy}`}>
      <p className="small">{t('ent.linkedBecause')}</p>
      <ul>{[...seen].map(([k, text]) => <li key={k} data-testid={`ent-linked-${policy}-${k}`}>{text}</li>)}</ul>
    </div>
  );
}
