#!/usr/bin/env node
// `policy` — the command line for testers and CI: check, test, eval, fmt, publish (and simulate).
// Each command lives in cli/commands/<name>.ts and exports `run(args): Promise<number>` (the
// exit code). Commands are loaded on demand from the table below, so adding a command is one line.
import { CliError, didYouMean, UsageError } from './args.js';
import { HELP } from './help.js';
import { err, exitQuietlyOnEpipe, out, style } from './output.js';

export type Command = { run(args: string[]): Promise<number> };

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  check: { summary: '检查政策文件 / parse and check policy files', load: () => import('./commands/check.js') },
  test: { summary: '运行情景测试 / run scenario suites (JUnit XML for CI)', load: () => import('./commands/test.js') },
  eval: { summary: '计算一户 / evaluate one household (local file or --server)', load: () => import('./commands/eval.js') },
  entitlements: { summary: '一门受理 / every programme one household may receive (local policies/ or --server)', load: () => import('./commands/entitlements.js') },
  fmt: { summary: '格式化 / format policy files (--check for CI)', load: () => import('./commands/fmt.js') },
  publish: { summary: '发布 / upload a policy version to a server and publish it', load: () => import('./commands/publish.js') },
  simulate: { summary: '模拟 / impact of a policy change on a population of households', load: () => import('./commands/simulate.js') },
  users: { summary: '用户 / list, add, disable, enable accounts of a server, set a password or role (admin)', load: () => import('./commands/users.js') },
  decisions: { summary: '决定记录 / show, replay or export (JSON Lines) decision records of a server', load: () => import('./commands/decisions.js') },
};

export function usage(): string {
  const st = style();
  const names = Object.keys(COMMANDS);
  const w = Math.max(...names.map((n) => n.length));
  return [
    `${st.bold('用法 / Usage:')} policy <command> [options]`,
    '',
    ...names.map((n) => `  ${n.padEnd(w)}  ${COMMANDS[n]!.summary}`),
    '',
    '  policy <command> --help   每个命令的说明 / help for one command',
    '  policy --version          版本 / version',
    '',
    'Exit codes: 0 ok · 1 errors, failing scenarios or refused · 2 wrong usage',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    if (name === 'help' && rest[0] && COMMANDS[rest[0]]) return main([rest[0], '--help']);
    out(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    out('policy 0.1.0');
    return 0;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    const hint = didYouMean(name, Object.keys(COMMANDS));
    err(`policy: 未知命令 ${name}${hint.zh} / unknown command "${name}"${hint.en}`);
    err('');
    err(usage());
    return 2;
  }
  if ((rest.includes('--help') || rest.includes('-h')) && HELP[name]) {
    out(HELP[name]);
    return 0;
  }
  const command = await entry.load();
  try {
    return await command.run(rest);
  } catch (e) {
    return report(name, e);
  }
}

/** Prints an error thrown by a command and returns its exit code. */
export function report(name: string, e: unknown): number {
  const st = style(false);
  if (e instanceof UsageError) {
    err(`policy ${name}: ${e.message}`);
    err(`运行 / run: policy ${name} --help`);
    return 2;
  }
  if (e instanceof CliError) {
    err(`policy ${name}: ${e.message}`);
    return e.exitCode;
  }
  err(st.red(`policy ${name}: 内部错误 / internal error: ${(e as Error)?.stack ?? String(e)}`));
  err('这是 CLI 的缺陷，请报告 / this is a bug in the CLI, please report it');
  return 1;
}

exitQuietlyOnEpipe(); // `policy test policies/ | head -3`: stop when the reader goes away, no stack trace
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => { process.exitCode = report('', e); },
);
