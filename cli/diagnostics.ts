// Compiler-style diagnostics: "file:line:col severity code message", the source line, and a
// caret under the range (aligned by display width, so under Chinese text too).
import type { Diagnostic } from '../dsl/index.js';
import { bi, charWidth, type Lang, type Style } from './output.js';

function columnsBefore(text: string, units: number): number {
  let w = 0;
  for (const ch of text.slice(0, Math.max(0, units))) w += ch === '\t' ? 1 : charWidth(ch.codePointAt(0)!);
  return w;
}

export function severityText(d: Diagnostic, st: Style): string {
  const s = d.severity;
  return s === 'error' ? st.red(st.bold('error')) : s === 'warning' ? st.yellow(st.bold('warning')) : st.blue(st.bold('info'));
}

/** One diagnostic as text lines. `source` is the file's text (for the excerpt), if known. */
export function formatDiagnostic(d: Diagnostic, file: string, source: string | undefined, lang: Lang, st: Style): string {
  const { line, column } = d.range.start;
  const head = `${st.bold(`${file}:${line}:${column}`)} ${severityText(d, st)} ${st.gray(d.code)} ${bi(d.message.zh, d.message.en, lang)}`;
  if (source === undefined) return head;
  const lines = source.split(/\r?\n/);
  const text = lines[line - 1];
  if (text === undefined) return head;
  const endCol = d.range.end.line === line ? d.range.end.column : text.length + 1;
  const startW = columnsBefore(text, column - 1);
  const endW = columnsBefore(text, Math.max(column, endCol) - 1);
  const caretWidth = Math.max(1, endW - startW);
  const gutter = String(line).length;
  const shown = text.replace(/\t/g, ' ');
  const colour = d.severity === 'error' ? st.red : d.severity === 'warning' ? st.yellow : st.blue;
  return [
    head,
    `${st.gray(`${String(line).padStart(gutter)} |`)} ${shown}`,
    `${st.gray(`${' '.repeat(gutter)} |`)} ${' '.repeat(startW)}${colour('^'.repeat(caretWidth))}`,
  ].join('\n');
}

export function counts(ds: Diagnostic[]): { errors: number; warnings: number; infos: number } {
  return {
    errors: ds.filter((d) => d.severity === 'error').length,
    warnings: ds.filter((d) => d.severity === 'warning').length,
    infos: ds.filter((d) => d.severity === 'info').length,
  };
}

/** A diagnostic as JSON for --format json (1-based positions, the file as displayed). */
export function diagnosticJson(d: Diagnostic, file: string) {
  return { file, line: d.range.start.line, column: d.range.start.column, endLine: d.range.end.line, endColumn: d.range.end.column,
    severity: d.severity, code: d.code, message: d.message };
}
