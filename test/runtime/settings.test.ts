// Settings read from the environment at start-up: a misspelt value stops the server with a
// message naming the setting and what it accepts, instead of falling back to the default.
import { describe, expect, it } from 'vitest';
import { simulationWarm, start } from '../../runtime/server.js';

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
    // DATA_DIR points at a path that cannot be created: had start() gone on, it would fail there instead
    await expect(start({ SIMULATION_WARM: 'eager', DATA_DIR: '/proc/nonexistent/data', LOG: 'silent' })).rejects.toThrow(/SIMULATION_WARM "eager"/);
  });
});
