// Reading a household file: JSON (with the line and column of a syntax error, which Node 20's
// JSON.parse does not give) or YAML (.yaml/.yml, like the scenario files).
import YAML from 'yaml';
import { CliError } from './args.js';

/** Offset of the first syntax error in `text`, or -1 when it is valid JSON. */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++; };
  const fail = (): never => { throw i; };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++; ws();
      if (text[i] === '}') { i++; return; }
      for (;;) {
        ws(); if (text[i] !== '"') fail(); string(); ws();
        if (text[i] !== ':') fail(); i++; value(); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return; }
        fail();
      }
    } else if (c === '[') {
      i++; ws();
      if (text[i] === ']') { i++; return; }
      for (;;) {
        value(); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return; }
        fail();
      }
    } else if (c === '"') string();
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
      if (!m) fail();
      i += m![0].length;
    } else {
      for (const lit of ['true', 'false', 'null']) if (text.startsWith(lit, i)) { i += lit.length; return; }
      fail();
    }
  };
  const string = () => {
    i++;
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '"') { i++; return; }
      if (ch === '\\') { i += text[i + 1] === 'u' ? 6 : 2; continue; }
      if (ch < ' ') fail();
      i++;
    }
    fail();
  };
  try {
    value(); ws();
    return i < text.length ? i : -1;
  } catch (at) {
    return typeof at === 'number' ? Math.min(at, text.length) : 0;
  }
}

export function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** The line of `text` at `where`, with a caret under the column. */
function excerptAt(text: string, where: { line: number; column: number }): string {
  const lineText = text.split('\n')[where.line - 1];
  if (lineText === undefined) return '';
  return `\n  ${where.line} | ${lineText}\n  ${' '.repeat(String(where.line).length)} | ${' '.repeat(Math.max(0, where.column - 1))}^`;
}

/** Parses a JSON or YAML document; errors name the file, line and column. */
export function parseDocument(text: string, file: string): unknown {
  if (/\.ya?ml$/i.test(file)) {
    const doc = YAML.parseDocument(text, { prettyErrors: false });
    if (doc.errors.length) {
      const e = doc.errors[0]!;
      const at = lineCol(text, Math.min(e.pos[0], text.length));
      throw new CliError(`${file}:${at.line}:${at.column}: 不是有效的 YAML / not valid YAML: ${e.message.split('\n')[0]} — fix the file${excerptAt(text, at)}`);
    }
    return doc.toJS();
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    const off = jsonErrorOffset(text);
    const where = off >= 0 ? lineCol(text, off) : undefined;
    const near = off >= 0 && off < text.length ? ` near ${JSON.stringify(text.slice(off, off + 12))}` : off >= text.length ? ' (unexpected end of file)' : '';
    const excerpt = where ? excerptAt(text, where) : '';
    throw new CliError(`${file}${where ? `:${where.line}:${where.column}` : ''}: 不是有效的 JSON / not valid JSON${near} (${(e as Error).message}) — fix the file (a trailing comma? a missing quote?)${excerpt}`);
  }
}
