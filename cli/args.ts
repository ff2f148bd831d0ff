// Argument parsing shared by the commands (node:util parseArgs, strict): an unknown option or a
// missing value is a usage error (exit 2) that names the option and points at --help.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { nearest } from '../dsl/index.js';

/** A mistake in how the command was called: printed with a hint, exit code 2. */
export class UsageError extends Error {
  constructor(message: string, readonly command?: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure the user can fix (missing file, bad JSON, server refused…): printed, exit code 1. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'CliError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** "，是否应为 X？" / "; did you mean X?" when a known name is close to the given one. */
export function didYouMean(given: string, known: readonly string[]): { zh: string; en: string } {
  const near = nearest(given, known);
  return near ? { zh: `，是否应为 ${near}？`, en: `; did you mean ${near}?` } : { zh: '', en: '' };
}

/** node:util's parse errors, in both languages, with the nearest known option for a typo. */
function usageMessage(e: NodeJS.ErrnoException, options: Options): string {
  const message = e.message.replace(/\. To specify a positional argument.*$/s, '');
  const unknown = /Unknown option '([^']+)'/.exec(message)?.[1];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
    const names = Object.keys(options).map((n) => `--${n}`);
    const hint = didYouMean(unknown.replace(/=.*$/, ''), names);
    const list = hint.zh ? { zh: '', en: '' } : { zh: `（可用选项：${names.join(' ')}）`, en: ` (options: ${names.join(' ')})` };
    return `未知选项 ${unknown}${hint.zh}${list.zh} / unknown option ${unknown}${hint.en}${list.en}`;
  }
  const missing = /Option '(-\S+?)(?:, (--\S+))?(?: <value>)?' argument missing/.exec(message);
  if (missing) { const o = missing[2] ?? missing[1]; return `选项 ${o} 需要一个值 / option ${o} needs a value`; }
  const noValue = /Option '(-\S+?)(?:, (--\S+))?' does not take an argument/.exec(message);
  if (noValue) { const o = noValue[2] ?? noValue[1]; return `选项 ${o} 不带值 / option ${o} takes no value`; }
  return message;
}

export function parse<O extends Options>(command: string, args: string[], options: O) {
  const all = { help: { type: 'boolean', short: 'h' }, ...options } as const;
  try {
    return parseArgs({ args, options: all, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(usageMessage(e as NodeJS.ErrnoException, all), command);
  }
}

/** One of a fixed set of values, or a usage error naming the option and the nearest value. */
export function oneOf<T extends string>(command: string, option: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const hint = didYouMean(value, allowed);
  throw new UsageError(`--${option} 应为 ${allowed.join('、')} 之一（得到 "${value}"）${hint.zh} / --${option} must be one of ${allowed.join(', ')} (got "${value}")${hint.en}`, command);
}


