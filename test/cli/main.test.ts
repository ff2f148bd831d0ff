import { beforeAll, describe, expect, it } from 'vitest';
import { cli, requireBuild } from './helpers.js';

beforeAll(requireBuild);

describe.concurrent('policy (entry point)', () => {
  it('prints usage and exits 2 for an unknown command', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
    expect(r.stderr).toContain('Usage: policy <command>');
    for (const c of ['check', 'test', 'eval', 'fmt', 'publish']) expect(r.stderr).toContain(`  ${c} `);
  });

  it('prints usage with --help (exit 0) and without a command (exit 2)', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: policy <command>');
    expect((await cli([])).code).toBe(2);
  });

  it('has --help for every command', async () => {
    const runs = await Promise.all(['check', 'test', 'eval', 'fmt', 'publish'].map((c) => cli([c, '--help'])));
    for (const [i, c] of ['check', 'test', 'eval', 'fmt', 'publish'].entries()) {
      expect(runs[i]!.code, c).toBe(0);
      expect(runs[i]!.stdout, c).toContain(`Usage: policy ${c}`);
    }
    expect((await cli(['help', 'fmt'])).stdout).toContain('Usage: policy fmt');
  });

  it('rejects an unknown option with exit 2 and points at --help', async () => {
    const r = await cli(['check', '--bogus', 'examples/']);
    expect(r.code).toBe(2);
    // nothing close to --bogus: the options it knows are listed instead
    expect(r.stderr).toContain('policy check: 未知选项 --bogus（可用选项：--help --format --lang --policies） / unknown option --bogus (options: --help --format --lang --policies)\n');
    expect(r.stderr).toContain('policy check --help');
  });

  it('did you mean: a misspelt option, command or option value, in both languages', async () => {
    const [option, command, value, missing] = await Promise.all([
      cli(['test', 'examples/', '--reportr', 'junit']),
      cli(['tset', 'examples/']),
      cli(['test', 'examples/', '--reporter', 'junti']),
      cli(['eval', '--policy', 'examples/dibao/policy.policy', '--household']),
    ]);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('policy test: 未知选项 --reportr，是否应为 --reporter？ / unknown option --reportr; did you mean --reporter?\n');
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('policy: 未知命令 tset，是否应为 test？ / unknown command "tset"; did you mean test?\n');
    expect(value.code).toBe(2);
    expect(value.stderr).toContain('--reporter 应为 pretty、junit、json 之一（得到 "junti"），是否应为 junit？ / --reporter must be one of pretty, junit, json (got "junti"); did you mean junit?');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('policy eval: 选项 --household 需要一个值 / option --household needs a value');
  });
});
