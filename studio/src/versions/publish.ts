// Why the draft cannot be published yet (the dialog lists these and disables the button), and
// the header edit that keeps `生效` equal to the chosen effective date (the runtime requires it).
import type { Analysis } from '../language/protocol';
import type { MessageKey } from '../i18n/dict';

export interface Reason { key: MessageKey; args?: Record<string, string | number> }

export function publishBlockers(a: Analysis | null, form: { effective: string; note: string }): Reason[] {
  const out: Reason[] = [];
  if (!a) return [{ key: 'ver.publish.reason.pending' }];
  const errors = a.diagnostics.filter((d) => d.severity === 'error').length;
  if (errors) out.push({ key: 'ver.publish.reason.errors', args: { n: errors } });
  if (a.scenarioDiagnostics.some((d) => d.severity === 'error')) out.push({ key: 'ver.publish.reason.scenarioYaml' });
  if (a.report && a.report.failed > 0) out.push({ key: 'ver.publish.reason.failing', args: { n: a.report.failed } });
  if (!errors && a.scenarios.length === 0) out.push({ key: 'ver.publish.reason.noScenarios' });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.effective)) out.push({ key: 'ver.publish.reason.effective' });
  if (!form.note.trim()) out.push({ key: 'ver.publish.reason.note' });
  return out;
}

const headerEffective = /^(\s*(?:生效|effective)[ \t\u3000]+)(\d{4}-\d{2}-\d{2})/m;

/** The source with its header's effective date set to `date` (unchanged if there is none). */
export function setHeaderEffective(source: string, date: string): string {
  return source.replace(headerEffective, (_m, lead: string) => `${lead}${date}`);
}

export function headerEffectiveDate(source: string): string | null {
  return headerEffective.exec(source)?.[2] ?? null;
}
