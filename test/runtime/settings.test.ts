// Settings read from the environment at start-up: a misspelt value stops the server with a
// message naming the setting and what it accepts, instead of falling back to the default.
import { describe, expect, it } from 'vitest';
import { simulationWarm, start } from '../../runtime/server.js';
import { monitorThreads, wholeNumberSetting } from '../../runtime/services/monitor/worker.js';

describe('SIMULATION_WARM', () => {
  it('accepts start (the default when unset) and lazy', () => {
    expect(simulationWarm(undefined)).toBe('start');
    expect(simulationWarm('start')).toBe('start');
    expect(simulationWarm(' lazy ')).toBe('lazy');
  });

  it('refuses anything else, naming the setting and both values', () => {
    expect(() => simulationWarm('lazzy')).toThrow(/SIMULATION_WARM "lazzy": expected start .* or lazy/);
    expect(() => simulationWarm('Lazy')).toThrow(/SIMULATION_WARM/);
    expect(() => simulationWarm('')).toThrow(/expected start/);
  });

  it('stops the server before it opens any store', async () => {
    // DATA_DIR points at a path that cannot be created (under a file, so mkdir fails at once with
    // ENOTDIR; under /proc, Node 20's recursive mkdir loops forever): had start() gone on, it would fail there instead
    await expect(start({ SIMULATION_WARM: 'eager', DATA_DIR: '/dev/null/data', LOG: 'silent' })).rejects.toThrow(/SIMULATION_WARM "eager"/);
  });
});

describe('MONITOR_CHUNK_SIZE, MONITOR_POLL_MS, MONITOR_LEASE_MS, MONITOR_THREADS', () => {
  it('accept whole numbers within their range', () => {
    expect(wholeNumberSetting('MONITOR_CHUNK_SIZE', '2000', 1, 100_000)).toBe(2000);
    expect(wholeNumberSetting('MONITOR_POLL_MS', ' 0 ', 0, 3_600_000)).toBe(0);
    expect(monitorThreads('16')).toBe(16);
  });

  it('refuse anything else, naming the setting and the range', () => {
    expect(() => wholeNumberSetting('MONITOR_CHUNK_SIZE', '2k', 1, 100_000)).toThrow(/MONITOR_CHUNK_SIZE "2k": expected a whole number 1–100000/);
    expect(() => wholeNumberSetting('MONITOR_CHUNK_SIZE', '0', 1, 100_000)).toThrow(/MONITOR_CHUNK_SIZE "0"/);
    expect(() => wholeNumberSetting('MONITOR_LEASE_MS', '1.5', 100, 3_600_000)).toThrow(/MONITOR_LEASE_MS "1.5"/);
    expect(() => monitorThreads('17')).toThrow(/MONITOR_THREADS "17": expected a whole number 0–16 \(0: evaluate on the main thread\)/);
  });

  it('a misspelt chunk size stops the server before it opens any store', async () => {
    await expect(start({ MONITOR_CHUNK_SIZE: 'abc', DATA_DIR: '/dev/null/data', LOG: 'silent' })).rejects.toThrow(/MONITOR_CHUNK_SIZE "abc"/);
  });
});

describe('MONITOR_CRON', () => {
  it('a misspelt schedule stops the server before it opens any store', async () => {
    await expect(start({ MONITOR_CRON: '1 6:3O', DATA_DIR: '/dev/null/data', LOG: 'silent' })).rejects.toThrow(/MONITOR_CRON "1 6:3O"/);
  });

  it('past a valid schedule the server goes on to open its store (here: a data folder that cannot be made)', async () => {
    await expect(start({ MONITOR_CRON: '1 06:30', DATA_DIR: '/dev/null/data', LOG: 'silent' })).rejects.toThrow(/ENOTDIR|not a directory/);
  });
});
