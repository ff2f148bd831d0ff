// B11 (issue 21): a leftover lock whose pid now belongs to another live process blocked startup
// for good. The lock now records the pid, the process start time (/proc/<pid>/stat field 22)
// and the boot id; a lock whose pid is alive but started at another time, or in another boot,
// is taken over. A lock held by a process that really is its owner still refuses.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, LowdbStore } from '../../runtime/store/lowdb-store.js';
import { tempDir } from '../runtime/helpers.js';

let sleeper: ChildProcess;
beforeEach(async () => {
  // An unrelated live process whose pid a leftover lock can name.
  sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
  await new Promise((ok) => sleeper.once('spawn', ok));
});
afterEach(() => { sleeper.kill('SIGKILL'); });

/** Field 22 of /proc/<pid>/stat, read here independently of the code under test. */
function startTicks(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).trim().split(' ')[19]!;
}
const boot = () => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

async function opens(lock: string, mtime?: Date): Promise<boolean> {
  const d = tempDir('b11-');
  writeFileSync(join(d, LOCK_FILE), lock);
  if (mtime) utimesSync(join(d, LOCK_FILE), mtime, mtime);
  try {
    const s = await LowdbStore.open(d);
    expect(JSON.parse(readFileSync(join(d, LOCK_FILE), 'utf8'))).toEqual({ pid: process.pid, start: startTicks(process.pid), boot: boot() });
    await s.close();
    return true;
  } catch (e) {
    expect(e).toMatchObject({ code: 'store.locked' });
    expect(readFileSync(join(d, LOCK_FILE), 'utf8')).toBe(lock);   // a refused start leaves the owner's lock alone
    return false;
  }
}

describe('B11: the data-folder lock knows which process holds it', () => {
  it('a lock naming a live unrelated pid with another start time is taken over', async () => {
    const pid = sleeper.pid!;
    const wrongStart = String(Number(startTicks(pid)) + 12345);
    expect(await opens(JSON.stringify({ pid, start: wrongStart, boot: boot() }))).toBe(true);
  });

  it('a lock naming this very pid, left by an earlier process (a restarted container\'s pid 1), is taken over', async () => {
    expect(await opens(JSON.stringify({ pid: process.pid, start: String(Number(startTicks(process.pid)) - 500), boot: boot() }))).toBe(true);
  });

  it('a lock written in another boot is taken over, even if its pid and start time match a live process', async () => {
    const pid = sleeper.pid!;
    expect(await opens(JSON.stringify({ pid, start: startTicks(pid), boot: '00000000-0000-0000-0000-000000000000' }))).toBe(true);
  });

  it('an old-format lock (bare pid) whose pid started after the lock was written is taken over', async () => {
    expect(await opens(String(sleeper.pid), new Date(Date.now() - 3_600_000))).toBe(true);
  });

  it('a lock held by its live owner is refused: another process, and a second open in this one', async () => {
    const pid = sleeper.pid!;
    expect(await opens(JSON.stringify({ pid, start: startTicks(pid), boot: boot() }))).toBe(false);
    const d = tempDir('b11-live-');
    const a = await LowdbStore.open(d);
    await expect(LowdbStore.open(d)).rejects.toMatchObject({ code: 'store.locked', message: expect.stringContaining(`process ${process.pid}`) });
    await a.close();
    // An old-format lock written after its (live) owner started is respected too.
    expect(await opens(String(pid), new Date(Date.now() + 1000))).toBe(false);
  });
});
