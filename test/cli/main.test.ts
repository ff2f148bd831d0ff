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
    expect(r.stderr).toContain("Unknown option '--bogus'");
    expect(r.stderr).toContain('policy check --help');
  });
});
