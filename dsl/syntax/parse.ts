// Text → AST with lexing and parsing diagnostics together: the first stage every tool calls.
import { scanTokens } from './scanner.js';
import { parseBuffer, spanAt, type ErrorSpan } from './parser.js';
import type { PolicyFile } from './ast.js';
import { diagnostic, type Diagnostic } from '../base/diagnostics.js';
import { limitExprDepth } from './depth.js';
import { unsafeCharacters, onlyUnsafe } from './unicode-safety.js';

export function parse(text: string, file?: string): { ast: PolicyFile; diagnostics: Diagnostic[]; errorSpans: ErrorSpan[] } {
  const l = scanTokens(text);
  // (bidi and invisible characters get their own diagnostics from unsafeCharacters)
  const diagnostics: Diagnostic[] = l.errors.filter((e) => !onlyUnsafe(e.text)).map((e) => diagnostic('syntax.unexpected-character',
    { start: { line: e.line, column: e.column, offset: e.offset }, end: { line: e.line, column: e.column + e.length, offset: e.offset + e.length } },
    { text: e.text }));
  diagnostics.push(...unsafeCharacters(text, l));
  const p = parseBuffer(text, l);
  // a character the scanner could not read already explains its declaration's grammar error
  const inSpan = (at: number) => spanAt(p.errorSpans, at);
  const explained = new Set(l.errors.map((e) => inSpan(e.offset)).filter(Boolean));
  const grammar = p.diagnostics.filter((d) => d.code !== 'syntax.grammar' || !explained.has(inSpan(d.range.start.offset)));
  const all = [...diagnostics, ...grammar, ...limitExprDepth(p.ast)];
  if (file) for (const d of all) d.file = file;
  return { ast: p.ast, diagnostics: all, errorSpans: p.errorSpans };
}
