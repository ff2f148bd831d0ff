// How every bench starts the real server's node: with the flags runtime/gc-mode.ts decides for its
// environment and CPUs (the ones `npm start` uses: POLICY_SERVER_GC), then the bench's own extra
// flags (BENCH_SERVER_FLAGS and the like), pinned to one CPU with taskset when asked.
import { existsSync } from 'node:fs';
import { serverNodeFlags } from '../../runtime/gc-mode.js';

export interface ServerCommand {
  command: string;
  args: string[];
  /** the node flags, gc-mode's first (for the bench's setup line) */
  flags: string[];
}

export function serverCommand(serverJs: string, opts: { env?: NodeJS.ProcessEnv; cpu?: string; extra?: string[] } = {}): ServerCommand {
  const pinned = opts.cpu !== undefined && existsSync('/usr/bin/taskset');
  // pinned to one CPU the server may use one; else what this process may (a child inherits it)
  const flags = [...serverNodeFlags(opts.env ?? process.env, pinned ? 1 : undefined), ...(opts.extra ?? [])];
  return pinned
    ? { command: '/usr/bin/taskset', args: ['-c', opts.cpu!, process.execPath, ...flags, serverJs], flags }
    : { command: process.execPath, args: [...flags, serverJs], flags };
}

/** Flags from an environment variable of a bench ("--cpu-prof --cpu-prof-dir=/tmp/p"). */
export const flagsFrom = (text: string | undefined): string[] => (text ?? '').split(/\s+/).filter((f) => f !== '');
