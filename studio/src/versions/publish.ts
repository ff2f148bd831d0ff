// Why the draft cannot be published yet (the dialog lists these and disables the button), and
// the header edit that keeps `生效` equal to the chosen effective date (the runtime requires it).
import type { Analysis } from '../language/protocol';
import type { MessageKey } from '../i18n/dict';

export interface Reason { key: MessageKey; args?: Record<string, string | number> }

export function publishBlockers(a: Analysis | null, form: { effective: string; note: string }): Reason[] {
  const out = draftBlockers(a);
  if (!a) return out;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.effective)) out.push({ key: 'ver.publish.reason.effective' });
  if (!form.note.trim()) out.push({ key: 'ver.publish.reason.note' });
  return out;
}

/** Why the draft itself cannot be published (before any date or note is chosen). */
export function draftBlockers(a: Analysis | null): Reason[] {
  const out: Reason[] = [];
  if (!a) return [{ key: 'ver.publish.reason.pending' }];
  const errors = a.diagnostics.filter((d) => d.severity === 'error').length;
  if (errors) out.push({ key: 'ver.publish.reason.errors', args: { n: errors } });
  if (a.scenarioDiagnostics.some((d) => d.severity === 'error')) out.push({ key: 'ver.publish.reason.scenarioYaml' });
  if (a.report && a.report.failed > 0) out.push({ key: 'ver.publish.reason.failing', args: { n: a.report.failed } });
  if (!errors && a.scenarios.length === 0) out.push({ key: 'ver.publish.reason.noScenarios' });
  return out;
}

const headerEffective = /^(\s*(?:生效|effective)[ \t\u3000]+)(\d{4}-\d{2}-\d{2})((?:[ \t\u3000]+(?:假定|assumed)[ \t\u3000]*(?:「[^」\n]*」|"[^"\n]*"))?)/m;
const headerNote = /^(\s*(?:说明|note)[ \t\u3000]*(?:「|"))([^」"\n]*)(」|")/m;

/**
 * The source with its header's effective date set to `date` (unchanged if there is none). A new
 * date is the officer's choice, so the old date's 假定「…」 (why that date was assumed) goes with it.
 */
export function setHeaderEffective(source: string, date: string): string {
  return source.replace(headerEffective, (m, lead: string, old: string) => (old === date ? m : `${lead}${date}`));
}

/** The source with its header's 说明 set to `note` (so the version's text says what it changed). */
export function setHeaderNote(source: string, note: string): string {
  // the quotes that would end the string literal become typographic ones
  const text = note.replace(/\s*\n\s*/g, ' ').replace(/「/g, '“').replace(/[」"]/g, '”');
  return source.replace(headerNote, (_m, lead: string, _old: string, end: string) => `${lead}${text}${end}`);
}

export function headerEffectiveDate(source: string): string | null {
  return headerEffective.exec(source)?.[2] ?? null;
}
