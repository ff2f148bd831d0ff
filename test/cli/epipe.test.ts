// `policy … | head`: when the reader closes the pipe early, the CLI's next write fails with
// EPIPE. It must end quietly (no "EPIPE", no stack trace on stderr) with 141, what a shell
// reports for a process ended by SIGPIPE, instead of crashing on an unhandled 'error' event.
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { main, requireBuild, root } from './helpers.js';

beforeAll(requireBuild);

interface Piped { stdout: string; stderr: string; cliExit: number | null }

/** Runs `node dist/cli/main.js ARGS | head -n 2` in bash; reports the CLI's own exit status. */
function throughHead(args: string[]): Promise<Piped> {
  const quoted = [process.execPath, main, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `${quoted} | head -n 2; echo "cli-exit=\${PIPESTATUS[0]}"`;
  return new Promise((ok, fail) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.FORCE_COLOR;
    const child = spawn('bash', ['-c', script], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', fail);
    child.on('close', () => {
      const m = /cli-exit=(\d+)\n$/.exec(stdout);
      ok({ stdout: stdout.replace(/cli-exit=\d+\n$/, ''), stderr, cliExit: m ? Number(m[1]) : null });
    });
  });
}

describe.concurrent('output piped into head', () => {
  it('policy test policies/ | head -n 2 (line by line): two lines, nothing on stderr, exit 141', async () => {
    const r = await throughHead(['test', 'policies/']);
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(2);
    expect(r.stdout).toContain('policies/');
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at |Error/);
    expect(r.stderr).toBe('');
    expect(r.cliExit).toBe(141);
  });

  it('policy test policies/ --reporter json | head -n 2 (one large write): quiet too', async () => {
    const r = await throughHead(['test', 'policies/', '--reporter', 'json']);
    expect(r.stdout).toMatch(/^\{\n {2}"passed": \d+,\n$/);
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at |Error/);
    expect(r.stderr).toMatch(/^(\d+ passed, \d+ failed[^\n]*\n)?$/); // the json reporter's summary goes to stderr
    expect(r.cliExit).toBe(141);
  });
});
