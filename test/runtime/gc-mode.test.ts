// The server's garbage collector (issue #17): POLICY_SERVER_GC decides whether node runs with
// --single-threaded-gc (runtime/gc-mode.ts), and `npm start`'s launcher (runtime/start.ts) starts
// the server with it: as its child when the flag is missing, in its own process when not.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GC_FLAG, gcMode, runningGcMode, serverNodeFlags } from '../../runtime/gc-mode.js';
import { startServer, stop, useServerBuild, type Child } from './server-process.js';

describe('gcMode', () => {
  it('auto (the default) is single on one CPU and parallel on more', () => {
    expect(gcMode(undefined, 1)).toBe('single');
    expect(gcMode('auto', 1)).toBe('single');
    expect(gcMode(undefined, 2)).toBe('parallel');
    expect(gcMode(' auto ', 64)).toBe('parallel');
  });

  it('single and parallel are taken as given, whatever the CPUs', () => {
    expect(gcMode('single', 8)).toBe('single');
    expect(gcMode('parallel', 1)).toBe('parallel');
  });

  it('refuses anything else with a message naming the setting', () => {
    expect(() => gcMode('threads', 1)).toThrow(/POLICY_SERVER_GC "threads": expected auto/);
    expect(() => gcMode('SINGLE', 1)).toThrow(/POLICY_SERVER_GC/);
  });

  it('gives the node flag for single only, and reads it back from node\'s arguments', () => {
    expect(serverNodeFlags({ POLICY_SERVER_GC: 'single' }, 4)).toEqual(['--single-threaded-gc']);
    expect(serverNodeFlags({}, 1)).toEqual(['--single-threaded-gc']);
    expect(serverNodeFlags({}, 2)).toEqual([]);
    expect(serverNodeFlags({ POLICY_SERVER_GC: 'parallel' }, 1)).toEqual([]);
    expect(runningGcMode(['--single-threaded-gc'])).toBe('single');
    expect(runningGcMode(['--max-old-space-size=512'])).toBe('parallel');
  });
});

describe('the launcher (npm start)', () => {
  useServerBuild();
  const tempDir = () => mkdtempSync(join(tmpdir(), 'gc-mode-'));
  const listening = (s: Child) => JSON.parse(s.lines.find((l) => l.includes('"msg":"listening"'))!) as { gc?: string };
  /** The processes the launcher started (Linux: its main thread's children). */
  const children = (pid: number) => readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);

  it('with POLICY_SERVER_GC=single runs the server as its child with the flag, and stops it on SIGTERM', async () => {
    const s = await startServer(tempDir(), { POLICY_SERVER_GC: 'single' }, { script: 'start.js' });
    expect(listening(s).gc).toBe('single');
    const [child] = children(s.proc.pid!);
    expect(readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0')).toContain(GC_FLAG);
    const r = await fetch(`${s.url}/api/health`);
    expect(r.status).toBe(200);
    await stop(s, 'SIGTERM');
    expect(await s.exited).toBe(0);
    expect(s.lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
    expect(existsSync(`/proc/${child}`)).toBe(false);
  }, 150_000);

  it('with POLICY_SERVER_GC=parallel runs the server in its own process, without the flag', async () => {
    const s = await startServer(tempDir(), { POLICY_SERVER_GC: 'parallel' }, { script: 'start.js' });
    expect(listening(s).gc).toBe('parallel');
    expect(children(s.proc.pid!)).toEqual([]);
    await stop(s, 'SIGTERM');
    expect(await s.exited).toBe(0);
  }, 150_000);

  it('by default, pinned to one CPU (taskset), runs the server with the flag', async () => {
    const s = await startServer(tempDir(), {}, { script: 'start.js', prefix: ['/usr/bin/taskset', '-c', '0'] });
    try {
      expect(listening(s).gc).toBe('single');
    } finally {
      await stop(s, 'SIGTERM');
    }
  }, 150_000);

  it('node dist/runtime/server.js runs with the flags node was given and says so when POLICY_SERVER_GC asks for others', async () => {
    const s = await startServer(tempDir(), { POLICY_SERVER_GC: 'single' });
    try {
      expect(listening(s).gc).toBe('parallel');
      expect(s.lines.some((l) => l.includes('"level":"warn"') && l.includes('POLICY_SERVER_GC wants the single collector'))).toBe(true);
    } finally {
      await stop(s, 'SIGTERM');
    }
    await expect(startServer(tempDir(), { POLICY_SERVER_GC: 'fast' })).rejects.toThrow(/exited \(1\).*POLICY_SERVER_GC "fast"/s);
  }, 150_000);

  it('refuses an unknown POLICY_SERVER_GC before it starts anything', async () => {
    await expect(startServer(tempDir(), { POLICY_SERVER_GC: 'fast' }, { script: 'start.js' })).rejects.toThrow(/exited \(1\).*POLICY_SERVER_GC "fast"/s);
  }, 150_000);
});
