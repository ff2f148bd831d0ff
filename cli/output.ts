// Terminal output: colour only when stdout is a terminal (or FORCE_COLOR is set), never when
// piped or when NO_COLOR is set (https://no-color.org). Widths count CJK characters as two
// columns so that tables and carets line up under Chinese text.

export interface Style {
  enabled: boolean;
  red(s: string): string; green(s: string): string; yellow(s: string): string; blue(s: string): string;
  cyan(s: string): string; gray(s: string): string; bold(s: string): string; dim(s: string): string;
}

export function colourEnabled(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

export function style(enabled = colourEnabled()): Style {
  const wrap = (open: number, close: number) => (s: string) => (enabled ? `\x1b[${open}m${s}\x1b[${close}m` : s);
  return {
    enabled,
    red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), blue: wrap(34, 39),
    cyan: wrap(36, 39), gray: wrap(90, 39), bold: wrap(1, 22), dim: wrap(2, 22),
  };
}

/** Display width of one code point (East Asian wide/fullwidth = 2, combining = 0). */
export function charWidth(cp: number): number {
  if (cp === 0) return 0;
  if (cp < 32 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) || (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd)
  ) return 2;
  return 1;
}

const ANSI = /\x1b\[[0-9;]*m/g;

export function width(s: string): number {
  let w = 0;
  for (const ch of s.replace(ANSI, '')) w += charWidth(ch.codePointAt(0)!);
  return w;
}

export function padEnd(s: string, n: number): string {
  return s + ' '.repeat(Math.max(0, n - width(s)));
}

/** A plain table: a header row, a rule, then rows; columns padded by display width. */
export function table(header: string[], rows: string[][], st: Style = style()): string {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : padEnd(c, widths[i]!))).join('  ').trimEnd();
  return [st.bold(line(header)), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** What a shell reports for a process ended by SIGPIPE (128 + 13), as `seq 1e9 | head` gives. */
export const EPIPE_EXIT_CODE = 141;

/**
 * When the reader of stdout (or stderr) goes away — `policy test policies/ | head -3` — the next
 * write fails with EPIPE, emitted as an 'error' event that would crash with a stack trace.
 * Exit quietly instead, with EPIPE_EXIT_CODE (the output was cut short); other errors still throw.
 * The entry point installs this once (cli/main.ts).
 */
export function exitQuietlyOnEpipe(
  streams: NodeJS.WritableStream[] = [process.stdout, process.stderr],
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  for (const stream of streams) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e?.code === 'EPIPE') { exit(EPIPE_EXIT_CODE); return; }
      throw e;
    });
  }
}

/** Writes to stdout / stderr (collected so commands can be unit-tested without a process). */
export const out = (s = '') => { process.stdout.write(`${s}\n`); };
export const err = (s = '') => { process.stderr.write(`${s}\n`); };

/** A one-line progress indicator on stderr, shown only when stderr and stdout are terminals. */
export function progress(enabled = Boolean(process.stdout.isTTY && process.stderr.isTTY)) {
  let shown = false;
  return {
    update(text: string) {
      if (!enabled) return;
      const cols = process.stderr.columns || 80;
      let s = text;
      while (width(s) > cols - 1 && s.length > 1) s = s.slice(0, -1);
      process.stderr.write(`\r\x1b[K${s}`);
      shown = true;
    },
    clear() {
      if (enabled && shown) process.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}

/** Chinese then English, or one of them (--lang). */
export type Lang = 'both' | 'zh' | 'en';
export function bi(zh: string, en: string, lang: Lang): string {
  return lang === 'en' ? en : lang === 'zh' ? zh : `${zh} / ${en}`;
}
